// Document frequencies per column of the SQLite keyword index (term, col, doc, cnt): how many papers
// hold a word in the title, or in the authors. FTS5's bm25() takes a column-restricted word's idf
// from exactly that count, so search can compute the same score without FTS5 counting it again on
// every statement (src/search/bm25.sqlite.ts). A vocabulary table stores nothing: it reads the index.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`CREATE VIRTUAL TABLE IF NOT EXISTS paper_fts_columns USING fts5vocab(paper_fts, col)`.execute(db);
}

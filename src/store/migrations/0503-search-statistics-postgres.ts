// PostgreSQL keeps the most common lexemes of a tsvector column and the share of rows holding each
// (pg_stats.most_common_elems); keyword search reads document frequencies of common words from there
// instead of counting thousands of rows (src/search/keyword.postgres.ts). The default statistics
// target tracks about 1,000 lexemes; 1,000 tracks about 10,000, so every word common enough to be
// slow to count is listed. Nothing to do on SQLite (FTS5 keeps exact counts).
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`ALTER TABLE paper_search ALTER COLUMN document SET STATISTICS 1000`.execute(db);
  await sql`ANALYZE paper_search`.execute(db);
}

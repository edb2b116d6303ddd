// Each indexed stem's document frequency, copied from the SQLite keyword index's vocabulary at one
// search version (src/search/doc-freq.sqlite.ts). FTS5 stores no such count: its vocabulary table
// walks a word's whole doclist to answer it (~0.07 ms for a rare word, ~1.4 ms for "model" at 74,728
// papers), and a descriptive query asks for ~100 words. The row with the empty term records the
// search version the rest were copied at; rows of any other version are not read. Only SQLite uses
// it; the table exists on both dialects so a store copied between them keeps one schema.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_doc_freq')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('doc', 'integer', (c) => c.notNull())
    .$call((t) => (dialectOf(db) === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
}

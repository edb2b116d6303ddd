// PostgreSQL keeps a row's values in the table page only while the row is under ~2 kB; past that it
// moves the largest value to a side (TOAST) table, in chunks read back through an index. A paper's
// weighted tsvector averages 1.8 kB, so about a third of them (every longer abstract) lived out of
// line, and ranking a word's matches with ts_rank fetched and reassembled each of those first. Kept
// in the row up to a full page instead, the same ranking of 1,343 matches took 2.7 ms instead of
// 5.8 (best of ten each, 74,728 papers): a descriptive query ranks ~1,000–2,000 matches twice. A
// tsvector barely compresses, so the row is the only place that matters. Nothing to do on SQLite.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  // MAIN: compressed if that helps, moved out of the row only when the row would not fit in a page.
  await sql`ALTER TABLE paper_search SET (toast_tuple_target = 8160)`.execute(db);
  await sql`ALTER TABLE paper_search ALTER COLUMN document SET STORAGE MAIN`.execute(db);
  // Stored documents keep their place until rewritten; `|| ''` makes a new value equal to the old,
  // which the new settings then store in the row. Shorter documents were in the row already.
  await sql`UPDATE paper_search SET document = document || ''::tsvector WHERE pg_column_size(document) >= 1900`.execute(db);
  await sql`ANALYZE paper_search`.execute(db);
}

// Each paper's analysed text, stored once so that re-scoring search candidates reads term ids instead
// of tokenising and stemming every candidate's abstract per query (src/search/paper-terms.ts).
// search_term numbers every term (stems and folded unstemmed words alike); paper_terms holds a
// paper's fields as varint-encoded term ids, valid while its content_hash matches the paper's.
// Rows are filled by the search-terms job and the import commands; a missing or stale row only
// means that paper is analysed afresh, so nothing depends on them being current.
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('search_term')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => c.primaryKey())
    .addColumn('term', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createTable('paper_terms')
    .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('paper.id').onDelete('cascade'))
    // paper.content_hash when analysed: a differing value means the paper changed since
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('terms', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .execute();
}

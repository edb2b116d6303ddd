// Each common search clause's best papers by the keyword engine's own ranking, so a query of common
// words need not score every paper that holds them (src/search/top-lists.sqlite.ts). A list is valid
// for the search version it was built at; rows of an older version are ignored and replaced. Only
// the SQLite engine uses it (PostgreSQL ranks in the server); the table exists on both so a store
// copied between dialects keeps one schema.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_top_list')
    // "any:model", "title:model": the field and the word's stem.
    .addColumn('clause', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    // JSON [[paper id, score], …], best first.
    .addColumn('hits', 'text', (c) => c.notNull())
    // 1 when the list holds every paper with the clause (fewer than a list's length).
    .addColumn('complete', 'integer', (c) => c.notNull())
    .execute();
}

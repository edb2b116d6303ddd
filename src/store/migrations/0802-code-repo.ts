import type { Kysely } from 'kysely';

// What GitHub says about the repositories papers link to (paper_link kind 'code'), keyed by the
// link's URL: stars and last push, with the ETag for cheap conditional refreshes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('code_repo')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stars', 'integer')
    .addColumn('pushed_at', 'text')
    .addColumn('etag', 'text')
    .addColumn('error', 'text')
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .addColumn('retry_at', 'text')
    .execute();
  await db.schema.createIndex('code_repo_stars_idx').on('code_repo').columns(['stars']).execute();
}

import type { Kysely } from 'kysely';

// A small image of each paper's first page, rendered from its PDF. The image itself is a file under
// DATA_DIR/thumbnails named by its content hash; this row says which file, its size, and how the
// last attempt went (ready | failed | unavailable), so failures are retried later, not in a loop.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('paper_thumbnail')
    .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('paper.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('file', 'text')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('retry_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

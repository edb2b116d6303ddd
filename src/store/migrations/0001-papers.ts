import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('paper')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('arxiv_id', 'text', (c) => c.notNull().unique())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('abstract', 'text', (c) => c.notNull())
    .addColumn('authors', 'text', (c) => c.notNull())
    .addColumn('authors_text', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('primary_category', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('journal_ref', 'text')
    .addColumn('doi', 'text')
    .addColumn('license', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('updated_at', 'text')
    .addColumn('announced_on', 'text', (c) => c.notNull())
    .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hf_upvotes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('paper_announced_on_idx').on('paper').columns(['announced_on', 'id']).execute();
  await db.schema.createIndex('paper_primary_category_idx').on('paper').columns(['primary_category', 'announced_on']).execute();

  await db.schema
    .createTable('paper_link')
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('paper.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('paper_link_pk', ['paper_id', 'position'])
    .execute();
  await db.schema.createIndex('paper_link_kind_idx').on('paper_link').columns(['kind', 'paper_id']).execute();

  // Categories as rows, for category pages and filters (a JSON column cannot be indexed portably).
  await db.schema
    .createTable('paper_category')
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('paper.id').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('paper_category_pk', ['paper_id', 'category'])
    .execute();
  await db.schema.createIndex('paper_category_category_idx').on('paper_category').columns(['category', 'paper_id']).execute();
}

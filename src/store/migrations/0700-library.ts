// The personal library: saved papers (note, read mark), the user's tags (named ordered lists, public
// ones are collections) and follows (authors, categories, saved searches).
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const serial = (t: any) => t.addColumn('id', pg ? 'serial' : 'integer', (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()));

  await db.schema
    .createTable('library_paper')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('paper.id').onDelete('cascade'))
    .addColumn('note', 'text')
    .addColumn('read_at', 'text')
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('library_paper_pk', ['user_id', 'paper_id'])
    .execute();
  await db.schema.createIndex('library_paper_saved_idx').on('library_paper').columns(['user_id', 'saved_at']).execute();
  // "Who saved this paper" (counts on paper pages, cache refreshes) reads by paper.
  await db.schema.createIndex('library_paper_paper_idx').on('library_paper').column('paper_id').execute();

  await serial(db.schema.createTable('library_tag'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('user_account.id').onDelete('cascade'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('public', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('library_tag_name_uq', ['user_id', 'name'])
    .execute();
  await db.schema.createIndex('library_tag_public_idx').on('library_tag').columns(['user_id', 'public']).execute();

  // Removing a paper from the library removes it from every tag (the composite foreign key).
  await db.schema
    .createTable('library_tag_paper')
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('library_tag.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('paper_id', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('library_tag_paper_pk', ['tag_id', 'paper_id'])
    .addForeignKeyConstraint('library_tag_paper_saved_fk', ['user_id', 'paper_id'], 'library_paper', ['user_id', 'paper_id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('library_tag_paper_order_idx').on('library_tag_paper').columns(['tag_id', 'position']).execute();
  await db.schema.createIndex('library_tag_paper_saved_idx').on('library_tag_paper').columns(['user_id', 'paper_id']).execute();

  await serial(db.schema.createTable('follow'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('user_account.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('value', 'text', (c: any) => c.notNull())
    .addColumn('match_key', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('follow_uq', ['user_id', 'kind', 'match_key'])
    .execute();
  // "Who follows this author / category" for the digest and for-you lists.
  await db.schema.createIndex('follow_kind_idx').on('follow').columns(['kind', 'match_key']).execute();
}

// Community: votes, submissions, curator moderation, pins and the audit log.
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  // The primary key is what makes a vote one-per-user-per-paper under concurrent requests.
  await db.schema
    .createTable('vote')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('paper.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vote_pk', ['user_id', 'paper_id'])
    .execute();
  await db.schema.createIndex('vote_paper_idx').on('vote').columns(['paper_id', 'created_at']).execute();
  // Trending counts the votes cast within a window.
  await db.schema.createIndex('vote_created_idx').on('vote').columns(['created_at', 'paper_id']).execute();

  await db.schema
    .createTable('submission')
    .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('paper.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
    .addColumn('listed_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('submission_user_idx').on('submission').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('submission_listed_idx').on('submission').columns(['listed_on', 'paper_id']).execute();

  await db.schema
    .createTable('paper_moderation')
    .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('paper.id').onDelete('cascade'))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('votes_locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('paper_pin')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('paper.id').onDelete('cascade'))
    .addColumn('pinned_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('paper_pin_pk', ['day', 'paper_id'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('actor_id', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_created_idx').on('audit_log').columns(['created_at', 'id']).execute();
}

// Discussion and people: comments on papers (one level of replies), reports, locked discussions,
// profiles (handle, preferences), authorship claims, and the reply-notification cursors.
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (t: any) => t.addColumn('id', pg ? 'serial' : 'integer', (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('comment'))
    .addColumn('paper_id', 'integer', (c: any) => c.notNull().references('paper.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('user_account.id').onDelete('cascade'))
    // A reply's thread: always a top-level comment (one level of threading).
    .addColumn('parent_id', 'integer', (c: any) => c.references('comment.id').onDelete('cascade'))
    .addColumn('body', 'text', (c: any) => c.notNull())
    // 1 while a new account's comment waits for a curator.
    .addColumn('held', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('hidden_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('edited_at', 'text')
    // For a thread: its newest reply's time (or its own), what "newest activity" sorts by.
    .addColumn('activity_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_paper_idx').on('comment').columns(['paper_id', 'parent_id']).execute();
  await db.schema.createIndex('comment_parent_idx').on('comment').column('parent_id').execute();
  await db.schema.createIndex('comment_user_idx').on('comment').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('comment_report')
    .addColumn('comment_id', 'integer', (c) => c.notNull().references('comment.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addPrimaryKeyConstraint('comment_report_pk', ['comment_id', 'user_id'])
    .execute();
  await db.schema.createIndex('comment_report_open_idx').on('comment_report').columns(['resolved_at', 'created_at']).execute();

  await db.schema
    .createTable('discussion_lock')
    .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('paper.id').onDelete('cascade'))
    .addColumn('locked_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_profile')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('user_account.id').onDelete('cascade'))
    .addColumn('handle', 'text', (c) => c.notNull().unique())
    .addColumn('show_upvotes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_replies', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('author_claim'))
    .addColumn('paper_id', 'integer', (c: any) => c.notNull().references('paper.id').onDelete('cascade'))
    .addColumn('author_name', 'text', (c: any) => c.notNull())
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('user_account.id').onDelete('cascade'))
    // pending | approved | rejected
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'integer', (c: any) => c.references('user_account.id').onDelete('set null'))
    .addUniqueConstraint('author_claim_uq', ['paper_id', 'author_name', 'user_id'])
    .execute();
  await db.schema.createIndex('author_claim_status_idx').on('author_claim').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('author_claim_name_idx').on('author_claim').columns(['author_name', 'status']).execute();
  await db.schema.createIndex('author_claim_user_idx').on('author_claim').columns(['user_id', 'status']).execute();

  // Per reader and thread: the newest reply already mailed about, and when the last mail went.
  await db.schema
    .createTable('reply_notice')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user_account.id').onDelete('cascade'))
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('comment.id').onDelete('cascade'))
    .addColumn('notified_through', 'integer', (c) => c.notNull())
    .addColumn('last_sent_at', 'text')
    .addPrimaryKeyConstraint('reply_notice_pk', ['user_id', 'thread_id'])
    .execute();
}

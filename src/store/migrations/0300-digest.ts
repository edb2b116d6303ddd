// Email digests: subscriptions (double opt-in), rendered digest contents, the outbox, and runs.
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const id = (t: any) => t.addColumn('id', pg ? 'serial' : 'integer', (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('subscription'))
    .addColumn('email', 'text', (c: any) => c.notNull().unique())
    .addColumn('frequency', 'text', (c: any) => c.notNull())
    .addColumn('topics', 'text', (c: any) => c.notNull())
    .addColumn('min_upvotes', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('pending_prefs', 'text')
    .addColumn('confirm_token_hash', 'text')
    .addColumn('confirm_expires_at', 'text')
    .addColumn('confirm_sent_at', 'text')
    .addColumn('hard_bounces', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('subscription_confirm_idx').on('subscription').column('confirm_token_hash').execute();
  await db.schema.createIndex('subscription_status_idx').on('subscription').columns(['status', 'frequency', 'id']).execute();

  // One rendered digest body shared by every subscriber who gets exactly these papers for a period;
  // per-subscriber links are filled in at send time.
  await id(db.schema.createTable('digest_content'))
    .addColumn('content_key', 'text', (c: any) => c.notNull().unique())
    .addColumn('frequency', 'text', (c: any) => c.notNull())
    .addColumn('period_key', 'text', (c: any) => c.notNull())
    .addColumn('period_start', 'text', (c: any) => c.notNull())
    .addColumn('period_end', 'text', (c: any) => c.notNull())
    .addColumn('paper_ids', 'text', (c: any) => c.notNull())
    .addColumn('subject', 'text', (c: any) => c.notNull())
    .addColumn('html', 'text', (c: any) => c.notNull())
    .addColumn('text', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('digest_outbox'))
    .addColumn('subscription_id', 'integer', (c: any) => c.notNull().references('subscription.id').onDelete('cascade'))
    .addColumn('frequency', 'text', (c: any) => c.notNull())
    .addColumn('period_key', 'text', (c: any) => c.notNull())
    .addColumn('content_id', 'integer', (c: any) => c.notNull().references('digest_content.id'))
    .addColumn('message_id', 'text', (c: any) => c.notNull().unique())
    .addColumn('state', 'text', (c: any) => c.notNull())
    .addColumn('attempts', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c: any) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('ambiguous', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('digest_outbox_subscription_period_uq', ['subscription_id', 'period_key'])
    .execute();
  await db.schema.createIndex('digest_outbox_state_idx').on('digest_outbox').columns(['state', 'next_attempt_at', 'id']).execute();
  await db.schema.createIndex('digest_outbox_claim_idx').on('digest_outbox').column('claimed_by').execute();

  await db.schema
    .createTable('digest_run')
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('rendered_at', 'text')
    .addPrimaryKeyConstraint('digest_run_pk', ['frequency', 'period_key'])
    .execute();
}

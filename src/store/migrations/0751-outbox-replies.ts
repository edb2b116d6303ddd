// The outbox carries reply notifications too: a row is either a digest (subscription_id) or a mail to
// an account (user_id), told apart by `kind`. One outbox, one sender, one delivery guarantee.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../db.ts';

const COLUMNS = 'id, subscription_id, frequency, period_key, content_id, message_id, state, attempts, next_attempt_at, lease_until, claimed_by, ambiguous, last_error, created_at, sent_at, updated_at';

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`ALTER TABLE digest_outbox ALTER COLUMN subscription_id DROP NOT NULL`.execute(db);
    await sql`ALTER TABLE digest_outbox ADD COLUMN kind text NOT NULL DEFAULT 'digest'`.execute(db);
    await sql`ALTER TABLE digest_outbox ADD COLUMN user_id integer REFERENCES user_account(id) ON DELETE CASCADE`.execute(db);
  } else {
    // SQLite cannot drop NOT NULL in place: the table is rebuilt (nothing references it).
    await sql`CREATE TABLE digest_outbox_new (
      id integer PRIMARY KEY AUTOINCREMENT,
      kind text NOT NULL DEFAULT 'digest',
      subscription_id integer REFERENCES subscription(id) ON DELETE CASCADE,
      user_id integer REFERENCES user_account(id) ON DELETE CASCADE,
      frequency text NOT NULL,
      period_key text NOT NULL,
      content_id integer NOT NULL REFERENCES digest_content(id),
      message_id text NOT NULL UNIQUE,
      state text NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at text NOT NULL,
      lease_until text,
      claimed_by text,
      ambiguous integer NOT NULL DEFAULT 0,
      last_error text,
      created_at text NOT NULL,
      sent_at text,
      updated_at text NOT NULL,
      CONSTRAINT digest_outbox_subscription_period_uq UNIQUE (subscription_id, period_key)
    )`.execute(db);
    await sql.raw(`INSERT INTO digest_outbox_new (${COLUMNS}) SELECT ${COLUMNS} FROM digest_outbox`).execute(db);
    await sql`DROP TABLE digest_outbox`.execute(db);
    await sql`ALTER TABLE digest_outbox_new RENAME TO digest_outbox`.execute(db);
    await db.schema.createIndex('digest_outbox_state_idx').on('digest_outbox').columns(['state', 'next_attempt_at', 'id']).execute();
    await db.schema.createIndex('digest_outbox_claim_idx').on('digest_outbox').column('claimed_by').execute();
  }
  // A reply mail per reader, thread and batch, once (a re-run of the job cannot add a second).
  await db.schema.createIndex('digest_outbox_user_period_uq').unique().on('digest_outbox').columns(['user_id', 'period_key']).execute();
}

// The durable outbox every transactional mail goes through (sign-in links, digest confirmations). A
// request is acknowledged only after its mail is a committed row; senders then claim rows, send them
// and record the outcome, retrying transient failures with backoff. Each row moves
//   pending → claimed → sending → sent | bounced (5xx) | failed (retries exhausted) | expired | pending again
// A row left `claimed` or `sending` by a dead sender goes back to pending and is sent again with the
// same Message-ID. Sent by MailSender (in every web process, right after a request) and by the
// `mail-send` job's sweep; safe with several processes at once.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../store/db.ts';
import type { MailOutboxTable } from '../store/schema.ts';
import { claimDueRows, claimOwnerIsDead, startClaimRun } from '../store/claim-rows.ts';
import type { Logger } from '../log.ts';
import { createMessageId, MailError, type Mailer, type MailMessage } from './mailer.ts';

export interface QueuedMail extends Omit<MailMessage, 'messageId' | 'textEncoding'> {
  /** What the mail is for (sign-in, digest-confirmation), for logs. */
  kind: string;
  /** Not sent after this moment (a link that no longer works). */
  expiresAt?: Date;
}

/** Adds a mail to the outbox; pass the transaction that records what the mail is about. Returns its Message-ID. */
export async function queueMail(db: Db, mail: QueuedMail, ctx: { baseUrl: string; now: Date }): Promise<string> {
  const at = ctx.now.toISOString();
  const messageId = createMessageId(ctx.baseUrl);
  await db
    .insertInto('mail_outbox')
    .values({
      kind: mail.kind, recipient: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null,
      headers: mail.headers ? JSON.stringify(mail.headers) : null, message_id: messageId, state: 'pending',
      next_attempt_at: at, expires_at: mail.expiresAt?.toISOString() ?? null, created_at: at, updated_at: at,
    })
    .execute();
  return messageId;
}

export interface MailSendOptions {
  log: Logger;
  now?: () => Date;
  /** Messages in flight at once. */
  concurrency?: number;
  /** Attempts before a transiently failing mail is given up as `failed`. */
  maxAttempts?: number;
  /** First retry delay; each further attempt waits 4× longer (with jitter), capped at an hour. */
  retryBaseMs?: number;
  /** How long a claim is valid before another sender takes the row over. */
  leaseMs?: number;
  signal?: AbortSignal;
}

export interface MailSendSummary {
  sent: number;
  retried: number;
  bounced: number;
  failed: number;
  expired: number;
  /** Rows taken back from senders that died. */
  recovered: number;
  /** When the earliest mail still pending is due, if any. */
  nextAttemptAt: string | undefined;
}


/** The columns a send reads. */
type Row = Pick<Selectable<MailOutboxTable>, 'id' | 'recipient' | 'subject' | 'text' | 'html' | 'headers' | 'message_id' | 'attempts' | 'kind'>;

/** Sends every due mail of the outbox once (failures are rescheduled, not waited for). */
export async function sendQueuedMail(db: Db, mailer: Mailer, opts: MailSendOptions): Promise<MailSendSummary> {
  const now = opts.now ?? (() => new Date());
  const concurrency = opts.concurrency ?? 4;
  const leaseMs = opts.leaseMs ?? 2 * 60_000;
  const s: MailSendSummary = { sent: 0, retried: 0, bounced: 0, failed: 0, expired: 0, recovered: 0, nextAttemptAt: undefined };
  const run = startClaimRun();
  try {
    s.recovered = await recoverAbandonedMail(db, now());
    if (s.recovered > 0) opts.log.warn('mail_outbox_recovered', { rows: s.recovered });
    const expired = await db.updateTable('mail_outbox').set({ state: 'expired', updated_at: now().toISOString() }).where('state', '=', 'pending').where('expires_at', '<', now().toISOString()).executeTakeFirst();
    s.expired = Number(expired.numUpdatedRows);
    for (let batch = 1; !opts.signal?.aborted; batch++) {
      const claim = run.claim(batch);
      const rows = await claimMail(db, claim, concurrency * 4, now(), leaseMs);
      if (rows.length === 0) break;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
          while (next < rows.length) await sendRow(db, mailer, rows[next++]!, claim, s, { ...opts, now, leaseMs });
        }),
      );
    }
    const due = await db.selectFrom('mail_outbox').select((eb) => eb.fn.min('next_attempt_at').as('due')).where('state', '=', 'pending').executeTakeFirst();
    s.nextAttemptAt = (due?.due as string | null | undefined) ?? undefined;
    return s;
  } finally {
    run.end();
  }
}

async function claimMail(db: Db, claim: string, n: number, now: Date, leaseMs: number): Promise<Row[]> {
  const at = now.toISOString();
  await claimDueRows(db, 'mail_outbox', { claim, n, at, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() });
  return db
    .selectFrom('mail_outbox')
    .select(['id', 'recipient', 'subject', 'text', 'html', 'headers', 'message_id', 'attempts', 'kind'])
    .where('claimed_by', '=', claim)
    .where('state', '=', 'claimed')
    .orderBy('id')
    .execute();
}

type RowOptions = MailSendOptions & { now: () => Date; leaseMs: number };

async function sendRow(db: Db, mailer: Mailer, row: Row, claim: string, s: MailSendSummary, opts: RowOptions): Promise<void> {
  const at = opts.now().toISOString();
  const lease = new Date(opts.now().getTime() + opts.leaseMs).toISOString();
  const started = await sql`update mail_outbox set state = 'sending', attempts = ${row.attempts + 1}, lease_until = ${lease}, updated_at = ${at}
    where id = ${row.id} and claimed_by = ${claim} and state = 'claimed'`.execute(db);
  if (Number(started.numAffectedRows) !== 1) return; // taken over meanwhile; its new owner sends it
  try {
    const headers = row.headers ? (JSON.parse(row.headers) as Record<string, string>) : undefined;
    await mailer.send({ to: row.recipient, subject: row.subject, text: row.text, html: row.html ?? undefined, headers, messageId: row.message_id });
  } catch (err) {
    await recordFailure(db, row, claim, err, s, opts);
    return;
  }
  const done = opts.now().toISOString();
  await sql`update mail_outbox set state = 'sent', sent_at = ${done}, claimed_by = null, lease_until = null, last_error = null, updated_at = ${done}
    where id = ${row.id} and claimed_by = ${claim}`.execute(db);
  s.sent++;
}

async function recordFailure(db: Db, row: Row, claim: string, err: unknown, s: MailSendSummary, opts: RowOptions): Promise<void> {
  const now = opts.now();
  const at = now.toISOString();
  const attempts = row.attempts + 1;
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
  const mine = db.updateTable('mail_outbox').where('id', '=', row.id).where('claimed_by', '=', claim);
  const release = { claimed_by: null, lease_until: null, last_error: message, updated_at: at };
  if (err instanceof MailError && err.permanent) {
    await mine.set({ ...release, state: 'bounced' }).execute();
    s.bounced++;
    opts.log.warn('mail_bounced', { outbox_id: row.id, kind: row.kind, error: message });
  } else if (attempts >= (opts.maxAttempts ?? 12)) {
    await mine.set({ ...release, state: 'failed' }).execute();
    s.failed++;
    opts.log.error('mail_failed', { outbox_id: row.id, kind: row.kind, attempts, error: message });
  } else {
    const delay = Math.min((opts.retryBaseMs ?? 5000) * 4 ** (attempts - 1), 3600_000) * (0.8 + Math.random() * 0.4);
    await mine.set({ ...release, state: 'pending', next_attempt_at: new Date(now.getTime() + delay).toISOString() }).execute();
    s.retried++;
    opts.log.info('mail_retry_scheduled', { outbox_id: row.id, kind: row.kind, attempts, delay_ms: Math.round(delay), error: message });
  }
}

/** Puts rows of dead senders (lease over, or a process of this host that no longer exists) back to pending. */
async function recoverAbandonedMail(db: Db, now: Date): Promise<number> {
  const at = now.toISOString();
  const rows = await db.selectFrom('mail_outbox').select(['id', 'state', 'claimed_by', 'lease_until']).where('state', 'in', ['claimed', 'sending']).execute();
  let recovered = 0;
  for (const r of rows) {
    if (!(r.lease_until === null || r.lease_until < at || claimOwnerIsDead(r.claimed_by))) continue;
    const res = await db
      .updateTable('mail_outbox')
      .set({ state: 'pending', claimed_by: null, lease_until: null, next_attempt_at: at, updated_at: at })
      .where('id', '=', r.id)
      .where('state', '=', r.state)
      .where('claimed_by', r.claimed_by === null ? 'is' : '=', r.claimed_by)
      .executeTakeFirst();
    recovered += Number(res.numUpdatedRows);
  }
  return recovered;
}


/**
 * Makes every pending mail due now. A process calls it when it starts: whatever went wrong before
 * (SMTP down, a crash) may be over, so waiting mail is tried at once rather than after its backoff.
 */
export async function retryPendingMailNow(db: Db, now: Date): Promise<number> {
  const at = now.toISOString();
  const res = await db.updateTable('mail_outbox').set({ next_attempt_at: at, updated_at: at }).where('state', '=', 'pending').where('next_attempt_at', '>', at).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Drops the records of mail that left (or never will) once they are older than `keepMs`. */
export async function pruneMailOutbox(db: Db, now: Date, keepMs = 7 * 86_400_000): Promise<number> {
  const res = await db
    .deleteFrom('mail_outbox')
    .where('state', 'in', ['sent', 'bounced', 'failed', 'expired'])
    .where('updated_at', '<', new Date(now.getTime() - keepMs).toISOString())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

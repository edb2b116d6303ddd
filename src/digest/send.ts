// Sending what the outbox holds, exactly once per row as far as SMTP allows. Each row moves
//   pending → claimed → sending → sent | bounced (5xx) | failed (retries exhausted) | pending again (4xx, network)
// Claims carry an owner and a lease. A row left `claimed` by a dead run was never handed to SMTP and is
// simply sent again. A row left `sending` was handed to SMTP but its answer was not recorded: it is
// sent again with the same Message-ID (flagged `ambiguous`) — see README, "Delivery guarantee".
// Run by `paperboy digest send` and the digest-send job; safe to run from several processes at once
// (the claims and the recovery of abandoned rows are in claims.ts).
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { claimBatch, nextRetryAt, recoverAbandoned, type ClaimedRow } from './claims.ts';
import { startClaimRun } from '../store/claim-rows.ts';
import type { Logger } from '../log.ts';
import { MailError, type Mailer } from '../mail/index.ts';
import { describeTopics, type Topics } from './preferences.ts';
import { personalizeDigest } from './render.ts';
import { composeDigestMessage, prepareDigestMime, type PreparedDigest } from './mime.ts';
import { manageUrl, unsubscribeHeaders, unsubscribeUrl } from './links.ts';

export interface SendOptions {
  secret: string;
  baseUrl: string;
  mailFrom: string;
  log: Logger;
  /** Messages in flight at once (match the SMTP pool size). */
  concurrency?: number;
  now?: () => Date;
  /** How long a claim is valid; another run takes a row over after that. */
  leaseMs?: number;
  /** Attempts before a transiently failing row is given up as `failed`. */
  maxAttempts?: number;
  /** First retry delay; each further attempt waits 4× longer (with jitter), capped at an hour. */
  retryBaseMs?: number;
  /** Retries due within this long are waited for in this run; later ones are left for the next run. */
  waitForRetriesMs?: number;
  /** Consecutive hard bounces that suspend a subscription. */
  hardBounceLimit?: number;
  signal?: AbortSignal;
  onProgress?: (s: SendSummary) => void;
}

export interface SendSummary {
  sent: number;
  /** Transient failures put back for a later attempt. */
  retried: number;
  bounced: number;
  failed: number;
  cancelled: number;
  suspended: number;
  /** Rows taken back from runs that died (claimed or mid-send). */
  recovered: number;
  /** Of those, rows that had been handed to SMTP: resent with their original Message-ID. */
  ambiguous: number;
  /** Rows still pending when the run ended (retries scheduled later). */
  waiting: number;
}

interface Content {
  subject: string;
  html: string;
  text: string;
  /** The same body, MIME-encoded once for every subscriber who gets it. */
  mime: PreparedDigest;
}

/** One sending run: its settings, its tally, and the bodies it has loaded. */
interface Run {
  db: Db;
  mailer: Mailer;
  opts: SendOptions;
  now: () => Date;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  bounceLimit: number;
  summary: SendSummary;
  contentOf: (contentId: number) => Promise<Content>;
}

type Claimed = { row: ClaimedRow; claim: string };

export async function sendPendingDigests(db: Db, mailer: Mailer, opts: SendOptions): Promise<SendSummary> {
  const now = opts.now ?? (() => new Date());
  const concurrency = opts.concurrency ?? 5;
  const s: SendSummary = { sent: 0, retried: 0, bounced: 0, failed: 0, cancelled: 0, suspended: 0, recovered: 0, ambiguous: 0, waiting: 0 };
  const run: Run = {
    db, mailer, opts, now, summary: s, contentOf: contentCache(db),
    leaseMs: opts.leaseMs ?? 10 * 60_000, maxAttempts: opts.maxAttempts ?? 6, retryBaseMs: opts.retryBaseMs ?? 2000, bounceLimit: opts.hardBounceLimit ?? 2,
  };
  const claims = startClaimRun();
  try {
    const rec = await recoverAbandoned(db, now());
    s.recovered = rec.recovered;
    s.ambiguous = rec.ambiguous;
    if (rec.recovered > 0) opts.log.warn('digest_outbox_recovered', { rows: rec.recovered, ambiguous: rec.ambiguous });
    const feed = claimFeed(run, claims.claim, concurrency);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let item = await feed.next(); item; item = await feed.next()) {
          feed.inFlight++;
          try {
            await sendClaimed(run, item);
          } finally {
            feed.inFlight--;
          }
        }
      }),
    );
    const waiting = await db.selectFrom('digest_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').executeTakeFirstOrThrow();
    s.waiting = Number(waiting.n);
    return s;
  } finally {
    claims.end();
  }
}

/**
 * Claimed rows for the run's senders, one at a time: a batch is claimed when the last one is used up;
 * retries due within `waitForRetriesMs` are waited for; the feed ends when nothing more is due.
 */
function claimFeed(run: Run, nameClaim: (batch: number) => string, concurrency: number): { next(): Promise<Claimed | undefined>; inFlight: number } {
  const { db, now, opts } = run;
  const waitMs = opts.waitForRetriesMs ?? 60_000;
  const queue: Claimed[] = [];
  let batchNo = 0;
  let exhausted = false;
  let refilling: Promise<void> | undefined;
  const refill = async () => {
    const claim = nameClaim(++batchNo);
    const rows = await claimBatch(db, claim, concurrency * 4, now(), run.leaseMs);
    if (rows.length > 0) {
      for (const row of rows) queue.push({ row, claim });
      return;
    }
    const due = await nextRetryAt(db);
    const wait = due === undefined ? Infinity : Date.parse(due) - now().getTime();
    // A row still in flight may yet be put back for a quick retry: look again shortly.
    if (wait > waitMs && feed.inFlight === 0) exhausted = true;
    else if (wait > waitMs) await sleep(20, opts.signal);
    else await sleep(Math.max(wait, 10), opts.signal);
  };
  const feed = {
    inFlight: 0,
    async next(): Promise<Claimed | undefined> {
      for (;;) {
        const item = queue.shift();
        if (item) return item;
        if (exhausted || opts.signal?.aborted) return undefined;
        refilling ??= refill().finally(() => (refilling = undefined));
        await refilling;
      }
    },
  };
  return feed;
}

/** Digest bodies by id, loaded once and kept for the last 200 used. */
function contentCache(db: Db): (contentId: number) => Promise<Content> {
  const contents = new Map<number, Content>();
  return async (id) => {
    let c = contents.get(id);
    if (!c) {
      const row = await db.selectFrom('digest_content').select(['subject', 'html', 'text']).where('id', '=', id).executeTakeFirstOrThrow();
      c = { ...row, mime: prepareDigestMime(row) };
      if (contents.size >= 200) contents.delete(contents.keys().next().value!);
      contents.set(id, c);
    }
    return c;
  };
}

/** Sends one claimed row: cancelled for an inactive subscription, else sending → sent, or the failure recorded. */
async function sendClaimed(run: Run, { row, claim }: Claimed): Promise<void> {
  const { db, mailer, opts, now, summary: s } = run;
  const at = now().toISOString();
  if (row.status !== 'active') {
    await db.updateTable('digest_outbox').set({ state: 'cancelled', claimed_by: null, lease_until: null, updated_at: at }).where('id', '=', row.id).where('claimed_by', '=', claim).execute();
    s.cancelled++;
    return;
  }
  // The two writes every message makes are plain SQL: the query builder costs more than the write itself here.
  const lease = new Date(now().getTime() + run.leaseMs).toISOString();
  const started = await sql`update digest_outbox set state = 'sending', attempts = ${row.attempts + 1}, lease_until = ${lease}, updated_at = ${at}
    where id = ${row.id} and claimed_by = ${claim} and state = 'claimed'`.execute(db);
  if (Number(started.numAffectedRows) !== 1) return; // the claim was taken over; its new owner sends it
  try {
    const content = await run.contentOf(row.content_id);
    const sub = { id: row.subscription_id, email: row.email };
    const topics = JSON.parse(row.topics) as Topics;
    const who = {
      email: row.email,
      manageUrl: manageUrl(opts.baseUrl, opts.secret, sub),
      unsubscribeUrl: unsubscribeUrl(opts.baseUrl, opts.secret, sub),
      reason: `the ${row.frequency} paperboy digest (${describeTopics(topics)}${row.min_upvotes > 0 ? `, at least ${row.min_upvotes} upvotes` : ''})`,
    };
    const headers = unsubscribeHeaders(opts.baseUrl, opts.secret, opts.mailFrom, sub);
    if (mailer.sendRaw) {
      const raw = composeDigestMessage(content.mime, who, { from: opts.mailFrom, messageId: row.message_id, date: now(), headers });
      await mailer.sendRaw(row.email, raw, row.message_id);
    } else {
      const body = personalizeDigest(content, who);
      await mailer.send({ to: row.email, subject: content.subject, text: body.text, html: body.html, messageId: row.message_id, headers });
    }
  } catch (err) {
    await recordFailure(db, row, claim, err, { now: now(), maxAttempts: run.maxAttempts, retryBaseMs: run.retryBaseMs, bounceLimit: run.bounceLimit, summary: s, log: opts.log });
    return;
  }
  const done = now().toISOString();
  await sql`update digest_outbox set state = 'sent', sent_at = ${done}, claimed_by = null, lease_until = null, last_error = null, updated_at = ${done}
    where id = ${row.id} and claimed_by = ${claim}`.execute(db);
  if (row.hard_bounces > 0) await db.updateTable('subscription').set({ hard_bounces: 0 }).where('id', '=', row.subscription_id).execute();
  s.sent++;
  opts.onProgress?.(s);
}

interface FailureContext {
  now: Date;
  maxAttempts: number;
  retryBaseMs: number;
  bounceLimit: number;
  summary: SendSummary;
  log: Logger;
}

async function recordFailure(db: Db, row: ClaimedRow, claim: string, err: unknown, c: FailureContext): Promise<void> {
  const at = c.now.toISOString();
  const attempts = row.attempts + 1;
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
  const permanent = err instanceof MailError && err.permanent;
  const mine = (q: any) => q.where('id', '=', row.id).where('claimed_by', '=', claim);
  if (permanent) {
    await db.transaction().execute(async (tx) => {
      await mine(tx.updateTable('digest_outbox').set({ state: 'bounced', last_error: message, claimed_by: null, lease_until: null, updated_at: at })).execute();
      await tx.updateTable('subscription').set((eb) => ({ hard_bounces: eb('hard_bounces', '+', 1), updated_at: at })).where('id', '=', row.subscription_id).execute();
      const suspended = await tx
        .updateTable('subscription')
        .set({ status: 'suspended', updated_at: at })
        .where('id', '=', row.subscription_id)
        .where('status', '=', 'active')
        .where('hard_bounces', '>=', c.bounceLimit)
        .executeTakeFirst();
      if (Number(suspended.numUpdatedRows) > 0) {
        c.summary.suspended++;
        await tx.updateTable('digest_outbox').set({ state: 'cancelled', updated_at: at }).where('subscription_id', '=', row.subscription_id).where('state', '=', 'pending').execute();
      }
    });
    c.summary.bounced++;
    c.log.warn('digest_bounced', { outbox_id: row.id, subscription_id: row.subscription_id, error: message });
    return;
  }
  if (attempts >= c.maxAttempts) {
    await mine(db.updateTable('digest_outbox').set({ state: 'failed', last_error: message, claimed_by: null, lease_until: null, updated_at: at })).execute();
    c.summary.failed++;
    c.log.error('digest_failed', { outbox_id: row.id, subscription_id: row.subscription_id, attempts, error: message });
    return;
  }
  const delay = Math.min(c.retryBaseMs * 4 ** (attempts - 1), 3600_000) * (0.8 + Math.random() * 0.4);
  await mine(db.updateTable('digest_outbox').set({ state: 'pending', next_attempt_at: new Date(c.now.getTime() + delay).toISOString(), last_error: message, claimed_by: null, lease_until: null, updated_at: at })).execute();
  c.summary.retried++;
  c.log.info('digest_retry_scheduled', { outbox_id: row.id, attempts, delay_ms: Math.round(delay), error: message });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

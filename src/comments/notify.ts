// Reply notifications: people in a thread, and verified authors of the paper, who turned reply mail
// on get one mail listing what is new in the thread, at most one per thread per hour. Each mail is
// written to the durable mail outbox in the transaction that moves the reader's cursor, so a crash
// neither loses nor repeats one. Run as the `reply-notify` job: after a reply is posted, on a sweep,
// and again when a batch held back by the hour falls due; a request that adds a reply also queues its
// thread's mail at once (the job's sweep catches anything that request did not finish).
import type { Db } from '../store/db.ts';
import { queueMail } from '../mail/index.ts';
import { claimedAuthorIds, replyUnsubscribeUrl } from '../people/index.ts';
import { renderReplyMail } from './notify-mail.ts';

export const REPLY_NOTIFY_JOB = 'reply-notify';
export const REPLY_SWEEP_CRON = '*/10 * * * *';
/** At most one mail per reader and thread within this long. */
export const REPLY_BATCH_MS = 3600_000;
/** Replies older than this are never mailed about (a reader who turns mail on is not sent the past). */
const LOOKBACK_MS = 3 * 86_400_000;

export interface NotifySummary {
  threads: number;
  queued: number;
  /** Mails held back by the one-an-hour rule; nextDueAt says when the first can go. */
  deferred: number;
  nextDueAt: string | undefined;
}

interface Row {
  id: number;
  paper_id: number;
  parent_id: number | null;
  user_id: number;
  body: string;
  created_at: string;
  display_name: string | null;
}

/** Writes due reply mails into the outbox; idempotent, and safe with several runs at once. */
export interface NotifyOptions {
  baseUrl: string;
  /** Signs the one-click unsubscribe links. */
  secret: string;
  now: Date;
  /** Only these threads (a request that just added a reply); default every thread with recent comments. */
  threadIds?: number[];
}

export async function queueReplyNotices(db: Db, opts: NotifyOptions): Promise<NotifySummary> {
  const now = opts.now;
  const since = new Date(now.getTime() - LOOKBACK_MS).toISOString();
  const summary: NotifySummary = { threads: 0, queued: 0, deferred: 0, nextDueAt: undefined };
  const recent = opts.threadIds ? [] : await visible(db).select(['c.id', 'c.parent_id']).where('c.created_at', '>=', since).execute();
  const threadIds = opts.threadIds ?? [...new Set(recent.map((r) => r.parent_id ?? r.id))];
  for (const threadId of threadIds) {
    const rows = (await visible(db)
      .innerJoin('user_account as u', 'u.id', 'c.user_id')
      .select(['c.id', 'c.paper_id', 'c.parent_id', 'c.user_id', 'c.body', 'c.created_at', 'u.display_name'])
      .where((eb) => eb.or([eb('c.id', '=', threadId), eb('c.parent_id', '=', threadId)]))
      .orderBy('c.id')
      .execute()) as Row[];
    const root = rows.find((r) => r.id === threadId);
    if (!root) continue; // a deleted or hidden thread start: its replies are not announced
    summary.threads++;
    const authors = new Set(await claimedAuthorIds(db, root.paper_id));
    const participants = new Set(rows.map((r) => r.user_id));
    const readers = await wantingReplyMail(db, [...new Set([...participants, ...authors])]);
    for (const reader of readers) {
      const firstOwn = rows.find((r) => r.user_id === reader.id)?.id;
      const news = rows.filter((r) => r.user_id !== reader.id && r.created_at >= since && ((firstOwn !== undefined && r.id > firstOwn && r.parent_id !== null) || authors.has(reader.id)));
      const outcome = await queueOne(db, reader, root, news, opts);
      if (outcome === 'queued') summary.queued++;
      else if (outcome !== 'nothing') {
        summary.deferred++;
        if (!summary.nextDueAt || outcome < summary.nextDueAt) summary.nextDueAt = outcome;
      }
    }
  }
  return summary;
}

function visible(db: Db) {
  return db.selectFrom('comment as c').where('c.held', '=', 0).where('c.hidden_at', 'is', null).where('c.deleted_at', 'is', null);
}

async function wantingReplyMail(db: Db, userIds: number[]): Promise<Array<{ id: number; email: string }>> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('user_profile as p')
    .innerJoin('user_account as u', 'u.id', 'p.user_id')
    .select(['p.user_id', 'u.email'])
    .where('p.user_id', 'in', userIds)
    .where('p.notify_replies', '=', 1)
    .where('u.suspended_at', 'is', null)
    .execute();
  return rows.map((r) => ({ id: r.user_id, email: r.email }));
}

/** 'queued', 'nothing' new, or the time the hour since the last mail ends. */
async function queueOne(db: Db, reader: { id: number; email: string }, root: Row, news: Row[], opts: NotifyOptions): Promise<'queued' | 'nothing' | string> {
  const cursor = await db.selectFrom('reply_notice').selectAll().where('user_id', '=', reader.id).where('thread_id', '=', root.id).executeTakeFirst();
  const fresh = news.filter((r) => r.id > (cursor?.notified_through ?? 0));
  if (fresh.length === 0) return 'nothing';
  const at = opts.now.toISOString();
  const openAfter = new Date(opts.now.getTime() - REPLY_BATCH_MS).toISOString();
  if (cursor?.last_sent_at && cursor.last_sent_at > openAfter) return new Date(Date.parse(cursor.last_sent_at) + REPLY_BATCH_MS).toISOString();
  const paper = await db.selectFrom('paper').select(['arxiv_id', 'title']).where('id', '=', root.paper_id).executeTakeFirstOrThrow();
  const through = fresh[fresh.length - 1]!.id;
  const unsubscribeUrl = replyUnsubscribeUrl(opts.baseUrl, opts.secret, reader);
  const mail = renderReplyMail({
    baseUrl: opts.baseUrl, arxivId: paper.arxiv_id, title: paper.title, threadId: root.id, threadStart: root.body, email: reader.email, unsubscribeUrl,
    items: fresh.map((r) => ({ author: r.display_name ?? `reader ${r.user_id}`, body: r.body, createdAt: r.created_at, isReply: r.parent_id !== null })),
  });
  return db.transaction().execute(async (tx) => {
    // The cursor moves first, conditionally: of two runs at once, only one wins the right to mail.
    const won = cursor
      ? Number((await tx.updateTable('reply_notice').set({ notified_through: through, last_sent_at: at }).where('user_id', '=', reader.id).where('thread_id', '=', root.id)
        .where('notified_through', '=', cursor.notified_through).where((eb) => eb.or([eb('last_sent_at', 'is', null), eb('last_sent_at', '<=', openAfter)])).executeTakeFirst()).numUpdatedRows) === 1
      : Number((await tx.insertInto('reply_notice').values({ user_id: reader.id, thread_id: root.id, notified_through: through, last_sent_at: at }).onConflict((oc) => oc.doNothing()).executeTakeFirst()).numInsertedOrUpdatedRows ?? 0) === 1;
    if (!won) return 'nothing';
    const headers = { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
    await queueMail(tx, { kind: 'reply-notification', to: reader.email, subject: mail.subject, text: mail.text, html: mail.html, headers }, { baseUrl: opts.baseUrl, now: opts.now });
    return 'queued';
  });
}

/** Queues the reply mail of one comment's thread now (after a reply or an approval); returns how many mails. */
export async function queueThreadNotices(db: Db, commentId: number, opts: Omit<NotifyOptions, 'threadIds'>): Promise<number> {
  const c = await db.selectFrom('comment').select(['id', 'parent_id']).where('id', '=', commentId).executeTakeFirst();
  if (!c) return 0;
  return (await queueReplyNotices(db, { ...opts, threadIds: [c.parent_id ?? c.id] })).queued;
}

export interface ReplyJobDeps {
  db: Db;
  baseUrl: string;
  secret: string;
  now: () => Date;
  log: { info(event: string, fields?: Record<string, unknown>): void };
  /** Asks for the mail outbox's sender. */
  requestSend: () => Promise<void>;
  /** Asks for this job again once a held-back batch falls due. */
  requestLater: (at: Date) => Promise<void>;
}

/** The handler for `reply-notify`. */
export function replyNotifyJob(deps: ReplyJobDeps) {
  return async (): Promise<void> => {
    const started = Date.now();
    const s = await queueReplyNotices(deps.db, { baseUrl: deps.baseUrl, secret: deps.secret, now: deps.now() });
    if (s.queued > 0) await deps.requestSend();
    if (s.nextDueAt) await deps.requestLater(new Date(s.nextDueAt));
    if (s.queued + s.deferred > 0) deps.log.info('reply_notices_queued', { threads: s.threads, queued: s.queued, deferred: s.deferred, next_due_at: s.nextDueAt, duration_ms: Date.now() - started });
  };
}

// Rendering a period's digests into the outbox. Each (subscription, period) gets at most one outbox row
// (a unique key), written in the same transaction as its content, so a crash mid-render leaves whole
// pages or nothing and a re-run only fills the gaps. Run by `paperboy digest send` and the digest jobs.
import type { DigestPaper } from './rank.ts';
import { createHash, randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db, Tx } from '../store/db.ts';
import type { DigestContentTable } from '../store/schema.ts';
import type { Paper, Period } from '../papers/index.ts';
import { createDigestPicker, MAX_PAPERS } from './pick.ts';
import type { Frequency, Topics } from './preferences.ts';
import { rankPapersForDigest } from './rank.ts';
import { findTrends } from '../trends/index.ts';
import { renderDigestContent } from './render.ts';
import { mailDomain } from './links.ts';
import { forYouPapers, mergeForYou, type ForYouMode } from './for-you.ts';

/** States in which a digest counts as received (or about to be): its papers are not sent again. */
const RECEIVED_STATES = ['pending', 'claimed', 'sending', 'sent'] as const;

export interface RenderOptions {
  frequency: Frequency;
  period: Period;
  baseUrl: string;
  now: Date;
  /** Compute and count, write nothing. */
  dryRun?: boolean;
  pageSize?: number;
  onProgress?: (done: number) => void;
}

export interface RenderSummary {
  period: string;
  /** Papers announced in the period (after ranking, before topic filters). */
  candidates: number;
  /** Active subscribers of this frequency still without a digest for the period. */
  considered: number;
  /** Outbox rows written (or that would be, on a dry run). */
  rendered: number;
  /** Subscribers whose filters left nothing new: no mail. */
  empty: number;
  /** Distinct digest bodies rendered. */
  contents: number;
}

export async function renderDigests(db: Db, opts: RenderOptions): Promise<RenderSummary> {
  const { frequency, period, now } = opts;
  const at = now.toISOString();
  const summary: RenderSummary = { period: period.key, candidates: 0, considered: 0, rendered: 0, empty: 0, contents: 0 };
  const ranked = await rankPapersForDigest(db, period, now);
  summary.candidates = ranked.length;
  if (ranked.length === 0) return summary; // an empty period: nothing to send, nothing recorded
  if (!opts.dryRun) {
    await db.insertInto('digest_run').values({ frequency, period_key: period.key, started_at: at }).onConflict((oc) => oc.columns(['frequency', 'period_key']).doNothing()).execute();
  }
  const pick = createDigestPicker(ranked, MAX_PAPERS[frequency]);
  const rankedById = new Map(ranked.map((p) => [p.id, p]));
  const overlapping = await hasOverlappingContent(db, frequency, period);
  const paperIdsOf = new Map<number, number[]>();
  const contentIds = new Map<string, number>();
  const domain = mailDomain(opts.baseUrl);
  const pageSize = opts.pageSize ?? 1000;
  let lastId = 0;
  for (;;) {
    const subs = await db
      .selectFrom('subscription as s')
      .select(['s.id', 's.email', 's.topics', 's.min_upvotes', 's.for_you'])
      .where('s.status', '=', 'active')
      .where('s.frequency', '=', frequency)
      .where('s.id', '>', lastId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('digest_outbox as o').select('o.id').whereRef('o.subscription_id', '=', 's.id').where('o.period_key', '=', period.key))))
      .orderBy('s.id')
      .limit(pageSize)
      .execute();
    if (subs.length === 0) break;
    lastId = subs[subs.length - 1]!.id;
    summary.considered += subs.length;
    const received = overlapping ? await receivedPapers(db, subs.map((s) => s.id), frequency, period, paperIdsOf) : new Map<number, Set<number>>();

    const picks: Array<{ subscriptionId: number; papers: DigestPaper[] }> = [];
    for (const s of subs) {
      const mode = s.for_you as ForYouMode;
      const picked = mode === 'only' ? [] : pick({ topics: JSON.parse(s.topics) as Topics, minUpvotes: s.min_upvotes, received: received.get(s.id) ?? EMPTY });
      const personal = mode === 'off' ? [] : await forYouPapers(db, s.email, period, rankedById, received.get(s.id) ?? EMPTY, MAX_PAPERS[frequency]);
      const papers = mergeForYou(mode, personal, picked, MAX_PAPERS[frequency]);
      if (papers.length === 0) summary.empty++;
      else picks.push({ subscriptionId: s.id, papers });
    }
    if (opts.dryRun) {
      for (const p of picks) contentIds.set(contentKey(frequency, period, p.papers), 0);
      summary.rendered += picks.length;
    } else if (picks.length > 0) {
      const contents = await prepareContents(db, contentIds, picks, { frequency, period, baseUrl: opts.baseUrl, at });
      await db.transaction().execute(async (tx) => {
        const fresh = await storeContents(tx, contents.missing);
        const rows = picks.map((p, i) => {
          const key = contents.keys[i]!;
          return {
            subscription_id: p.subscriptionId, frequency, period_key: period.key, content_id: contents.known.get(key) ?? fresh.get(key)!,
            message_id: `${period.key}.${p.subscriptionId}.${randomBytes(6).toString('hex')}@${domain}`,
            state: 'pending', next_attempt_at: at, created_at: at, updated_at: at,
          };
        });
        for (let i = 0; i < rows.length; i += 500) {
          const res = await tx.insertInto('digest_outbox').values(rows.slice(i, i + 500)).onConflict((oc) => oc.columns(['subscription_id', 'period_key']).doNothing()).executeTakeFirst();
          summary.rendered += Number(res.numInsertedOrUpdatedRows ?? 0);
        }
        for (const [key, id] of fresh) contents.known.set(key, id);
      });
      // Only ids of committed bodies are remembered for later pages.
      for (const [key, id] of contents.known) rememberContent(contentIds, key, id);
    }
    opts.onProgress?.(summary.considered);
  }
  summary.contents = contentIds.size;
  if (!opts.dryRun) await db.updateTable('digest_run').set({ rendered_at: at }).where('frequency', '=', frequency).where('period_key', '=', period.key).execute();
  return summary;
}

const EMPTY: ReadonlySet<number> = new Set();

function contentKey(frequency: Frequency, period: Period, papers: readonly DigestPaper[]): string {
  return createHash('sha256').update(`${frequency}|${period.key}|${papers.map((p) => p.id).join(',')}`).digest('base64url');
}

type ContentRow = Insertable<DigestContentTable>;

/**
 * The body key of every pick, the ids of bodies already stored, and the rows of those still to
 * store. Reads and renders happen here, outside the page's transaction, so that transaction
 * opens with a write (on SQLite a read-then-write transaction can fail with "database is locked"
 * when another process writes at the same time).
 */
async function prepareContents(
  db: Db,
  cache: Map<string, number>,
  picks: ReadonlyArray<{ papers: DigestPaper[] }>,
  c: { frequency: Frequency; period: Period; baseUrl: string; at: string },
): Promise<{ keys: string[]; known: Map<string, number>; missing: ContentRow[] }> {
  const keys = picks.map((p) => contentKey(c.frequency, c.period, p.papers));
  const known = new Map<string, number>();
  const unknown = new Map<string, readonly DigestPaper[]>();
  keys.forEach((key, i) => {
    const id = cache.get(key);
    if (id !== undefined) known.set(key, id);
    else unknown.set(key, picks[i]!.papers);
  });
  const unknownKeys = [...unknown.keys()];
  // Rising topics are the instance's, the same in every body: found once, only when a body is rendered.
  const rising = unknown.size > 0 ? ((await findTrends(db))?.phrases.slice(0, 5).map((t) => t.topic) ?? []) : [];
  for (let i = 0; i < unknownKeys.length; i += 500) {
    const rows = await db.selectFrom('digest_content').select(['id', 'content_key']).where('content_key', 'in', unknownKeys.slice(i, i + 500)).execute();
    for (const r of rows) {
      known.set(r.content_key, r.id);
      unknown.delete(r.content_key);
    }
  }
  const missing = [...unknown].map(([key, papers]): ContentRow => {
    const content = renderDigestContent({ frequency: c.frequency, period: c.period, papers, baseUrl: c.baseUrl, rising });
    return {
      content_key: key, frequency: c.frequency, period_key: c.period.key, period_start: c.period.start, period_end: c.period.end,
      paper_ids: JSON.stringify(papers.map((p) => p.id)), subject: content.subject, html: content.html, text: content.text, created_at: c.at,
    };
  });
  return { keys, known, missing };
}

/**
 * Stores new bodies and returns their ids by key. Another run rendering the same period at the
 * same moment may store a body first (on PostgreSQL, the insert waits for that run's commit): the
 * conflict is skipped and its row used. Keys in sorted order, so two runs lock rows alike.
 */
async function storeContents(tx: Tx, rows: ContentRow[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (rows.length === 0) return out;
  const sorted = [...rows].sort((a, b) => (a.content_key < b.content_key ? -1 : a.content_key > b.content_key ? 1 : 0));
  for (let i = 0; i < sorted.length; i += 100) {
    await tx.insertInto('digest_content').values(sorted.slice(i, i + 100)).onConflict((oc) => oc.column('content_key').doNothing()).execute();
  }
  const keys = sorted.map((r) => r.content_key);
  for (let i = 0; i < keys.length; i += 500) {
    const found = await tx.selectFrom('digest_content').select(['id', 'content_key']).where('content_key', 'in', keys.slice(i, i + 500)).execute();
    for (const r of found) out.set(r.content_key, r.id);
  }
  return out;
}

function rememberContent(cache: Map<string, number>, key: string, id: number): void {
  if (cache.has(key)) return;
  if (cache.size >= 10_000) cache.delete(cache.keys().next().value!);
  cache.set(key, id);
}

/** Whether any body of another period overlaps this one's dates (a weekly digest after daily ones, a frequency change). */
async function hasOverlappingContent(db: Db, frequency: Frequency, period: Period): Promise<boolean> {
  const row = await overlapQuery(db.selectFrom('digest_content as c'), frequency, period).select('c.id').limit(1).executeTakeFirst();
  return row !== undefined;
}

function overlapQuery<Q extends { where: any }>(q: Q, frequency: Frequency, period: Period): Q {
  return (q as any)
    .where('c.period_end', '>=', period.start)
    .where('c.period_start', '<=', period.end)
    .where((eb: any) => eb.or([eb('c.period_key', '!=', period.key), eb('c.frequency', '!=', frequency)]));
}

/** Papers each subscriber already received (or is about to) in overlapping periods. */
async function receivedPapers(db: Db, subscriptionIds: number[], frequency: Frequency, period: Period, paperIdsOf: Map<number, number[]>): Promise<Map<number, Set<number>>> {
  const rows = await overlapQuery(db.selectFrom('digest_outbox as o').innerJoin('digest_content as c', 'c.id', 'o.content_id'), frequency, period)
    .select(['o.subscription_id', 'o.content_id', 'c.paper_ids'])
    .where('o.subscription_id', 'in', subscriptionIds)
    .where('o.state', 'in', [...RECEIVED_STATES])
    .execute();
  const out = new Map<number, Set<number>>();
  for (const r of rows) {
    let ids = paperIdsOf.get(r.content_id);
    if (!ids) {
      ids = JSON.parse(r.paper_ids) as number[];
      if (paperIdsOf.size < 10_000) paperIdsOf.set(r.content_id, ids);
    }
    const set = out.get(r.subscription_id) ?? new Set<number>();
    for (const id of ids) set.add(id);
    out.set(r.subscription_id, set);
  }
  return out;
}

// The harvest run: OAI-PMH ListRecords (metadataPrefix=arXiv) per set, following resumption tokens
// to the end, each page's papers and checkpoint written in one transaction. Run by `paperboy harvest`
// and by the `harvest` job (src/harvest/job.ts); at most one runs at a time across processes (a lease).
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { markWithdrawn, upsertPapers } from '../papers/index.ts';
import { keepKnownFacts } from './known-facts.ts';
import { ArxivUnavailableError, createArxivClient, type ArxivClient } from './arxiv-client.ts';
import { acquireLease, findLeaseHolder, LeaseLostError, newLeaseOwner, releaseLease, renewLease, type Lease } from './lease.ts';
import { OaiFormatError, parseOaiPage, type OaiPage } from './parse-oai.ts';
import {
  addToRun, advanceCheckpoint, beginList, findCheckpoint, finishRun, listCheckpoints, restartList, startRun,
  ZERO_COUNTS, type CheckpointRow, type HarvestRun, type RunCounts,
} from './runs.ts';

export const HARVEST_LEASE = 'harvest';

export interface HarvestOptions {
  /** YYYY-MM-DD; default: where the last harvest of the set got to, or 7 days ago. */
  from?: string;
  until?: string;
  /** OAI sets; default ARXIV_SETS. */
  sets?: string[];
  trigger: 'cli' | 'schedule';
  log: Logger;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | undefined) => void;
  now?: () => Date;
  leaseTtlMs?: number;
  /** The HTTP client; default one built from config (tests pass one with shorter back-off). */
  client?: ArxivClient;
}

export type HarvestOutcome =
  | { status: 'succeeded' | 'failed' | 'interrupted'; run: HarvestRun }
  | { status: 'busy'; holder: string | undefined };

/** Raised for answers a retry cannot fix (an OAI error other than noRecordsMatch, a non-OAI body). */
export class HarvestError extends Error {}

const DEFAULT_LOOKBACK_DAYS = 7;
const MAX_TOKEN_RESTARTS = 2;

export async function harvestArxiv(db: Db, config: Config, opts: HarvestOptions): Promise<HarvestOutcome> {
  const now = opts.now ?? (() => new Date());
  const ttl = opts.leaseTtlMs ?? 120_000;
  const lease = await acquireLease(db, HARVEST_LEASE, newLeaseOwner(), ttl, now());
  if (!lease) {
    const holder = await findLeaseHolder(db, HARVEST_LEASE);
    opts.log.info('harvest_skipped', { reason: 'another harvest is running', holder: holder?.owner, expires_at: holder?.expiresAt });
    return { status: 'busy', holder: holder?.owner };
  }
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const heartbeat = setInterval(() => {
    renewLease(db, lease, now()).catch((err: unknown) => stop.abort(err));
  }, Math.max(1000, ttl / 3));
  heartbeat.unref();
  const sets = opts.sets && opts.sets.length > 0 ? opts.sets : config.arxivSets;
  const started = Date.now();
  const runId = await startRun(db, { trigger: opts.trigger, sets, from: opts.from ?? null, until: opts.until ?? null }, now());
  const log = opts.log.child({ run_id: runId });
  log.info('harvest_started', { sets, from: opts.from, until: opts.until, trigger: opts.trigger });
  const client = opts.client ?? createArxivClient({ minIntervalMs: config.arxivMinIntervalMs, timeoutMs: config.arxivTimeoutMs, log });
  const ctx: ListContext = { db, config, client, lease, runId, log, signal, now, progress: { done: 0, total: undefined, onProgress: opts.onProgress } };
  try {
    for (const list of await planLists(db, sets, opts, now())) await harvestList(ctx, list);
    const run = await finishRun(db, runId, 'succeeded', null, now());
    log.info('harvest_finished', { ...countsOf(run), sets, duration_ms: Date.now() - started });
    return { status: 'succeeded', run };
  } catch (err) {
    const interrupted = signal.aborted && !(stop.signal.reason instanceof Error);
    const message = describeFailure(err);
    const run = await finishRun(db, runId, interrupted ? 'interrupted' : 'failed', message, now());
    log.error(interrupted ? 'harvest_interrupted' : 'harvest_failed', { ...countsOf(run), error: message, duration_ms: Date.now() - started });
    if (!(err instanceof ArxivUnavailableError || err instanceof HarvestError || err instanceof LeaseLostError || signal.aborted)) throw err;
    return { status: interrupted ? 'interrupted' : 'failed', run };
  } finally {
    clearInterval(heartbeat);
    await releaseLease(db, lease).catch(() => undefined);
  }
}

interface PlannedList {
  setSpec: string;
  /** Continue the list the checkpoint holds (after a crash) instead of starting one. */
  resume: boolean;
  from: string;
  until: string | null;
}

/** Unfinished lists first (whatever the arguments, so a crash leaves no gap), then the ones asked for. */
async function planLists(db: Db, sets: string[], opts: HarvestOptions, now: Date): Promise<PlannedList[]> {
  const checkpoints = await listCheckpoints(db);
  const plan: PlannedList[] = checkpoints
    .filter((c) => c.in_progress === 1 && c.list_from)
    .map((c) => ({ setSpec: c.set_spec, resume: true, from: c.list_from!, until: c.list_until }));
  for (const setSpec of sets) {
    const cp = checkpoints.find((c) => c.set_spec === setSpec);
    const from = opts.from ?? cp?.harvested_through ?? daysBefore(now, DEFAULT_LOOKBACK_DAYS);
    const until = opts.until ?? null;
    const resumed = plan.find((p) => p.setSpec === setSpec);
    // A resumed list already covers a run with no range of its own, or the same range.
    if (resumed && (opts.from === undefined || opts.from === resumed.from) && until === resumed.until) continue;
    plan.push({ setSpec, resume: false, from, until });
  }
  return plan;
}

interface ListContext {
  db: Db;
  config: Config;
  client: ArxivClient;
  lease: Lease;
  runId: number;
  log: Logger;
  signal: AbortSignal;
  now: () => Date;
  progress: { done: number; total: number | undefined; onProgress: HarvestOptions['onProgress'] };
}

async function harvestList(ctx: ListContext, list: PlannedList): Promise<void> {
  const { db, log } = ctx;
  if (!list.resume) await beginList(db, list.setSpec, list.from, list.until, ctx.now());
  let cp = (await findCheckpoint(db, list.setSpec))!;
  log.info('harvest_list', { set: list.setSpec, from: cp.list_from, until: cp.list_until, resumed: list.resume, resumption_token: cp.resumption_token, pages_done: cp.pages_done });
  let restarts = 0;
  for (;;) {
    const page = await fetchPage(ctx, cp);
    if (page.error?.code === 'badResumptionToken' && cp.resumption_token) {
      if (++restarts > MAX_TOKEN_RESTARTS) throw new HarvestError(`arXiv rejected the resumption token ${restarts} times for set ${list.setSpec}: ${page.error.message}`);
      log.warn('harvest_token_rejected', { set: list.setSpec, resumption_token: cp.resumption_token, message: page.error.message, restart_from: cp.list_from });
      await restartList(db, list.setSpec, ctx.now());
      cp = (await findCheckpoint(db, list.setSpec))!;
      continue;
    }
    if (page.error && page.error.code !== 'noRecordsMatch') {
      throw new HarvestError(`arXiv OAI-PMH answered ${page.error.code}: ${page.error.message}`);
    }
    // noRecordsMatch: nothing changed in the range; it ends the list like an empty last page.
    cp = await storePage(ctx, cp, page);
    if (cp.in_progress === 0) return;
  }
}

function listUrl(config: Config, cp: CheckpointRow): string {
  const url = new URL(config.arxivOaiUrl);
  url.searchParams.set('verb', 'ListRecords');
  if (cp.resumption_token) {
    // A resumptionToken is exclusive: no other argument may accompany it.
    url.searchParams.set('resumptionToken', cp.resumption_token);
  } else {
    url.searchParams.set('metadataPrefix', 'arXiv');
    url.searchParams.set('set', cp.set_spec);
    url.searchParams.set('from', cp.list_from!);
    if (cp.list_until) url.searchParams.set('until', cp.list_until);
  }
  return url.toString();
}

async function fetchPage(ctx: ListContext, cp: CheckpointRow): Promise<OaiPage> {
  let page: OaiPage | undefined;
  const check = (text: string) => {
    try {
      page = parseOaiPage(text);
      return undefined;
    } catch (err) {
      if (err instanceof OaiFormatError) return err.message;
      throw err;
    }
  };
  const res = await ctx.client.get(listUrl(ctx.config, cp), { signal: ctx.signal, check });
  // OAI-PMH errors normally come with 200, but some servers send them with a 4xx status.
  if (res.status >= 300 && (check(res.text) !== undefined || !page?.error)) {
    throw new HarvestError(`arXiv OAI-PMH answered HTTP ${res.status} to ${listUrl(ctx.config, cp)}; check ARXIV_OAI_URL and the --set/--from/--until values`);
  }
  return page!;
}

async function storePage(ctx: ListContext, cp: CheckpointRow, page: OaiPage): Promise<CheckpointRow> {
  const now = ctx.now();
  const papers = page.records.flatMap((r) => (r.kind === 'paper' ? [r.paper] : []));
  const deleted = page.records.flatMap((r) => (r.kind === 'deleted' ? [r.arxivId] : []));
  const malformed = page.records.flatMap((r) => (r.kind === 'malformed' ? [`${cp.set_spec} page ${cp.pages_done + 1}, line ${r.line}: ${r.reason}`] : []));
  const datestamps = page.records.flatMap((r) => (r.kind === 'malformed' ? [] : [r.datestamp])).sort();
  for (const problem of malformed) ctx.log.warn('harvest_record_skipped', { set: cp.set_spec, problem });
  const counts: RunCounts = { ...ZERO_COUNTS, pages: 1, fetched: page.records.length, skipped: malformed.length };
  const next = await ctx.db.transaction().execute(async (tx) => {
    await renewLease(tx, ctx.lease, now);
    const r = await upsertPapers(tx, await keepKnownFacts(tx, papers, { keepVersion: true }), now);
    counts.new = r.new;
    counts.updated = r.updated;
    counts.unchanged = r.unchanged;
    counts.withdrawn = await markWithdrawn(tx, deleted, now);
    await addToRun(tx, ctx.runId, counts, malformed);
    return advanceCheckpoint(tx, cp, { nextToken: page.resumptionToken, responseDate: page.responseDate, maxDatestamp: datestamps.at(-1) }, now);
  });
  ctx.log.debug('harvest_page', { set: cp.set_spec, page: next.pages_done, ...counts, cursor: page.cursor, complete_list_size: page.completeListSize });
  const p = ctx.progress;
  p.done = page.cursor !== undefined ? Math.max(p.done, page.cursor + page.records.length) : p.done + page.records.length;
  p.total = page.completeListSize ?? p.total;
  p.onProgress?.(p.done, p.total);
  return next;
}

function countsOf(run: HarvestRun): Record<string, number> {
  return { pages: run.pages, fetched: run.fetched, new: run.new, updated: run.updated, unchanged: run.unchanged, withdrawn: run.withdrawn, skipped: run.skipped };
}

function describeFailure(err: unknown): string {
  if (err instanceof Error && err.name === 'AbortError') return 'stopped before the end (the next run resumes it)';
  return err instanceof Error ? err.message : String(err);
}

function daysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

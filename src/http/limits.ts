// Rate limits counted in the store (so every process shares them): the one way a route refuses a
// client that goes too fast, with a 429, Retry-After and a message that says how long to wait.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addRateLimitHits, hitRateLimit, windowStartOf, type RateRule } from '../accounts/index.ts';
import { describeWait } from '../lib/words.ts';
import type { SearchRun } from '../search/index.ts';
import type { AppDeps } from './deps.ts';
import { HttpError } from './errors.ts';

const MINUTE = 60_000;

/** Counts one request against a rule for a key (an address, an account); a 429 once the rule is spent. */
export async function enforceLimit(deps: AppDeps, rule: RateRule, key: string, message: (wait: string) => string): Promise<void> {
  const outcome = await hitRateLimit(deps.db, deps.secret, rule, key, deps.now());
  if (!outcome.ok) {
    deps.log.warn('rate_limited', { rule: rule.name });
    throw new HttpError(429, 'rate_limited', message(describeWait(outcome.retryAfterSeconds)), { 'retry-after': String(outcome.retryAfterSeconds) });
  }
}

/**
 * How a route's searches run (the page, the API, the feed): on the search threads, charged to the
 * client's SEARCH_LIMIT_PER_MINUTE (per IP, shared by every process through the store) only when a
 * search actually runs, at most once per request. An answer from the result cache costs about what
 * a page does and is not counted, so a popular query can be served at page speed to anyone.
 */
export function searchRunFor(deps: AppDeps, req: FastifyRequest): SearchRun {
  let charged = false;
  const msg = (wait: string) => `That is a lot of searches in one minute. Please wait ${wait} and try again.`;
  const spent = spentOf(deps);
  const refuse = (wait: number) => {
    deps.log.warn('rate_limited', { rule: 'search-ip' });
    return new HttpError(429, 'rate_limited', msg(describeWait(wait)), { 'retry-after': String(wait) });
  };
  return {
    threads: deps.searchThreads,
    // A client this app saw go over its limit is refused before its search starts. Otherwise the
    // charge runs beside the search, so one search per window per process may run for a client
    // already over its limit (its answer refused, kept for others).
    admit: () => {
      const now = deps.now().getTime();
      const until = spent.get(req.ip) ?? 0;
      if (charged || until <= now) return;
      throw refuse(Math.ceil((until - now) / 1000));
    },
    charge: async () => {
      if (charged) return;
      charged = true;
      const now = deps.now().getTime();
      const { total, windowEnd } = await searchChargesOf(deps).charge(req.ip, now);
      if (total <= deps.config.searchLimitPerMinute) return;
      rememberSpent(spent, req.ip, windowEnd, now);
      throw refuse(Math.max(1, Math.ceil((windowEnd - now) / 1000)));
    },
  };
}

/** At most this long between a search and its count reaching the store. */
export const SEARCH_CHARGE_FLUSH_MS = 1000;
export const CHARGES_MAX = 10_000;

/**
 * Searches counted per client address in memory and added to the store's counters (rate_limit) in
 * one write at most once a second, not one write per search. On SQLite every write made the search
 * threads start their next statement with an empty page cache (a read transaction that finds the
 * WAL changed drops the connection's cached pages): a title-like search read 300 pages from the
 * file instead of 83 (strace, 350 searches of the known-item set), 0.2 ms more of its 2.5.
 * The flush answers each counter's total, other processes' hits included, so processes sharing a
 * store still share the limit, a second late; a client's count also goes out at once every quarter
 * of the limit, which bounds what it can run through several processes before they all know.
 */
export class SearchCharges {
  /** Per client and window: the store's total at the last write, hits being written now, hits not yet written. */
  private readonly counts = new Map<string, { ip: string; windowStart: number; known: number; writing: number; unflushed: number }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: AppDeps) {}

  private get rule(): RateRule {
    return { name: 'search-ip', limit: this.deps.config.searchLimitPerMinute, windowMs: MINUTE };
  }

  /** Counts one search; answers the client's searches in this window as far as this process knows. */
  async charge(ip: string, now: number): Promise<{ total: number; windowEnd: number }> {
    const rule = this.rule;
    const windowStart = windowStartOf(rule, now);
    const id = `${windowStart} ${ip}`;
    let count = this.counts.get(id);
    if (!count) this.counts.set(id, (count = { ip, windowStart, known: 0, writing: 0, unflushed: 0 }));
    count.unflushed++;
    if (this.closed || count.unflushed >= Math.max(1, Math.floor(rule.limit / 4)) || this.counts.size >= CHARGES_MAX) await this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), SEARCH_CHARGE_FLUSH_MS).unref();
    return { total: count.known + count.writing + count.unflushed, windowEnd: windowStart + rule.windowMs };
  }

  /** Writes what is counted and not yet stored; flushes run one after another. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write()).catch((err: unknown) => this.deps.log.error('search_charges_failed', { error: err }));
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rule = this.rule;
    const now = this.deps.now();
    const batch = [...this.counts.values()].filter((c) => c.unflushed > 0).map((c) => ({ count: c, hits: c.unflushed }));
    // Moved to `writing` while the write runs, so a search counted meanwhile still sees them.
    for (const b of batch) {
      b.count.unflushed -= b.hits;
      b.count.writing += b.hits;
    }
    try {
      const totals = await addRateLimitHits(this.deps.db, this.deps.secret, batch.map((b) => ({ rule, key: b.count.ip, windowStart: b.count.windowStart, hits: b.hits })), now);
      batch.forEach((b, i) => {
        b.count.known = totals[i]!;
        b.count.writing -= b.hits;
      });
    } catch (err) {
      // Counted again with the next flush: a busy store delays the count, it does not lose it.
      for (const b of batch) {
        b.count.writing -= b.hits;
        b.count.unflushed += b.hits;
      }
      this.deps.log.warn('search_charges_not_stored', { error: err });
      if (!this.closed) this.timer ??= setTimeout(() => void this.flush(), SEARCH_CHARGE_FLUSH_MS).unref();
      return;
    }
    for (const [id, c] of this.counts) if (c.unflushed === 0 && c.writing === 0 && c.windowStart + rule.windowMs <= now.getTime()) this.counts.delete(id);
    // More addresses in a minute than that (a flood from many): the oldest stored counts are
    // forgotten, each client then counted from its next search on until the next write tells the
    // store's total again, so memory stays bounded.
    for (const [id, c] of this.counts) {
      if (this.counts.size <= CHARGES_MAX) break;
      if (c.unflushed === 0 && c.writing === 0) this.counts.delete(id);
    }
  }

  /** Clients counted in memory now. */
  get size(): number {
    return this.counts.size;
  }
}

const chargesByApp = new WeakMap<AppDeps, SearchCharges>();

function searchChargesOf(deps: AppDeps): SearchCharges {
  let charges = chargesByApp.get(deps);
  if (!charges) chargesByApp.set(deps, (charges = new SearchCharges(deps)));
  return charges;
}

/** Stores the searches counted in memory when the app closes, so a restart does not forget them. */
export function registerSearchCharges(app: FastifyInstance, deps: AppDeps): void {
  app.addHook('onClose', async () => {
    await chargesByApp.get(deps)?.close();
  });
}

/**
 * Client addresses this app saw over their search limit, each until its window ends (at most a
 * minute), no more than SPENT_MAX of them.
 */
const spentByApp = new WeakMap<AppDeps, Map<string, number>>();
const SPENT_MAX = 10_000;

function spentOf(deps: AppDeps): Map<string, number> {
  let spent = spentByApp.get(deps);
  if (!spent) spentByApp.set(deps, (spent = new Map()));
  return spent;
}

function rememberSpent(spent: Map<string, number>, ip: string, until: number, now: number): void {
  if (spent.size >= SPENT_MAX) {
    for (const [key, at] of spent) if (at <= now) spent.delete(key);
    if (spent.size >= SPENT_MAX) spent.delete(spent.keys().next().value!);
  }
  spent.delete(ip);
  spent.set(ip, until);
}

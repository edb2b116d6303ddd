// Rate limits counted in the store (so every process shares them): the one way a route refuses a
// client that goes too fast, with a 429, Retry-After and a message that says how long to wait.
import type { FastifyRequest } from 'fastify';
import { hitRateLimit, type RateRule } from '../accounts/index.ts';
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
 * client's SEARCH_LIMIT_PER_MINUTE (per IP, in the store, so shared by every process) only when a
 * search actually runs, at most once per request. An answer from the result cache costs about what
 * a page does and is not counted, so a popular query can be served at page speed to anyone.
 */
export function searchRunFor(deps: AppDeps, req: FastifyRequest): SearchRun {
  let charged = false;
  const msg = (wait: string) => `That is a lot of searches in one minute. Please wait ${wait} and try again.`;
  const spent = spentOf(deps);
  return {
    threads: deps.searchThreads,
    // A client this app saw go over its limit is refused before its search starts. Otherwise the
    // charge runs beside the search, so one search per window per process may run for a client
    // already over its limit (its answer refused, kept for others).
    admit: () => {
      const now = deps.now().getTime();
      const until = spent.get(req.ip) ?? 0;
      if (charged || until <= now) return;
      const wait = Math.ceil((until - now) / 1000);
      deps.log.warn('rate_limited', { rule: 'search-ip' });
      throw new HttpError(429, 'rate_limited', msg(describeWait(wait)), { 'retry-after': String(wait) });
    },
    charge: async () => {
      if (charged) return;
      charged = true;
      const now = deps.now().getTime();
      try {
        await enforceLimit(deps, { name: 'search-ip', limit: deps.config.searchLimitPerMinute, windowMs: MINUTE }, req.ip, msg);
      } catch (err) {
        const retryAfter = err instanceof HttpError ? Number(err.headers['retry-after']) : NaN;
        if (Number.isFinite(retryAfter)) rememberSpent(spent, req.ip, now + retryAfter * 1000, now);
        throw err;
      }
    },
  };
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

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
  return {
    threads: deps.searchThreads,
    beforeSearch: async () => {
      if (charged) return;
      charged = true;
      const msg = (wait: string) => `That is a lot of searches in one minute. Please wait ${wait} and try again.`;
      await enforceLimit(deps, { name: 'search-ip', limit: deps.config.searchLimitPerMinute, windowMs: MINUTE }, req.ip, msg);
    },
  };
}

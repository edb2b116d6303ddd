// Rate limits counted in the store (so every process shares them): the one way a route refuses a
// client that goes too fast, with a 429, Retry-After and a message that says how long to wait.
import type { FastifyRequest } from 'fastify';
import { describeWait, hitRateLimit, type RateRule } from '../accounts/index.ts';
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

/** Searches (the page, the API, the feed): SEARCH_LIMIT_PER_MINUTE per IP, as each costs far more than a page. */
export async function limitSearches(deps: AppDeps, req: FastifyRequest): Promise<void> {
  const msg = (wait: string) => `That is a lot of searches in one minute. Please wait ${wait} and try again.`;
  await enforceLimit(deps, { name: 'search-ip', limit: deps.config.searchLimitPerMinute, windowMs: MINUTE }, req.ip, msg);
}

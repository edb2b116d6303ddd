// Fixed-window rate limits kept in the store, so every process of an instance shares the counts
// (@fastify/rate-limit keeps them in process memory, which a scaled-out PostgreSQL deployment would
// multiply by the number of processes; its only shared store is Redis, which paperboy does not use).
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../store/db.ts';

export interface RateRule {
  /** Short name, part of the bucket: signin-ip, signin-email, write-user, write-ip. */
  name: string;
  limit: number;
  windowMs: number;
}

export type RateOutcome = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

let hitsSincePrune = 0;

/**
 * Counts one hit against rule+key and says whether it is within the limit. One atomic upsert, so
 * parallel requests cannot all slip through. Keys are HMAC'd with the instance secret before storing.
 */
export async function hitRateLimit(db: Db, secret: string, rule: RateRule, key: string, now: Date): Promise<RateOutcome> {
  const start = windowStartOf(rule, now.getTime());
  const [hits] = await addRateLimitHits(db, secret, [{ rule, key, windowStart: start, hits: 1 }], now);
  if (hits! <= rule.limit) return { ok: true, remaining: rule.limit - hits! };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((start + rule.windowMs - now.getTime()) / 1000)) };
}

/** The start (ms since the epoch) of the fixed window of `rule` that holds `at`. */
export function windowStartOf(rule: RateRule, at: number): number {
  return Math.floor(at / rule.windowMs) * rule.windowMs;
}

/** Hits counted elsewhere first (in memory, see http/limits.ts), for one rule, key and window. */
export interface RateHits {
  rule: RateRule;
  key: string;
  windowStart: number;
  hits: number;
}

/**
 * Adds hits to their windows' counters, in one transaction (one write however many), and answers
 * each counter's total after it: every process's hits in that window.
 */
export async function addRateLimitHits(db: Db, secret: string, batch: RateHits[], now: Date): Promise<number[]> {
  if (batch.length === 0) return [];
  const add = (tx: Db | Tx, h: RateHits) =>
    tx.insertInto('rate_limit')
      .values({ bucket: bucketOf(secret, h.rule, h.key), window_start: new Date(h.windowStart).toISOString(), hits: h.hits })
      .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limit.hits + ${h.hits}` }))
      .returning('hits')
      .executeTakeFirstOrThrow();
  const rows = batch.length === 1 ? [await add(db, batch[0]!)] : await db.transaction().execute(async (tx) => {
    const out = [];
    for (const h of batch) out.push(await add(tx, h));
    return out;
  });
  hitsSincePrune += batch.length;
  if (hitsSincePrune >= 1000) {
    hitsSincePrune = 0;
    await pruneRateLimits(db, now);
  }
  return rows.map((r) => Number(r.hits));
}

/** The stored name of a rule's counter for a key: the key (an address, an email) HMAC'd with the instance secret. */
function bucketOf(secret: string, rule: RateRule, key: string): string {
  return `${rule.name}:${createHmac('sha256', secret).update(`${rule.name}:${key}`).digest('base64url').slice(0, 22)}`;
}

/** Drops counters of windows that ended more than a day ago. */
export async function pruneRateLimits(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('rate_limit').where('window_start', '<', new Date(now.getTime() - 2 * 86_400_000).toISOString()).execute();
}

// Fixed-window rate limits kept in the store, so every process of an instance shares the counts
// (@fastify/rate-limit keeps them in process memory, which a scaled-out PostgreSQL deployment would
// multiply by the number of processes; its only shared store is Redis, which paperboy does not use).
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

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
  const start = Math.floor(now.getTime() / rule.windowMs) * rule.windowMs;
  const bucket = `${rule.name}:${createHmac('sha256', secret).update(`${rule.name}:${key}`).digest('base64url').slice(0, 22)}`;
  const row = await db
    .insertInto('rate_limit')
    .values({ bucket, window_start: new Date(start).toISOString(), hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limit.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  if (++hitsSincePrune >= 1000) {
    hitsSincePrune = 0;
    await pruneRateLimits(db, now);
  }
  const hits = Number(row.hits);
  if (hits <= rule.limit) return { ok: true, remaining: rule.limit - hits };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((start + rule.windowMs - now.getTime()) / 1000)) };
}

/** Drops counters of windows that ended more than a day ago. */
export async function pruneRateLimits(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('rate_limit').where('window_start', '<', new Date(now.getTime() - 2 * 86_400_000).toISOString()).execute();
}

// Claiming due rows of an outbox-like table (state, next_attempt_at, claimed_by, lease_until,
// updated_at) for one sender, so that senders running at once each get rows of their own, and
// telling a claim whose run died from one still alive.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Db } from './db.ts';
import { lockRows } from './dialect.ts';

export type ClaimableTable = 'digest_outbox' | 'mail_outbox';

/**
 * Marks up to `n` due pending rows as claimed by `claim` until `leaseUntil`. The rows are picked once,
 * in a materialized CTE with FOR UPDATE SKIP LOCKED on PostgreSQL: written as `id IN (subquery)`,
 * PostgreSQL may run the LIMIT…SKIP LOCKED subquery again per outer row and claim far more than n
 * (one sender took 293 of 300 rows, leaving the other idle).
 */
export async function claimDueRows(db: Db, table: ClaimableTable, opts: { claim: string; n: number; at: string; leaseUntil: string }): Promise<void> {
  const k = db as unknown as Kysely<any>;
  await k
    .with((cte) => cte('due').materialized(), (qb) => lockRows(k, qb.selectFrom(table).select('id').where('state', '=', 'pending').where('next_attempt_at', '<=', opts.at).orderBy('id').limit(opts.n), { skipLocked: true }))
    .updateTable(table)
    .set({ state: 'claimed', claimed_by: opts.claim, lease_until: opts.leaseUntil, updated_at: opts.at })
    .where('id', 'in', k.selectFrom('due').select('due.id'))
    .where('state', '=', 'pending') // re-checked under the row lock on PostgreSQL, so two runs never share a row
    .execute();
}


const HOST = hostname();
/** Sending runs alive in this process, so a claim of this pid can be told alive or abandoned. */
const activeRuns = new Set<string>();

/**
 * A sending run of this process: `owner` (host/pid/run) prefixes its claims, `claim(n)` names its
 * n-th batch; `end()` when it stops, after which its leftover claims count as abandoned.
 */
export function startClaimRun(): { owner: string; claim(batch: number): string; end(): void } {
  const runId = randomBytes(4).toString('hex');
  const owner = `${HOST}/${process.pid}/${runId}`;
  activeRuns.add(runId);
  return { owner, claim: (batch) => `${owner}:${batch}`, end: () => activeRuns.delete(runId) };
}

/** Whether a claim's run is known dead: a run of this process that ended, or a process of this host that is gone. */
export function claimOwnerIsDead(claimedBy: string | null): boolean {
  const m = claimedBy ? /^(.*)\/(\d+)\/([0-9a-f]+):\d+$/.exec(claimedBy) : null;
  if (!m || m[1] !== HOST) return false; // another host: only its lease can tell
  const pid = Number(m[2]);
  if (pid === process.pid) return !activeRuns.has(m[3]!);
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

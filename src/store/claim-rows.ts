// Claiming due rows of an outbox-like table (state, next_attempt_at, claimed_by, lease_until,
// updated_at) for one sender, so that senders running at once each get rows of their own.
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

// The outbox claims digest sending runs on: a run claims a batch of due rows under a lease before
// sending them, and rows left behind by a run that died (expired lease, or a process of this host
// that no longer exists) go back to pending. Used by send.ts; safe with several processes at once.
import type { Db } from '../store/db.ts';
import { claimDueRows, claimOwnerIsDead } from '../store/claim-rows.ts';

export interface ClaimedRow {
  id: number;
  message_id: string;
  content_id: number;
  attempts: number;
  frequency: string;
  subscription_id: number;
  email: string;
  status: string;
  topics: string;
  min_upvotes: number;
  hard_bounces: number;
}


export async function claimBatch(db: Db, claim: string, n: number, now: Date, leaseMs: number): Promise<ClaimedRow[]> {
  const at = now.toISOString();
  await claimDueRows(db, 'digest_outbox', { claim, n, at, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() });
  return db
    .selectFrom('digest_outbox as o')
    .innerJoin('subscription as s', 's.id', 'o.subscription_id')
    .select(['o.id', 'o.message_id', 'o.content_id', 'o.attempts', 'o.frequency', 'o.subscription_id', 's.email', 's.status', 's.topics', 's.min_upvotes', 's.hard_bounces'])
    .where('o.claimed_by', '=', claim)
    .where('o.state', '=', 'claimed')
    .orderBy('o.id')
    .execute();
}

export async function nextRetryAt(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('digest_outbox').select((eb) => eb.fn.min('next_attempt_at').as('due')).where('state', '=', 'pending').executeTakeFirst();
  return (row?.due as string | null | undefined) ?? undefined;
}

/** Puts rows of dead runs (expired lease, or a process on this host that no longer exists) back to pending. */
export async function recoverAbandoned(db: Db, now: Date): Promise<{ recovered: number; ambiguous: number }> {
  const at = now.toISOString();
  const rows = await db.selectFrom('digest_outbox').select(['id', 'state', 'claimed_by', 'lease_until']).where('state', 'in', ['claimed', 'sending']).execute();
  let recovered = 0;
  let ambiguous = 0;
  for (const r of rows) {
    if (!(r.lease_until === null || r.lease_until < at || claimOwnerIsDead(r.claimed_by))) continue;
    const res = await db
      .updateTable('digest_outbox')
      .set({ state: 'pending', claimed_by: null, lease_until: null, next_attempt_at: at, updated_at: at, ...(r.state === 'sending' ? { ambiguous: 1 } : {}) })
      .where('id', '=', r.id)
      .where('state', '=', r.state)
      .where('claimed_by', r.claimed_by === null ? 'is' : '=', r.claimed_by)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      recovered++;
      if (r.state === 'sending') ambiguous++;
    }
  }
  return { recovered, ambiguous };
}


// A named lease in the store, so that two harvests never run at once, in one process or many, on
// SQLite or PostgreSQL. The holder renews it while working; it expires if the holder dies. A holder
// on this host whose process is gone (kill -9) is taken over at once instead of waiting for expiry.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '../store/db.ts';

export interface Lease {
  name: string;
  owner: string;
  ttlMs: number;
}

export interface LeaseHolder {
  owner: string;
  acquiredAt: string;
  expiresAt: string;
}

export class LeaseLostError extends Error {}

/** An owner id naming this host and process, so a dead holder can be recognised. */
export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Takes the lease when it is free, expired or held by a dead process on this host; undefined otherwise. */
export async function acquireLease(db: Db, name: string, owner: string, ttlMs: number, now = new Date()): Promise<Lease | undefined> {
  const stamp = now.toISOString();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  await db
    .insertInto('harvest_lease')
    .values({ name, owner, acquired_at: stamp, expires_at: expires })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ owner, acquired_at: stamp, expires_at: expires }).where('harvest_lease.expires_at', '<', stamp),
    )
    .execute();
  let holder = await findLeaseHolder(db, name);
  if (holder && holder.owner !== owner && holderIsDead(holder.owner)) {
    await db
      .updateTable('harvest_lease')
      .set({ owner, acquired_at: stamp, expires_at: expires })
      .where('name', '=', name)
      .where('owner', '=', holder.owner)
      .execute();
    holder = await findLeaseHolder(db, name);
  }
  return holder?.owner === owner ? { name, owner, ttlMs } : undefined;
}

/** Extends the lease; throws LeaseLostError when someone else holds it now. Use inside a write transaction to fence it. */
export async function renewLease(db: Db | Tx, lease: Lease, now = new Date()): Promise<void> {
  const res = await db
    .updateTable('harvest_lease')
    .set({ expires_at: new Date(now.getTime() + lease.ttlMs).toISOString() })
    .where('name', '=', lease.name)
    .where('owner', '=', lease.owner)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new LeaseLostError(`lost the "${lease.name}" lease to another process`);
}

export async function releaseLease(db: Db, lease: Lease): Promise<void> {
  await db.deleteFrom('harvest_lease').where('name', '=', lease.name).where('owner', '=', lease.owner).execute();
}

export async function findLeaseHolder(db: Db, name: string): Promise<LeaseHolder | undefined> {
  const row = await db.selectFrom('harvest_lease').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? { owner: row.owner, acquiredAt: row.acquired_at, expiresAt: row.expires_at } : undefined;
}

function holderIsDead(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

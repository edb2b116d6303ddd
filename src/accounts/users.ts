// Users: created on first sign-in, identified by lower-cased email; roles and suspension.
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../store/db.ts';
import type { UserAccountTable } from '../store/schema.ts';

export type Role = 'member' | 'curator' | 'admin';
export const ROLES: readonly Role[] = ['member', 'curator', 'admin'];

export interface User {
  id: number;
  email: string;
  displayName: string;
  /** True when the user chose a name; otherwise displayName is a generated "reader N". */
  hasDisplayName: boolean;
  role: Role;
  suspended: boolean;
  suspendedReason: string | null;
  createdAt: string;
}

export function userFromRow(row: Selectable<UserAccountTable>): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name ?? `reader ${row.id}`,
    hasDisplayName: row.display_name !== null,
    role: (ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : 'member',
    suspended: row.suspended_at !== null,
    suspendedReason: row.suspended_reason,
    createdAt: row.created_at,
  };
}

/** The one strict address check (lib/email.ts), where accounts are looked up. */
export { normalizeEmail } from '../lib/email.ts';

export function isCurator(user: Pick<User, 'role'> | undefined): boolean {
  return user?.role === 'curator' || user?.role === 'admin';
}

export async function findUserByEmail(db: Db | Tx, email: string): Promise<User | undefined> {
  const row = await db.selectFrom('user_account').selectAll().where('email', '=', email).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

export async function findUserById(db: Db | Tx, id: number): Promise<User | undefined> {
  const row = await db.selectFrom('user_account').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

/** The user with this email, created if new; safe under concurrent first sign-ins. */
export async function ensureUser(db: Db | Tx, email: string, now: Date): Promise<User> {
  await db
    .insertInto('user_account')
    .values({ email, created_at: now.toISOString(), role: 'member' })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  return (await findUserByEmail(db, email))!;
}

/** Trims and checks a display name; returns the problem as a sentence when it is unusable. */
export function checkDisplayName(raw: string): { ok: true; name: string } | { ok: false; message: string } {
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name.length === 0) return { ok: false, message: 'Display name cannot be empty.' };
  if ([...name].length > 40) return { ok: false, message: 'Display name must be at most 40 characters.' };
  // Control and bidi-override characters would let a name disguise itself in lists.
  if (/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(name)) return { ok: false, message: 'Display name contains characters that are not allowed.' };
  return { ok: true, name };
}

export async function setDisplayName(db: Db, userId: number, name: string): Promise<void> {
  await db.updateTable('user_account').set({ display_name: name }).where('id', '=', userId).execute();
}

export async function listStaff(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('user_account').selectAll().where('role', 'in', ['curator', 'admin']).orderBy('role').orderBy('email').execute();
  return rows.map(userFromRow);
}

/**
 * Suspends an account or lifts the suspension, inside the caller's transaction. Suspending ends every
 * session and revokes every API token with it, so no request of the account's is accepted once the
 * transaction commits; lifting it restores sign-in only (the old sessions and tokens stay gone).
 */
export async function setAccountSuspended(tx: Tx, userId: number, suspended: boolean, reason: string, now: Date): Promise<void> {
  await tx
    .updateTable('user_account')
    .set(suspended ? { suspended_at: now.toISOString(), suspended_reason: reason } : { suspended_at: null, suspended_reason: null })
    .where('id', '=', userId)
    .execute();
  if (!suspended) return;
  await tx.deleteFrom('user_session').where('user_id', '=', userId).execute();
  await tx.updateTable('api_token').set({ revoked_at: now.toISOString() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

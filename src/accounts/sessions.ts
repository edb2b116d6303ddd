// Sessions: the browser holds a random token in a cookie; the store holds its hash.
import type { Db } from '../store/db.ts';
import { hashToken, newToken } from './tokens.ts';
import { userFromRow, type User } from './users.ts';

const DAY = 86_400_000;
/** last_seen_at is refreshed at most this often, so reads do not turn into writes on every request. */
const TOUCH_EVERY_MS = 60 * 60_000;

export async function createSession(db: Db, userId: number, days: number, now: Date): Promise<string> {
  const token = newToken();
  const stamp = now.toISOString();
  await db
    .insertInto('user_session')
    .values({ token_hash: hashToken(token), user_id: userId, created_at: stamp, last_seen_at: stamp, expires_at: new Date(now.getTime() + days * DAY).toISOString() })
    .execute();
  return token;
}

/** The signed-in user for a cookie value, or undefined (unknown, expired, or suspended account). */
export async function findSessionUser(db: Db, token: string, now: Date): Promise<User | undefined> {
  const hash = hashToken(token);
  const row = await db
    .selectFrom('user_session')
    .innerJoin('user_account', 'user_account.id', 'user_session.user_id')
    .selectAll('user_account')
    .select(['user_session.last_seen_at as session_seen', 'user_session.expires_at as session_expires'])
    .where('user_session.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || row.session_expires <= now.toISOString() || row.suspended_at !== null) return undefined;
  if (now.getTime() - Date.parse(row.session_seen) > TOUCH_EVERY_MS) {
    await db
      .updateTable('user_session')
      .set({ last_seen_at: now.toISOString() })
      .where('token_hash', '=', hash)
      .execute();
  }
  return userFromRow(row);
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('user_session').where('token_hash', '=', hashToken(token)).execute();
}

/** Signs a user out on every device; returns how many sessions ended. */
export async function deleteUserSessions(db: Db, userId: number): Promise<number> {
  const res = await db.deleteFrom('user_session').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function countUserSessions(db: Db, userId: number, now: Date): Promise<number> {
  const row = await db
    .selectFrom('user_session')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Drops sessions past their expiry (the periodic prune job); their cookies no longer sign anyone in. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const res = await db.deleteFrom('user_session').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(res.numDeletedRows);
}

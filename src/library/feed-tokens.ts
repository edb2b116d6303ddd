// Private feed links ("for you" and each tag as Atom): an unguessable token in the URL. The token is
// HMAC(instance secret, user and nonce), so the account page can show the same link again, and only
// its SHA-256 is stored for lookups; revoking draws a new nonce, which kills every old link at once.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';

function tokenOf(secret: string, userId: number, nonce: string): string {
  return createHmac('sha256', secret).update(`feed:${userId}:${nonce}`).digest('base64url');
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The user's feed token, created on first use. */
export async function feedTokenFor(db: Db, secret: string, userId: number, now: Date): Promise<string> {
  const nonce = randomBytes(16).toString('base64url');
  await db
    .insertInto('feed_token')
    .values({ user_id: userId, nonce, token_hash: hashOf(tokenOf(secret, userId, nonce)), created_at: now.toISOString() })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  const row = await db.selectFrom('feed_token').select('nonce').where('user_id', '=', userId).executeTakeFirstOrThrow();
  return tokenOf(secret, userId, row.nonce);
}

/** Replaces the user's token: every link given out so far stops working. */
export async function revokeFeedToken(db: Db, userId: number): Promise<void> {
  // The next feedTokenFor draws a new nonce, so no old link matches again.
  await db.deleteFrom('feed_token').where('user_id', '=', userId).execute();
}

/** The user a feed token belongs to; undefined for unknown or revoked tokens. */
export async function findUserIdByFeedToken(db: Db, token: string): Promise<number | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const row = await db.selectFrom('feed_token').select('user_id').where('token_hash', '=', hashOf(token)).executeTakeFirst();
  return row?.user_id;
}

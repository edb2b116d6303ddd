// Magic-link sign-in: single-use tokens that expire after 15 minutes, stored only as hashes.
import type { Db } from '../store/db.ts';
import { hashToken, newToken } from './tokens.ts';
import { ensureUser, findUserByEmail, type User } from './users.ts';

export const LOGIN_TOKEN_TTL_MS = 15 * 60_000;

/** What to do after signing in: return to a page, and complete a vote clicked while signed out. */
export interface SignInIntent {
  next?: string;
  /** arXiv id of a paper to upvote. */
  vote?: string;
  /** arXiv id of a paper to save to the library. */
  save?: string;
}

/** Creates a token for an address (known or not: an unknown address gets an account on first use). */
export async function createLoginToken(db: Db, email: string, intent: SignInIntent, now: Date): Promise<string> {
  const token = newToken();
  await db
    .insertInto('login_token')
    .values({
      token_hash: hashToken(token),
      email,
      intent: intent.next || intent.vote || intent.save ? JSON.stringify(intent) : null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + LOGIN_TOKEN_TTL_MS).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

/** Drops tokens that expired more than a day ago (the periodic prune job). */
export async function deleteExpiredLoginTokens(db: Db, now: Date): Promise<number> {
  const res = await db.deleteFrom('login_token').where('expires_at', '<', new Date(now.getTime() - 86_400_000).toISOString()).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** The address a still-valid token belongs to, without using it (for the confirmation page). */
export async function peekLoginToken(db: Db, token: string, now: Date): Promise<string | undefined> {
  const row = await db
    .selectFrom('login_token')
    .select('email')
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row?.email;
}

export type ConsumeOutcome =
  | { ok: true; user: User; intent: SignInIntent; created: boolean }
  | { ok: false; reason: 'invalid' | 'suspended' };

/**
 * Uses a token: one conditional UPDATE marks it used only if unused and unexpired, so two clicks
 * racing each other cannot both sign in. Creates the account on first sign-in.
 */
export async function consumeLoginToken(db: Db, token: string, now: Date): Promise<ConsumeOutcome> {
  const stamp = now.toISOString();
  const row = await db
    .updateTable('login_token')
    .set({ used_at: stamp })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', stamp)
    .returning(['email', 'intent'])
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'invalid' };
  const existed = await findUserByEmail(db, row.email);
  const user = existed ?? (await ensureUser(db, row.email, now));
  if (user.suspended) return { ok: false, reason: 'suspended' };
  await db.updateTable('user_account').set({ last_signed_in_at: stamp }).where('id', '=', user.id).execute();
  return { ok: true, user, intent: row.intent ? (JSON.parse(row.intent) as SignInIntent) : {}, created: !existed };
}

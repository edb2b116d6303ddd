// Personal API tokens: `pb_` + 32 random bytes (base64url). The plaintext is returned once by
// createApiToken; only its SHA-256 is stored, so a leaked database does not leak usable tokens.
// The account and curator pages call these; the API authenticates with authenticateToken.
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { hashToken } from './tokens.ts';

export const TOKEN_PREFIX = 'pb_';
const TOKEN_RE = /^pb_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per token, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  /** First characters of the token, for telling tokens apart in a list. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuthenticatedToken {
  tokenId: number;
  userId: number;
}

/** Creates a token for a user; the returned plaintext cannot be recovered later. */
export async function createApiToken(db: Db, userId: number, name: string, now: Date = new Date()): Promise<{ token: string; apiToken: ApiToken }> {
  const cleanName = name.trim().slice(0, 100) || 'API token';
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('api_token')
    .values({ user_id: userId, name: cleanName, token_hash: hashToken(token), token_prefix: token.slice(0, 7), created_at: now.toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, apiToken: tokenFromRow(row) };
}

/** Revokes one of the user's tokens; false when the user has no such active token. */
export async function revokeApiToken(db: Db, userId: number, tokenId: number, now: Date = new Date()): Promise<boolean> {
  const res = await db
    .updateTable('api_token')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A user's tokens, newest first, revoked ones included (marked). */
export async function listApiTokens(db: Db, userId: number): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_token').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(tokenFromRow);
}

/** The active token named by an `Authorization: Bearer pb_…` header, or undefined. */
export async function authenticateToken(db: Db, header: string | undefined, now: Date = new Date()): Promise<AuthenticatedToken | undefined> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m || !TOKEN_RE.test(m[1]!)) return undefined;
  const row = await db
    .selectFrom('api_token')
    .select(['id', 'user_id', 'last_used_at'])
    .where('token_hash', '=', hashToken(m[1]!))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS) {
    await db.updateTable('api_token').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
  }
  return { tokenId: row.id, userId: row.user_id };
}

function tokenFromRow(row: { id: number; user_id: number; name: string; token_prefix: string; created_at: string; last_used_at: string | null; revoked_at: string | null }): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.token_prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

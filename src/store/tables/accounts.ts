// Accounts, sign-in, sessions, rate-limit windows and API tokens.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

export interface UserAccountTable {
  id: Generated<number>;
  /** Lower-cased; the account's identity. */
  email: string;
  display_name: string | null;
  /** member | curator | admin */
  role: ColumnType<string, string | undefined, string>;
  suspended_at: Timestamp | null;
  suspended_reason: string | null;
  created_at: Timestamp;
  last_signed_in_at: Timestamp | null;
}

export interface LoginTokenTable {
  /** sha-256 (hex) of the token in the emailed link; the token itself is never stored. */
  token_hash: string;
  email: string;
  /** JSON {next?, vote?}: where to go, and a vote to complete, after signing in. */
  intent: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface UserSessionTable {
  /** sha-256 (hex) of the cookie value. */
  token_hash: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface RateLimitTable {
  /** rule:HMAC(key) — IPs and addresses are not stored in the clear. */
  bucket: string;
  window_start: Timestamp;
  hits: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  /** The owner; a plain integer until the user table exists (no foreign key yet). */
  user_id: number;
  name: string;
  /** Hex SHA-256 of the whole token; the token itself is shown once and never stored. */
  token_hash: string;
  /** The first characters of the token (pb_ab12…), so a user can tell tokens apart. */
  token_prefix: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

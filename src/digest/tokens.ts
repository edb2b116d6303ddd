// Tokens in digest links. Confirmation tokens are random and stored only as a SHA-256 hash;
// unsubscribe and manage tokens are HMAC-signed (id + purpose + address), so nothing secret is stored.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hashToken } from '../accounts/index.ts';

export type TokenPurpose = 'unsubscribe' | 'manage';

export function newConfirmToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: hashToken(token) };
}

function mac(secret: string, purpose: TokenPurpose, id: number, email: string): string {
  return createHmac('sha256', secret).update(`digest:${purpose}:${id}:${email}`).digest('base64url').slice(0, 32);
}

/** "<id>.<signature>": unguessable, stable for the subscription, checked without a lookup table. */
export function signSubscriptionToken(secret: string, purpose: TokenPurpose, id: number, email: string): string {
  return `${id}.${mac(secret, purpose, id, email)}`;
}

/** The subscription id a token claims; verify it with verifySubscriptionToken once the row is loaded. */
export function tokenSubscriptionId(token: string): number | undefined {
  const m = /^(\d{1,12})\.[\w-]{32}$/.exec(token);
  return m ? Number(m[1]) : undefined;
}

export function verifySubscriptionToken(secret: string, purpose: TokenPurpose, token: string, id: number, email: string): boolean {
  const expected = Buffer.from(signSubscriptionToken(secret, purpose, id, email));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

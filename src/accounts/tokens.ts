// Random tokens handed out (sign-in links, session cookies, API tokens, digest confirmation links)
// and the one hash the store keeps instead: SHA-256, hex.
import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps: a leaked table cannot be replayed as links or cookies. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// Random tokens handed to browsers (sign-in links, session cookies) and the hash we store instead.
import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps: a leaked table cannot be replayed as links or cookies. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

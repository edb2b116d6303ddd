// Instance-wide settings kept in the store, so every process of an instance agrees on them.
import { randomBytes } from 'node:crypto';
import type { Db } from './db.ts';

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function setSetting(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto('setting').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

/**
 * The secret that signs tokens in URLs: PAPERBOY_SECRET when set, otherwise one generated on first
 * use and kept in the store (first writer wins, so concurrent processes agree).
 */
export async function instanceSecret(db: Db, configured: string): Promise<string> {
  if (configured) return configured;
  const existing = await getSetting(db, 'secret');
  if (existing) return existing;
  await db.insertInto('setting').values({ key: 'secret', value: randomBytes(32).toString('base64url') }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await getSetting(db, 'secret'))!;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK.test(new URL(url).hostname);
}

export interface PublicUrl {
  url: string;
  /** env: BASE_URL; store: recorded by a server of this instance; default: http://localhost:PORT. */
  source: 'env' | 'store' | 'default';
  /** A public URL this instance has served, when the one chosen is a loopback URL and differs. */
  shadowed?: string;
}

/**
 * The public URL every link in pages and mails starts with. BASE_URL wins; a server started with it
 * records it (`record`), so a later `paperboy digest send` without BASE_URL still mails working links.
 */
export async function publicUrl(db: Db, config: { baseUrl: string; baseUrlFromEnv: boolean }, opts: { record?: boolean } = {}): Promise<PublicUrl> {
  const stored = await getSetting(db, 'public_url');
  if (config.baseUrlFromEnv) {
    if (opts.record && stored !== config.baseUrl && !isLoopbackUrl(config.baseUrl)) await setSetting(db, 'public_url', config.baseUrl);
    const shadowed = stored && stored !== config.baseUrl && isLoopbackUrl(config.baseUrl) && !isLoopbackUrl(stored) ? stored : undefined;
    return { url: config.baseUrl, source: 'env', ...(shadowed ? { shadowed } : {}) };
  }
  if (stored) return { url: stored, source: 'store' };
  return { url: config.baseUrl, source: 'default' };
}

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

// Digest subscriptions: double opt-in, preferences, unsubscribe. A repeat subscribe never creates a
// second row and never reveals whether the address was known: it only mails a fresh confirmation link.
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../store/db.ts';
import { lockRows } from '../store/dialect.ts';
import type { SubscriptionTable } from '../store/schema.ts';
import type { Frequency, Preferences, Topics } from './preferences.ts';
import { hashToken } from '../accounts/index.ts';
import { newConfirmToken, tokenSubscriptionId, verifySubscriptionToken, type TokenPurpose } from './tokens.ts';

export type SubscriptionStatus = 'pending' | 'active' | 'unsubscribed' | 'suspended';

export interface Subscription extends Preferences {
  id: number;
  email: string;
  status: SubscriptionStatus;
  hardBounces: number;
  confirmedAt: string | null;
}

/** How long a confirmation link works. */
export const CONFIRM_TTL_MS = 7 * 24 * 3600_000;
/** At most one confirmation mail per address in this window, so the form cannot be used to flood an inbox. */
const CONFIRM_THROTTLE_MS = 2 * 60_000;

function subscriptionFromRow(r: Selectable<SubscriptionTable>): Subscription {
  return {
    id: r.id,
    email: r.email,
    frequency: r.frequency as Frequency,
    topics: JSON.parse(r.topics) as Topics,
    minUpvotes: r.min_upvotes,
    status: r.status as SubscriptionStatus,
    hardBounces: r.hard_bounces,
    confirmedAt: r.confirmed_at,
  };
}

export type SubscribeOutcome =
  | { mail: true; token: string; subscription: Subscription; change: boolean }
  | { mail: false; reason: 'throttled' };

/**
 * Records a subscribe request for an address. New addresses get a pending row; known ones keep their
 * status and carry the requested preferences until the new link is followed.
 */
export async function requestSubscription(db: Db, email: string, prefs: Preferences, now: Date): Promise<SubscribeOutcome> {
  return db.transaction().execute((tx) => recordSubscribeRequest(tx, email, prefs, now));
}

/** requestSubscription inside the caller's transaction (which also queues the confirmation mail). */
export async function recordSubscribeRequest(tx: Tx, email: string, prefs: Preferences, now: Date): Promise<SubscribeOutcome> {
  const at = now.toISOString();
  const { token, hash } = newConfirmToken();
  const expires = new Date(now.getTime() + CONFIRM_TTL_MS).toISOString();
  const inserted = await tx
    .insertInto('subscription')
    .values({
      email, frequency: prefs.frequency, topics: JSON.stringify(prefs.topics), min_upvotes: prefs.minUpvotes, status: 'pending',
      confirm_token_hash: hash, confirm_expires_at: expires, confirm_sent_at: at, created_at: at, updated_at: at,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { mail: true as const, token, subscription: subscriptionFromRow(inserted), change: false };

  // Locked: parallel requests for one address take turns, so the throttle lets exactly one link be
  // mailed (insert … on conflict do nothing locks nothing).
  const row = await lockRows(tx, tx.selectFrom('subscription').selectAll().where('email', '=', email)).executeTakeFirstOrThrow();
  const direct = row.status === 'pending';
  const prefCols = direct
    ? { frequency: prefs.frequency, topics: JSON.stringify(prefs.topics), min_upvotes: prefs.minUpvotes, pending_prefs: null }
    : { pending_prefs: JSON.stringify(prefs) };
  if (row.confirm_sent_at && now.getTime() - Date.parse(row.confirm_sent_at) < CONFIRM_THROTTLE_MS) {
    await tx.updateTable('subscription').set({ ...prefCols, updated_at: at }).where('id', '=', row.id).execute();
    return { mail: false as const, reason: 'throttled' as const };
  }
  const updated = await tx
    .updateTable('subscription')
    .set({ ...prefCols, confirm_token_hash: hash, confirm_expires_at: expires, confirm_sent_at: at, updated_at: at })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { mail: true as const, token, subscription: subscriptionFromRow(updated), change: !direct };
}

/** What a still-valid confirmation link would confirm, without using it (for the page that asks for one click). */
export async function peekConfirmation(db: Db, token: string, now: Date): Promise<{ email: string; preferences: Preferences } | undefined> {
  if (!/^[\w-]{20,64}$/.test(token)) return undefined;
  const row = await db.selectFrom('subscription').selectAll().where('confirm_token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || !row.confirm_expires_at || row.confirm_expires_at < now.toISOString()) return undefined;
  const sub = subscriptionFromRow(row);
  const preferences = row.pending_prefs ? (JSON.parse(row.pending_prefs) as Preferences) : { frequency: sub.frequency, topics: sub.topics, minUpvotes: sub.minUpvotes };
  return { email: sub.email, preferences };
}

/** Follows a confirmation link: activates the subscription (and applies requested preferences). */
export async function confirmSubscription(db: Db, token: string, now: Date): Promise<Subscription | undefined> {
  if (!/^[\w-]{20,64}$/.test(token)) return undefined;
  const at = now.toISOString();
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('subscription').selectAll().where('confirm_token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row || !row.confirm_expires_at || row.confirm_expires_at < at) return undefined;
    const prefs = row.pending_prefs ? (JSON.parse(row.pending_prefs) as Preferences) : undefined;
    const updated = await tx
      .updateTable('subscription')
      .set({
        status: 'active',
        ...(prefs ? { frequency: prefs.frequency, topics: JSON.stringify(prefs.topics), min_upvotes: prefs.minUpvotes } : {}),
        pending_prefs: null, confirm_token_hash: null, confirm_expires_at: null,
        hard_bounces: 0, confirmed_at: row.confirmed_at ?? at, unsubscribed_at: null, updated_at: at,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return subscriptionFromRow(updated);
  });
}

/** The subscription a signed link token belongs to, or undefined when forged, mangled or deleted. */
export async function findSubscriptionByToken(db: Db, secret: string, purpose: TokenPurpose, token: string): Promise<Subscription | undefined> {
  const id = tokenSubscriptionId(token);
  if (id === undefined) return undefined;
  const row = await db.selectFrom('subscription').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !verifySubscriptionToken(secret, purpose, token, row.id, row.email)) return undefined;
  return subscriptionFromRow(row);
}

/** Stops every digest to this subscription, including any already rendered and waiting in the outbox. */
export async function unsubscribe(db: Db, id: number, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('subscription').set({ status: 'unsubscribed', unsubscribed_at: at, pending_prefs: null, confirm_token_hash: null, confirm_expires_at: null, updated_at: at }).where('id', '=', id).execute();
    await tx.updateTable('digest_outbox').set({ state: 'cancelled', updated_at: at }).where('subscription_id', '=', id).where('state', '=', 'pending').execute();
  });
}

export async function unsubscribeByEmail(db: Db, email: string, now: Date): Promise<boolean> {
  const row = await db.selectFrom('subscription').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!row) return false;
  await unsubscribe(db, row.id, now);
  return true;
}

export async function updatePreferences(db: Db, id: number, prefs: Preferences, now: Date): Promise<void> {
  await db
    .updateTable('subscription')
    .set({ frequency: prefs.frequency, topics: JSON.stringify(prefs.topics), min_upvotes: prefs.minUpvotes, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/**
 * Forgets confirmation links that expired more than a day ago (the periodic prune job): a request
 * never confirmed is deleted with its address; on a live subscription only the unused link and the
 * preferences it carried are dropped.
 */
export async function expireConfirmations(db: Db, now: Date): Promise<{ deleted: number; cleared: number }> {
  const before = new Date(now.getTime() - 86_400_000).toISOString();
  return db.transaction().execute(async (tx) => {
    const deleted = await tx.deleteFrom('subscription').where('status', '=', 'pending').where('confirmed_at', 'is', null).where('confirm_expires_at', '<', before).executeTakeFirst();
    const cleared = await tx
      .updateTable('subscription')
      .set({ confirm_token_hash: null, confirm_expires_at: null, pending_prefs: null, updated_at: now.toISOString() })
      .where('confirm_expires_at', '<', before)
      .executeTakeFirst();
    return { deleted: Number(deleted.numDeletedRows), cleared: Number(cleared.numUpdatedRows) };
  });
}

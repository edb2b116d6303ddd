// Follows: an author (by name), a category, or a saved search (a query in the search language, its
// filters included: `diffusion cat:cs.CV -survey`). One row per user and followed thing, so following
// twice is a no-op. Matching papers against follows is pure and lives in match.ts.
import type { Db } from '../store/db.ts';
import { foldText } from '../search/analyze.ts';
import { isCategoryCode } from '../papers/index.ts';

export type FollowKind = 'author' | 'category' | 'search';
export const FOLLOW_KINDS: readonly FollowKind[] = ['author', 'category', 'search'];

export interface Follow {
  id: number;
  kind: FollowKind;
  value: string;
  createdAt: string;
}

export const MAX_FOLLOWS = 200;
const MAX_VALUE = { author: 100, category: 30, search: 300 } as const;

/** A name folded for matching: "José  García" and "jose garcia" are the same author. */
export function authorKey(name: string): string {
  return foldText(name).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Checks what the user typed for a follow of this kind; the message names what is wrong. */
export function checkFollowValue(kind: FollowKind, raw: string): { ok: true; value: string; key: string } | { ok: false; message: string } {
  const value = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (value.length === 0) return { ok: false, message: `The ${kind} to follow cannot be empty.` };
  if ([...value].length > MAX_VALUE[kind]) return { ok: false, message: `A followed ${kind} must be at most ${MAX_VALUE[kind]} characters.` };
  if (/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(value)) return { ok: false, message: `The ${kind} contains control characters.` };
  if (kind === 'category') {
    if (!isCategoryCode(value)) return { ok: false, message: `"${value}" is not an arXiv category code such as cs.LG or hep-th.` };
    return { ok: true, value, key: value.toLowerCase() };
  }
  if (kind === 'author') {
    const key = authorKey(value);
    if (key.length === 0) return { ok: false, message: 'An author name needs letters.' };
    return { ok: true, value, key };
  }
  return { ok: true, value, key: value.toLowerCase() };
}

export type FollowOutcome = { ok: true; follow: Follow } | { ok: false; reason: 'too_many' };

/** Follows something (idempotent): the value must have passed checkFollowValue. */
export async function addFollow(db: Db, userId: number, kind: FollowKind, value: string, key: string, now: Date): Promise<FollowOutcome> {
  const existing = await findFollow(db, userId, kind, key);
  if (existing) return { ok: true, follow: existing };
  const count = await db.selectFrom('follow').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_FOLLOWS) return { ok: false, reason: 'too_many' };
  await db
    .insertInto('follow')
    .values({ user_id: userId, kind, value, match_key: key, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['user_id', 'kind', 'match_key']).doNothing())
    .execute();
  return { ok: true, follow: (await findFollow(db, userId, kind, key))! };
}

export async function findFollow(db: Db, userId: number, kind: FollowKind, key: string): Promise<Follow | undefined> {
  const row = await db.selectFrom('follow').selectAll().where('user_id', '=', userId).where('kind', '=', kind).where('match_key', '=', key).executeTakeFirst();
  return row ? followFromRow(row) : undefined;
}

/** Unfollows by id; false when the user has no such follow. */
export async function removeFollow(db: Db, userId: number, followId: number): Promise<boolean> {
  const res = await db.deleteFrom('follow').where('id', '=', followId).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The user's follows, by kind then in the order they were made. */
export async function listFollows(db: Db, userId: number): Promise<Follow[]> {
  const rows = await db.selectFrom('follow').selectAll().where('user_id', '=', userId).orderBy('kind').orderBy('id').execute();
  return rows.map(followFromRow);
}

function followFromRow(r: { id: number; kind: string; value: string; created_at: string }): Follow {
  return { id: r.id, kind: r.kind as FollowKind, value: r.value, createdAt: r.created_at };
}

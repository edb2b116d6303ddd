// "For you" in the digest: a subscriber whose address is also an account's may get that account's
// recommendations among the period's papers — in addition to the topic picks (first) or instead of
// them. The same outbox, the same unsubscribe: only which papers go in differs.
import type { Db } from '../store/db.ts';
import type { Period } from '../papers/index.ts';
import { findUserByEmail } from '../accounts/index.ts';
import { recommendForUser } from '../recommend/index.ts';
import type { DigestPaper } from './rank.ts';

export type ForYouMode = 'off' | 'also' | 'only';
export const FOR_YOU_MODES: readonly ForYouMode[] = ['off', 'also', 'only'];

/** The account's recommendations among the period's papers, best first, at most `max`. */
export async function forYouPapers(db: Db, email: string, period: Period, ranked: ReadonlyMap<number, DigestPaper>, received: ReadonlySet<number>, max: number): Promise<DigestPaper[]> {
  const user = await findUserByEmail(db, email);
  if (!user || user.suspended) return [];
  const list = await recommendForUser(db, user.id, { since: period.start, until: period.end, limit: max * 2 });
  return list.items.map((i) => ranked.get(i.paper.id)).filter((p): p is DigestPaper => p !== undefined && !received.has(p.id)).slice(0, max);
}

/** Personal papers first, then the topic picks not already in, capped. */
export function mergeForYou(mode: ForYouMode, personal: DigestPaper[], picked: DigestPaper[], max: number): DigestPaper[] {
  if (mode === 'only') return personal.slice(0, max);
  if (mode === 'off') return picked;
  const seen = new Set(personal.map((p) => p.id));
  return [...personal, ...picked.filter((p) => !seen.has(p.id))].slice(0, max);
}

/** The for-you mode of the subscription at this address; false when there is none. */
export async function setForYouDigest(db: Db, email: string, mode: ForYouMode, now: Date): Promise<boolean> {
  const res = await db.updateTable('subscription').set({ for_you: mode, updated_at: now.toISOString() }).where('email', '=', email).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function findDigestForEmail(db: Db, email: string): Promise<{ frequency: string; status: string; forYou: ForYouMode } | undefined> {
  const row = await db.selectFrom('subscription').select(['frequency', 'status', 'for_you']).where('email', '=', email).executeTakeFirst();
  return row ? { frequency: row.frequency, status: row.status, forYou: (FOR_YOU_MODES as readonly string[]).includes(row.for_you) ? (row.for_you as ForYouMode) : 'off' } : undefined;
}

// The one place the digest's papers are ranked: the trending ranking every surface uses.
import type { Paper, Period } from '../papers/index.ts';
import type { Db } from '../store/db.ts';
import { listTrending } from '../trending/queries.ts';

/** A period with more papers than this is cut to its best-ranked ones before topic filtering. */
const MAX_CANDIDATES = 5000;

/** A paper as the digest sees it: with its upvotes, local votes plus imported Hugging Face ones. */
export type DigestPaper = Paper & { upvotes: number };

/** Every paper listed in the period, best first (pins, then votes in the window), withdrawn papers left out. */
export async function rankPapersForDigest(db: Db, period: Period, now: Date = new Date()): Promise<DigestPaper[]> {
  const { entries } = await listTrending(db, { period, limit: MAX_CANDIDATES, now });
  return entries.filter((e) => !e.paper.withdrawn).map((e) => ({ ...e.paper, upvotes: e.votes + e.hfUpvotes }));
}

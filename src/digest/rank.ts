// The one place the digest's papers are ranked. Today: imported upvotes, then recency; the trending
// ranking (issue #4) replaces the body of this function when it lands.
import { listPapersAnnounced, type Paper, type Period } from '../papers/index.ts';
import type { Db } from '../store/db.ts';

/** A period with more papers than this is cut to its best-ranked ones before topic filtering. */
const MAX_CANDIDATES = 5000;

/** Every paper announced in the period, best first, withdrawn papers left out. */
export async function rankPapersForDigest(db: Db, period: Pick<Period, 'start' | 'end'>): Promise<Paper[]> {
  const { papers } = await listPapersAnnounced(db, { start: period.start, end: period.end, limit: MAX_CANDIDATES });
  return papers.filter((p) => !p.withdrawn);
}

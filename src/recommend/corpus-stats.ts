// Document frequencies of every term over all the store's papers, for the recommender's IDF: kept
// per process, read once (75,000 papers in about 10 s of one core) and then extended with the
// papers added since, whenever a window is built; each window keeps the statistics it was built
// with, so a reader's papers are weighed exactly as the window's. A rare word or word pair is what tells a reader's
// topic apart, and a week's window is too small a sample to know which ones are rare (see
// docs/personal.md). Edits and withdrawals are not subtracted: these are language statistics.
import type { Db } from '../store/db.ts';
import { inTurns, turnTaker } from '../lib/turns.ts';
import { comparisonTerms, type TermCounts } from './comparison-terms.ts';
import { createCorpusStatistics, mergeSorted, paperLength, sortedHashesOf, withSortedHashes, type CorpusStatistics } from './term-statistics.ts';

interface Counted {
  stats: CorpusStatistics;
  lastId: number;
  /** The extension under way, shared by concurrent callers. */
  pending?: Promise<CorpusStatistics>;
}

const counted = new WeakMap<Db, Counted>();
const PAGE = 1000;
const MERGE_EVERY = 10_000;

/** The statistics with every paper the store holds now counted. */
export function loadCorpusStatistics(db: Db): Promise<CorpusStatistics> {
  let c = counted.get(db);
  if (!c) counted.set(db, (c = { stats: createCorpusStatistics(), lastId: 0 }));
  const entry = c;
  entry.pending ??= extend(db, entry).finally(() => { entry.pending = undefined; });
  return entry.pending;
}

async function extend(db: Db, c: Counted): Promise<CorpusStatistics> {
  // Requests are let in between papers and between steps of the merges: the first count reads the
  // whole store, and in one piece merging 10,000 papers into the table held the event loop ~200 ms.
  const turn = turnTaker();
  let pending: Uint32Array = new Uint32Array(0);
  let pendingPapers = 0;
  let pendingLength = 0;
  for (;;) {
    const rows = await db.selectFrom('paper').select(['id', 'title', 'abstract']).where('id', '>', c.lastId).orderBy('id').limit(PAGE).execute();
    const page: TermCounts[] = [];
    for (const r of rows) {
      page.push(comparisonTerms(`${r.title}\n${r.abstract}`));
      await turn();
    }
    if (rows.length > 0) c.lastId = rows[rows.length - 1]!.id;
    // A page's terms sorted, then merged into the papers pending; those are merged into the table
    // every MERGE_EVERY papers, so memory stays bounded (a sorted hash is 4 bytes, a paper ~200).
    pending = await inTurns(mergeSorted(pending, sortedHashesOf(page)));
    pendingPapers += page.length;
    for (const p of page) pendingLength += paperLength(p);
    if (pendingPapers >= MERGE_EVERY || rows.length < PAGE) {
      c.stats = await inTurns(withSortedHashes(c.stats, pending, pendingPapers, pendingLength));
      pending = new Uint32Array(0);
      pendingPapers = 0;
      pendingLength = 0;
    }
    if (rows.length < PAGE) return c.stats;
    await turn();
  }
}

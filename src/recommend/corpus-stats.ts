// Document frequencies of every term over all the store's papers, for the recommender's IDF: kept
// per process, read once (75,000 papers in about 10 s of one core) and then extended with the
// papers added since, whenever a window is built; each window keeps the statistics it was built
// with, so a reader's papers are weighed exactly as the window's. A rare word or word pair is what tells a reader's
// topic apart, and a week's window is too small a sample to know which ones are rare (see
// docs/personal.md). Edits and withdrawals are not subtracted: these are language statistics.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../store/db.ts';
import { comparisonTerms, type TermCounts } from './comparison-terms.ts';
import { createCorpusStatistics, withPapers, type CorpusStatistics } from './term-statistics.ts';

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
  let batch: TermCounts[] = [];
  for (;;) {
    const rows = await db.selectFrom('paper').select(['id', 'title', 'abstract']).where('id', '>', c.lastId).orderBy('id').limit(PAGE).execute();
    for (const r of rows) batch.push(comparisonTerms(`${r.title}\n${r.abstract}`));
    if (rows.length > 0) c.lastId = rows[rows.length - 1]!.id;
    // Merged every MERGE_EVERY papers: memory stays bounded (a paper's terms take about 1.5 kB).
    if (batch.length >= MERGE_EVERY || rows.length < PAGE) {
      c.stats = withPapers(c.stats, batch);
      batch = [];
    }
    if (rows.length < PAGE) return c.stats;
    // Let requests in between pages: the first count reads the whole store.
    await nextTurn();
  }
}

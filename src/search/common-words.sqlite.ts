// One common word, searched alone ("model", "learning"): FTS5 has no early termination, so ranking
// it scores every paper holding the word (844,538 of a million generated papers for "model": ~0.5 s
// of CPU), and counting walks the same list. Here its best papers are ranked once and kept per
// process as the word's top list, valid while the search version (bumped by every write to papers
// and by moderation; migration 0890) is unchanged: the next search of that word reads the list. The
// count comes from the index's own document frequency minus the hidden papers holding the word.
// Both answers are exactly what the full evaluation gives.
import { sql } from 'kysely';
import { hiddenPaperIds } from '../community/index.ts';
import type { ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { currentVersion } from '../store/change-version.ts';
import type { Db } from '../store/db.ts';
import type { Hit, KeywordQuery, SearchFilters } from './keyword.ts';
import { porterStem } from './porter.ts';

/** Words in fewer papers than this are cheap to rank in full (FTS5: ~0.6 µs a paper). */
export const TOP_LIST_MIN_PAPERS = 20_000;
/** Papers kept per word: deep enough for 50 pages of 20. */
export const TOP_LIST_LENGTH = 1000;
/** The channel the result cache also follows (result-cache.ts). */
const SEARCH_CHANNEL = 'search';

/** A hit in a list: an object of two numbers (the score a heap number) and its array slot. */
const HIT_BYTES = 56;

interface TopList {
  version: number;
  hits: Hit[];
}

const lists = new WeakMap<Db, ByteCache<string, TopList>>();

/** The one word of a query that is a single free word and nothing else, else undefined. */
export function loneWord(q: KeywordQuery, f: SearchFilters): string | undefined {
  if (q.mustNot.length > 0 || f.categories.length > 0 || f.since || f.until || f.hasCode) return undefined;
  const clauses = [...q.must, ...q.should];
  const c = clauses.length === 1 ? clauses[0]! : undefined;
  return c && c.field === 'any' && c.tokens.length === 1 ? c.tokens[0] : undefined;
}

/**
 * The word's hits from its top list (ranking it in full first when there is no current list), or
 * undefined when the word is not common enough to need one or the page lies beyond the list.
 */
export async function commonWordHits(
  db: Db, word: string, docFreq: number, limit: number, offset: number, rankAll: (n: number) => Promise<Hit[]>,
): Promise<Hit[] | undefined> {
  if (docFreq < TOP_LIST_MIN_PAPERS || offset + limit > TOP_LIST_LENGTH) return undefined;
  let cache = lists.get(db);
  if (!cache) lists.set(db, (cache = budgetedCache('top lists', (w: string, l: TopList) => 2 * w.length + HIT_BYTES * l.hits.length)));
  const stem = porterStem(word);
  const version = await currentVersion(db, SEARCH_CHANNEL);
  let list = cache.get(stem);
  if (!list || list.version !== version) {
    list = { version, hits: await rankAll(TOP_LIST_LENGTH) };
    cache.set(stem, list);
  }
  return list.hits.slice(offset, offset + limit);
}

/** Papers holding the word that are visible: its document frequency minus the hidden ones holding it. */
export async function countCommonWord(db: Db, match: string, docFreq: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM paper_fts
    WHERE paper_fts MATCH ${match} AND rowid IN (${hiddenPaperIds(db)})`.execute(db);
  return docFreq - Number(rows[0]?.n ?? 0);
}

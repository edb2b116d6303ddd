// "Similar papers" for a paper page: nearest neighbours by vector when semantic search is ready,
// otherwise a keyword fallback. The neighbours of a paper change only as papers arrive, while the
// keyword fallback costs a ranked full-text query (tens of ms on PostgreSQL): each process keeps a
// paper's neighbour ids for a few minutes. Hidden and withdrawn papers are left out on every call.
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import type { Db } from '../store/db.ts';
import { findPapersByIds, type Paper } from '../papers/index.ts';
import { tokenize } from './analyze.ts';
import type { Clause } from './keyword.ts';
import { keywordIndexFor } from './keyword-index.ts';
import { MAX_QUERY_TERMS } from './query.ts';
import { contentWords } from './query-plan.ts';
import { rareClauses } from './relevance.ts';
import { stemWord } from './snippet.ts';
import type { SemanticSearch } from './semantic.ts';
import { findHiddenPaperIds } from '../community/index.ts';

/** How long a paper's neighbours are reused, and for how many papers per process. */
export const SIMILAR_TTL_MS = 5 * 60_000;
type Neighbours = { at: number; ids: number[]; method: 'semantic' | 'keyword' };
const neighbourCache = new WeakMap<Db, ByteCache<string, Neighbours>>();

export async function findSimilarPapers(db: Db, semantic: SemanticSearch | undefined, paper: Paper, k: number): Promise<{ papers: Paper[]; method: 'semantic' | 'keyword' }> {
  const status = semantic?.status();
  // A changed paper, a growing vector index or a different k is a different question.
  const key = `${paper.id}:${paper.version}:${paper.title}:${k}:${status?.ready ? `v${status.indexed}` : 'kw'}`;
  let cache = neighbourCache.get(db);
  if (!cache) neighbourCache.set(db, (cache = budgetedCache<string, Neighbours>('similar papers', (k, v) => stringBytes(k) + 8 * v.ids.length)));
  let hit = cache.get(key);
  if (!hit || Date.now() - hit.at > SIMILAR_TTL_MS) {
    let ids: number[] = [];
    let method: 'semantic' | 'keyword' = 'keyword';
    if (semantic && status?.ready) {
      ids = (await semantic.similarTo(paper.id, k + WITHDRAWN_SLACK)).map((n) => n.paperId);
      if (ids.length > 0) method = 'semantic';
    }
    if (ids.length === 0) ids = await findSimilarByKeywords(db, paper, k + WITHDRAWN_SLACK);
    hit = { at: Date.now(), ids, method };
    cache.set(key, hit);
  }
  const hidden = await findHiddenPaperIds(db, hit.ids);
  const papers = (await findPapersByIds(db, hit.ids)).filter((p) => !p.withdrawn && !hidden.has(p.id));
  return { papers: papers.slice(0, k), method: hit.method };
}

/**
 * The keyword fallback: the paper's title read as a descriptive query (papers with any of its content
 * words, candidates through the rarer ones) and ranked by the keyword index's BM25, which weighs title
 * words twice, among papers sharing one of its categories (shared words across fields mislead more
 * often than not). Withdrawn papers and the paper itself are left out.
 */
async function findSimilarByKeywords(db: Db, paper: Paper, k: number): Promise<number[]> {
  const words = contentWords(tokenize(paper.title)).slice(0, MAX_QUERY_TERMS);
  if (words.length === 0) return [];
  const index = keywordIndexFor(db);
  const stats = await index.termStats(db, words.map(stemWord));
  const should = rareClauses(words.map((w): Clause => ({ field: 'any', tokens: [w] })), stats);
  const filters = { categories: paper.categories, since: undefined, until: undefined, hasCode: false };
  const hits = await index.search(db, { must: [], should, mustNot: [] }, filters, 'relevance', k + 1 + WITHDRAWN_SLACK, 0);
  const candidates = hits.map((h) => h.paperId).filter((id) => id !== paper.id);
  const live = new Set((await findPapersByIds(db, candidates)).filter((p) => !p.withdrawn).map((p) => p.id));
  return candidates.filter((id) => live.has(id)).slice(0, k);
}

/** Extra candidates fetched so a few withdrawn papers cannot leave the list short. */
const WITHDRAWN_SLACK = 5;

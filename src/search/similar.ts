// "Similar papers" for a paper page: nearest neighbours by vector when semantic search is ready,
// otherwise a keyword fallback.
import type { Db } from '../store/db.ts';
import { findPapersByIds, type Paper } from '../papers/index.ts';
import { dialectOf } from '../store/db.ts';
import { tokenize } from './analyze.ts';
import type { Clause } from './keyword.ts';
import { keywordIndexFor } from './keyword-index.ts';
import { MAX_QUERY_TERMS } from './query.ts';
import { contentWords, rareClauses } from './search.ts';
import { stemWord } from './snippet.ts';
import type { SemanticSearch } from './semantic.ts';

export async function findSimilarPapers(db: Db, semantic: SemanticSearch | undefined, paper: Paper, k: number): Promise<{ papers: Paper[]; method: 'semantic' | 'keyword' }> {
  if (semantic?.status().ready) {
    const near = await semantic.similarTo(paper.id, k);
    if (near.length > 0) return { papers: await findPapersByIds(db, near.map((n) => n.paperId)), method: 'semantic' };
  }
  return { papers: await findPapersByIds(db, await findSimilarByKeywords(db, paper, k)), method: 'keyword' };
}

/**
 * The keyword fallback: the paper's title read as a descriptive query (papers with any of its content
 * words, candidates through the rarer ones) and ranked by the keyword index's BM25, which weighs title
 * words twice, among papers sharing one of its categories (shared words across fields mislead more
 * often than not). Withdrawn papers and the paper itself are left out.
 */
export async function findSimilarByKeywords(db: Db, paper: Paper, k: number): Promise<number[]> {
  const words = contentWords(tokenize(paper.title)).slice(0, MAX_QUERY_TERMS);
  if (words.length === 0) return [];
  const index = keywordIndexFor(dialectOf(db));
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

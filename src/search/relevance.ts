// Ranking by relevance: the engine's candidates (rare words first), re-scored with BM25F, and for
// descriptive queries expanded with RM3 feedback (rescore.ts). Scoring runs on term ids: the stored
// ones of each candidate (paper-terms.ts) and the query's own.
import type { Db } from '../store/db.ts';
import type { Clause, Hit, KeywordIndex, KeywordQuery, SearchFilters, TermStats } from './keyword.ts';
import type { ParsedQuery } from './query.ts';
import { bm25f, MAX_RUN, type CorpusStats, type DocText, type QueryWords, type Scored, type WeightedQuery } from './rescore.ts';
import { expandQuery, FEEDBACK_CANDIDATES } from './rm3.ts';
import { asTermIds, feedbackModelOf, loadAnalysed, type AnalysedPaper } from './doc-texts.ts';
import { termIdsOf } from './paper-terms.ts';
import { nextTurn } from './gate.ts';
import { stemWord, surfaceOf } from './snippet.ts';

/** How many of the engine's best candidates are re-scored with BM25F (and feed RM3). */
export const RESCORE_DEPTH = 100;
/**
 * Descriptive queries ('any' words) fetch candidates only through their rarer words: words are taken
 * rarest first until their papers add up to this many postings (at least one word is always taken).
 * This is the "quit" strategy of Moffat & Zobel (1996): a paper holding none of the rare words can
 * only score through common words, whose idf is small, so it almost never reaches the top; yet the
 * engine's cost grows with every posting it must score. The re-scoring then weighs ALL the words.
 * ~5,000 postings cost FTS5 about 6 ms of CPU. Measured on SciFact (5,183 papers, where 5,000 prunes
 * little): nDCG@10 0.6976 with and 0.6980 with the budget scaled to its size (350): no loss.
 */
export const CANDIDATE_POSTINGS = 5000;

/**
 * The engine's candidates re-scored with BM25F; for descriptive queries ('any' words) also expanded
 * with RM3 feedback, whose new terms fetch a second round of candidates. Papers beyond the re-scored
 * window follow in the engine's order, so deep pages stay consistent.
 *
 * The second round costs about as much as the first (a SciFact claim on 74,728 papers: ~4.5 ms of
 * ~17 ms CPU) but is kept: re-ranking only the first candidates with the expanded query (RM3 as a
 * re-ranker) ranked SciFact alike on SQLite (nDCG@10 0.7014 → 0.7015) but worse on PostgreSQL,
 * whose first candidates are fewer of the right ones (0.686 → 0.680, Recall@100 0.912 → 0.884).
 */
export async function relevanceHits(
  db: Db, index: KeywordIndex, kq: KeywordQuery, filters: SearchFilters, parsed: ParsedQuery, content: string[], feedback: boolean, want: number, budget: { deadline: number; shortened: boolean },
): Promise<Hit[]> {
  const query: WeightedQuery = new Map();
  for (const t of [...content, ...parsed.phrases.flat(), ...parsed.title.flat(), ...parsed.authors.flat()]) {
    const stem = stemWord(t);
    query.set(stem, (query.get(stem) ?? 0) + 1);
  }
  const words = (q: WeightedQuery): QueryWords => ({ words: content.map((word) => ({ word, stem: stemWord(word), weight: q.get(stemWord(word)) ?? 0 })), longestRun: feedback ? 2 : MAX_RUN });
  // The ids of the query's terms, asked beside the candidates (PostgreSQL: on another connection).
  const absent = new Set<string>();
  const queryWords = words(query);
  const queryIds = termIdsOf(db, rescoredTerms(query, queryWords), absent);
  queryIds.catch(() => undefined);
  const stats = await index.termStats(db, [...query.keys()]);
  const firstQuery = feedback ? { ...kq, should: rareClauses(kq.should, stats) } : kq;
  // A remembered title: papers with every word in the title are candidates even when the engine's
  // own ranking, which spreads the words over the whole paper, places them deep. One word needs no
  // such help (the engine already weighs a title match up), and is the costly case: a common word's
  // title matches number thousands. Both asked at once: PostgreSQL answers them on two connections.
  // When all the papers with every word fit the re-scored window, they are the candidates (those
  // with the words in the title among them), in no order: re-scoring orders them.
  const all = feedback ? undefined : await everyMatch(db, index, kq, filters, RESCORE_DEPTH);
  const [first, inTitle] = all ?? await Promise.all([
    index.search(db, firstQuery, filters, 'relevance', Math.max(RESCORE_DEPTH, want), 0),
    feedback || content.length < 2 ? [] : titleCandidates(db, index, kq, filters),
  ]);
  const window = unique([...first.slice(0, RESCORE_DEPTH), ...inTitle]);
  if (window.length < 2) return first;
  await nextTurn();
  const papers = await loadAnalysed(db, window.map((h) => h.paperId));
  await queryIds;
  let scored = await rescore(db, query, [...papers.values()], stats, queryWords, absent);
  if (feedback && Date.now() >= budget.deadline) budget.shortened = true;
  else if (feedback) {
    const model = await feedbackModelOf(db, scored, papers, FEEDBACK_CANDIDATES);
    const modelStats = await index.termStats(db, model.terms.map(([t]) => t), model.surfaces);
    const expanded = expandQuery(query, model.terms, modelStats);
    const added = [...expanded.keys()].filter((t) => !query.has(t));
    if (added.length > 0) {
      // Every expanded term is a query term or one of the model's: its count is already at hand.
      const allStats: TermStats = { ...modelStats, docFreq: new Map([...stats.docFreq, ...modelStats.docFreq].filter(([t]) => expanded.has(t))) };
      const more: Clause[] = added.map((t) => ({ field: 'any', tokens: [model.surfaces.get(t) ?? surfaceOf(t)] }));
      const feedbackPostings = allStats.feedbackPostings ?? allStats.candidatePostings;
      const second = await index.search(db, { ...kq, should: rareClauses(more, { ...allStats, candidatePostings: feedbackPostings }) }, filters, 'relevance', RESCORE_DEPTH, 0);
      for (const [id, p] of await loadAnalysed(db, second.map((h) => h.paperId).filter((id) => !papers.has(id)))) papers.set(id, p);
      scored = await rescore(db, expanded, [...papers.values()], allStats, words(expanded), absent);
    }
  }
  const seen = new Set(scored.map((s) => s.paperId));
  return [...scored, ...first.filter((h) => !seen.has(h.paperId))].slice(0, want);
}

/**
 * BM25F over the papers, best first, with every term the query names (stems and typed words) read
 * as its id. A term the store has never numbered is in no stored paper; it gets a number of its own
 * below zero, so papers analysed here can still hold it.
 */
async function rescore(db: Db, query: WeightedQuery, papers: AnalysedPaper[], stats: TermStats, words: QueryWords, absent: Set<string>): Promise<Scored[]> {
  const ids = await termIdsOf(db, rescoredTerms(query, words), absent);
  const idOf = (t: string) => {
    let id = ids.get(t);
    if (id === undefined) ids.set(t, (id = -1 - ids.size));
    return id;
  };
  const byId: WeightedQuery<number> = new Map();
  for (const [t, w] of query) byId.set(idOf(t), w);
  const docFreq = new Map<number, number>();
  for (const [t, df] of stats.docFreq) if (ids.has(t)) docFreq.set(idOf(t), df);
  const idStats: CorpusStats<number> = { ...stats, docFreq };
  const idWords: QueryWords<number> = { ...words, words: words.words.map((w) => ({ word: idOf(w.word), stem: idOf(w.stem), weight: w.weight })) };
  const docs: Array<DocText<number>> = papers.map((p) => asTermIds(p, ids));
  return bm25f(byId, docs, idStats, idWords).sort((a, b) => b.score - a.score);
}

/** Every term re-scoring reads: the query's stems and its words' spellings and stems. */
function rescoredTerms(query: WeightedQuery, words: QueryWords): string[] {
  return [...query.keys(), ...words.words.flatMap((w) => [w.word, w.stem])];
}

function clauseStems(clauses: Clause[]): string[] {
  return clauses.flatMap((c) => (c.tokens.length === 1 ? [stemWord(c.tokens[0]!)] : []));
}

/** The candidates of a query sorted otherwise than by relevance: its rarer words' papers. */
export async function boundedQuery(db: Db, index: KeywordIndex, kq: KeywordQuery): Promise<KeywordQuery> {
  return { ...kq, should: rareClauses(kq.should, await index.termStats(db, clauseStems(kq.should))) };
}

/** Every match as a candidate when there are from two to `n`; else undefined (the caller ranks). */
async function everyMatch(db: Db, index: KeywordIndex, kq: KeywordQuery, filters: SearchFilters, n: number): Promise<[Hit[], Hit[]] | undefined> {
  const ids = await index.matchesUpTo?.(db, kq, filters, n);
  // A single match is returned as the engine ranks it, with its score.
  return ids && ids.length >= 2 ? [ids.map((paperId) => ({ paperId, score: 0 })), []] : undefined;
}

/** The best RESCORE_DEPTH papers with the words in the title: all of them, unranked, when that is all. */
async function titleCandidates(db: Db, index: KeywordIndex, kq: KeywordQuery, filters: SearchFilters): Promise<Hit[]> {
  const ids = await index.matchesUpTo?.(db, titleQuery(kq), filters, RESCORE_DEPTH);
  return ids ? ids.map((paperId) => ({ paperId, score: 0 })) : index.search(db, titleQuery(kq), filters, 'relevance', RESCORE_DEPTH, 0);
}

/** The same query with its free words and phrases required in the title. */
function titleQuery(kq: KeywordQuery): KeywordQuery {
  return { ...kq, must: kq.must.map((c): Clause => (c.field === 'any' ? { ...c, field: 'title' } : c)) };
}

function unique(hits: Hit[]): Hit[] {
  const seen = new Set<number>();
  return hits.filter((h) => !seen.has(h.paperId) && seen.add(h.paperId));
}

/**
 * The rarest one-word clauses whose postings fit CANDIDATE_POSTINGS, or the engine's own budget
 * (TermStats.candidatePostings), always at least one; phrases are
 * kept. A word is counted by its stem as the index stems it, case and accents folded: a feedback
 * term is asked as a word seen in some paper ("CoT"), which must count as its stem ("cot") does.
 */
export function rareClauses(clauses: Clause[], stats: TermStats): Clause[] {
  const df = (c: Clause) => (c.tokens.length === 1 ? stats.docFreq.get(stemWord(c.tokens[0]!)) ?? 0 : 0);
  const byRarity = [...clauses].sort((a, b) => df(a) - df(b));
  const kept: Clause[] = [];
  let postings = 0;
  for (const c of byRarity) {
    if (kept.length > 0 && postings + df(c) > (stats.candidatePostings ?? CANDIDATE_POSTINGS)) break;
    kept.push(c);
    postings += df(c);
  }
  return kept;
}

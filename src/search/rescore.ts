// Second-stage ranking of keyword candidates, in TypeScript because FTS5's bm25() fixes its
// constants and normalises length over the whole row. Pure: texts and corpus statistics in, scores out.
//
// BM25F (Robertson & Zaragoza 2009): each field's term frequency is normalised by that field's own
// length, weighted, summed, then saturated once:
//   tf' = Σ_f w_f · tf_f / (1 − b + b · len_f / avglen_f)      score = Σ_t q_t · idf(t) · tf' / (k1 + tf')
// with idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)), as in Lucene.
//
// What people remember of a title counts too, in the same BM25F form (Metzler & Croft's sequential
// dependence model read the BM25 way, as Lucene scores a sloppy phrase):
// - each run of adjacent query words (pairs; in a short query also its runs of three and four) is a
//   pseudo-term whose frequency in a field counts the places where its words follow one another in
//   order, each within MAX_GAP positions of the last (1 when adjacent, ½ with one word between), with
//   the sum of its words' idfs as its idf (a gap lets "fusion learned" match "fusion of learned");
// - each query word written exactly as in the text (unstemmed: "adaption" is not "adaptive", though
//   both stem to "adapt") is another pseudo-term, with its stem's idf, a lower bound of its own.
// These add evidence only where the words appear together or exactly, so a descriptive query's
// scattered matches still rank by the plain terms.
// RM3's query expansion, which feeds this scoring a second query, is in rm3.ts.
import type { TermStats } from './keyword.ts';

/** Saturation and length normalisation: Lucene's and Robertson's standard values, not tuned here. */
export const K1 = 1.2;
export const B = 0.75;
/**
 * Field weights: a title word counts four times an abstract word (titles are short, say what the
 * paper is about, and are what people remember of it). Measured one ranking on both sets: title
 * weight 2 → 4 took known-item MRR@10 from 0.84 to 0.88 while SciFact nDCG@10 stayed at 0.70.
 */
export const FIELD_WEIGHTS = { title: 4, abstract: 1, authors: 1 } as const;

/**
 * Ordered pairs further apart than this (in positions) are not counted as remembered together: 2
 * allows one word between, the function word a person drops ("video coding [for] machines").
 * Measured: gaps of up to 4 or 8 rank no better on either set.
 */
export const MAX_GAP = 2;
/**
 * Longest run of adjacent query words scored as one phrase: what someone remembers of a title is a
 * few words long (the search box reads up to four words, ALL_WORDS_MAX, as all required). The caller
 * gives descriptive queries pairs only: a claim's runs of three words are rarely a remembered
 * phrase, and scoring them cost SciFact 0.01 nDCG@10.
 */
export const MAX_RUN = 4;

/**
 * A paper's analysed fields. Terms are strings (stems; folded words), or the numbers that stand for
 * them (paper-terms.ts): scoring only compares terms, so both give the same scores.
 */
export interface DocText<T = string> {
  paperId: number;
  /** Stemmed tokens in order. */
  title: ArrayLike<T>;
  abstract: ArrayLike<T>;
  authors: ArrayLike<T>;
  /** Folded, unstemmed tokens of the title and abstract (for exact matches), in order. */
  titleWords?: ArrayLike<T>;
  abstractWords?: ArrayLike<T>;
}

/** Corpus statistics with document frequencies keyed by the terms' form (TermStats: by stem). */
export type CorpusStats<T> = Omit<TermStats, 'docFreq'> & { docFreq: Map<T, number> };

/** The query's own words, for the pair and exact-word evidence: in order, with their stems and weights. */
export interface QueryWords<T = string> {
  words: Array<{ word: T; stem: T; weight: number }>;
  /** Longest run of adjacent words scored as one phrase (2: pairs only; default MAX_RUN). */
  longestRun?: number;
}

/** Query term → weight. */
export type WeightedQuery<T = string> = Map<T, number>;

export interface Scored {
  paperId: number;
  score: number;
}

export function idf<T>(stats: CorpusStats<T>, term: T): number {
  const df = stats.docFreq.get(term) ?? 0;
  return Math.log(1 + (stats.docCount - df + 0.5) / (df + 0.5));
}

export function bm25f<T>(query: WeightedQuery<T>, docs: Array<DocText<T>>, stats: CorpusStats<T>, remembered?: QueryWords<T>): Scored[] {
  const avg = { title: stats.avgTitleLength || 1, abstract: stats.avgAbstractLength || 1, authors: stats.avgAuthorsLength || 1 };
  // The query's terms numbered 0…n-1 in the query's order; each candidate's counts go in one typed
  // array, reused from paper to paper (no Map per field and paper, which was most of the garbage).
  // Everything that depends only on the query is worked out once, before the papers.
  const terms = termIndex(query.keys());
  const n = terms.size;
  const qw = Float64Array.from(query.values());
  const idfs = Float64Array.from(query.keys(), (t) => idf(stats, t));
  const words = remembered?.words ?? [];
  const surfaces = termIndex(words.map((w) => w.word));
  const m = surfaces.size;
  const wordAt = Int32Array.from(words, (w) => surfaces.indexOf(w.word));
  const wordWeights = Float64Array.from(words, (w) => w.weight);
  const wordIdfs = Float64Array.from(words, (w) => idf(stats, w.stem));
  const runs = queryRuns(words, remembered?.longestRun ?? MAX_RUN, stats).map((run) => ({ ...run, at: Int32Array.from(run.stems, (stem) => terms.indexOf(stem)) }));
  const tf = new Int32Array(3 * n);
  const exact = new Int32Array(2 * m);
  const out: Scored[] = new Array(docs.length);
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i]!;
    // Each field is read once, counting only the query's terms (a paper holds ~150 distinct terms):
    // title counts at [0, n), abstract at [n, 2n), authors at [2n, 3n).
    tf.fill(0);
    exact.fill(0);
    // A word written as the query writes it stems as the query's word does, so its exact spelling is
    // looked for only where the field holds a query term: one scan of the field for both.
    countInto(d.title, terms, tf, 0, d.titleWords, surfaces, exact, 0);
    countInto(d.abstract, terms, tf, n, d.abstractWords, surfaces, exact, m);
    countInto(d.authors, terms, tf, 2 * n);
    const wTitle = fieldWeight(FIELD_WEIGHTS.title, d.title.length, avg.title);
    const wAbstract = fieldWeight(FIELD_WEIGHTS.abstract, d.abstract.length, avg.abstract);
    const wAuthors = fieldWeight(FIELD_WEIGHTS.authors, d.authors.length, avg.authors);
    let score = 0;
    for (let k = 0; k < n; k++) {
      // Summed in the fields' order, from 0, as always: the same scores to the last bit.
      let f = 0;
      f += wTitle * tf[k]!;
      f += wAbstract * tf[n + k]!;
      f += wAuthors * tf[2 * n + k]!;
      if (f > 0) score += qw[k]! * idfs[k]! * saturate(f);
    }
    if (words.length > 0) {
      for (let w = 0; w < words.length; w++) {
        const k = wordAt[w]!;
        const f = wTitle * exact[k]! + wAbstract * exact[m + k]!;
        if (f > 0) score += wordWeights[w]! * wordIdfs[w]! * saturate(f);
      }
      for (const run of runs) {
        let f = 0;
        // A field can hold the run only if it holds each of its stems (a stem the query lacks: never).
        if (holdsAll(run.at, tf, 0)) f += wTitle * runFrequency(d.title, run.stems);
        if (holdsAll(run.at, tf, n)) f += wAbstract * runFrequency(d.abstract, run.stems);
        if (f > 0) score += run.weight * run.idf * saturate(f);
      }
    }
    out[i] = { paperId: d.paperId, score };
  }
  return out;
}

function saturate(x: number): number {
  return x / (K1 + x);
}

function fieldWeight(w: number, len: number, average: number): number {
  return w / (1 - B + (B * len) / average);
}

/** Whether every one of the terms numbered `at` is counted in the field at `offset` (-1: a term the query lacks). */
function holdsAll(at: Int32Array, tf: Int32Array, offset: number): boolean {
  for (let j = 0; j < at.length; j++) if (at[j]! < 0 || tf[offset + at[j]!] === 0) return false;
  return true;
}

/** Terms numbered in their first order: each one's number, or -1 for any other term. */
interface TermIndex<T> {
  size: number;
  indexOf(term: T): number;
  /** For term ids: a bitmap of the terms' low bits, set for every term (see termIndex). */
  bits?: Uint32Array;
}

/**
 * The query's terms. Term ids (paper-terms.ts) are first tested against a bitmap of their low bits,
 * which rules out nearly every other term without a hash lookup (a candidate holds ~500 tokens).
 */
function termIndex<T>(terms: Iterable<T>): TermIndex<T> {
  const index = new Map<T, number>();
  for (const t of terms) if (!index.has(t)) index.set(t, index.size);
  if (![...index.keys()].every((t) => typeof t === 'number')) return { size: index.size, indexOf: (t) => index.get(t) ?? -1 };
  const bits = new Uint32Array(BITMAP_BITS / 32);
  for (const t of index.keys() as Iterable<number>) bits[(t & (BITMAP_BITS - 1)) >>> 5]! |= 1 << (t & 31);
  return {
    size: index.size,
    bits,
    indexOf: (t) => {
      const n = t as number;
      return (bits[(n & (BITMAP_BITS - 1)) >>> 5]! & (1 << (n & 31))) !== 0 ? (index.get(t) ?? -1) : -1;
    },
  };
}

const BITMAP_BITS = 4096;

/**
 * Adds how often each of `terms` occurs in the tokens to `counts`, term k at offset + k; and where a
 * token is one of the terms, how often each of `surfaces` is the word at that place (`words`, the
 * field's unstemmed words, one per token) to `exact`, surface j at exactOffset + j.
 */
function countInto<T>(
  tokens: ArrayLike<T>, terms: TermIndex<T>, counts: Int32Array, offset: number,
  words?: ArrayLike<T>, surfaces?: TermIndex<T>, exact?: Int32Array, exactOffset = 0,
): void {
  const spelt = words !== undefined && surfaces !== undefined && surfaces.size > 0 ? words : undefined;
  const bits = terms.bits;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // For term ids the bitmap test inline: nine tokens in ten stop here.
    if (bits && (bits[((t as number) & (BITMAP_BITS - 1)) >>> 5]! & (1 << ((t as number) & 31))) === 0) continue;
    const k = terms.indexOf(t);
    if (k < 0) continue;
    counts[offset + k]!++;
    if (spelt) {
      const j = surfaces!.indexOf(spelt[i]!);
      if (j >= 0) exact![exactOffset + j]!++;
    }
  }
}

/**
 * The query's runs of 2 to `longest` adjacent words, each a pseudo-term: its stems in order, the
 * weight of its weakest word, the sum of its words' idfs. The idf is a sum so that a run's share
 * can be bounded per word, as top-k early termination needs (docs/search.md, "Bounds for top-k").
 */
export function queryRuns<T>(words: QueryWords<T>['words'], longest: number, stats: CorpusStats<T>): Array<{ stems: T[]; weight: number; idf: number }> {
  const runs: Array<{ stems: T[]; weight: number; idf: number }> = [];
  for (let n = 2; n <= longest; n++) {
    for (let i = 0; i + n <= words.length; i++) {
      const run = words.slice(i, i + n);
      runs.push({ stems: run.map((w) => w.stem), weight: Math.min(...run.map((w) => w.weight)), idf: run.reduce((sum, w) => sum + idf(stats, w.stem), 0) });
    }
  }
  return runs;
}

/**
 * How often the stems occur in order, each within MAX_GAP positions of the one before: Σ 1/(1 + the
 * positions skipped) over the places the run starts (Lucene's sloppy phrase frequency: a pair with
 * one word between counts ½).
 */
export function runFrequency<T>(tokens: ArrayLike<T>, stems: T[]): number {
  let f = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== stems[0]) continue;
    let at = i;
    for (let j = 1; j < stems.length && at >= 0; j++) at = nextWithin(tokens, at, stems[j]!);
    if (at >= 0) f += 1 / (1 + at - i - (stems.length - 1));
  }
  return f;
}

/** The first position after `at`, within MAX_GAP, holding `stem`; -1 when none. */
function nextWithin<T>(tokens: ArrayLike<T>, at: number, stem: T): number {
  for (let k = at + 1; k <= at + MAX_GAP && k < tokens.length; k++) if (tokens[k] === stem) return k;
  return -1;
}

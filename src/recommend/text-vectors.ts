// Papers as TF-IDF vectors for comparing them with each other (terms from comparison-terms.ts).
// Weights are BM25's saturated term frequency (k1 = 1.2, b = 0.75, Robertson's usual values: a
// word's tenth use says less than its second, and a long abstract's words each say less) × IDF with
// document frequencies counted over the whole store (term-statistics.ts), L2-normalised over the
// terms some other paper shares: a term only one paper holds can match nothing, and counting it
// would only shrink that paper's cosines (measured: keeping them cost 0.01 of recall@50).
// The window's papers are indexed both ways — by paper (vectors) and by term (postings) — so a saved
// paper is compared with every candidate by walking only the postings of its own terms. Pure.
import type { TermCounts } from './comparison-terms.ts';
import { findHash, hashTable, inverseFrequency, mergeSorted, paperLength, sortedHashesOf, type CorpusStatistics, type HashTable } from './term-statistics.ts';
import { finish, type Steps } from '../lib/turns.ts';

export interface SparseVector {
  /** Positions in the index's vocabulary. */
  terms: Int32Array;
  weights: Float32Array;
}

export interface TermIndex {
  /** Term hashes of the window's papers, ascending: a term's position is its id. */
  vocabulary: HashTable;
  /**
   * Postings, CSR: papers (by position in the window) holding term t are postPaper[postStart[t] ..
   * postStart[t+1]), heaviest weight first.
   */
  postStart: Int32Array;
  postPaper: Int32Array;
  postWeight: Float32Array;
  vectors: SparseVector[];
}

/** Builds the window's index from each paper's terms (in the window's order). */
export function buildTermIndex(papers: TermCounts[], stats: CorpusStatistics): TermIndex {
  return finish(termIndexSteps(papers, stats));
}

/** Papers whose hashes are sorted in one piece (~100,000 hashes). */
const SORT_SLICE = 500;

/** `buildTermIndex` in steps (a paper, a slice of sorting): 4,000 papers in one piece took ~700 ms. */
export function* termIndexSteps(papers: TermCounts[], stats: CorpusStatistics): Steps<TermIndex> {
  let all: Uint32Array = new Uint32Array(0);
  for (let i = 0; i < papers.length; i += SORT_SLICE) {
    all = yield* mergeSorted(all, sortedHashesOf(papers.slice(i, i + SORT_SLICE)));
    yield;
  }
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i]!;
  const vocabulary = hashTable(all.slice(0, distinct));
  const index: TermIndex = { vocabulary, postStart: new Int32Array(distinct + 1), postPaper: new Int32Array(0), postWeight: new Float32Array(0), vectors: [] };
  for (const p of papers) {
    index.vectors.push(vectorize(index, p, stats));
    yield;
  }
  const { postStart } = index;
  for (const v of index.vectors) for (const t of v.terms) postStart[t + 1]!++;
  for (let t = 0; t < distinct; t++) postStart[t + 1]! += postStart[t]!;
  const fill = postStart.slice(0, distinct);
  index.postPaper = new Int32Array(postStart[distinct]!);
  index.postWeight = new Float32Array(index.postPaper.length);
  index.vectors.forEach((v, p) => {
    for (let i = 0; i < v.terms.length; i++) {
      const j = fill[v.terms[i]!]!++;
      index.postPaper[j] = p;
      index.postWeight[j] = v.weights[i]!;
    }
  });
  yield* sortPostingsByWeight(index);
  return index;
}

/**
 * Each term's postings heaviest first (ties by paper), so that a walk can stop where the products
 * left are too small to matter (see MIN_IMPACT in rank.ts).
 */
function* sortPostingsByWeight(index: TermIndex): Steps<void> {
  const { postStart, postPaper, postWeight } = index;
  let order = new Int32Array(0);
  const papers = new Int32Array(postPaper.length === 0 ? 0 : maxRun(postStart));
  const weights = new Float32Array(papers.length);
  for (let t = 0; t + 1 < postStart.length; t++) {
    const start = postStart[t]!;
    const len = postStart[t + 1]! - start;
    if (len < 2) continue;
    if (order.length < len) order = new Int32Array(Math.max(len, 2 * order.length));
    const o = order.subarray(0, len);
    for (let k = 0; k < len; k++) o[k] = k;
    o.sort((a, b) => postWeight[start + b]! - postWeight[start + a]! || a - b);
    for (let k = 0; k < len; k++) {
      papers[k] = postPaper[start + o[k]!]!;
      weights[k] = postWeight[start + o[k]!]!;
    }
    postPaper.set(papers.subarray(0, len), start);
    postWeight.set(weights.subarray(0, len), start);
    if ((t & 255) === 0) yield;
  }
}

function maxRun(postStart: Int32Array): number {
  let max = 0;
  for (let t = 0; t + 1 < postStart.length; t++) max = Math.max(max, postStart[t + 1]! - postStart[t]!);
  return max;
}

/** Position of a term hash in the vocabulary, or -1. */
export function termId(index: TermIndex, hash: number): number {
  return findHash(index.vocabulary, hash);
}

const BM25_K1 = 1.2;
const BM25_B = 0.75;

/** A paper (in the window or not) as a vector in the window's space, normalised over all its shared terms. */
export function vectorize(index: TermIndex, paper: TermCounts, stats: CorpusStatistics): SparseVector {
  const terms: number[] = [];
  const weights: number[] = [];
  let norm = 0;
  const meanLength = stats.papers > 0 ? stats.length / stats.papers : 1;
  const k = BM25_K1 * (1 - BM25_B + (BM25_B * paperLength(paper)) / Math.max(1, meanLength));
  for (let i = 0; i < paper.hashes.length; i++) {
    // A term only this paper holds weighs 0 but stays in the vector: saved searches look for it.
    const tf = paper.counts[i]!;
    const w = ((tf * (BM25_K1 + 1)) / (tf + k)) * inverseFrequency(stats, paper.hashes[i]!);
    norm += w * w;
    const id = termId(index, paper.hashes[i]!);
    if (id < 0) continue;
    terms.push(id);
    weights.push(w);
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { terms: Int32Array.from(terms), weights: Float32Array.from(weights, (w) => w * scale) };
}

/** Cosine of one vector with every window paper, added into `out` (length = window size) times `factor`. */
export function addCosines(index: TermIndex, v: SparseVector, out: Float32Array, factor = 1): void {
  const { postStart, postPaper, postWeight } = index;
  for (let i = 0; i < v.terms.length; i++) {
    const t = v.terms[i]!;
    const w = v.weights[i]! * factor;
    for (let j = postStart[t]!, end = postStart[t + 1]!; j < end; j++) out[postPaper[j]!]! += w * postWeight[j]!;
  }
}

// Papers as TF-IDF vectors for comparing them with each other. Title and abstract are analysed the
// way the keyword index does (Porter stems) plus each pair of neighbouring stems; every term is kept
// as a 32-bit hash, so no vocabulary of strings is held (a window's word pairs number about a
// million). Weights are BM25's saturated term frequency (k1 = 1.2, b = 0.75, Robertson's usual
// values: a word's tenth use says less than its second, and a long abstract's words each say less)
// × IDF with document frequencies counted over the whole store (CorpusStatistics), L2-normalised
// over the terms some other paper shares: a term
// only one paper holds can match nothing, and counting it would only shrink that paper's cosines
// (measured: keeping them cost 0.01 of recall@50).
// The window's papers are indexed both ways — by paper (vectors) and by term (postings) — so a saved
// paper is compared with every candidate by walking only the postings of its own terms. Pure.
import { porterStem } from '../search/porter.ts';
import { STOPWORDS, tokenize } from '../search/analyze.ts';
import { ByteCache, stringBytes } from '../lib/byte-cache.ts';

/** A paper's distinct terms (hashes, ascending) and how often each occurs. */
export interface TermCounts {
  hashes: Uint32Array;
  counts: Uint16Array;
}

export interface SparseVector {
  /** Positions in the index's vocabulary. */
  terms: Int32Array;
  weights: Float32Array;
}

/**
 * Document frequencies over every paper of the store: each distinct term hash (ascending) and the
 * number of papers holding it — exact, because whether a term is held by one paper or by two
 * decides whether it counts at all (about 6 bytes a term: 3.4 million terms, 20 MB, for the
 * 74,728-paper corpus). Immutable: adding papers makes a new one (`withPapers`).
 */
export interface CorpusStatistics {
  papers: number;
  /** Term occurrences over all papers counted (for the mean length BM25 compares with). */
  length: number;
  terms: HashTable;
  counts: Uint32Array;
}

export function createCorpusStatistics(): CorpusStatistics {
  return { papers: 0, length: 0, terms: hashTable(new Uint32Array(0)), counts: new Uint32Array(0) };
}

/** Every paper's term hashes in one sorted array (a hash appears once per paper that holds it). */
function sortedHashesOf(papers: TermCounts[]): Uint32Array {
  let total = 0;
  for (const p of papers) total += p.hashes.length;
  const all = new Uint32Array(total);
  let at = 0;
  for (const p of papers) {
    all.set(p.hashes, at);
    at += p.hashes.length;
  }
  return all.sort();
}

/** The statistics with these papers counted too. */
export function withPapers(stats: CorpusStatistics, papers: TermCounts[]): CorpusStatistics {
  if (papers.length === 0) return stats;
  const added = sortedHashesOf(papers);
  const total = added.length;
  // Merge the sorted new hashes (runs of one hash = its new papers) into the existing table.
  const old = stats.terms.hashes;
  const hashes = new Uint32Array(old.length + total);
  const counts = new Uint32Array(hashes.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < old.length || j < total) {
    const h = j >= total || (i < old.length && old[i]! <= added[j]!) ? old[i]! : added[j]!;
    let c = 0;
    if (i < old.length && old[i] === h) c += stats.counts[i++]!;
    while (j < total && added[j] === h) {
      c++;
      j++;
    }
    hashes[k] = h;
    counts[k++] = c;
  }
  let length = stats.length;
  for (const p of papers) length += paperLength(p);
  return { papers: stats.papers + papers.length, length, terms: hashTable(hashes.slice(0, k)), counts: counts.slice(0, k) };
}

export function documentFrequency(stats: CorpusStatistics, hash: number): number {
  const at = search(stats.terms, hash);
  return at < 0 ? 0 : stats.counts[at]!;
}

/** Inverse document frequency; 0 for a term no other paper holds (see the file's comment). */
export function inverseFrequency(stats: CorpusStatistics, hash: number): number {
  const df = documentFrequency(stats, hash);
  return df < 2 ? 0 : Math.log((stats.papers + 1) / (df + 1)) + 1;
}

/**
 * A sorted array of term hashes with a directory of where each value of the top 16 bits starts:
 * the hashes are well mixed, so a directory slot covers a few dozen of the store's 3.4 million
 * terms, and a look-up is one probe into the 256 KB directory and a short search within a few
 * cache lines, where halving the whole array would take 22 probes, most of them cache misses (a
 * reader's papers look up some 20,000 terms per list).
 */
export interface HashTable {
  hashes: Uint32Array;
  /** starts[b] = the first position whose hash's top 16 bits are ≥ b (65,537 entries). */
  starts: Int32Array;
}

export function hashTable(hashes: Uint32Array): HashTable {
  const starts = new Int32Array(65537);
  let at = 0;
  for (let b = 0; b <= 65536; b++) {
    while (at < hashes.length && hashes[at]! >>> 16 < b) at++;
    starts[b] = at;
  }
  return { hashes, starts };
}

/** Position of `x` in the table, or -1. */
function search(table: HashTable, x: number): number {
  const { hashes, starts } = table;
  const b = x >>> 16;
  let lo = starts[b]!;
  let hi = starts[b + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const y = hashes[mid]!;
    if (y < x) lo = mid + 1;
    else if (y > x) hi = mid - 1;
    else return mid;
  }
  return -1;
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

/**
 * Each word seen → the hash of its stem (0 for a stop word): stemming is most of the cost of
 * analysing a text, and a corpus's words repeat. Bounded by bytes: the words of arXiv abstracts
 * number in the hundreds of thousands, and any text a client sends passes through here too.
 */
export const STEM_CACHE_BYTES = 16 * 1024 * 1024;
const stemHashes = new ByteCache<string, number>(STEM_CACHE_BYTES, (word) => stringBytes(word) + 8);
/** FNV-1a over UTF-16 code units, then a final mix (murmur3's) so that every bit depends on every character. */
export function hashTerm(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
  return mix(h);
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The hash of the ordered pair (a, b): a different term from both and from (b, a). */
function pairHash(a: number, b: number): number {
  return mix(Math.imul(a, 0x9e3779b1) ^ b ^ 0x5bd1e995);
}

/** Stemmed content words of a text, stop words and bare numbers left out. */
export function paperTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (token.length < 2 || STOPWORDS.has(token) || /^\d+$/.test(token)) continue;
    out.push(porterStem(token));
  }
  return out;
}

/**
 * A paper's terms for comparing papers: its stems and each pair of neighbouring stems (after stop
 * words are dropped), since a pair ("gaussian splatting", "policy gradient") names a topic far more
 * precisely than its words apart. Measured on the authors benchmark: see docs/personal.md.
 */
export function comparisonTerms(text: string): TermCounts {
  const words: number[] = [];
  for (const token of tokenize(text)) {
    let h = stemHashes.get(token);
    if (h === undefined) {
      h = token.length < 2 || STOPWORDS.has(token) || /^\d+$/.test(token) ? 0 : hashTerm(porterStem(token));
      stemHashes.set(token, h);
    }
    if (h !== 0) words.push(h);
  }
  const all = new Uint32Array(words.length * 2 - (words.length > 0 ? 1 : 0));
  words.forEach((h, i) => {
    all[i] = h;
    if (i > 0) all[words.length + i - 1] = pairHash(words[i - 1]!, h);
  });
  all.sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) distinct++;
  const hashes = new Uint32Array(distinct);
  const counts = new Uint16Array(distinct);
  let k = -1;
  for (let i = 0; i < all.length; i++) {
    if (i === 0 || all[i] !== all[i - 1]) hashes[++k] = all[i]!;
    counts[k] = Math.min(65535, counts[k]! + 1);
  }
  return { hashes, counts };
}

/** Builds the window's index from each paper's terms (in the window's order). */
export function buildTermIndex(papers: TermCounts[], stats: CorpusStatistics): TermIndex {
  const all = sortedHashesOf(papers);
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i]!;
  const vocabulary = hashTable(all.slice(0, distinct));
  const index: TermIndex = { vocabulary, postStart: new Int32Array(distinct + 1), postPaper: new Int32Array(0), postWeight: new Float32Array(0), vectors: [] };
  index.vectors = papers.map((p) => vectorize(index, p, stats));
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
  sortPostingsByWeight(index);
  return index;
}

/**
 * Each term's postings heaviest first (ties by paper), so that a walk can stop where the products
 * left are too small to matter (see MIN_IMPACT in rank.ts).
 */
function sortPostingsByWeight(index: TermIndex): void {
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
  }
}

function maxRun(postStart: Int32Array): number {
  let max = 0;
  for (let t = 0; t + 1 < postStart.length; t++) max = Math.max(max, postStart[t + 1]! - postStart[t]!);
  return max;
}

/** Position of a term hash in the vocabulary, or -1. */
export function termId(index: TermIndex, hash: number): number {
  return search(index.vocabulary, hash);
}

/** Term occurrences in a paper. */
function paperLength(p: TermCounts): number {
  let n = 0;
  for (let i = 0; i < p.counts.length; i++) n += p.counts[i]!;
  return n;
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

/**
 * How much each paper resembles papers in general: the mean of its `k` best cosines to a background
 * sample (indexed as `background`). Subtracted from a paper's score, it keeps "hubs" — papers whose
 * common vocabulary makes them close to everything — from crowding every reader's list (the
 * neighbourhood correction of CSLS, Conneau et al. 2018, "Word translation without parallel data").
 */
export function generality(background: TermIndex, papers: TermCounts[], stats: CorpusStatistics, k: number): Float32Array {
  const out = new Float32Array(papers.length);
  const n = background.vectors.length;
  if (n === 0) return out;
  const cosines = new Float32Array(n);
  const take = Math.min(k, n);
  papers.forEach((p, i) => {
    cosines.fill(0);
    addCosines(background, vectorize(background, p, stats), cosines);
    out[i] = meanOfLargest(cosines, take);
  });
  return out;
}

/** Mean of the `k` largest values (the array is reordered). */
function meanOfLargest(values: Float32Array, k: number): number {
  // Quickselect: afterwards the k largest sit in values[0 .. k).
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
  let sum = 0;
  for (let i = 0; i < k; i++) sum += values[i]!;
  return sum / k;
}

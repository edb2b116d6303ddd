// Document frequencies over every paper of the store, for the recommender's IDF (loaded by
// corpus-stats.ts), and the sorted hash table they and the window's vocabulary are looked up in. Pure.
import type { TermCounts } from './comparison-terms.ts';
import { finish, type Steps } from '../lib/turns.ts';

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
export function sortedHashesOf(papers: TermCounts[]): Uint32Array {
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

/** Merge steps between turns: about a millisecond of work. */
const MERGE_STEP = 1 << 16;

/** The statistics with these papers counted too. */
export function withPapers(stats: CorpusStatistics, papers: TermCounts[]): CorpusStatistics {
  if (papers.length === 0) return stats;
  return finish(withSortedHashes(stats, sortedHashesOf(papers), papers.length, papers.reduce((n, p) => n + paperLength(p), 0)));
}

/**
 * The statistics with more papers counted, given as their hashes sorted (a hash once per paper that
 * holds it: `sortedHashesOf`, or several such arrays merged by `mergeSorted`), their number and their
 * total length. In steps: at 75,000 papers the table holds 3.4 million terms.
 */
export function* withSortedHashes(stats: CorpusStatistics, added: Uint32Array, papers: number, addedLength: number): Steps<CorpusStatistics> {
  if (papers === 0) return stats;
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
    if ((k & (MERGE_STEP - 1)) === 0) yield;
  }
  return { papers: stats.papers + papers, length: stats.length + addedLength, terms: hashTable(hashes.slice(0, k)), counts: counts.slice(0, k) };
}

/** Two sorted arrays as one, in steps. */
export function* mergeSorted(a: Uint32Array, b: Uint32Array): Steps<Uint32Array> {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
    if ((k & (MERGE_STEP - 1)) === 0) yield;
  }
  out.set(a.subarray(i), k);
  out.set(b.subarray(j), k + a.length - i);
  return out;
}

export function documentFrequency(stats: CorpusStatistics, hash: number): number {
  const at = findHash(stats.terms, hash);
  return at < 0 ? 0 : stats.counts[at]!;
}

/** Inverse document frequency; 0 for a term no other paper holds (see text-vectors.ts). */
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
export function findHash(table: HashTable, x: number): number {
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

/** Term occurrences in a paper. */
export function paperLength(p: TermCounts): number {
  let n = 0;
  for (let i = 0; i < p.counts.length; i++) n += p.counts[i]!;
  return n;
}

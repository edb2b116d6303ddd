// A paper's text as terms for comparing papers: Porter stems (the keyword index's analysis) and
// each pair of neighbouring stems, every term kept as a 32-bit hash, so no vocabulary of strings is
// held (a window's word pairs number about a million). Pure, but for a bounded word → stem cache.
import { porterStem } from '../search/porter.ts';
import { STOPWORDS, tokenize } from '../search/analyze.ts';
import { ByteCache, stringBytes } from '../lib/byte-cache.ts';

/** A paper's distinct terms (hashes, ascending) and how often each occurs. */
export interface TermCounts {
  hashes: Uint32Array;
  counts: Uint16Array;
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

// Highlighted, HTML-escaped text for search results. Pure. Words are matched by stem, the same way the
// index matched them, so "models" in the query marks "model" and "modelling" in the text.
import { escapeHtml } from '../lib/html.ts';
import { hasTex, isPlainText, mathSpans, texHtml } from '../lib/tex.ts';
import { foldText } from './analyze.ts';
import { MAX_STEMMED_LENGTH, porterStem, wordStemmingTo } from './porter.ts';
import { stringBytes } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';

/**
 * The query's words found in a text: where each starts and ends, which query stem it is (an index
 * into the stems), and, outside ASCII, which word of the text it is (0 for the first). Arrays of
 * small integers: a results page scans thousands of words.
 */
interface Matches {
  start: number[];
  end: number[];
  stem: number[];
  word: number[];
}

// Stemming every word of every result is the costly part of a results page; words repeat a lot.
// Both caches are bounded by bytes, and words longer than the stemmer reads are never kept: a client
// sending many unique long words cannot grow the process.
const stemCache = budgetedCache<string, string>('stems', (w, s) => stringBytes(w) + stringBytes(s));

/** Stem → a word seen with that stem, for asking the index about a stem (its tokenizer stems again). */
const surfaces = budgetedCache<string, string>('stem surfaces', (s, w) => stringBytes(s) + stringBytes(w));

/** A word seen with this stem, else one that stems back to it, else the stem itself. */
export function surfaceOf(stem: string): string {
  // A stem not seen lately (the cache is bounded) is asked as a word that stems back to it.
  return surfaces.get(stem) ?? wordStemmingTo(stem) ?? stem;
}

export function stemWord(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    stem = porterStem(/^[\x00-\x7f]*$/.test(word) ? word.toLowerCase() : foldText(word));
    if (word.length > MAX_STEMMED_LENGTH) return stem; // returned unchanged by the stemmer: nothing worth keeping
    stemCache.set(word, stem);
    if (!surfaces.has(stem)) surfaces.set(stem, word);
  }
  return stem;
}

/**
 * The query's words in the text, found by stem; a word is stemmed only when it can be one: Porter's
 * rules only change a word's ending and leave at least two letters before any change, so a stem of
 * two or more letters begins with its word's first two letters, but for a final y turned i ("ays" →
 * "ai"), which the key below reads as i on both sides (true of all 234,621 terms of the 74,728-paper
 * arXiv sample; snippet.test.ts checks a spread of endings). A word whose first two letters begin no
 * query stem is never stemmed: with the ten or so stems of a descriptive query that skips nine words
 * in ten, where one first letter skipped about half, and stemming (a cache lookup per word) was most
 * of rendering a results page. A stem of one letter ("ies" → "i") is matched by its first letter.
 */
function matchesIn(text: string, ascii: boolean, stems: readonly string[]): Matches {
  if (ascii && stems.every((s) => s.length >= 2)) return asciiMatches(text, stems);
  const pairs = new Set<number>();
  const singles = new Set<number>();
  for (const stem of stems) {
    if (stem.length >= 2) pairs.add(pairKey(stem.charCodeAt(0), stem.charCodeAt(1)));
    else singles.add(stem.charCodeAt(0));
  }
  const out: Matches = { start: [], end: [], stem: [], word: [] };
  let word = 0;
  eachWord(text, ascii, 0, (start, end) => {
    const c = lowerAscii(text.charCodeAt(start));
    const d = end - start > 1 ? lowerAscii(text.charCodeAt(start + 1)) : 0;
    // Any other character is folded with the word (accents, ligatures), so such a word is always stemmed.
    const stem = c >= 0x80 || d >= 0x80 || singles.has(c) || pairs.has(pairKey(c, d)) ? stems.indexOf(stemWord(text.slice(start, end))) : -1;
    if (stem >= 0) {
      out.start.push(start);
      out.end.push(end);
      out.stem.push(stem);
      out.word.push(word);
    }
    word++;
    return false;
  });
  return out;
}

/**
 * matchesIn for ASCII text and stems of two letters or more: the words that may be a query word are
 * those starting with a stem's first two letters (a second y read as i), found by searching the text
 * for those two letters (a native scan) rather than walking it word by word.
 */
function asciiMatches(text: string, stems: readonly string[]): Matches {
  const lower = text.toLowerCase();
  const prefixes = new Set<string>();
  for (const stem of stems) {
    const second = stem[1]!;
    if (second === 'i' || second === 'y') prefixes.add(`${stem[0]}i`).add(`${stem[0]}y`);
    else prefixes.add(stem.slice(0, 2));
  }
  const starts: number[] = [];
  for (const prefix of prefixes) {
    for (let at = lower.indexOf(prefix); at >= 0; at = lower.indexOf(prefix, at + 1)) if (at === 0 || !isAsciiWordChar(lower.charCodeAt(at - 1))) starts.push(at);
  }
  if (prefixes.size > 1) starts.sort((a, b) => a - b);
  const out: Matches = { start: [], end: [], stem: [], word: [] };
  for (const start of starts) {
    let end = start + 2;
    while (end < text.length && isAsciiWordChar(text.charCodeAt(end))) end++;
    const stem = stems.indexOf(stemWord(text.slice(start, end)));
    if (stem >= 0) {
      out.start.push(start);
      out.end.push(end);
      out.stem.push(stem);
    }
  }
  return out;
}

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/**
 * Calls `visit(start, end)` for each word of the text from `from` (0, or a word's start) in order,
 * until it returns true. A word is a run of letters and digits (with combining marks after the first).
 */
function eachWord(text: string, ascii: boolean, from: number, visit: (start: number, end: number) => boolean): void {
  if (ascii) {
    // In ASCII the pattern below is runs of letters and digits: scanned by hand, several times faster.
    let start = -1;
    for (let i = from; i <= text.length; i++) {
      const word = i < text.length && isAsciiWordChar(text.charCodeAt(i));
      if (word && start < 0) start = i;
      else if (!word && start >= 0) {
        if (visit(start, i)) return;
        start = -1;
      }
    }
    return;
  }
  const pattern = new RegExp(WORD);
  pattern.lastIndex = from;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) if (visit(m.index, m.index + m[0].length)) return;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const ASCII = /^[\x00-\x7f]*$/;

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** A stem's or word's first two letters as one number, a second y read as i (see above). */
function pairKey(first: number, second: number): number {
  return first * 0x10000 + (second === 121 ? 105 : second);
}

function markRange(text: string, from: number, to: number, matches: Matches): string {
  let out = '';
  let at = from;
  for (let i = 0; i < matches.start.length; i++) {
    const start = matches.start[i]!;
    const end = matches.end[i]!;
    if (start < from || end > to) continue;
    if (text[start - 1] === '\\') continue; // a TeX command's name (\emph), not a word
    out += escapeHtml(text.slice(at, start)) + '<mark>' + escapeHtml(text.slice(start, end)) + '</mark>';
    at = end;
  }
  return out + escapeHtml(text.slice(at, to));
}

/** The whole text, escaped, with query words wrapped in <mark>. */
export function highlight(text: string, stems: Set<string>): string {
  return markRange(text, 0, text.length, matchesIn(text, ASCII.test(text), [...stems]));
}

/**
 * The whole text as HTML with its TeX rendered as the listings render it (lib/tex.ts), query words
 * in <mark> outside maths.
 */
export function highlightTex(text: string, stems: Set<string>): string {
  if (isPlainText(text)) return highlight(text, stems);
  return texHtml(text, (plain) => highlight(plain, stems)).value;
}

/**
 * About `maxChars` of the text around the densest run of query words, escaped, words in <mark>,
 * with "…" where it was cut. Without matches, the opening of the text.
 */
export function snippet(text: string, stems: Set<string>, maxChars = 260): string {
  const ascii = ASCII.test(text);
  const matches = matchesIn(text, ascii, [...stems]);
  if (text.length <= maxChars) return markRange(text, 0, text.length, matches);
  const { from, to } = snippetRange(text, ascii, matches, stems.size, maxChars);
  return (from > 0 ? '…' : '') + markRange(text, from, to, matches) + (to < text.length ? '…' : '');
}

/**
 * The same passage as snippet(), its TeX rendered like highlightTex(): the cut is moved out of any
 * maths span it would split, so a formula is shown whole or not at all. `plain`: snippet()'s answer
 * when already made, reused for text without TeX (most abstracts).
 */
export function snippetTex(text: string, stems: Set<string>, maxChars = 260, plain?: string): string {
  if (isPlainText(text)) return plain ?? snippet(text, stems, maxChars);
  if (text.length <= maxChars) return highlightTex(text, stems);
  const ascii = ASCII.test(text);
  let { from, to } = snippetRange(text, ascii, matchesIn(text, ascii, [...stems]), stems.size, maxChars);
  if (hasTex(text)) {
    for (const span of mathSpans(text)) {
      if (span.start < from && from < span.end) from = span.start;
      if (span.start < to && to < span.end) to = span.end;
    }
  }
  return (from > 0 ? '…' : '') + highlightTex(text.slice(from, to), stems) + (to < text.length ? '…' : '');
}

/** Where snippet() cuts: a window of about `maxChars` starting a few words before the densest matches. */
function snippetRange(text: string, ascii: boolean, matches: Matches, stemCount: number, maxChars: number): { from: number; to: number } {
  const { start, end, stem } = matches;
  // Slide a window over the matches; score = distinct query stems inside, ties to the earliest.
  // `seenIn[s] === i` marks stem s as counted in the window that begins at match i.
  const seenIn = new Int32Array(stemCount).fill(-1);
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < start.length; i++) {
    let distinct = 0;
    for (let j = i; j < start.length && end[j]! - start[i]! <= maxChars; j++) {
      if (seenIn[stem[j]!] !== i) {
        seenIn[stem[j]!] = i;
        distinct++;
      }
    }
    if (distinct > bestScore) {
      bestScore = distinct;
      best = i;
    }
  }
  // Start a few words before the first match so it reads in context (at the text's start when the
  // first match is among its first five words).
  const from = best < 0 ? 0 : ascii ? asciiWordsBack(text, start[best]!, 4) : startOfWord(text, matches.word[best]! - 4);
  let to = Math.min(text.length, from + maxChars);
  if (to < text.length) {
    // Cut after the last word that ends within the window, if one starts in it.
    let lastFit = -1;
    eachWord(text, ascii, from, (_s, e) => (e > to ? true : ((lastFit = e), false)));
    if (lastFit > from) to = lastFit;
  }
  return { from, to };
}

/** Where the word `n` words before the one at `at` starts; 0 when that is the text's first word or before. */
function asciiWordsBack(text: string, at: number, n: number): number {
  for (let k = 0; k < n; k++) {
    let i = at - 1;
    while (i >= 0 && !isAsciiWordChar(text.charCodeAt(i))) i--;
    if (i < 0) return 0;
    while (i > 0 && isAsciiWordChar(text.charCodeAt(i - 1))) i--;
    at = i;
  }
  for (let i = at - 1; i >= 0; i--) if (isAsciiWordChar(text.charCodeAt(i))) return at;
  return 0;
}

/** Where the text's `n`-th word (0 for the first) starts; 0 for n ≤ 0. */
function startOfWord(text: string, n: number): number {
  let from = 0;
  let word = 0;
  if (n > 0) eachWord(text, false, 0, (s) => (word++ === n ? ((from = s), true) : false));
  return from;
}

// Highlighted, HTML-escaped text for search results. Pure. Words are matched by stem, the same way the
// index matched them, so "models" in the query marks "model" and "modelling" in the text.
import { escapeHtml } from '../lib/html.ts';
import { hasTex, isPlainText, mathSpans, texHtml } from '../lib/tex.ts';
import { foldText } from './analyze.ts';
import { MAX_STEMMED_LENGTH, porterStem, wordStemmingTo } from './porter.ts';
import { stringBytes } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';

interface Token {
  start: number;
  end: number;
  /** The word's stem when it may be one of the query's; '' when it cannot be. */
  stem: string;
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
 * The words of the text with their offsets, stemmed only when they can be a query word: Porter's
 * rules only change a word's ending and leave at least two letters before any change, so a stem of
 * two or more letters begins with its word's first two letters, but for a final y turned i ("ays" →
 * "ai"), which the key below reads as i on both sides (true of all 234,621 terms of the 74,728-paper
 * arXiv sample; snippet.test.ts checks a spread of endings). A word whose first two letters begin no
 * query stem is never stemmed: with the ten or so stems of a descriptive query that skips nine words
 * in ten, where one first letter skipped about half, and stemming (a cache lookup per word) was most
 * of rendering a results page. A stem of one letter ("ies" → "i") is matched by its first letter.
 */
function tokensWithOffsets(text: string, stems: Set<string>): Token[] {
  const pairs = new Set<number>();
  const singles = new Set<number>();
  for (const stem of stems) {
    if (stem.length >= 2) pairs.add(pairKey(stem.charCodeAt(0), stem.charCodeAt(1)));
    else singles.add(stem.charCodeAt(0));
  }
  const out: Token[] = [];
  const push = (start: number, end: number) => {
    const c = lowerAscii(text.charCodeAt(start));
    const d = end - start > 1 ? lowerAscii(text.charCodeAt(start + 1)) : 0;
    // Any other character is folded with the word (accents, ligatures), so such a word is always stemmed.
    const maybe = c >= 0x80 || d >= 0x80 || singles.has(c) || pairs.has(pairKey(c, d));
    out.push({ start, end, stem: maybe ? stemWord(text.slice(start, end)) : '' });
  };
  if (ASCII.test(text)) {
    // In ASCII the pattern below is runs of letters and digits: scanned by hand, several times faster.
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 0;
      const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
      if (word && start < 0) start = i;
      else if (!word && start >= 0) {
        push(start, i);
        start = -1;
      }
    }
    return out;
  }
  for (const m of text.matchAll(WORD)) push(m.index, m.index + m[0].length);
  return out;
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

function markRange(text: string, from: number, to: number, tokens: Token[], stems: Set<string>): string {
  let out = '';
  let at = from;
  for (const t of tokens) {
    if (t.start < from || t.end > to || !stems.has(t.stem)) continue;
    if (text[t.start - 1] === '\\') continue; // a TeX command's name (\emph), not a word
    out += escapeHtml(text.slice(at, t.start)) + '<mark>' + escapeHtml(text.slice(t.start, t.end)) + '</mark>';
    at = t.end;
  }
  return out + escapeHtml(text.slice(at, to));
}

/** The whole text, escaped, with query words wrapped in <mark>. */
export function highlight(text: string, stems: Set<string>): string {
  return markRange(text, 0, text.length, tokensWithOffsets(text, stems), stems);
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
  const tokens = tokensWithOffsets(text, stems);
  if (text.length <= maxChars) return markRange(text, 0, text.length, tokens, stems);
  const { from, to } = snippetRange(text, tokens, stems, maxChars);
  return (from > 0 ? '…' : '') + markRange(text, from, to, tokens, stems) + (to < text.length ? '…' : '');
}

/**
 * The same passage as snippet(), its TeX rendered like highlightTex(): the cut is moved out of any
 * maths span it would split, so a formula is shown whole or not at all. `plain`: snippet()'s answer
 * when already made, reused for text without TeX (most abstracts).
 */
export function snippetTex(text: string, stems: Set<string>, maxChars = 260, plain?: string): string {
  if (isPlainText(text)) return plain ?? snippet(text, stems, maxChars);
  if (text.length <= maxChars) return highlightTex(text, stems);
  let { from, to } = snippetRange(text, tokensWithOffsets(text, stems), stems, maxChars);
  if (hasTex(text)) {
    for (const span of mathSpans(text)) {
      if (span.start < from && from < span.end) from = span.start;
      if (span.start < to && to < span.end) to = span.end;
    }
  }
  return (from > 0 ? '…' : '') + highlightTex(text.slice(from, to), stems) + (to < text.length ? '…' : '');
}

/** Where snippet() cuts: a window of about `maxChars` starting a few words before the densest matches. */
function snippetRange(text: string, tokens: Token[], stems: Set<string>, maxChars: number): { from: number; to: number } {
  // Slide a window over tokens; score = distinct query stems inside, ties to the earliest.
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (!stems.has(tokens[i]!.stem)) continue;
    const seen = new Set<string>();
    for (let j = i; j < tokens.length && tokens[j]!.end - tokens[i]!.start <= maxChars; j++) {
      if (stems.has(tokens[j]!.stem)) seen.add(tokens[j]!.stem);
    }
    if (seen.size > bestScore) {
      bestScore = seen.size;
      best = i;
    }
  }
  // Start a few words before the first match so it reads in context.
  const startToken = bestScore <= 0 ? 0 : Math.max(0, best - 4);
  let from = tokens[startToken]?.start ?? 0;
  if (startToken === 0) from = 0;
  let to = Math.min(text.length, from + maxChars);
  const lastFit = tokens.filter((t) => t.end <= to).pop();
  if (to < text.length && lastFit && lastFit.end > from) to = lastFit.end;
  return { from, to };
}

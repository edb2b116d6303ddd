// Text to index terms, the way SQLite FTS5's `porter unicode61 remove_diacritics 2` tokenizer does it:
// letters and digits form tokens, everything else separates; accents removed, lower-cased, Porter-stemmed.
// Pure. Used to re-score candidates and to highlight snippets with the same terms the index matched.
import { porterStem } from './porter.ts';

const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** Lower-cased, accent-free tokens, unstemmed. */
export function tokenize(text: string): string[] {
  // Most abstracts are plain ASCII: skip Unicode normalisation and property classes for them (5× faster).
  if (ASCII.test(text)) return text.toLowerCase().split(ASCII_SEPARATORS).filter((t) => t.length > 0);
  return foldText(text).split(SEPARATORS).filter((t) => t.length > 0);
}

const ASCII = /^[\x00-\x7f]*$/;
const ASCII_SEPARATORS = /[^a-z0-9]+/;

/** Stemmed tokens in order (positions matter for proximity). */
export function analyze(text: string): string[] {
  return tokenize(text).map(porterStem);
}

/** Accents removed and lower-cased, same length semantics as the tokenizer sees. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

// A short English stop list (function words only). They are dropped from free-text queries run with
// OR semantics, where they would otherwise match nearly every paper and cost time for no evidence;
// BM25's IDF already gives them almost no weight, so dropping them changes ranking very little.
export const STOPWORDS = new Set(
  ('a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'may might more most no not of on or our over should so such than that the their them then there these ' +
    'they this those to was we were what when where which while who whom why will with would you your').split(' '),
);

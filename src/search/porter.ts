// The Porter (1980) stemmer, as SQLite's FTS5 `porter` tokenizer applies it, so that terms we
// stem in TypeScript (for re-scoring and highlighting) match the terms in the full-text index.
// Pure. Like FTS5, digits count as consonants; tokens shorter than 3 or longer than 64 characters, or
// with anything but a-z and 0-9, are returned unchanged.

/** Longer tokens are returned unchanged (as FTS5 does). */
export const MAX_STEMMED_LENGTH = 64;

function isConsonant(w: string, i: number): boolean {
  const c = w[i];
  if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
  if (c === 'y') return i === 0 ? true : !isConsonant(w, i - 1);
  return true;
}

/** m in [C](VC){m}[V] for w[0..end). */
function measure(w: string, end: number): number {
  let m = 0;
  let i = 0;
  while (i < end && isConsonant(w, i)) i++;
  while (i < end) {
    while (i < end && !isConsonant(w, i)) i++;
    if (i >= end) break;
    while (i < end && isConsonant(w, i)) i++;
    m++;
  }
  return m;
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
}

function endsDoubleConsonant(w: string, end: number): boolean {
  return end >= 2 && w[end - 1] === w[end - 2] && isConsonant(w, end - 1);
}

/** *o: the stem ends consonant-vowel-consonant, the last not w, x or y. */
function endsCvc(w: string, end: number): boolean {
  if (end < 3) return false;
  if (!isConsonant(w, end - 1) || isConsonant(w, end - 2) || !isConsonant(w, end - 3)) return false;
  const c = w[end - 1];
  return c !== 'w' && c !== 'x' && c !== 'y';
}

type Rule = [suffix: string, replacement: string];

/** Replaces the longest matching suffix when the remaining stem satisfies `ok`; one rule at most. */
function applyRules(w: string, rules: Rule[], ok: (stemEnd: number) => boolean): string {
  for (const [suffix, replacement] of rules) {
    if (w.endsWith(suffix)) {
      const stemEnd = w.length - suffix.length;
      return ok(stemEnd) ? w.slice(0, stemEnd) + replacement : w;
    }
  }
  return w;
}

// Longest suffixes first within each step, so the first match is the longest.
const STEP2: Rule[] = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['bli', 'ble'],
  ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'],
  ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'],
  ['iviti', 'ive'], ['biliti', 'ble'], ['logi', 'log'],
].sort((a, b) => b[0]!.length - a[0]!.length) as Rule[];
const STEP3: Rule[] = [
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''],
].sort((a, b) => b[0]!.length - a[0]!.length) as Rule[];
const STEP4 = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize',
].sort((a, b) => b.length - a.length);

export function porterStem(word: string): string {
  if (word.length < 3 || word.length > MAX_STEMMED_LENGTH || !/^[a-z0-9]+$/.test(word)) return word;
  let w = word;
  // Step 1a
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = w.slice(0, -2);
  else if (!w.endsWith('ss') && w.endsWith('s')) w = w.slice(0, -1);
  // Step 1b
  let extra = false;
  if (w.endsWith('eed')) {
    if (measure(w, w.length - 3) > 0) w = w.slice(0, -1);
  } else if (w.endsWith('ed') && hasVowel(w, w.length - 2)) {
    w = w.slice(0, -2);
    extra = true;
  } else if (w.endsWith('ing') && hasVowel(w, w.length - 3)) {
    w = w.slice(0, -3);
    extra = true;
  }
  if (extra) {
    if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
    else if (endsDoubleConsonant(w, w.length) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
    else if (measure(w, w.length) === 1 && endsCvc(w, w.length)) w += 'e';
  }
  // Step 1c
  if (w.endsWith('y') && hasVowel(w, w.length - 1)) w = w.slice(0, -1) + 'i';
  // Steps 2 and 3
  w = applyRules(w, STEP2, (end) => measure(w, end) > 0);
  w = applyRules(w, STEP3, (end) => measure(w, end) > 0);
  // Step 4
  for (const suffix of STEP4) {
    if (!w.endsWith(suffix)) continue;
    const end = w.length - suffix.length;
    const ok = measure(w, end) > 1 && (suffix !== 'ion' || (end > 0 && (w[end - 1] === 's' || w[end - 1] === 't')));
    if (ok) w = w.slice(0, end);
    break;
  }
  // Step 5a
  if (w.endsWith('e')) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !endsCvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  // Step 5b
  if (measure(w, w.length) > 1 && endsDoubleConsonant(w, w.length) && w.endsWith('l')) w = w.slice(0, -1);
  return w;
}

/**
 * A word that stems to `stem`, for asking an engine that stems what it is asked: a stem stemmed
 * again may change ("diffus" → "diffu"), so it is asked as a word ending as one did ("diffuse"). The
 * endings are ones Porter's rules remove; undefined when none of them leads back to the stem.
 */
export function wordStemmingTo(stem: string): string | undefined {
  const last = stem.at(-1) ?? '';
  for (const ending of ['', 'e', 'ed', 'ing', 's', 'al', 'ion', 'es', 'ity', 'ly', 'ment', 'ic', 'ive', 'ous', 'ate', 'ation', 'er', 'ence', 'ance', `${last}ing`, `${last}ed`]) {
    if (porterStem(stem + ending) === stem) return stem + ending;
  }
  return undefined;
}

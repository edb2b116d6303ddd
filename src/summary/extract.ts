// Key phrases and a one-sentence TL;DR from a paper's title and abstract, unsupervised and offline.
// Pure: the corpus statistics (document frequencies of stems) come in as an argument.
//
// Words: a position-biased PageRank over the co-occurrence graph of the paper's content words
// (TextRank, Mihalcea & Tarau 2004, with PositionRank's restart vector, Florescu & Caragea 2017:
// each word's restart weight is the sum of 1/position over its occurrences, title first), multiplied
// by the word's idf in this instance (a word in most papers, "model", "results", weighs little).
// Phrases: runs of up to MAX_PHRASE_WORDS content words between stop words and punctuation (RAKE's
// candidates, Rose et al. 2010), scored by the sum of their words' weights over √length, times
// 1 + ln(occurrences); overlapping lower-scored phrases are dropped.
// TL;DR: the abstract sentence with the most of the same weight per √word (centroid summarisation,
// Radev et al. 2004, with TextRank's word weights as the centroid).
import { porterStem, type TermStats } from '../search/index.ts';
import { STOP_WORDS } from './stop-words.ts';

export const MAX_PHRASES = 5;
export const MAX_PHRASE_WORDS = 4;
/** TextRank's damping factor (Brin & Page's 0.85, as Mihalcea & Tarau use). */
const DAMPING = 0.85;
/** Co-occurrence window over content words (TextRank found 2 best; PositionRank's default is also small). */
const WINDOW = 2;
/** Words that may form phrases: at least this many, else the top third (TextRank's T = |V|/3). */
const MIN_MARKED = 8;
const TLDR_MIN_WORDS = 6;
const TLDR_MAX_WORDS = 60;

interface Token {
  surface: string;
  stem: string;
  /** Starts a sentence or follows a break (punctuation, stop word): candidates never span one. */
  breakBefore: boolean;
  /** Joined to the previous token by a hyphen (kept when shown: "mixture-of-experts"). */
  hyphenated: boolean;
  content: boolean;
  /** First word of a sentence, or a title word: its capital says nothing about it being a name. */
  sentenceStart: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:['’]\p{L}+)?(?:-[\p{L}\p{N}]+(?:['’]\p{L}+)?)*|[^\s\p{L}\p{N}]/gu;

/** Removes TeX math and commands, which are neither phrases nor sentences a reader can scan. */
function plain(text: string): string {
  return text.replace(/\$[^$]*\$/g, ' , ').replace(/\\[a-zA-Z]+\{([^}]*)\}/g, '$1').replace(/\\[a-zA-Z]+/g, ' ').replace(/https?:\/\/\S+/g, ' , ');
}

/** Words in order with what phrase extraction needs to know about each; `title` marks the title's words. */
export function tokenizeForPhrases(text: string, title = false): Token[] {
  const tokens: Token[] = [];
  let pendingBreak = true;
  let sentenceStart = true;
  for (const m of plain(text).matchAll(WORD)) {
    if (!/[\p{L}\p{N}]/u.test(m[0][0]!)) {
      pendingBreak = true;
      if (m[0] === '.' || m[0] === '?' || m[0] === '!' || m[0] === ';') sentenceStart = true;
      continue;
    }
    const parts = m[0].split('-');
    // A compound is one word: "in-context" is content though "in" alone is not, "GPT-4" though "4" is not.
    const content = parts.some((p) => !STOP_WORDS.has(p.toLowerCase()) && !/^\d+$/.test(p));
    parts.forEach((part, k) => {
      const lower = part.toLowerCase().replace(/’/g, "'");
      const hyphenated = k > 0;
      tokens.push({ surface: part, stem: porterStem(lower.replace(/'s$/, '')), breakBefore: (pendingBreak && !hyphenated) || !content, hyphenated, content, sentenceStart: sentenceStart || title });
      pendingBreak = !content;
      sentenceStart = false;
    });
  }
  return tokens;
}

/** Document weight of each content stem: position-biased PageRank × idf. */
export function wordWeights(tokens: Token[], stats: TermStats): Map<string, number> {
  const content = tokens.filter((t) => t.content);
  const restart = new Map<string, number>();
  content.forEach((t, i) => restart.set(t.stem, (restart.get(t.stem) ?? 0) + 1 / (i + 1)));
  const edges = new Map<string, Map<string, number>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    const m = edges.get(a) ?? new Map<string, number>();
    m.set(b, (m.get(b) ?? 0) + 1);
    edges.set(a, m);
  };
  for (let i = 0; i < content.length; i++) {
    for (let j = i + 1; j < Math.min(content.length, i + WINDOW); j++) {
      link(content[i]!.stem, content[j]!.stem);
      link(content[j]!.stem, content[i]!.stem);
    }
  }
  // The iteration runs over word numbers and typed arrays (a Map per round cost ~1.5 ms a paper,
  // most of a whole store's backfill); sums are taken in the same order, so scores are the same.
  const nodes = [...restart.keys()];
  const id = new Map(nodes.map((n, i) => [n, i]));
  const count = nodes.length;
  const restartOf = Float64Array.from(nodes, (n) => restart.get(n)!);
  const total = restartOf.reduce((a, b) => a + b, 0) || 1;
  const start = new Int32Array(count + 1);
  const target: number[] = [];
  const weight: number[] = [];
  const outWeight = new Float64Array(count);
  nodes.forEach((n, i) => {
    for (const [m, w] of edges.get(n) ?? []) {
      target.push(id.get(m)!);
      weight.push(w);
      outWeight[i]! += w;
    }
    start[i + 1] = target.length;
  });
  let score = restartOf.map((r) => r / total);
  let next = new Float64Array(count);
  for (let iter = 0; iter < 50; iter++) {
    for (let i = 0; i < count; i++) next[i] = ((1 - DAMPING) * restartOf[i]!) / total;
    // A word with no neighbours hands its score back through the restart vector, so scores sum to 1.
    let dangling = 0;
    for (let i = 0; i < count; i++) {
      const s = score[i]!;
      const out = outWeight[i]!;
      if (out === 0) dangling += s;
      else for (let e = start[i]!; e < start[i + 1]!; e++) next[target[e]!]! += (DAMPING * s * weight[e]!) / out;
    }
    for (let i = 0; i < count; i++) next[i]! += (DAMPING * dangling * restartOf[i]!) / total;
    let delta = 0;
    for (let i = 0; i < count; i++) delta += Math.abs(next[i]! - score[i]!);
    [score, next] = [next, score];
    if (delta < 1e-9) break;
  }
  const weights = new Map<string, number>();
  nodes.forEach((n, i) => weights.set(n, score[i]! * idf(stats, n)));
  return weights;
}

function idf(stats: TermStats, stem: string): number {
  const n = Math.max(stats.docCount, 1);
  const df = Math.min(stats.docFreq.get(stem) ?? 0, n);
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

interface Candidate {
  stems: string[];
  surfaces: Map<string, number>;
  count: number;
  score: number;
}

/** Shown form: lower case, except acronyms ("LLMs", "GPT-4") and names written capitalised mid-sentence. */
function display(tokens: Token[], properNouns: Set<string>): string {
  return tokens
    .map((t, i) => {
      const keep = /\p{Lu}/u.test(t.surface.slice(1)) || properNouns.has(t.surface);
      return `${i > 0 ? (t.hyphenated ? '-' : ' ') : ''}${keep ? t.surface : t.surface.toLowerCase()}`;
    })
    .join('');
}

export function keyPhrases(tokens: Token[], weights: Map<string, number>, max = MAX_PHRASES): string[] {
  const properNouns = new Set(tokens.filter((t) => !t.sentenceStart && /^\p{Lu}\p{Ll}/u.test(t.surface)).map((t) => t.surface));
  // TextRank's post-processing: only the top third of the words (at least MIN_MARKED) make phrases,
  // and adjacent ones join, so a weak word ("dominate") never glues two strong ones together.
  const ranked = [...weights].filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1]);
  const marked = new Set(ranked.slice(0, Math.max(MIN_MARKED, Math.ceil(ranked.length / 3))).map(([s]) => s));
  // A hyphenated compound is marked as a whole when any part is: "mixture-of-experts".
  const isMarked = tokens.map((t) => t.content && marked.has(t.stem));
  for (let i = 0; i < tokens.length; ) {
    let j = i + 1;
    while (j < tokens.length && tokens[j]!.hyphenated) j++;
    if (isMarked.slice(i, j).some(Boolean)) isMarked.fill(true, i, j);
    i = j;
  }
  const candidates = new Map<string, Candidate>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isMarked[i] || tokens[i]!.hyphenated) continue;
    const run: Token[] = [];
    let words = 0;
    for (let j = i; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (!isMarked[j] || (j > i && t.breakBefore)) break;
      if (!t.hyphenated && ++words > MAX_PHRASE_WORDS) break;
      run.push(t);
      // A phrase ends on a whole word: "mixture-of" is not one.
      if (tokens[j + 1]?.hyphenated) continue;
      if (words === 1 && run.length === 1 && run[0]!.surface.length < 3 && !/^\p{Lu}+$/u.test(run[0]!.surface)) continue;
      const stems = run.map((r) => r.stem);
      const key = stems.join(' ');
      const c = candidates.get(key) ?? { stems, surfaces: new Map(), count: 0, score: 0 };
      const shown = display(run, properNouns);
      c.surfaces.set(shown, (c.surfaces.get(shown) ?? 0) + 1);
      c.count++;
      candidates.set(key, c);
    }
  }
  for (const c of candidates.values()) {
    const sum = c.stems.reduce((a, s) => a + (weights.get(s) ?? 0), 0);
    c.score = sum * (1 + Math.log(c.count));
  }
  const best = [...candidates.values()].filter((c) => c.score > 0).sort((a, b) => b.score - a.score);
  const chosen: Candidate[] = [];
  for (const c of best) {
    if (chosen.length >= max) break;
    if (chosen.some((d) => overlaps(c.stems, d.stems))) continue;
    chosen.push(c);
  }
  return chosen.map((c) => [...c.surfaces].sort((a, b) => b[1] - a[1])[0]![0]);
}

/** Two phrases overlap when they share a word: "language models" and "large language models" say the same. */
function overlaps(a: string[], b: string[]): boolean {
  return a.some((s) => b.includes(s));
}

const ABBREVIATION = /\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Figs|Eq|Eqs|Sec|approx|resp|w\.r\.t|No)\.$/i;

/** Sentences of an abstract; abbreviations (e.g., et al.) and decimals do not end one. */
export function splitSentences(text: string): string[] {
  const parts = text.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=[\p{Lu}\d("'$\\])/u);
  const out: string[] = [];
  for (const p of parts) {
    if (out.length > 0 && ABBREVIATION.test(out[out.length - 1]!)) out[out.length - 1] += ` ${p}`;
    else out.push(p);
  }
  return out.filter((s) => s.length > 0);
}

export function tldr(abstract: string, weights: Map<string, number>): string | undefined {
  let best: { sentence: string; score: number } | undefined;
  for (const sentence of splitSentences(abstract)) {
    const words = tokenizeForPhrases(sentence);
    if (words.length < TLDR_MIN_WORDS || words.length > TLDR_MAX_WORDS) continue;
    const stems = new Set(words.filter((w) => w.content).map((w) => w.stem));
    const score = [...stems].reduce((a, s) => a + (weights.get(s) ?? 0), 0) / Math.sqrt(words.length);
    if (!best || score > best.score) best = { sentence, score };
  }
  return best?.sentence;
}

export interface Extracted {
  keyPhrases: string[];
  tldr: string | undefined;
}

/** Stems a paper's text holds, to fetch their document frequencies before extracting. */
export function stemsOf(title: string, abstract: string): string[] {
  return [...new Set(paperTokens(title, abstract).filter((t) => t.content).map((t) => t.stem))];
}

function paperTokens(title: string, abstract: string): Token[] {
  return [...tokenizeForPhrases(title, true), ...tokenizeForPhrases(abstract)];
}

export function extractSummary(title: string, abstract: string, stats: TermStats): Extracted {
  const tokens = paperTokens(title, abstract);
  const weights = wordWeights(tokens, stats);
  return { keyPhrases: keyPhrases(tokens, weights), tldr: tldr(abstract, weights) };
}

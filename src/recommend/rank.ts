// Ranking a window of papers for one reader. Pure: the window's index and the reader's signals in,
// scored papers with a reason out.
//
// Content: each window paper's similarity to the reader's saved (and upvoted) papers is a soft
// maximum of its cosines to them, τ·log Σ exp(cos/τ): near the best match when one saved paper fits
// well (item kNN), growing when several do (a centroid's strength), without letting a library's
// many loosely related papers outvote one close match; less half the paper's generality (its
// closeness to older papers in general), so that papers near everything do not fill every list. Categories: a smoothed log-odds that the
// reader's papers sit in the paper's categories, against the window's share. Follows add a fixed
// bonus each, so a followed author's paper comes first unless it is far off the reader's topics.
import type { SparseVector, TermIndex } from './text-vectors.ts';

export interface WindowPaper {
  paperId: number;
  announcedOn: string;
  categories: string[];
  /** Author names folded for matching follows (authorKey). */
  authorKeys: string[];
  authors: string[];
}

export interface ProfilePaper {
  paperId: number;
  arxivId: string;
  vector: SparseVector;
  /** 1 for a saved paper; less for weaker signals (an upvote). */
  weight: number;
  tags: string[];
  title: string;
  categories: string[];
}

export interface ReaderSignals {
  papers: ProfilePaper[];
  followedAuthors: Map<string, string>;
  followedCategories: Set<string>;
  /** Window papers matching a saved search, with the query. */
  searchMatches: Map<number, string>;
  /** Papers never to recommend (already saved). */
  exclude: Set<number>;
}

export interface RankWeights {
  /** Softness of the maximum over saved papers; small: item kNN, large: centroid. */
  temperature: number;
  /** Weight of the category log-odds (0: off). */
  category: number;
  /** Bonus for a followed author, category or saved search. */
  follow: number;
  /** How much of a paper's generality (its closeness to papers in general) is taken off. */
  generality: number;
}

/**
 * generality 0.5: CSLS scores a pair 2·cos − r_reader − r_paper; halved and without the reader's
 * term (a constant per saved paper, which changed little when measured), that is cos − ½·r_paper.
 */
export const DEFAULT_WEIGHTS: RankWeights = { temperature: 0.05, category: 0, follow: 0.3, generality: 0.5 };

/**
 * Products of a saved paper's term weight and a window paper's below this are left out of their
 * cosine: the walk over a term's postings (heaviest first) stops there. Such products come from
 * words common enough to weigh little in both papers; see docs/personal.md for what this costs in
 * quality and saves in time.
 */
export const MIN_IMPACT = 0;

export type Reason =
  | { kind: 'tag'; tag: string; count: number }
  | { kind: 'paper'; paperId: number; arxivId: string; title: string; upvoted: boolean }
  | { kind: 'author'; name: string }
  | { kind: 'category'; category: string }
  | { kind: 'search'; query: string };

export interface Ranked {
  paperId: number;
  score: number;
  reasons: Reason[];
}

/** The window's papers ranked for the reader, best first, at most `limit`. */
export function rankWindow(index: TermIndex, window: WindowPaper[], categoryShare: Map<string, number>, generality: Float32Array | undefined, signals: ReaderSignals, limit: number, weights: RankWeights = DEFAULT_WEIGHTS): Ranked[] {
  const n = window.length;
  const content = signals.papers.length > 0;
  const { score, touched } = softMaxOfCosines(index, signals.papers, weights.temperature, MIN_IMPACT);
  if (generality && weights.generality > 0 && content) for (let i = 0; i < n; i++) score[i]! -= weights.generality * generality[i]!;
  if (weights.category > 0 && content) addCategoryLogOdds(score, window, categoryShare, signals.papers, weights.category);
  const followed = followReasons(window, signals);
  for (const [i, reasons] of followed) score[i]! += weights.follow * reasons.length;
  // A paper sharing nothing with the reader (no term with a saved paper, no follow) is not a recommendation.
  const order: number[] = [];
  for (let i = 0; i < n; i++) if ((touched[i] === 1 || followed.has(i)) && !signals.exclude.has(window[i]!.paperId)) order.push(i);
  const out: Ranked[] = [];
  const cosinesTo = readerCosines(index, signals.papers);
  for (const i of topK(order, score, limit + 50)) {
    const reasons = [...(followed.get(i) ?? []), ...contentReasons(cosinesTo(i), signals.papers)];
    if (reasons.length > 0) out.push({ paperId: window[i]!.paperId, score: score[i]!, reasons });
    if (out.length === limit) break;
  }
  return out;
}

/**
 * τ·log Σ_l w_l·exp(cos_l/τ) for every window paper, one saved paper at a time through the postings
 * (cosines lie in [0, 1], so exp(cos/τ) needs no shifting for τ ≥ 0.01). A paper sharing no term
 * with saved paper l gets w_l·exp(0) = w_l from it, added once for all in `base`. `touched` says
 * which papers share a term with some saved paper.
 */
const EXP_STEPS = 8192;

function softMaxOfCosines(index: TermIndex, papers: ProfilePaper[], tau: number, minImpact: number): { score: Float64Array; touched: Uint8Array } {
  const n = index.vectors.length;
  const out = new Float64Array(n);
  const touched = new Uint8Array(n);
  if (papers.length === 0) return { score: out, touched };
  const { postStart, postPaper, postWeight } = index;
  const cos = new Float32Array(n);
  // The papers this saved paper reached, so that only they are visited after its walk.
  const reached = new Int32Array(n);
  // exp(c/τ) − 1 by linear interpolation in a table over c ∈ [0, 1] (relative error below 1e-6 for
  // τ = 0.05): Math.exp is most of the cost otherwise, once per saved paper and window paper.
  const expm1 = new Float64Array(EXP_STEPS + 2);
  for (let k = 0; k <= EXP_STEPS + 1; k++) expm1[k] = Math.expm1(k / EXP_STEPS / tau);
  let base = 0;
  for (const p of papers) {
    base += p.weight;
    const { terms, weights } = p.vector;
    let m = 0;
    // The hot loop: postings are heaviest first, so a term's walk ends where w × weight falls to
    // minImpact; zero weights (terms no other paper holds) end it at once.
    for (let k = 0; k < terms.length; k++) {
      const w = weights[k]!;
      if (w <= 0) continue;
      const stop = minImpact / w;
      for (let j = postStart[terms[k]!]!, end = postStart[terms[k]! + 1]!; j < end; j++) {
        const pw = postWeight[j]!;
        if (pw <= stop) break;
        const i = postPaper[j]!;
        if (cos[i] === 0) reached[m++] = i;
        cos[i]! += w * pw;
      }
    }
    for (let q = 0; q < m; q++) {
      const i = reached[q]!;
      const x = Math.min(cos[i]!, 1) * EXP_STEPS;
      const k = Math.floor(x);
      out[i]! += p.weight * (expm1[k]! + (x - k) * (expm1[k + 1]! - expm1[k]!));
      touched[i] = 1;
      cos[i] = 0;
    }
  }
  const floor = tau * Math.log(base);
  for (let i = 0; i < n; i++) out[i] = touched[i] ? tau * Math.log(base + out[i]!) : floor;
  return { score: out, touched };
}

/** The cosines of one window paper to each saved paper, through a term → saved papers map (for the few papers listed). */
function readerCosines(index: TermIndex, papers: ProfilePaper[]): (i: number) => Float32Array {
  const byTerm = new Map<number, Array<{ paper: number; weight: number }>>();
  papers.forEach((p, l) => {
    for (let k = 0; k < p.vector.terms.length; k++) {
      const t = p.vector.terms[k]!;
      let list = byTerm.get(t);
      if (!list) byTerm.set(t, (list = []));
      list.push({ paper: l, weight: p.vector.weights[k]! });
    }
  });
  return (i) => {
    const out = new Float32Array(papers.length);
    const v = index.vectors[i]!;
    for (let k = 0; k < v.terms.length; k++) {
      const list = byTerm.get(v.terms[k]!);
      if (list) for (const e of list) out[e.paper]! += e.weight * v.weights[k]!;
    }
    return out;
  };
}

/**
 * Σ over the paper's categories (primary counts double) of log(P(c | reader) / P(c | window)), with
 * the reader's distribution smoothed towards the window's by one pseudo-paper, averaged per weight.
 */
function addCategoryLogOdds(score: Float64Array, window: WindowPaper[], categoryShare: Map<string, number>, papers: ProfilePaper[], weight: number): void {
  const readerCounts = new Map<string, number>();
  let readerTotal = 0;
  for (const p of papers) {
    p.categories.forEach((c, k) => {
      const w = (k === 0 ? 1 : 0.5) * p.weight;
      readerCounts.set(c, (readerCounts.get(c) ?? 0) + w);
      readerTotal += w;
    });
  }
  const smoothing = 1;
  // A category the reader never saved: P(c | reader) is the smoothing share of the window's.
  const unseen = Math.log(smoothing / (readerTotal + smoothing));
  const logOdds = new Map<string, number>();
  for (const [c, n] of readerCounts) {
    const background = categoryShare.get(c) ?? 1e-6;
    logOdds.set(c, Math.log((n + smoothing * background) / (readerTotal + smoothing) / background));
  }
  for (let i = 0; i < window.length; i++) {
    const cats = window[i]!.categories;
    let sum = 0;
    let total = 0;
    for (let k = 0; k < cats.length; k++) {
      const w = k === 0 ? 1 : 0.5;
      sum += w * (logOdds.get(cats[k]!) ?? unseen);
      total += w;
    }
    if (total > 0) score[i]! += (weight * sum) / total;
  }
}

/** Each category's share of the window's papers (primary counts double), for the log-odds. */
export function categoryShares(window: WindowPaper[]): Map<string, number> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const p of window) {
    p.categories.forEach((c, k) => {
      const w = k === 0 ? 1 : 0.5;
      counts.set(c, (counts.get(c) ?? 0) + w);
      total += w;
    });
  }
  return new Map([...counts].map(([c, n]) => [c, n / total]));
}

function followReasons(window: WindowPaper[], signals: ReaderSignals): Map<number, Reason[]> {
  const out = new Map<number, Reason[]>();
  if (signals.followedAuthors.size === 0 && signals.followedCategories.size === 0 && signals.searchMatches.size === 0) return out;
  const add = (i: number, r: Reason) => out.set(i, [...(out.get(i) ?? []), r]);
  window.forEach((p, i) => {
    if (signals.followedAuthors.size > 0) {
      p.authorKeys.forEach((key, k) => { if (signals.followedAuthors.has(key)) add(i, { kind: 'author', name: p.authors[k]! }); });
    }
    const cat = p.categories.find((c) => signals.followedCategories.has(c));
    if (cat) add(i, { kind: 'category', category: cat });
    const query = signals.searchMatches.get(p.paperId);
    if (query !== undefined) add(i, { kind: 'search', query });
  });
  return out;
}

/** Why a paper fits the library: the tag most of its close saved papers share, or the closest one. */
function contentReasons(cosines: Float32Array, papers: ProfilePaper[]): Reason[] {
  if (papers.length === 0) return [];
  let best = 0;
  for (let l = 1; l < papers.length; l++) if (cosines[l]! > cosines[best]!) best = l;
  const bestCos = cosines[best]!;
  if (bestCos <= 0) return [];
  // Saved papers nearly as close as the closest one: together they are what this paper is like.
  const close = papers.filter((_, l) => cosines[l]! >= bestCos * 0.7 && cosines[l]! > 0.05);
  const byTag = new Map<string, number>();
  for (const p of close) for (const t of p.tags) byTag.set(t, (byTag.get(t) ?? 0) + 1);
  const [tag, count] = [...byTag].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ['', 0];
  if (count >= 2 || (count === 1 && close.length === 1)) return [{ kind: 'tag', tag, count }];
  return [{ kind: 'paper', paperId: papers[best]!.paperId, arxivId: papers[best]!.arxivId, title: papers[best]!.title, upvoted: papers[best]!.weight < 1 }];
}

/** The k best by score (ties by position), without sorting the whole window. */
function topK(indexes: number[], score: Float64Array, k: number): number[] {
  if (indexes.length > 4 * k) {
    // A threshold from a sample bounds what is sorted; the sort below restores exact order.
    const sample = indexes.filter((_, j) => j % 8 === 0).map((i) => score[i]!).sort((a, b) => b - a);
    const cut = sample[Math.min(sample.length - 1, Math.ceil(k / 8) * 2)]!;
    const above = indexes.filter((i) => score[i]! >= cut);
    if (above.length >= k) indexes = above;
  }
  return indexes.sort((a, b) => score[b]! - score[a]! || a - b).slice(0, k);
}

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
 * Products of a saved paper's term weight and a window paper's below this can be left out of the
 * first stage's cosines (the walk over a term's postings, heaviest first, stops there). Off: taking
 * common terms by their mean weight saved more time for the same exactness (docs/personal.md).
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
export function rankWindow(index: TermIndex, window: WindowPaper[], categoryShare: Map<string, number>, generality: Float32Array | undefined, signals: ReaderSignals, limit: number, weights: RankWeights = DEFAULT_WEIGHTS, stages: Stages = DEFAULT_STAGES): Ranked[] {
  const n = window.length;
  const content = signals.papers.length > 0;
  // What is added to a paper's content score: less its generality, its categories' log-odds, follows.
  const adjust = new Float64Array(n);
  if (generality && weights.generality > 0 && content) for (let i = 0; i < n; i++) adjust[i] = -weights.generality * generality[i]!;
  if (weights.category > 0 && content) addCategoryLogOdds(adjust, window, categoryShare, signals.papers, weights.category);
  const followed = followReasons(window, signals);
  for (const [i, reasons] of followed) adjust[i]! += weights.follow * reasons.length;
  // Two stages: every paper's score estimated (common terms by the saved papers' mean weight), then
  // the shortlist's best scored exactly; on the authors benchmark the top 50 listed so are the exact
  // ranking's (docs/personal.md), at about 60 % of the work.
  const { score, touched } = softMaxOfCosines(index, signals.papers, weights.temperature, stages.minImpact, stages.commonShare >= 1 ? Infinity : stages.commonShare * n);
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    // A paper sharing nothing with the reader (no term with a saved paper, no follow) is not a recommendation.
    if ((touched[i] === 1 || followed.has(i)) && !signals.exclude.has(window[i]!.paperId)) {
      order.push(i);
      score[i]! += adjust[i]!;
    }
  }
  const shortlist = topK(order, score, Math.max(stages.shortlist, limit + 50));
  const L = signals.papers.length;
  const cosines = new LibraryTerms(signals.papers).cosines(index, shortlist);
  const exp = expTable(weights.temperature);
  const base = signals.papers.reduce((sum, p) => sum + p.weight, 0);
  const paperWeight = Float64Array.from(signals.papers, (p) => p.weight);
  for (let k = 0; k < shortlist.length; k++) {
    let sum = base;
    for (let l = 0; l < L; l++) if (cosines[k * L + l]! > 0) sum += paperWeight[l]! * expm1(exp, cosines[k * L + l]!);
    score[shortlist[k]!] = (content ? weights.temperature * Math.log(sum) : 0) + adjust[shortlist[k]!]!;
  }
  const at = new Map(shortlist.map((i, k) => [i, k]));
  const out: Ranked[] = [];
  for (const i of topK(shortlist, score, limit + 50)) {
    const k = at.get(i)!;
    const reasons = [...(followed.get(i) ?? []), ...contentReasons(cosines.subarray(k * L, k * L + L), signals.papers)];
    if (reasons.length > 0) out.push({ paperId: window[i]!.paperId, score: score[i]!, reasons });
    if (out.length === limit) break;
  }
  return out;
}

export interface Stages {
  /** Products of term weights below this are left out of the first stage's cosines. */
  minImpact: number;
  /**
   * Terms held by more than this share of the window's papers count in the first stage through the
   * saved papers' mean weight, one walk per term instead of one per saved paper holding it (1: off).
   */
  commonShare: number;
  /** Papers scored exactly in the second stage (at least 50 more than the list asked for). */
  shortlist: number;
}

export const DEFAULT_STAGES: Stages = { minImpact: MIN_IMPACT, commonShare: 0.1, shortlist: 500 };

/**
 * τ·log Σ_l w_l·exp(cos_l/τ) for every window paper, one saved paper at a time through the postings
 * (cosines lie in [0, 1], so exp(cos/τ) needs no shifting for τ ≥ 0.01), from the products of at
 * least `minImpact`: a term's postings are heaviest first, so its walk ends where they fall below.
 * A paper sharing no term with saved paper l gets w_l·exp(0) = w_l from it, added once for all
 * in the base. `touched` says which papers share a term with some saved paper.
 */
const EXP_STEPS = 8192;

/**
 * exp(c/τ) − 1 at c = k / EXP_STEPS, k = 0 … EXP_STEPS + 1, for `expm1` to interpolate linearly
 * (relative error below 1e-6 for τ = 0.05): Math.exp would be most of the cost, once per saved
 * paper and window paper.
 */
function expTable(tau: number): Float64Array {
  const table = new Float64Array(EXP_STEPS + 2);
  for (let k = 0; k <= EXP_STEPS + 1; k++) table[k] = Math.expm1(k / EXP_STEPS / tau);
  return table;
}

/** exp(c/τ) − 1 for c ∈ [0, 1] from the table. */
function expm1(table: Float64Array, c: number): number {
  const x = Math.min(c, 1) * EXP_STEPS;
  const k = Math.floor(x);
  return table[k]! + (x - k) * (table[k + 1]! - table[k]!);
}

function softMaxOfCosines(index: TermIndex, papers: ProfilePaper[], tau: number, minImpact: number, commonDf: number): { score: Float64Array; touched: Uint8Array } {
  const n = index.vectors.length;
  const out = new Float64Array(n);
  const touched = new Uint8Array(n);
  if (papers.length === 0) return { score: out, touched };
  const { postStart, postPaper, postWeight } = index;
  const cos = new Float64Array(n);
  // The papers this saved paper reached, so that only they are visited after its walk.
  const reached = new Int32Array(n);
  const exp = expTable(tau);
  // Common terms (in more than commonDf window papers): Σ_l w_l·weight, walked once for all below.
  const common = new Map<number, number>();
  let base = 0;
  for (const p of papers) {
    base += p.weight;
    const { terms, weights } = p.vector;
    let m = 0;
    for (let k = 0; k < terms.length; k++) {
      const w = weights[k]!;
      if (w <= 0) continue;
      const t = terms[k]!;
      const start = postStart[t]!;
      const end = postStart[t + 1]!;
      if (end - start > commonDf) {
        common.set(t, (common.get(t) ?? 0) + p.weight * w);
        continue;
      }
      const stop = minImpact / w;
      // The hot loop; zero weights (terms no other paper holds) sit last and end it too.
      for (let j = start; j < end; j++) {
        const pw = postWeight[j]!;
        if (pw <= stop) break;
        const i = postPaper[j]!;
        if (cos[i] === 0) reached[m++] = i;
        cos[i]! += w * pw;
      }
    }
    for (let q = 0; q < m; q++) {
      const i = reached[q]!;
      out[i]! += p.weight * expm1(exp, cos[i]!);
      touched[i] = 1;
      cos[i] = 0;
    }
  }
  for (let i = 0; i < n; i++) out[i] = tau * Math.log(base + out[i]!);
  // τ·log Σ_l w_l·exp((rare_l + c)/τ) = c + τ·log Σ_l w_l·exp(rare_l/τ) when every saved paper shares
  // the same common part c: the weighted mean of the saved papers' common parts stands in for each.
  for (const [t, sum] of common) {
    const w = sum / base;
    for (let j = postStart[t]!, end = postStart[t + 1]!; j < end; j++) {
      const i = postPaper[j]!;
      out[i]! += w * postWeight[j]!;
      touched[i] = 1;
    }
  }
  return { score: out, touched };
}

/**
 * The saved papers' terms in an open-addressing table (term id → its saved papers and weights), so
 * that a window paper's cosines to all of them cost about one probe per term of that paper; a
 * 32 KB bit set in front answers most terms (those no saved paper holds) without reaching the table.
 */
class LibraryTerms {
  private readonly keys: Int32Array;
  private readonly heads: Int32Array;
  private readonly next: Int32Array;
  private readonly paperOf: Int32Array;
  private readonly weightOf: Float32Array;
  private readonly mask: number;
  private readonly bits = new Int32Array(FILTER_BITS >>> 5);
  private readonly count: number;

  constructor(papers: ProfilePaper[]) {
    this.count = papers.length;
    let total = 0;
    for (const p of papers) total += p.vector.terms.length;
    let size = 16;
    while (size < 2 * total) size *= 2;
    this.mask = size - 1;
    this.keys = new Int32Array(size).fill(-1);
    this.heads = new Int32Array(size);
    this.next = new Int32Array(total);
    this.paperOf = new Int32Array(total);
    this.weightOf = new Float32Array(total);
    let e = 0;
    papers.forEach((p, l) => {
      const { terms, weights } = p.vector;
      for (let k = 0; k < terms.length; k++) {
        if (weights[k]! <= 0) continue;
        const t = terms[k]!;
        const slot = this.slot(t);
        this.next[e] = this.keys[slot] === -1 ? -1 : this.heads[slot]!;
        this.keys[slot] = t;
        this.heads[slot] = e;
        this.paperOf[e] = l;
        this.weightOf[e++] = weights[k]!;
        this.bits[(t & (FILTER_BITS - 1)) >>> 5]! |= 1 << (t & 31);
      }
    });
  }

  /** The slot holding term t, or the empty one where it would go. */
  private slot(t: number): number {
    let s = Math.imul(t, 0x9e3779b1) & this.mask;
    while (this.keys[s] !== -1 && this.keys[s] !== t) s = (s + 1) & this.mask;
    return s;
  }

  /** The cosines of each of these window papers to each saved paper: out[k × saved papers + l]. */
  cosines(index: TermIndex, papers: number[]): Float64Array {
    const L = this.count;
    const out = new Float64Array(papers.length * L);
    const { bits, keys, heads, next, paperOf, weightOf } = this;
    const mask = this.mask;
    for (let k = 0; k < papers.length; k++) {
      const { terms, weights } = index.vectors[papers[k]!]!;
      const row = k * L;
      for (let q = 0; q < terms.length; q++) {
        const t = terms[q]!;
        if ((bits[(t & (FILTER_BITS - 1)) >>> 5]! & (1 << (t & 31))) === 0) continue;
        let s = Math.imul(t, 0x9e3779b1) & mask;
        while (keys[s] !== -1 && keys[s] !== t) s = (s + 1) & mask;
        if (keys[s] === -1) continue;
        const w = weights[q]!;
        for (let e = heads[s]!; e !== -1; e = next[e]!) out[row + paperOf[e]!]! += weightOf[e]! * w;
      }
    }
    return out;
  }
}

const FILTER_BITS = 1 << 18;

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
function contentReasons(cosines: Float64Array, papers: ProfilePaper[]): Reason[] {
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

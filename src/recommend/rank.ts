// Ranking a window of papers for one reader. Pure: the window's index and the reader's signals in,
// scored papers with a reason out.
//
// Content: each window paper's similarity to the reader's saved (and upvoted) papers is a soft
// maximum of its cosines to them, τ·log Σ exp(cos/τ): near the best match when one saved paper fits
// well (item kNN), growing when several do (a centroid's strength), without letting a library's
// many loosely related papers outvote one close match; less half the paper's generality (its
// closeness to older papers in general), so that papers near everything do not fill every list.
// Categories: a smoothed log-odds that the reader's papers sit in the paper's categories, against
// the window's share. Follows add a fixed bonus each, so a followed author's paper comes first
// unless it is far off the reader's topics.
import { addCategoryLogOdds } from './category-prior.ts';
import { DEFAULT_STAGES, expm1, expTable, softMaxOfCosines, type Stages } from './content-score.ts';
import { LibraryTerms } from './library-terms.ts';
import { contentReasons, followReasons, type Reason } from './reasons.ts';
import type { ReaderSignals, WindowPaper } from './signals.ts';
import type { TermIndex } from './text-vectors.ts';

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

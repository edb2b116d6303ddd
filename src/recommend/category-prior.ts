// The category prior: how much more often the reader's papers sit in a paper's categories than the
// window's papers do. Off by default (docs/personal.md). Pure.
import type { ProfilePaper, WindowPaper } from './signals.ts';

/**
 * Σ over the paper's categories (primary counts double) of log(P(c | reader) / P(c | window)), with
 * the reader's distribution smoothed towards the window's by one pseudo-paper, averaged per weight.
 */
export function addCategoryLogOdds(score: Float64Array, window: WindowPaper[], categoryShare: Map<string, number>, papers: ProfilePaper[], weight: number): void {
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

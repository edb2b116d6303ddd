// How much each paper resembles papers in general, for the hubness correction of the ranking. Pure.
import type { TermCounts } from './comparison-terms.ts';
import type { CorpusStatistics } from './term-statistics.ts';
import { addCosines, vectorize, type TermIndex } from './text-vectors.ts';

/**
 * How much each paper resembles papers in general: the mean of its `k` best cosines to a background
 * sample (indexed as `background`). Subtracted from a paper's score, it keeps "hubs" — papers whose
 * common vocabulary makes them close to everything — from crowding every reader's list (the
 * neighbourhood correction of CSLS, Conneau et al. 2018, "Word translation without parallel data").
 */
export function generality(background: TermIndex, papers: TermCounts[], stats: CorpusStatistics, k: number): Float32Array {
  const out = new Float32Array(papers.length);
  const n = background.vectors.length;
  if (n === 0) return out;
  const cosines = new Float32Array(n);
  const take = Math.min(k, n);
  papers.forEach((p, i) => {
    cosines.fill(0);
    addCosines(background, vectorize(background, p, stats), cosines);
    out[i] = meanOfLargest(cosines, take);
  });
  return out;
}

/** Mean of the `k` largest values (the array is reordered). */
function meanOfLargest(values: Float32Array, k: number): number {
  // Quickselect: afterwards the k largest sit in values[0 .. k).
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
  let sum = 0;
  for (let i = 0; i < k; i++) sum += values[i]!;
  return sum / k;
}

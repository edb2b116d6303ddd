import { describe, expect, it } from 'vitest';
import { mrrAt, ndcgAt, percentile, recallAt, successAt } from './metrics.ts';

describe('metrics', () => {
  const judged = new Map([['a', 1], ['b', 2], ['z', 0]]);
  it('computes nDCG, recall and MRR like trec_eval', () => {
    expect(ndcgAt(['b', 'a'], judged, 10)).toBeCloseTo(1);
    expect(ndcgAt(['x', 'a'], judged, 10)).toBeCloseTo((1 / Math.log2(3)) / (2 + 1 / Math.log2(3)));
    expect(recallAt(['x', 'a', 'z'], judged, 100)).toBe(0.5);
    expect(mrrAt(['z', 'x', 'b'], judged, 10)).toBeCloseTo(1 / 3);
    expect(mrrAt(['z'], judged, 10)).toBe(0);
  });
  it('counts success when a relevant document is within the top k', () => {
    expect(successAt(['z', 'x', 'b'], judged, 10)).toBe(1);
    expect(successAt(['z', 'x', 'b'], judged, 2)).toBe(0);
    expect(successAt([], judged, 10)).toBe(0);
  });
  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 50)).toBe(0);
  });
});

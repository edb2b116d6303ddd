import { describe, expect, it } from 'vitest';
import { burstScore, isRising } from './burst.ts';

describe('burst score', () => {
  it('is the Poisson z-score of this week against the earlier rate', () => {
    // 2 of 400 papers over 4 weeks, then 8 of 100: expected 100·3/401 ≈ 0.748.
    const b = burstScore([0, 1, 0, 1, 8], [100, 100, 100, 100, 100]);
    expect(b.expected).toBeCloseTo((100 * 3) / 401, 6);
    expect(b.score).toBeCloseTo((8 - b.expected) / Math.sqrt(b.expected + 1), 6);
    expect(isRising(b)).toBe(true);
  });

  it('does not call a steady topic rising, nor one paper, nor a topic that grew with the whole week', () => {
    expect(isRising(burstScore([10, 10, 10, 10, 10], [100, 100, 100, 100, 100]))).toBe(false);
    expect(isRising(burstScore([0, 0, 0, 0, 1], [100, 100, 100, 100, 100]))).toBe(false);
    expect(isRising(burstScore([5, 5, 5, 5, 10], [100, 100, 100, 100, 200]))).toBe(false);
  });

  it('ranks more evidence above a smaller surprise', () => {
    expect(burstScore([1, 0, 0, 0, 6], [50, 50, 50, 50, 50]).score).toBeGreaterThan(burstScore([0, 0, 0, 0, 2], [50, 50, 50, 50, 50]).score);
  });
});

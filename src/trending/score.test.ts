import { describe, expect, it } from 'vitest';
import { hotScore, rankHot } from './score.ts';

const p = { gravity: 1.8, offsetHours: 2 };

describe('hot score', () => {
  it('decays with age and grows with votes', () => {
    expect(hotScore(10, 0, p)).toBeCloseTo(10 / Math.pow(2, 1.8));
    expect(hotScore(10, 24, p)).toBeLessThan(hotScore(10, 1, p));
    expect(hotScore(20, 24, p)).toBeGreaterThan(hotScore(10, 24, p));
    expect(hotScore(0, 5, p)).toBe(0);
    expect(hotScore(5, -3, p)).toBe(hotScore(5, 0, p)); // a listing day in the future counts as new
  });

  it('lets a fresh paper with fewer votes outrank an older one with more', () => {
    const now = new Date('2026-07-02T06:00:00Z');
    const ranked = rankHot(
      [
        { id: 1, listedOn: '2026-06-29', votes: 30 },
        { id: 2, listedOn: '2026-07-02', votes: 5 },
        { id: 3, listedOn: '2026-07-01', votes: 0 },
        { id: 4, listedOn: '2026-07-02', votes: 0 },
      ],
      now,
      p,
    );
    expect(ranked.map((r) => r.id)).toEqual([2, 1, 4, 3]);
  });

  it('with zero gravity ranks by votes alone', () => {
    const ranked = rankHot([{ id: 1, listedOn: '2026-01-01', votes: 9 }, { id: 2, listedOn: '2026-07-01', votes: 3 }], new Date('2026-07-02T00:00:00Z'), { gravity: 0, offsetHours: 2 });
    expect(ranked.map((r) => r.id)).toEqual([1, 2]);
  });
});

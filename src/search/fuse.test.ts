import { describe, expect, it } from 'vitest';
import { fuseRankings } from './fuse.ts';

const r = (...pairs: Array<[number, number]>) => pairs.map(([paperId, score]) => ({ paperId, score }));

describe('fuseRankings', () => {
  it('returns the keyword ranking unchanged when there are no semantic results', () => {
    const kw = r([1, 9], [2, 5]);
    expect(fuseRankings(kw, [])).toBe(kw);
  });

  it('min-max normalises each list and combines them with the semantic weight', () => {
    const kw = r([1, 20], [2, 15], [3, 10]); // → 1, 0.5, 0
    const sem = r([3, 0.9], [4, 0.8], [1, 0.5]); // → 1, 0.75, 0
    const fused = fuseRankings(kw, sem, 0.5);
    expect(fused.map((f) => f.paperId)).toEqual([1, 3, 4, 2]);
    [0.5, 0.5, 0.375, 0.25].forEach((score, i) => expect(fused[i]!.score).toBeCloseTo(score, 12));
  });

  it('a low weight lets strong keyword evidence win; a high one lets semantics lead', () => {
    const kw = r([1, 10], [2, 1]);
    const sem = r([2, 0.9], [1, 0.1]);
    expect(fuseRankings(kw, sem, 0.2)[0]!.paperId).toBe(1);
    expect(fuseRankings(kw, sem, 0.8)[0]!.paperId).toBe(2);
  });

  it('keeps papers found by only one side, and keyword order on ties', () => {
    const fused = fuseRankings(r([5, 3], [6, 3]), r([7, 0.4]), 0.5);
    expect(fused.map((f) => f.paperId)).toEqual([5, 6, 7]);
  });

  it('answers semantic-only when keyword found nothing', () => {
    expect(fuseRankings([], r([4, 0.7], [8, 0.2]), 0.2).map((f) => f.paperId)).toEqual([4, 8]);
  });
});

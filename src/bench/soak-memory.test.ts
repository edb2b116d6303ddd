import { describe, expect, it } from 'vitest';
import { judgeFlatness, type MemorySample } from './soak-memory.ts';

/** Samples every 30 s for `minutes`, RSS and cache bytes from the given functions of seconds. */
function run(minutes: number, rss: (s: number) => number, cached: (s: number) => number): MemorySample[] {
  return Array.from({ length: minutes * 2 + 1 }, (_, i) => ({ at: i * 30, rssMb: Math.round(rss(i * 30)), cachedMb: cached(i * 30), budgetMb: 256 }));
}

describe('judgeFlatness', () => {
  const filling = (s: number) => Math.min(200, s); // caches full after 200 s

  it('calls a plateau after the caches settle flat, even after a steep warm-up', () => {
    const v = judgeFlatness(run(10, (s) => (s < 240 ? 250 + s : 500 + (s % 60 === 0 ? 20 : 0)), filling));
    expect(v.warmupEndS).toBe(270); // the caches grew 20 MB in the minute before 240 s
    expect(v.flat).toBe(true);
    expect(v.ratio).toBeLessThanOrEqual(1.1);
    expect(v.verdict).toMatch(/^flat/);
  });

  it('finds RSS still rising once the caches are full', () => {
    const v = judgeFlatness(run(10, (s) => 300 + s / 2, filling));
    expect(v.flat).toBe(false);
    expect(v.verdict).toMatch(/^NOT flat/);
    expect(v.slopeMbPerMin).toBeCloseTo(30, 0);
  });

  it('gives no verdict while the caches are still filling, or with too few samples after', () => {
    expect(judgeFlatness(run(10, () => 400, (s) => s / 2)).verdict).toMatch(/still filling/);
    const short = judgeFlatness(run(4, () => 400, (s) => Math.min(100, s)));
    expect(short.flat).toBe(false);
    expect(short.verdict).toMatch(/only \d samples/);
  });

  it('does not end warm-up before three minutes', () => {
    expect(judgeFlatness(run(10, () => 400, () => 10)).warmupEndS).toBe(180);
  });
});

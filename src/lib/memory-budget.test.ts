import { describe, expect, it } from 'vitest';
import { applyBudget, budgetedCache, budgetFor, cacheStats, planMemory } from './memory-budget.ts';
import { stringBytes } from './byte-cache.ts';

describe('memory budget', () => {
  it('splits the total among the event loop and the search threads without exceeding it', () => {
    const total = 256 << 20;
    for (const threads of [0, 1, 3]) {
      const plan = planMemory(total, threads);
      const sum = (b: Record<string, number | undefined>) => Object.values(b).reduce<number>((n, v) => n + (v ?? 0), 0);
      const all = sum(plan.main) + threads * sum(plan.searchThread);
      expect(all).toBeLessThanOrEqual(total);
      expect(all).toBeGreaterThan(total * 0.99);
    }
    // Without threads the event loop searches, so it keeps the search caches itself; with them, the
    // threads share three quarters and the event loop keeps a quarter for the searches it still runs.
    const none = planMemory(total, 0);
    const one = planMemory(total, 1);
    expect(one.searchThread['analysed papers']! / none.main['analysed papers']!).toBeCloseTo(0.75, 3);
    expect(one.main['analysed papers']! / none.main['analysed papers']!).toBeCloseTo(0.25, 3);
    expect(planMemory(total, 2).searchThread['analysed papers']).toBe(Math.floor(one.searchThread['analysed papers']! / 2));
    expect(none.searchThread).toEqual({});
    expect(none.main['sqlite pages']).toBe(one.main['sqlite pages']! + one.searchThread['sqlite pages']!);
  });

  it('sizes caches made before and after the budget is set, and reports each against its bound', () => {
    const before = budgetedCache<string, string>('rendered maths', (k, v) => stringBytes(k) + stringBytes(v));
    for (let i = 0; i < 1000; i++) before.set(`k${i}`, 'v'.repeat(100));
    const small = planMemory(16 << 20, 1).main;
    applyBudget(small);
    try {
      expect(before.maxBytes).toBe(small['rendered maths']);
      expect(before.bytes).toBeLessThanOrEqual(small['rendered maths']!);
      const after = budgetedCache<string, string>('rendered maths', (k, v) => stringBytes(k) + stringBytes(v));
      expect(after.maxBytes).toBe(budgetFor('rendered maths'));
      const maths = cacheStats().find((c) => c.name === 'rendered maths')!;
      expect(maths.bytes).toBeGreaterThanOrEqual(before.bytes);
      expect(maths.maxBytes).toBeGreaterThanOrEqual(2 * small['rendered maths']!);
      // Every cache of the budget is listed, made or not; SQLite's is not a cache this process can measure.
      expect(cacheStats().map((c) => c.name)).toContain('search results');
      expect(cacheStats().map((c) => c.name)).not.toContain('sqlite pages');
    } finally {
      applyBudget(planMemory(256 << 20, 1).main);
    }
  });
});

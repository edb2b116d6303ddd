import { describe, expect, it } from 'vitest';
import { ByteCache, ENTRY_OVERHEAD_BYTES, stringBytes } from './byte-cache.ts';

describe('ByteCache', () => {
  it('stays within its byte budget however long the strings are, dropping the oldest first', () => {
    const cache = new ByteCache<string, string>(100_000, (k, v) => stringBytes(k) + stringBytes(v));
    for (let i = 0; i < 10_000; i++) cache.set(`${i}:${'x'.repeat(500)}`, 'y'.repeat(500));
    expect(cache.bytes).toBeLessThanOrEqual(100_000);
    expect(cache.size).toBeGreaterThan(10);
    expect(cache.has(`9999:${'x'.repeat(500)}`)).toBe(true);
    expect(cache.has(`0:${'x'.repeat(500)}`)).toBe(false);
  });

  it('keeps no entry larger than an eighth of the budget, and counts replacements once', () => {
    const cache = new ByteCache<string, string>(8_000, (k, v) => stringBytes(k) + stringBytes(v));
    cache.set('big', 'z'.repeat(1_000));
    expect(cache.has('big')).toBe(false);
    cache.set('a', 'one');
    cache.set('a', 'two');
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(stringBytes('a') + stringBytes('two') + ENTRY_OVERHEAD_BYTES);
    expect(cache.get('a')).toBe('two');
  });

  it('evicts the least recently touched entry first', () => {
    const cache = new ByteCache<number, string>(8 * (ENTRY_OVERHEAD_BYTES + 2), (_k, v) => stringBytes(v));
    for (let k = 1; k <= 8; k++) cache.set(k, 'a');
    cache.touch(1);
    cache.set(9, 'b');
    expect(cache.has(1)).toBe(true);
    expect(cache.has(2)).toBe(false);
    expect(cache.size).toBe(8);
  });

  it('keeps least-recently-touched order through long churn, entries leaving and coming back', () => {
    const per = ENTRY_OVERHEAD_BYTES + 2;
    const cache = new ByteCache<number, string>(100 * per, (_k, v) => stringBytes(v));
    for (let k = 0; k < 100; k++) cache.set(k, 'a');
    for (let round = 0; round < 50; round++) {
      // Touch the oldest ten, then add ten new ones: the ten after them must be the ones to leave.
      const keys = [...cache.keysOldestFirst()];
      const oldest = keys.slice(0, 10);
      const next = keys.slice(10, 20);
      for (const k of oldest) cache.touch(k);
      for (let i = 0; i < 10; i++) cache.set(1000 + round * 10 + i, 'b');
      expect(cache.size).toBe(100);
      for (const k of oldest) expect(cache.has(k)).toBe(true);
      for (const k of next) expect(cache.has(k)).toBe(false);
    }
    cache.clear();
    cache.set(1, 'c');
    expect(cache.get(1)).toBe('c');
  });

  it('shrinks to a new budget, the oldest entries leaving, and counts lookups', () => {
    const per = ENTRY_OVERHEAD_BYTES + 2;
    const cache = new ByteCache<number, string>(100 * per, (_k, v) => stringBytes(v));
    for (let k = 0; k < 100; k++) cache.set(k, 'a');
    cache.resize(10 * per);
    expect(cache.maxBytes).toBe(10 * per);
    expect(cache.size).toBe(10);
    expect(cache.has(89)).toBe(false);
    expect(cache.get(90)).toBe('a');
    expect(cache.get(0)).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
    // peek reads without counting: a caller checking its own entry is not a reader's hit.
    expect(cache.peek(90)).toBe('a');
    expect(cache.peek(0)).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });
});

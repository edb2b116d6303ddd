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
});

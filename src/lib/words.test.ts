import { describe, expect, it } from 'vitest';
import { countOf, describeWait } from './words.ts';

describe('countOf', () => {
  it('says one without an s, other counts with one, thousands separated', () => {
    expect(countOf(1, 'paper')).toBe('1 paper');
    expect(countOf(0, 'paper')).toBe('0 papers');
    expect(countOf(1234, 'paper')).toBe('1,234 papers');
    expect(countOf(2, 'entry', 'entries')).toBe('2 entries');
    expect(countOf(1, 'entry', 'entries')).toBe('1 entry');
  });
});

describe('describeWait', () => {
  it('counts seconds below a minute and a half, whole minutes above, never "0 seconds"', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(0.2)).toBe('1 second');
    expect(describeWait(40)).toBe('40 seconds');
    expect(describeWait(89)).toBe('89 seconds');
    expect(describeWait(90)).toBe('2 minutes');
    expect(describeWait(3600)).toBe('60 minutes');
  });
});

import { describe, expect, it } from 'vitest';
import { analysePaper, decodeTerms, encodeTerms, type TermIds } from './term-codec.ts';

describe('stored term ids', () => {
  it('decode what they encode, ids of any size, a word that is its own stem stored as 0', () => {
    const t: TermIds = {
      title: Int32Array.from([1, 127, 128, 16_383, 16_384]),
      abstract: Int32Array.from([2_000_000_000, 5, 5]),
      authors: Int32Array.from([]),
      titleWords: Int32Array.from([1, 127, 300, 16_383, 99]),
      abstractWords: Int32Array.from([2_000_000_000, 6, 5]),
    };
    const bytes = encodeTerms(t);
    expect(decodeTerms(bytes)).toEqual(t);
    const same = encodeTerms({ ...t, titleWords: t.title, abstractWords: t.abstract });
    expect(same.length).toBeLessThan(bytes.length);
  });
  it('analyses a paper as the tokenizer and stemmer do: folded words in order, their stems beside them', () => {
    const a = analysePaper({ title: 'Naïve Models', abstract: 'Adaption, adapting.', authors_text: 'Ada Lovelace' });
    expect(a).toEqual({ title: ['naiv', 'model'], abstract: ['adapt', 'adapt'], authors: ['ada', 'lovelac'], titleWords: ['naive', 'models'], abstractWords: ['adaption', 'adapting'] });
  });
});

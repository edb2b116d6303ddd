import { describe, expect, it } from 'vitest';
import { MAX_QUERY_CHARS, MAX_QUERY_TERMS, parseDay, parseQuery } from './query.ts';

describe('parseQuery', () => {
  it('reads words, phrases, exclusions and fields', () => {
    const q = parseQuery('Attention "state space model" -survey -"image generation" au:Hinton author:"Yann LeCun" ti:diffusion cat:cs.cl since:2024-01-02 until:2024-06');
    expect(q.words).toEqual(['attention']);
    expect(q.phrases).toEqual([['state', 'space', 'model']]);
    expect(q.excluded).toEqual([['survey'], ['image', 'generation']]);
    expect(q.authors).toEqual([['hinton'], ['yann', 'lecun']]);
    expect(q.title).toEqual([['diffusion']]);
    expect(q.categories).toEqual(['cs.CL']);
    expect(q.since).toBe('2024-01-02');
    expect(q.until).toBe('2024-06-30');
    expect(q.notes).toEqual([]);
  });

  it('keeps a hyphenated compound as one typed piece of several words', () => {
    const q = parseQuery('Trading Real-time Multi-Source');
    expect(q.words).toEqual(['trading', 'real', 'time', 'multi', 'source']);
    expect(q.wordPieces).toEqual([['trading'], ['real', 'time'], ['multi', 'source']]);
  });

  it('sends a pasted arXiv id or URL straight to the paper', () => {
    expect(parseQuery('  https://arxiv.org/abs/2503.01234v2 ').arxivId).toBe('2503.01234');
    expect(parseQuery('arXiv:2503.01234').arxivId).toBe('2503.01234');
    expect(parseQuery('hep-th/9901001').arxivId).toBe('hep-th/9901001');
    expect(parseQuery('2503.01234 transformers').arxivId).toBeUndefined();
  });

  it('treats an unbalanced quote as plain words', () => {
    const q = parseQuery('"large language models');
    expect(q.words).toEqual(['large', 'language', 'models']);
    expect(q.phrases).toEqual([]);
  });

  it('ignores lone operators and empty fields', () => {
    const q = parseQuery('- -- au: ti:"" " cat: since: ""');
    expect(q.words).toEqual([]);
    expect(q.excluded).toEqual([]);
    expect(q.authors).toEqual([]);
  });

  it('keeps FTS and SQL syntax as words, never as operators', () => {
    const q = parseQuery(`title:* OR 1=1; DROP TABLE paper; -- NEAR(a b) ^x 'quote`);
    expect(q.words).toEqual(['or', '1', '1', 'drop', 'table', 'paper', 'near', 'a', 'b', 'x', 'quote']);
    expect(q.title).toEqual([]);
    expect(parseQuery('foo:bar').words).toEqual(['foo', 'bar']);
  });

  it('reports bad dates and categories instead of failing', () => {
    const q = parseQuery('graphs since:yesterday until:2024-02-30 cat:???');
    expect(q.words).toEqual(['graphs']);
    expect(q.since).toBeUndefined();
    expect(q.until).toBeUndefined();
    expect(q.notes).toHaveLength(3);
  });

  it('bounds very long queries', () => {
    const q = parseQuery('word '.repeat(2500));
    expect(q.words.length).toBeLessThanOrEqual(MAX_QUERY_TERMS);
    expect(q.notes.some((n) => n.includes(String(MAX_QUERY_CHARS.toLocaleString('en-US'))))).toBe(true);
  });

  it('copes with emoji, LaTeX and accents', () => {
    expect(parseQuery('🚀 $\\mathcal{O}(n^2)$ Schrödinger').words).toEqual(['mathcal', 'o', 'n', '2', 'schrodinger']);
    expect(parseQuery('🤖🤖').words).toEqual([]);
  });

  it('never throws on random input', () => {
    const alphabet = ['"', '-', ':', 'au', 'ti', 'cat', ' ', '(', ')', '*', 'x', '\u0000', '🎉', '\\', 'since', '2024'];
    for (let i = 0; i < 500; i++) {
      let s = '';
      for (let j = 0; j < 20; j++) s += alphabet[(i * 7 + j * 13 + ((i * j) % 5)) % alphabet.length];
      expect(() => parseQuery(s)).not.toThrow();
    }
  });
});

describe('parseDay', () => {
  it('widens partial dates to the edge asked for', () => {
    expect(parseDay('2024', 'start')).toBe('2024-01-01');
    expect(parseDay('2024', 'end')).toBe('2024-12-31');
    expect(parseDay('2024-02', 'end')).toBe('2024-02-29');
    expect(parseDay('2024-13-01', 'start')).toBeUndefined();
  });
});

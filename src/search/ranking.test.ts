import { describe, expect, it } from 'vitest';
import { porterStem } from './porter.ts';
import { highlight, snippet } from './snippet.ts';
import { bm25f, runFrequency, type DocText } from './rescore.ts';
import { expandQuery, feedbackModel } from './rm3.ts';
import type { TermStats } from './keyword.ts';

describe('porterStem', () => {
  it('stems as the Porter algorithm (and FTS5) does', () => {
    const cases: Record<string, string> = {
      caresses: 'caress', ponies: 'poni', running: 'run', hopping: 'hop', relational: 'relat', generalization: 'gener',
      models: 'model', modelling: 'model', retrieval: 'retriev', effective: 'effect', 'x': 'x', '10ms': '10m',
    };
    for (const [word, stem] of Object.entries(cases)) expect(porterStem(word), word).toBe(stem);
  });
});

describe('snippets', () => {
  it('escapes text and marks query words by stem', () => {
    expect(highlight('Models <b>& modelling</b>', new Set(['model']))).toBe('<mark>Models</mark> &lt;b&gt;&amp; <mark>modelling</mark>&lt;/b&gt;');
  });

  it('cuts long text around the densest matches', () => {
    const text = `${'filler words here. '.repeat(40)}The transformer attention result. ${'more filler text. '.repeat(40)}`;
    const s = snippet(text, new Set(['transform', 'attent']), 120);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('<mark>transformer</mark> <mark>attention</mark>');
    expect(s.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(125);
  });
});

describe('BM25F and RM3', () => {
  const stats: TermStats = {
    docCount: 100, avgTitleLength: 5, avgAbstractLength: 50, avgAuthorsLength: 2,
    docFreq: new Map([['graph', 10], ['neural', 40], ['network', 40], ['molecul', 5]]),
  };
  const doc = (paperId: number, title: string, abstract: string): DocText => ({ paperId, title: title.split(' '), abstract: abstract.split(' '), authors: [] });
  it('weights a title match above the same match in the abstract', () => {
    const [inTitle, inAbstract] = bm25f(new Map([['graph', 1]]), [doc(1, 'graph', 'x y z'), doc(2, 'x', 'graph y z')], stats);
    expect(inTitle!.score).toBeGreaterThan(inAbstract!.score);
    expect(inAbstract!.score).toBeGreaterThan(0);
  });
  it('prefers the rarer term', () => {
    const [rare, common] = bm25f(new Map([['molecul', 1], ['neural', 1]]), [doc(1, 'a', 'molecul'), doc(2, 'a', 'neural')], stats);
    expect(rare!.score).toBeGreaterThan(common!.score);
  });
  const remembered = (...words: Array<[string, string]>) => ({ words: words.map(([word, stem]) => ({ word, stem, weight: 1 })) });
  it('ranks the query words adjacent and in order above the same words scattered', () => {
    const q = new Map([['graph', 1], ['neural', 1], ['network', 1]]);
    const words = remembered(['graph', 'graph'], ['neural', 'neural'], ['network', 'network']);
    const [together, scattered] = bm25f(q, [doc(1, 'graph neural network for x', 'y'), doc(2, 'network of neural graph x', 'y')], stats, words);
    expect(together!.score).toBeGreaterThan(scattered!.score);
  });
  it('counts a pair with one word between at half an adjacent pair, and none further apart', () => {
    expect(runFrequency(['graph', 'network'], ['graph', 'network'])).toBe(1);
    expect(runFrequency(['graph', 'of', 'network'], ['graph', 'network'])).toBe(0.5);
    expect(runFrequency(['graph', 'of', 'the', 'network'], ['graph', 'network'])).toBe(0);
    expect(runFrequency(['network', 'graph'], ['graph', 'network'])).toBe(0);
  });
  it('counts a run of three words in order, with the words skipped between them', () => {
    expect(runFrequency(['graph', 'neural', 'network', 'x', 'graph', 'neural', 'network'], ['graph', 'neural', 'network'])).toBe(2);
    expect(runFrequency(['graph', 'neural', 'of', 'network'], ['graph', 'neural', 'network'])).toBe(0.5);
    expect(runFrequency(['graph', 'network', 'neural'], ['graph', 'neural', 'network'])).toBe(0);
    expect(runFrequency(['gener', 'of', 'gener', 'model'], ['gener', 'gener', 'model'])).toBe(0.5);
  });
  it('ranks a title holding the whole short query in order above one holding only its pairs', () => {
    const q = new Map([['steer', 1], ['languag', 1], ['model', 1]]);
    const words = remembered(['language', 'languag'], ['model', 'model'], ['steering', 'steer']);
    // Both titles hold both pairs ("language model", "model steering") and every word once.
    const whole = doc(1, 'x for languag model steer', 'y');
    const pairs = doc(2, 'languag model y model steer', 'y');
    const [a, b] = bm25f(q, [whole, pairs], stats, words);
    expect(a!.score).toBeGreaterThan(b!.score);
    const [c, d] = bm25f(q, [whole, pairs], stats, { ...words, longestRun: 2 });
    expect(c!.score - d!.score).toBeLessThan(a!.score - b!.score);
  });
  it('ranks a word written exactly as typed above another word with its stem', () => {
    const q = new Map([['adapt', 1]]);
    const exact = { ...doc(1, 'adapt x', 'y'), titleWords: ['adaption', 'x'], abstractWords: ['y'] };
    const sameStem = { ...doc(2, 'adapt x', 'y'), titleWords: ['adaptive', 'x'], abstractWords: ['y'] };
    const [a, b] = bm25f(q, [exact, sameStem], stats, remembered(['adaption', 'adapt']));
    expect(a!.score).toBeGreaterThan(b!.score);
    expect(b!.score).toBeGreaterThan(0);
  });
  it('expands a query with terms of the top documents, keeping half the weight on the original', () => {
    const docs = new Map([[1, doc(1, 'graph neural network', 'molecul graph molecul')]]);
    const model = feedbackModel([{ paperId: 1, score: 3 }], docs, 100);
    const q = expandQuery(new Map([['graph', 1]]), model, stats);
    expect(q.get('molecul')).toBeGreaterThan(0);
    expect([...q.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(q.get('graph')).toBeGreaterThanOrEqual(0.5);
  });
});

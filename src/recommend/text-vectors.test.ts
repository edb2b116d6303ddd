import { describe, expect, it } from 'vitest';
import { comparisonTerms, hashTerm } from './comparison-terms.ts';
import { createCorpusStatistics, documentFrequency, inverseFrequency, withPapers } from './term-statistics.ts';
import { addCosines, buildTermIndex, termId, vectorize, type SparseVector } from './text-vectors.ts';
import { generality } from './generality.ts';

const words = ['policy', 'gradient', 'reward', 'protein', 'folding', 'diffusion', 'lensing', 'galaxy', 'tokenizer', 'language', 'model', 'learning', 'graph', 'network', 'quantum', 'spin'];
/** Deterministic pseudo-random texts. */
function texts(n: number, seed: number): string[] {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, () => Array.from({ length: 6 + Math.floor(next() * 10) }, () => words[Math.floor(next() * words.length)]).join(' '));
}

function dot(a: SparseVector, b: SparseVector): number {
  const m = new Map<number, number>();
  a.terms.forEach((t, k) => m.set(t, a.weights[k]!));
  let sum = 0;
  b.terms.forEach((t, k) => { sum += (m.get(t) ?? 0) * b.weights[k]!; });
  return sum;
}

describe('text vectors', () => {
  const windowTexts = texts(40, 1);
  const backgroundTexts = texts(60, 2);
    const stats = withPapers(createCorpusStatistics(), [...windowTexts, ...backgroundTexts].map(comparisonTerms));
  const index = buildTermIndex(windowTexts.map(comparisonTerms), stats);

  it('keeps stems and neighbouring pairs as hashes, pairs in order', () => {
    const t = comparisonTerms('Policy gradients, policy gradient');
    const id = (s: string) => termId(index, hashTerm(s));
    // polici ×2, gradient ×2, polici→gradient ×2, gradient→polici ×1
    expect(t.hashes.length).toBe(4);
    expect(Array.from(t.hashes)).toContain(hashTerm('polici'));
    expect(Array.from(t.counts).sort()).toEqual([1, 2, 2, 2]);
    expect(id('polici')).toBeGreaterThanOrEqual(0);
    expect(id('no-such-term')).toBe(-1);
  });

  it('computes cosines through the postings equal to direct dot products of unit vectors', () => {
    const v = vectorize(index, comparisonTerms('policy gradient reward learning model'), stats);
    const out = new Float32Array(windowTexts.length);
    addCosines(index, v, out);
    index.vectors.forEach((w, i) => expect(out[i]).toBeCloseTo(dot(v, w), 5));
    const self = index.vectors[3]!;
    expect(dot(self, self)).toBeCloseTo(1, 5);
  });

  it('measures generality as the mean of each paper’s k best cosines to the background', () => {
    const background = buildTermIndex(backgroundTexts.map(comparisonTerms), stats);
    const papers = windowTexts.map(comparisonTerms);
    const g = generality(background, papers, stats, 5);
    papers.forEach((p, i) => {
      const v = vectorize(background, p, stats);
      const direct = background.vectors.map((b) => dot(v, b)).sort((a, b) => b - a).slice(0, 5);
      expect(g[i]).toBeCloseTo(direct.reduce((a, b) => a + b, 0) / 5, 5);
    });
    expect(generality(buildTermIndex([], stats), papers, stats, 5).every((x) => x === 0)).toBe(true);
  });
  it('counts document frequencies exactly, in any number of steps, and weighs a term no other paper holds 0', () => {
    const all = [...windowTexts, ...backgroundTexts].map(comparisonTerms);
    const stepwise = [all.slice(0, 7), all.slice(7, 8), [], all.slice(8)].reduce(withPapers, createCorpusStatistics());
    expect(stepwise).toEqual(withPapers(createCorpusStatistics(), all));
    const polici = hashTerm('polici');
    const direct = all.filter((p) => p.hashes.includes(polici)).length;
    expect(documentFrequency(stepwise, polici)).toBe(direct);
    const once = withPapers(stepwise, [comparisonTerms('zyzzyva')]);
    expect(documentFrequency(once, hashTerm('zyzzyva'))).toBe(1);
    expect(inverseFrequency(once, hashTerm('zyzzyva'))).toBe(0);
    expect(inverseFrequency(withPapers(once, [comparisonTerms('zyzzyva again')]), hashTerm('zyzzyva'))).toBeGreaterThan(inverseFrequency(once, polici));
  });

  it('finds every counted term among many and no other, whatever the hashes', () => {
    // Hashes in the store are evenly spread; these are too, plus a clump of neighbours sharing one directory slot.
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    const present = new Set<number>();
    while (present.size < 5000) present.add(next());
    for (let h = 4_000_000_000; h < 4_000_000_300; h += 3) present.add(h);
    const papers = [...present].map((h) => ({ hashes: Uint32Array.of(h), counts: Uint16Array.of(1) }));
    const stats = withPapers(createCorpusStatistics(), [...papers, ...papers.slice(0, 100)]);
    for (const h of present) expect(documentFrequency(stats, h)).toBe(papers.findIndex((p) => p.hashes[0] === h) < 100 ? 2 : 1);
    for (let k = 0; k < 3000; k++) {
      const h = next();
      if (!present.has(h)) expect(documentFrequency(stats, h)).toBe(0);
    }
    for (const h of [0, 1, 3_999_999_999, 4_000_000_001, 4_000_000_299, 0xffffffff]) if (!present.has(h)) expect(documentFrequency(stats, h)).toBe(0);
  });

  it('orders each term’s postings heaviest first', () => {
    const { postStart, postWeight } = index;
    for (let t = 0; t + 1 < postStart.length; t++) {
      for (let j = postStart[t]! + 1; j < postStart[t + 1]!; j++) expect(postWeight[j]!).toBeLessThanOrEqual(postWeight[j - 1]!);
    }
  });

  it('weighs a term by BM25: saturating in its count, and less in a longer paper', () => {
    // The ratio of two terms' weights in one paper, less their IDFs' ratio: (tf·2.2/(tf + K)) / (2.2/(1 + K)).
    const ratio = (text: string) => {
      const v = vectorize(index, comparisonTerms(text), stats);
      const w = (stem: string) => v.weights[Array.from(v.terms).indexOf(termId(index, hashTerm(stem)))]!;
      return w('polici') / w('galaxi') / (inverseFrequency(stats, hashTerm('polici')) / inverseFrequency(stats, hashTerm('galaxi')));
    };
    const K = (text: string) => 1.2 * (1 - 0.75 + (0.75 * comparisonTerms(text).counts.reduce((a, b) => a + b, 0)) / (stats.length / stats.papers));
    expect(ratio('policy galaxy')).toBeCloseTo(1, 5);
    const thrice = 'policy policy policy galaxy';
    expect(ratio(thrice)).toBeCloseTo((3 * (1 + K(thrice))) / (3 + K(thrice)), 4);
    expect(ratio(thrice)).toBeGreaterThan(1.2);
    expect(ratio(thrice)).toBeLessThan(3);
    // A longer paper's K is larger: its words weigh less each, and a repeated one saturates later.
    const long = `${thrice} ${'language model graph network quantum spin '.repeat(4)}`;
    expect(ratio(long)).toBeGreaterThan(ratio(thrice));
    expect(K(long)).toBeGreaterThan(K(thrice));
  });
});

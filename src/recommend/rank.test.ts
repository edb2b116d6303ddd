import { describe, expect, it } from 'vitest';
import { comparisonTerms } from './comparison-terms.ts';
import { createCorpusStatistics, withPapers } from './term-statistics.ts';
import { addCosines, buildTermIndex, vectorize } from './text-vectors.ts';
import { categoryShares } from './category-prior.ts';
import { DEFAULT_WEIGHTS, rankWindow } from './rank.ts';
import type { ProfilePaper, ReaderSignals, WindowPaper } from './signals.ts';
import { describeReason } from './reasons.ts';

const texts = [
  'Policy gradient methods for reinforcement learning with sparse rewards',
  'Offline reinforcement learning with conservative policy updates',
  'Protein structure prediction with diffusion models',
  'Galaxy cluster masses from weak gravitational lensing',
  'A survey of tokenizers for large language models',
];
const window: WindowPaper[] = texts.map((_, i) => ({
  paperId: 100 + i,
  announcedOn: '2026-06-30',
  categories: i < 2 ? ['cs.LG'] : i === 3 ? ['astro-ph.CO'] : ['cs.CL'],
  authors: [i === 4 ? 'Jane Doe' : 'Someone Else'],
  authorKeys: [i === 4 ? 'jane doe' : 'someone else'],
}));
const savedTexts = ['Reinforcement learning from sparse rewards with policy search', 'Conservative offline policy learning', 'Diffusion models for protein structure', 'Reinforcement learning with policy gradients', 'masses policy protein tokenizers'];
const stats = withPapers(createCorpusStatistics(), [...texts, ...savedTexts].map(comparisonTerms));
const index = buildTermIndex(texts.map(comparisonTerms), stats);

function reader(saved: Array<{ text: string; tags?: string[]; categories?: string[] }>, extra: Partial<ReaderSignals> = {}): ReaderSignals {
  const papers: ProfilePaper[] = saved.map((s, i) => ({ paperId: i + 1, arxivId: `2601.0000${i + 1}`, vector: vectorize(index, comparisonTerms(s.text), stats), weight: 1, tags: s.tags ?? [], title: s.text, categories: s.categories ?? ['cs.LG'] }));
  return { papers, followedAuthors: new Map(), followedCategories: new Set(), searchMatches: new Map(), exclude: new Set(), ...extra };
}

describe('rankWindow', () => {
  it('ranks papers like the saved ones first, with the shared tag as the reason', () => {
    const r = reader([
      { text: 'Reinforcement learning from sparse rewards with policy search', tags: ['rl'] },
      { text: 'Conservative offline policy learning', tags: ['rl'] },
    ]);
    const ranked = rankWindow(index, window, categoryShares(window), undefined, r, 3);
    expect(ranked.slice(0, 2).map((x) => x.paperId).sort()).toEqual([100, 101]);
    expect(ranked[0]!.reasons[0]).toMatchObject({ kind: 'tag', tag: 'rl' });
    expect(describeReason(ranked[0]!.reasons[0]!)).toMatch(/papers? you saved in rl/);
  });

  it('names the closest saved paper when no tag is shared, and leaves out excluded papers', () => {
    const r = reader([{ text: 'Diffusion models for protein structure' }], { exclude: new Set([101]) });
    const ranked = rankWindow(index, window, categoryShares(window), undefined, r, 5);
    expect(ranked[0]).toMatchObject({ paperId: 102, reasons: [{ kind: 'paper', paperId: 1 }] });
    expect(ranked.map((x) => x.paperId)).not.toContain(101);
  });

  it('puts a followed author first and says so; without any signal it ranks nothing', () => {
    const r = reader([{ text: 'Reinforcement learning with policy gradients' }], { followedAuthors: new Map([['jane doe', 'Jane Doe']]) });
    const ranked = rankWindow(index, window, categoryShares(window), undefined, r, 5, { temperature: 0.1, category: 0, follow: 1, generality: 0 });
    expect(ranked[0]).toMatchObject({ paperId: 104 });
    expect(describeReason(ranked[0]!.reasons[0]!)).toBe('by Jane Doe, whom you follow');
    expect(rankWindow(index, window, categoryShares(window), undefined, reader([]), 5)).toEqual([]);
  });

  it('prefers papers in the reader’s categories when the text says nothing', () => {
    const r = reader([{ text: 'masses policy protein tokenizers', categories: ['astro-ph.CO'] }]);
    const ranked = rankWindow(index, window, categoryShares(window), undefined, r, 5, { temperature: 0.1, category: 1, follow: 0, generality: 0 });
    expect(ranked[0]!.paperId).toBe(103);
  });
  it('scores a paper τ·log Σ w·exp(cos/τ) over the saved papers, less its generality times the weight', () => {
    const r = reader([{ text: 'Reinforcement learning from sparse rewards with policy search' }, { text: 'Diffusion models for protein structure' }]);
    r.papers[1]!.weight = 0.5;
    const general = Float32Array.from([0.3, 0.1, 0.2, 0, 0.05]);
    const weights = { temperature: 0.05, category: 0, follow: 0, generality: 0.5 };
    const ranked = rankWindow(index, window, categoryShares(window), general, r, 5, weights);
    const cos = r.papers.map((p) => {
      const out = new Float32Array(window.length);
      addCosines(index, p.vector, out);
      return out;
    });
    expect(ranked.length).toBeGreaterThan(1);
    for (const x of ranked) {
      const i = window.findIndex((p) => p.paperId === x.paperId);
      const expected = 0.05 * Math.log(r.papers.reduce((sum, p, l) => sum + p.weight * Math.exp(cos[l]![i]! / 0.05), 0)) - 0.5 * general[i]!;
      expect(x.score).toBeCloseTo(expected, 4);
    }
  });

  it('scores the shortlist exactly whatever the first stage skipped, and lists it in exact order', () => {
    const r = reader([{ text: 'Reinforcement learning from sparse rewards with policy search' }, { text: 'Diffusion models for protein structure' }, { text: 'masses policy protein tokenizers' }]);
    const general = Float32Array.from([0.3, 0.1, 0.2, 0, 0.05]);
    const exact = rankWindow(index, window, categoryShares(window), general, r, 5, DEFAULT_WEIGHTS, { minImpact: 0, commonShare: 1, shortlist: 5 });
    // A first stage that keeps only large products, or takes words in more than one paper as the
    // saved papers' mean: what it lists, it scores exactly.
    for (const stages of [{ minImpact: 0.05, commonShare: 1, shortlist: 1 }, { minImpact: 0, commonShare: 0.2, shortlist: 1 }]) {
      const rough = rankWindow(index, window, categoryShares(window), general, r, 5, DEFAULT_WEIGHTS, stages);
    expect(exact.length).toBeGreaterThan(2);
      expect(rough.length).toBeGreaterThan(1);
      const exactScore = new Map(exact.map((x) => [x.paperId, x.score]));
      for (const x of rough) expect(x.score).toBeCloseTo(exactScore.get(x.paperId)!, 6);
      expect(rough.map((x) => x.paperId)).toEqual(exact.map((x) => x.paperId).filter((id) => rough.some((x) => x.paperId === id)));
    }
    for (let k = 1; k < exact.length; k++) expect(exact[k]!.score).toBeLessThanOrEqual(exact[k - 1]!.score);
  });
});

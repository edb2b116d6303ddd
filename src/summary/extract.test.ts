import { describe, expect, it } from 'vitest';
import { extractSummary, splitSentences, stemsOf } from './extract.ts';
import type { TermStats } from '../search/index.ts';

/** Statistics of a small corpus: the papers given, each counted once per stem. */
function statsOf(texts: Array<[string, string]>): TermStats {
  const docFreq = new Map<string, number>();
  for (const [t, a] of texts) for (const s of stemsOf(t, a)) docFreq.set(s, (docFreq.get(s) ?? 0) + 1);
  return { docCount: texts.length, docFreq, avgTitleLength: 0, avgAbstractLength: 0, avgAuthorsLength: 0 };
}

const mamba: [string, string] = [
  'Selective State Space Models for Long Sequences',
  'Transformers dominate sequence modelling, but their cost grows quadratically with length. ' +
    'We propose selective state space models, which let the state space parameters depend on the input. ' +
    'Selective state space models match Transformers on language modelling at half the cost, e.g. on long documents.',
];
const others: Array<[string, string]> = [
  ['A Survey of Language Models', 'We review language models and their cost. Models are evaluated on language tasks.'],
  ['Graph Neural Networks for Molecules', 'We propose graph neural networks for molecules. The models predict properties.'],
  ['Image Models at Scale', 'We train image models. The models are large and the results are strong.'],
];

describe('key phrases', () => {
  const stats = statsOf([mamba, ...others]);
  it('finds the multi-word phrase the paper is about, in its written form', () => {
    const { keyPhrases } = extractSummary(mamba[0], mamba[1], stats);
    // "models" is in most papers of this corpus, so it weighs too little to join the phrase.
    expect(keyPhrases[0]).toBe('selective state space');
    expect(keyPhrases).toContain('Transformers');
  });

  it('gives phrases that do not repeat each other and words common in the corpus little weight', () => {
    const { keyPhrases } = extractSummary(mamba[0], mamba[1], stats);
    const words = keyPhrases.flatMap((k) => k.toLowerCase().split(' '));
    expect(new Set(words).size).toBe(words.length);
    expect(keyPhrases).not.toContain('models');
    expect(keyPhrases.length).toBeLessThanOrEqual(5);
  });

  it('keeps hyphenated compounds whole and drops TeX', () => {
    const { keyPhrases } = extractSummary('Mixture-of-Experts Routing', 'We study mixture-of-experts routing with $O(n^2)$ cost. Mixture-of-experts routing balances load across many experts here.', stats);
    expect(keyPhrases[0]).toBe('mixture-of-experts routing');
    expect(keyPhrases.join(' ')).not.toMatch(/\$|\^/);
  });

  it('answers nothing for an empty abstract', () => {
    expect(extractSummary('', '', stats)).toEqual({ keyPhrases: [], tldr: undefined });
  });
});

describe('TL;DR', () => {
  it('picks the sentence that carries the paper\'s key words, not the background', () => {
    const { tldr } = extractSummary(mamba[0], mamba[1], statsOf([mamba, ...others]));
    expect(tldr).toMatch(/^(We propose s|S)elective state space models/);
  });

  it('splits sentences but not at abbreviations', () => {
    expect(splitSentences('We use e.g. BERT and GPT. Results improve by 3.5 points, cf. Table 2. Done et al. Smith agree.')).toEqual([
      'We use e.g. BERT and GPT.',
      'Results improve by 3.5 points, cf. Table 2.',
      'Done et al. Smith agree.',
    ]);
  });
});

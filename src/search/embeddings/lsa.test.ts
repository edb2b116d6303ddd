import { describe, expect, it } from 'vitest';
import { createBuiltinEmbedder } from './builtin.ts';
import { embedLsa, lsaTerms, trainLsa } from './lsa.ts';
import { createPaper, createTestStore } from '../../../test/helpers.ts';

const TOPICS = [
  ['neural', 'translation', 'language', 'sentence', 'decoder', 'tokens', 'corpus', 'bilingual'],
  ['protein', 'folding', 'residue', 'structure', 'amino', 'molecular', 'binding', 'enzyme'],
  ['robot', 'grasping', 'manipulator', 'gripper', 'trajectory', 'actuator', 'torque', 'kinematics'],
];

/** Documents that each draw five words from one topic, deterministically. */
function corpus(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const words = TOPICS[i % 3]!;
    return Array.from({ length: 5 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
  });
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('LSA learned from the corpus', () => {
  it('places a query near documents of its topic even without shared words', () => {
    const docs = corpus(90);
    const model = trainLsa(docs, { k: 3 });
    const doc = embedLsa(model, 'amino residue enzyme');
    // "folding binding" shares no word with the document but co-occurs with its words in the corpus.
    expect(dot(embedLsa(model, 'folding binding'), doc)).toBeGreaterThan(0.9);
    expect(dot(embedLsa(model, 'gripper torque'), doc)).toBeLessThan(0.3);
    expect(Array.from(embedLsa(model, 'zebra'))).toEqual([0, 0, 0]);
  });

  it('tokenises without stopwords, numbers or plural s', () => {
    expect(lsaTerms('The Proteins of 2024 and their bindings')).toEqual(['protein', 'binding']);
  });

  it('trains the builtin embedder in a worker from the store and keeps the model for the next start', async () => {
    const store = await createTestStore();
    try {
      for (const text of corpus(210)) await createPaper(store, { title: text.split(' ').slice(0, 2).join(' '), abstract: text });
      const e = await createBuiltinEmbedder(store.db, store.dir);
      expect(e.model).toMatch(/^builtin-lsa-k\d+-[0-9a-f]{8}$/);
      const [v] = await e.embedDocuments(['robot gripper trajectory']);
      expect(dot(v!, await e.embedQuery('robot gripper'))).toBeGreaterThan(0.5);
      expect(dot(v!, await e.embedQuery('protein folding'))).toBeLessThan(0.1);
      const again = await createBuiltinEmbedder(store.db, store.dir);
      expect(again.model).toBe(e.model);
    } finally {
      await store.cleanup();
    }
  });
});

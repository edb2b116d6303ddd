// Known-item look-alikes: the bench counts the titles that hold a query's words in order (function words aside)
// and places the query's paper at random among them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownItemLookAlikes } from '../src/bench/known-item-look-alikes.ts';
import { createPaper, createTestStore, type TestStore } from './helpers.ts';

describe('known-item look-alikes', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore();
    await createPaper(store, { arxivId: '2601.00001', title: 'Large Language Models for Code' });
    await createPaper(store, { arxivId: '2601.00002', title: 'On Large Language Models' });
    await createPaper(store, { arxivId: '2601.00003', title: 'Large and Language Models are Graph Learners' });
    await createPaper(store, { arxivId: '2601.00004', title: 'Graph Neural Networks' });
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('gives the expected rank among look-alike titles, and a found paper where the title has no look-alike', async () => {
    const qrels = new Map([['a', new Map([['2601.00002', 1]])], ['b', new Map([['2601.00004', 1]])], ['c', new Map([['2601.00004', 1]])]]);
    const queries = [{ id: 'a', text: 'Large Language Models' }, { id: 'b', text: 'graph neural' }, { id: 'c', text: 'neural graph' }];
    const r = await knownItemLookAlikes(store.db, queries, qrels, '');
    // a: three titles hold "large language models" ("and" is a function word): (1 + 1/2 + 1/3) / 3.
    // b: one title; c: not in the paper's title in that order, counted as found.
    expect(r.mrr_at_10).toBeCloseTo((11 / 18 + 1 + 1) / 3, 4);
    expect(r.success_at_10).toBe(1);
    expect(r.tied_queries).toBe(1);
    expect(r.over_ten).toBe(0);
  });
});

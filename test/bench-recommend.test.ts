import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';
import { benchRecommend, DatasetError } from '../src/bench/recommend-quality.ts';

describe.each(testDialects())('paperboy bench recommend on %s', (dialect) => {
  let store: TestStore;
  let dir: string;
  beforeAll(async () => {
    store = await createTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'recsys-'));
    const topics = [
      ['protein folding', 'structure prediction of folded proteins'],
      ['galaxy lensing', 'weak gravitational lensing of galaxy clusters'],
      ['policy gradient', 'reinforcement learning with policy gradients'],
      ['tokenizer', 'byte pair tokenizers for language models'],
    ];
    for (const [t, [title, abstract]] of topics.entries()) {
      await createPaper(store, { arxivId: `2601.0000${t}`, announcedOn: '2026-01-10', title: `${title} in the past`, abstract: `${abstract}, an early study` });
      await createPaper(store, { arxivId: `2606.0000${t}`, announcedOn: '2026-06-10', title: `New ${title} results`, abstract: `More ${abstract}` });
    }
    writeFileSync(join(dir, 'users.jsonl'), [0, 1, 2].map((t) => JSON.stringify({ user: `u${t}`, library: [`2601.0000${t}`], since: '2026-06-01' })).join('\n') + '\n');
    // u2's paper to find is another topic's: the content says nothing about it.
    writeFileSync(join(dir, 'qrels.tsv'), 'u0\t2606.00000\nu1\t2606.00001\nu2\t2606.00003\n');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await store.cleanup();
  });

  it('scores each user’s list against the qrels, per half too, and leaves no bench users behind', async () => {
    const progress: number[] = [];
    const r = await benchRecommend(store.db, dir, { onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([1, 2, 3]);
    expect(r.users).toBe(3);
    // u0 and u1 find their paper first (nDCG 1); u2's shares no word with its library: not listed.
    expect(r.halves).toEqual({ even: { users: 2, ndcg_at_20: 0.5, recall_at_50: 0.5 }, odd: { users: 1, ndcg_at_20: 1, recall_at_50: 1 } });
    expect(r).toMatchObject({ ndcg_at_20: 0.6667, recall_at_50: 0.6667 });
    expect(r.p95_ms).toBeGreaterThanOrEqual(r.p50_ms);
    // An exact first stage ranks these the same.
    expect(await benchRecommend(store.db, dir, { stages: { minImpact: 0, commonShare: 1, shortlist: 1000 } })).toMatchObject({ ndcg_at_20: 0.6667, recall_at_50: 0.6667, stages: { minImpact: 0, commonShare: 1, shortlist: 1000 } });
    const left = await store.db.selectFrom('user_account').select('email').where('email', 'like', '%@recsys-bench.invalid').execute();
    expect(left).toEqual([]);
  });

  it('refuses a store without the dataset’s papers, saying how to import them', async () => {
    writeFileSync(join(dir, 'users.jsonl'), JSON.stringify({ user: 'u9', library: ['2105.99999'], since: '2026-06-01' }) + '\n');
    await expect(benchRecommend(store.db, dir)).rejects.toThrow(DatasetError);
    await expect(benchRecommend(store.db, dir)).rejects.toThrow(/paperboy import/);
  });
});

// Known-item search end to end: someone types a few words of a title they remember, among papers
// that use the same words scattered, or words that only share a stem, on each dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPapers } from '../src/papers/index.ts';
import { refreshStatistics } from '../src/store/postgres.ts';
import { createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

describe.each(testDialects())('known-item search on %s', (dialect) => {
  let store: TestStore;
  let app: TestApp;

  async function ids(q: string): Promise<string[]> {
    const res = await fetch(`${app.url}/api/papers/search?${new URLSearchParams({ q })}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: Array<{ id: string }> }).results.map((r) => r.id);
  }

  beforeAll(async () => {
    store = await createTestStore(dialect);
    const paper = (n: number, title: string, abstract: string) => ({
      arxivId: `2607.${String(n).padStart(5, '0')}`, title, abstract, authors: ['Ada Lovelace'], categories: ['cs.CL'], announcedOn: '2026-07-01',
    });
    const scattered = Array.from({ length: 40 }, (_, i) =>
      paper(100 + i, `Steering ${i} agents with a model of language`, `A language model steers robots; steering the model keeps language plain. Model ${i}.`));
    const sameStem = Array.from({ length: 40 }, (_, i) =>
      paper(200 + i, `Adaptive generative models for domain shift ${i}`, `Domain adaptive generative training, adapting to each domain. Run ${i}.`));
    await upsertPapers(store.db, [
      ...scattered,
      ...sameStem,
      paper(1, 'Sparse features for language model steering', 'We study activation directions.'),
      paper(2, 'Domain adaption with generative priors', 'A study of priors.'),
    ]);
    await refreshStatistics(store.db);
    app = await startTestApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('ranks the paper whose title holds the words adjacent and in order above papers that scatter them', async () => {
    expect((await ids('Language Model Steering'))[0]).toBe('2607.00001');
  });

  it('ranks the paper with the word exactly as typed above papers with words of the same stem', async () => {
    expect((await ids('Domain Adaption Generative'))[0]).toBe('2607.00002');
  });

  it('reads a hyphenated compound as one typed word, so four of them still need every word', async () => {
    const found = await ids('language-model model-steering sparse-features');
    expect(found).toEqual(['2607.00001']);
  });
});

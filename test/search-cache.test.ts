// Search outcomes are reused until something they show changes, on each dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaperHidden } from '../src/community/index.ts';
import { findPaperByArxivId, upsertPapers } from '../src/papers/index.ts';
import { searchPapers, type SearchOptions } from '../src/search/index.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

describe.each(testDialects())('search result cache on %s', (dialect) => {
  let store: TestStore;
  const options: SearchOptions = { limit: 20, offset: 0, sort: 'relevance' };
  const ids = async (q: string, o: SearchOptions = options) => (await searchPapers(store.db, q, o)).results.map((r) => r.paper.arxivId).sort();

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2608.00001', title: 'Diffusion models for audio', categories: ['cs.SD'] });
    await createPaper(store, { arxivId: '2608.00002', title: 'Diffusion models for video', categories: ['cs.CV'] });
  });

  afterAll(async () => {
    await store.cleanup();
  });

  it('answers a repeated search with the outcome it kept', async () => {
    const first = await searchPapers(store.db, 'diffusion models', options);
    expect(await searchPapers(store.db, 'diffusion models', options)).toBe(first);
    expect(await searchPapers(store.db, 'diffusion models', { ...options, categories: ['cs.CV'] })).not.toBe(first);
    expect(await ids('diffusion models', { ...options, categories: ['cs.CV'] })).toEqual(['2608.00002']);
  });

  it('does not keep an answer whose feedback round was skipped for time', async () => {
    const claim = 'diffusion models generate audio and video samples quickly';
    const rushed = await searchPapers(store.db, claim, { ...options, timeBudgetMs: 0 });
    expect(rushed.matched).toBe('any');
    expect(rushed.shortened).toBe(true);
    expect(rushed.results.length).toBeGreaterThan(0);
    const full = await searchPapers(store.db, claim, options);
    expect(full).not.toBe(rushed);
    expect(full.shortened).toBe(false);
    expect(await searchPapers(store.db, claim, options)).toBe(full);
  });

  it('searches afresh after a paper arrives, changes or is hidden', async () => {
    expect(await ids('diffusion models')).toEqual(['2608.00001', '2608.00002']);
    await createPaper(store, { arxivId: '2608.00003', title: 'Diffusion models for text' });
    expect(await ids('diffusion models')).toEqual(['2608.00001', '2608.00002', '2608.00003']);
    await upsertPapers(store.db, [{ arxivId: '2608.00003', version: 2, title: 'Flow matching for text', abstract: 'Text.', authors: ['Ada Lovelace'], categories: ['cs.CL'], announcedOn: '2026-06-30' }]);
    expect(await ids('diffusion models')).toEqual(['2608.00001', '2608.00002']);
    const video = (await findPaperByArxivId(store.db, '2608.00002'))!;
    await setPaperHidden(store.db, { id: null, label: 'test' }, { id: video.id, arxivId: video.arxivId }, true, 'spam', new Date());
    expect(await ids('diffusion models')).toEqual(['2608.00001']);
  });

  it('runs identical searches arriving together once, charging only the client whose search ran', async () => {
    let charged = 0;
    const run = { charge: async () => void charged++ };
    const together = await Promise.all(Array.from({ length: 5 }, () => searchPapers(store.db, 'models for audio', options, undefined, run)));
    expect(new Set(together).size).toBe(1);
    expect(together[0]!.results.map((r) => r.paper.arxivId)).toEqual(['2608.00001']);
    expect(charged).toBe(1);
    await searchPapers(store.db, 'models for audio', options, undefined, run);
    expect(charged).toBe(1);
    // Sorted by upvotes, which change without the search version, nothing is shared or kept.
    await searchPapers(store.db, 'models for audio', { ...options, sort: 'upvotes' }, undefined, run);
    expect(charged).toBe(2);
  });
});

// Newest first, a very common word is tested paper by paper along the date index instead of first
// collecting every paper holding it: the answer must be the same as collecting them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaperHidden } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { newestByProbing, sqliteKeywordIndex } from '../src/search/keyword.sqlite.ts';
import type { KeywordQuery, SearchFilters } from '../src/search/keyword.ts';
import { createPaper, createTestStore, type TestStore } from './helpers.ts';

const noFilters: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };

describe('newest first by probing on sqlite', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore();
    for (let i = 0; i < 60; i++) {
      await createPaper(store, {
        arxivId: `2608.${String(i).padStart(5, '0')}`,
        title: i % 4 === 0 ? `A study ${i}` : `Graph models ${i}`,
        abstract: `Text ${i}.`,
        categories: [i % 5 === 0 ? 'cs.LG' : 'cs.CL'],
        announcedOn: `2026-0${1 + (i % 8)}-${String(1 + (i % 27)).padStart(2, '0')}`,
        ...(i % 6 === 0 ? { comment: `Code: https://github.com/x/y${i}` } : {}),
      });
    }
    const hidden = (await findPaperByArxivId(store.db, '2608.00007'))!;
    await setPaperHidden(store.db, { id: null, label: 'test' }, { id: hidden.id, arxivId: hidden.arxivId }, true, 'spam', new Date());
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('gives the pages the collecting walk gives, with every filter', async () => {
    const graph: KeywordQuery = { must: [{ field: 'any', tokens: ['graph'] }], should: [], mustNot: [] };
    const filters: SearchFilters[] = [
      noFilters,
      { ...noFilters, categories: ['cs.LG'] },
      { ...noFilters, since: '2026-03-01', until: '2026-06-30' },
      { ...noFilters, hasCode: true },
    ];
    for (const f of filters) {
      for (const [limit, offset] of [[5, 0], [10, 5], [50, 0]] as const) {
        const want = await sqliteKeywordIndex.search(store.db, graph, f, 'newest', limit, offset);
        expect(await newestByProbing(store.db, '"graph"', f, limit, offset)).toEqual(want);
      }
    }
    const all = await newestByProbing(store.db, '"graph"', noFilters, 100, 0);
    expect(all).toHaveLength(44);
    const withCode = await newestByProbing(store.db, '"graph"', { ...noFilters, hasCode: true }, 100, 0);
    expect(withCode.length).toBeGreaterThan(0);
    expect(withCode.length).toBeLessThan(all.length);
  });
});

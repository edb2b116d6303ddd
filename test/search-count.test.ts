// Counting a descriptive (any-word) query's matches stops at a bound; when one word alone already
// reaches it (its papers minus the hidden ones), the vocabulary answers without walking the matches.
// Either way the count is exact up to the bound, hidden papers excluded, on each dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaperHidden } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { keywordIndexFor } from '../src/search/keyword-index.ts';
import type { KeywordQuery, SearchFilters } from '../src/search/keyword.ts';
import { refreshStatistics } from '../src/store/postgres.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const none: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };
const anyOf = (...words: string[]): KeywordQuery => ({ must: [], should: words.map((w) => ({ field: 'any' as const, tokens: [w] })), mustNot: [] });

describe.each(testDialects())('bounded counts on %s', (dialect) => {
  let store: TestStore;
  const count = (q: KeywordQuery, atMost: number, f = none) => keywordIndexFor(store.db).count(store.db, q, f, atMost);
  const hide = async (arxivId: string) => {
    const p = (await findPaperByArxivId(store.db, arxivId))!;
    await setPaperHidden(store.db, { id: null, label: 'test' }, { id: p.id, arxivId }, true, 'spam', new Date());
  };

  beforeAll(async () => {
    store = await createTestStore(dialect);
    for (let i = 0; i < 8; i++) await createPaper(store, { arxivId: `2610.0000${i}`, title: `Graph study ${i}`, abstract: 'Graphs.', categories: [i < 4 ? 'cs.LG' : 'cs.CL'] });
    await createPaper(store, { arxivId: '2610.00010', title: 'Zebra crossings', abstract: 'Stripes.' });
    await hide('2610.00000');
    await hide('2610.00001');
    await refreshStatistics(store.db);
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('counts up to the bound, whether one word reaches it or the matches must be walked', async () => {
    expect(await count(anyOf('graph', 'zebra'), 5)).toBe(5); // "graph" alone: 8 papers, 2 hidden
    expect(await count(anyOf('graph', 'zebra'), 7)).toBe(7); // 6 + the zebra paper
    expect(await count(anyOf('graph', 'zebra'), 100)).toBe(7);
    expect(await count(anyOf('graph', 'zebra'), 7, { ...none, categories: ['cs.LG'] })).toBe(2);
    await hide('2610.00002');
    await hide('2610.00003');
    expect(await count(anyOf('graph'), 5)).toBe(4); // 8 papers hold it, but 4 are hidden
    expect(await count(anyOf('graph', 'zebra'), 5)).toBe(5);
  });
});

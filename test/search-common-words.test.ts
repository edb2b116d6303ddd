// A common word searched alone is ranked in full once, then read from its top list until the store
// changes; its count is the index's document frequency minus hidden papers. Both must equal what
// the full evaluation gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaperHidden } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { commonWordHits, countCommonWord, TOP_LIST_MIN_PAPERS } from '../src/search/common-words.sqlite.ts';
import { sqliteKeywordIndex } from '../src/search/keyword.sqlite.ts';
import type { KeywordQuery, SearchFilters } from '../src/search/keyword.ts';
import { createPaper, createTestStore, type TestStore } from './helpers.ts';

const noFilters: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };
const graph: KeywordQuery = { must: [{ field: 'any', tokens: ['graph'] }], should: [], mustNot: [] };

describe('common words on sqlite', () => {
  let store: TestStore;
  let ranked = 0;
  const rankAll = async (n: number) => (ranked++, sqliteKeywordIndex.search(store.db, graph, noFilters, 'relevance', n, 0));
  const fromList = (limit: number, offset: number) => commonWordHits(store.db, 'graph', TOP_LIST_MIN_PAPERS, limit, offset, rankAll);

  beforeAll(async () => {
    store = await createTestStore();
    for (let i = 0; i < 30; i++) {
      await createPaper(store, { arxivId: `2609.${String(i).padStart(5, '0')}`, title: `Graph ${'graph '.repeat(i % 4)}study ${i}`, abstract: `Nodes ${i}. ${'A graph. '.repeat(i % 3)}` });
    }
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('answers each page as the full ranking does, ranking the word once while nothing changes', async () => {
    const full = await sqliteKeywordIndex.search(store.db, graph, noFilters, 'relevance', 30, 0);
    expect(full).toHaveLength(30);
    ranked = 0;
    expect(await fromList(10, 0)).toEqual(full.slice(0, 10));
    expect(await fromList(10, 10)).toEqual(full.slice(10, 20));
    expect(ranked).toBe(1);
    // Rarer words and pages beyond the list take the full evaluation.
    expect(await commonWordHits(store.db, 'graph', TOP_LIST_MIN_PAPERS - 1, 10, 0, rankAll)).toBeUndefined();
    expect(await fromList(10, 995)).toBeUndefined();
  });

  it('ranks afresh after a paper arrives or is hidden, and counts only visible papers', async () => {
    ranked = 0;
    await createPaper(store, { arxivId: '2609.09999', title: 'Graph graph graph graph', abstract: 'Graph.' });
    const after = await fromList(5, 0);
    expect(ranked).toBe(1);
    expect(after).toEqual(await sqliteKeywordIndex.search(store.db, graph, noFilters, 'relevance', 5, 0));
    expect(await countCommonWord(store.db, '"graph"', 31)).toBe(31);
    const top = (await findPaperByArxivId(store.db, '2609.09999'))!;
    await setPaperHidden(store.db, { id: null, label: 'test' }, { id: top.id, arxivId: top.arxivId }, true, 'spam', new Date());
    expect((await fromList(5, 0))!.map((h) => h.paperId)).not.toContain(top.id);
    expect(ranked).toBe(2);
    expect(await countCommonWord(store.db, '"graph"', 31)).toBe(30);
    expect(await sqliteKeywordIndex.count(store.db, graph, noFilters)).toBe(30);
  });
});

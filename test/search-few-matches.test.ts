// A query whose matches all fit the re-scored window takes them as its candidates, unranked
// (KeywordIndex.matchesUpTo): re-scoring orders them, so the answer must be the one the engine's own
// rankings give — the same papers, scores and order — with hidden and filtered papers left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaperHidden } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { sqliteKeywordIndex } from '../src/search/keyword.sqlite.ts';
import { postgresKeywordIndex } from '../src/search/keyword.postgres.ts';
import type { KeywordIndex, KeywordQuery, SearchFilters } from '../src/search/keyword.ts';
import { refreshPaperTerms } from '../src/search/paper-terms.ts';
import { runSearch } from '../src/search/search.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const noFilters: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };
const words = (...ws: string[]): KeywordQuery => ({ must: ws.map((w) => ({ field: 'any', tokens: [w] })), should: [], mustNot: [] });

describe.each(testDialects())('a query with few matches on %s', (dialect) => {
  const index = dialect === 'postgres' ? postgresKeywordIndex : sqliteKeywordIndex;
  let store: TestStore;
  let hiddenId: number;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const vocab = ['sparse', 'graph', 'neural', 'network', 'language', 'model', 'steering', 'data', 'signal', 'vision', 'robot', 'policy', 'speech', 'audio', 'protein', 'molecule', 'quantum', 'circuit'];
    const pick = (n: number) => Array.from({ length: n }, () => vocab[Math.floor(rnd() * vocab.length)]).join(' ');
    for (let i = 0; i < 150; i++) {
      await createPaper(store, {
        arxivId: `2611.${String(i).padStart(5, '0')}`,
        title: i % 9 === 0 ? `Sparse language model steering ${i}` : `${pick(2 + (i % 4))} ${i}`,
        abstract: `${pick(6 + (i % 30))}.`,
        categories: [i % 2 === 0 ? 'cs.CL' : 'cs.LG'],
      });
    }
    // Most papers have stored terms; the last few are analysed from their text.
    await refreshPaperTerms(store.db);
    for (let i = 150; i < 156; i++) await createPaper(store, { arxivId: `2611.${String(i).padStart(5, '0')}`, title: `Language model steering ${pick(2)}`, abstract: `${pick(12)}.` });
    const hidden = (await findPaperByArxivId(store.db, '2611.00009'))!;
    hiddenId = hidden.id;
    await setPaperHidden(store.db, { id: null, label: 'test' }, { id: hidden.id, arxivId: hidden.arxivId }, true, 'spam', new Date());
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('lists every visible match when at most so many match, and nothing when more do', async () => {
    const q = words('language', 'steering');
    const ranked = await index.search(store.db, q, noFilters, 'relevance', 1000, 0);
    expect(ranked.length).toBeGreaterThan(3);
    const all = await index.matchesUpTo!(store.db, q, noFilters, ranked.length);
    expect(new Set(all)).toEqual(new Set(ranked.map((h) => h.paperId)));
    expect(all).not.toContain(hiddenId);
    expect(await index.matchesUpTo!(store.db, q, noFilters, ranked.length - 1)).toBeUndefined();
    // After a count has read the matches, and with a filter.
    expect(await index.count(store.db, q, noFilters)).toBe(ranked.length);
    expect(new Set(await index.matchesUpTo!(store.db, q, noFilters, 1000))).toEqual(new Set(all));
    const inCl = { ...noFilters, categories: ['cs.CL'] };
    const clRanked = await index.search(store.db, q, inCl, 'relevance', 1000, 0);
    expect(new Set(await index.matchesUpTo!(store.db, q, inCl, 1000))).toEqual(new Set(clRanked.map((h) => h.paperId)));
    expect(await index.matchesUpTo!(store.db, { must: [], should: [], mustNot: [] }, inCl, 100)).toBeUndefined();
    // A phrase with a word, and a lone word: counted by the walk that reads their matches.
    for (const query of [{ must: [{ field: 'any', tokens: ['language', 'model'] }, { field: 'any', tokens: ['steering'] }], should: [], mustNot: [] }, words('protein')] as KeywordQuery[]) {
      const all = await index.search(store.db, query, noFilters, 'relevance', 1000, 0);
      expect(all.length).toBeGreaterThan(1);
      expect(await index.count(store.db, query, noFilters, 10_000)).toBe(all.length);
      expect(new Set(await index.matchesUpTo!(store.db, query, noFilters, 100))).toEqual(new Set(all.map((h) => h.paperId)));
    }
  });

  it('ranks as when the engine ranks the candidates first, on every page', async () => {
    const ranking: KeywordIndex = { ...index, matchesUpTo: undefined };
    let few = 0;
    for (const q of ['language model steering', 'sparse steering', 'quantum circuit protein', 'speech audio', 'language-model steering', 'quantum-circuit', 'protein', 'graph neural network', 'steering -vision', 'vision signal data', 'nothingmatches steering']) {
      for (const [limit, offset] of [[20, 0], [5, 5], [100, 0]] as const) {
        const options = { limit, offset, sort: 'relevance' as const, textSnippetOnly: true, timeBudgetMs: Infinity };
        const got = await runSearch(store.db, index, q, options);
        const want = await runSearch(store.db, ranking, q, options);
        expect(got.results.map((r) => [r.paper.id, r.score])).toEqual(want.results.map((r) => [r.paper.id, r.score]));
        expect(got.total).toBe(want.total);
        if (got.total >= 2 && got.total <= 100) few++;
      }
    }
    expect(few).toBeGreaterThan(6);
  });
});

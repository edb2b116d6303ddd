// Top lists of common words: whatever they answer must be exactly the full ranking's answer (the
// same papers with the same scores, up to ties), and they must answer often enough to matter. Small
// lists and a low threshold (TopListPolicy) stand in for a million papers; the engine is real FTS5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaperHidden } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { buildSqliteTopLists, sqliteKeywordIndex, sqliteRanker } from '../src/search/keyword.sqlite.ts';
import type { Clause, Hit, KeywordQuery, SearchFilters } from '../src/search/keyword.ts';
import { countCommonWord, topFromLists, topListsStale, type TopListPolicy } from '../src/search/top-lists.sqlite.ts';
import { porterStem, wordStemmingTo } from '../src/search/porter.ts';
import { refreshTopLists } from '../src/search/top-lists-job.ts';
import { silentLogger } from '../src/log.ts';
import { createPaper, createTestStore, type TestStore } from './helpers.ts';

const noFilters: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };
const policy: TopListPolicy = { minPapers: 5, length: 10 };
const words = (field: Clause['field'], ...ws: string[]): KeywordQuery => ({ must: ws.map((w) => ({ field, tokens: [w] })), should: [], mustNot: [] });

describe('top lists of common words on sqlite', () => {
  let store: TestStore;
  const docFreq = async (word: string) => (await sqliteKeywordIndex.termStats(store.db, [word])).docFreq.get(word) ?? 0;
  const fromLists = (q: KeywordQuery, f: SearchFilters, n: number, ranker = sqliteRanker(store.db, q, f)) => topFromLists(store.db, q, f, n, ranker, docFreq, policy);
  const full = (q: KeywordQuery, f: SearchFilters, n: number) => sqliteKeywordIndex.search(store.db, q, f, 'relevance', n, 0);

  /** Same scores in the same order, each paper's score its score in the full ranking. */
  async function expectExact(got: Hit[], q: KeywordQuery, f: SearchFilters, n: number): Promise<void> {
    const want = await full(q, f, n);
    expect(got.map((h) => h.score.toFixed(9))).toEqual(want.map((h) => h.score.toFixed(9)));
    const every = new Map((await full(q, f, 1000)).map((h) => [h.paperId, h.score]));
    for (const h of got) expect(every.get(h.paperId)?.toFixed(9)).toBe(h.score.toFixed(9));
  }

  beforeAll(async () => {
    store = await createTestStore();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const vocab = ['graph', 'neural', 'network', 'learning', 'model', 'data', 'method', 'results', 'study', 'signal'];
    const pick = (n: number) => Array.from({ length: n }, () => vocab[Math.floor(rnd() * vocab.length)]).join(' ');
    for (let i = 0; i < 80; i++) {
      await createPaper(store, {
        arxivId: `2609.${String(i).padStart(5, '0')}`,
        title: i % 9 === 0 ? `Graph neural network ${pick(1)}` : `${pick(2 + (i % 4))} ${i}`,
        abstract: `${pick(10 + (i % 30))}.`,
        categories: [i % 3 === 0 ? 'cs.LG' : 'cs.CL'],
      });
    }
    await buildSqliteTopLists(store.db, { policy });
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('answers a lone common word from its list, ranking it once while nothing changes', async () => {
    const ranker = sqliteRanker(store.db, words('any', 'graph'), noFilters);
    let ranked = 0;
    const counting = { ...ranker, rankClause: (c: Clause, n: number) => (ranked++, ranker.rankClause(c, n)) };
    for (const n of [1, 5, 10]) await expectExact((await fromLists(words('any', 'graph'), noFilters, n, counting))!, words('any', 'graph'), noFilters, n);
    expect(ranked).toBe(0); // the stored list
    expect(await fromLists(words('any', 'graph'), noFilters, 11)).toBeUndefined(); // deeper than the list
    expect(await fromLists(words('any', 'zzz'), noFilters, 5)).toBeUndefined(); // not common
  });

  it('answers several words, title clauses and filters exactly, or not at all', async () => {
    const queries = [words('any', 'graph', 'neural'), words('any', 'neural', 'network'), words('any', 'graph', 'neural', 'network'), words('title', 'graph', 'neural'), words('any', 'model', 'data'), { ...words('any', 'graph', 'neural'), mustNot: [{ field: 'any', tokens: ['signal'] }] } as KeywordQuery];
    const filters = [noFilters, { ...noFilters, categories: ['cs.LG'] }];
    let answered = 0;
    let declined = 0;
    for (const q of queries) {
      for (const f of filters) {
        for (const n of [1, 3, 5, 10]) {
          const got = await fromLists(q, f, n);
          if (got === undefined) declined++;
          else (answered++, await expectExact(got, q, f, n));
        }
      }
    }
    expect(answered).toBeGreaterThan(10);
    expect(declined).toBeGreaterThan(0);
  });

  it('ignores lists built before a write until they are rebuilt, and leaves hidden papers out', async () => {
    const q = words('any', 'graph', 'neural');
    expect(await topListsStale(store.db)).toBe(false);
    await createPaper(store, { arxivId: '2609.09999', title: 'Graph neural graph neural graph neural', abstract: 'Graph neural.' });
    expect(await topListsStale(store.db)).toBe(true);
    expect(await fromLists(q, noFilters, 3)).toBeUndefined(); // several words never build lists on the spot
    await buildSqliteTopLists(store.db, { policy });
    expect(await topListsStale(store.db)).toBe(false);
    const top = (await findPaperByArxivId(store.db, '2609.09999'))!;
    expect((await fromLists(q, noFilters, 3))![0]!.paperId).toBe(top.id);
    await setPaperHidden(store.db, { id: null, label: 'test' }, { id: top.id, arxivId: top.arxivId }, true, 'spam', new Date());
    const graphs = await docFreq('graph');
    expect(await countCommonWord(store.db, '"graph"', graphs)).toBe(graphs - 1);
    // Hiding bumps the search version: the lone word is ranked afresh, without the hidden paper.
    const alone = (await fromLists(words('any', 'graph'), noFilters, 10))!;
    expect(alone.map((h) => h.paperId)).not.toContain(top.id);
    await expectExact(alone, words('any', 'graph'), noFilters, 10);
  });

  it('asks for a stem by a word that stems to it, as the engine stems what it is asked', () => {
    for (const stem of ['diffus', 'model', 'propos', 'focus', 'embed', 'experiment']) {
      const word = wordStemmingTo(stem)!;
      expect(porterStem(word)).toBe(stem);
    }
    expect(porterStem('diffus')).not.toBe('diffus'); // why a stem is not asked for as itself
  });

  it('the job rebuilds stale lists once and then finds nothing to do', async () => {
    await createPaper(store, { arxivId: '2609.09998', title: 'Another graph', abstract: 'Graph.' });
    expect(await topListsStale(store.db)).toBe(true);
    expect(await refreshTopLists(store.db, silentLogger)).toBe(true);
    expect(await topListsStale(store.db)).toBe(false);
    expect(await refreshTopLists(store.db, silentLogger)).toBe(false);
  });
});

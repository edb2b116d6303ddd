// Stored analysed papers (paper-terms.ts) are only a faster way to the same ranking: every query
// scores each paper exactly as analysing its text afresh does, and a paper changed since its terms
// were stored is scored by its new text until the job stores them again. On each dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPapers } from '../src/papers/index.ts';
import { keywordIndexFor } from '../src/search/keyword-index.ts';
import { refreshPaperTerms, staleCount } from '../src/search/paper-terms.ts';
import { runSearch, type SearchOptions } from '../src/search/search.ts';
import { refreshStatistics } from '../src/store/postgres.ts';
import { createTestStore, testDialects, type TestStore } from './helpers.ts';

const options: SearchOptions = { limit: 50, offset: 0, sort: 'relevance', withoutSnippets: true, timeBudgetMs: Infinity };
const queries = [
  'language model steering', // short: all words, runs of words, title candidates
  'Domain Adaption Generative', // the exact spelling against words of the same stem
  'sparse steering directions keep generative language models adaptive across domains', // descriptive: feedback
  'au:lovelace steering',
  'zeppelin', // in no paper until one is edited
];

describe.each(testDialects())('stored analysed papers on %s', (dialect) => {
  let store: TestStore;
  const paper = (n: number, title: string, abstract: string) => ({
    arxivId: `2608.${String(n).padStart(5, '0')}`, title, abstract, authors: [n % 2 ? 'Ada Lovelace' : 'Grace Hopper'], categories: ['cs.CL'], announcedOn: '2026-08-01',
  });
  const ranking = async (q: string) => (await runSearch(store.db, keywordIndexFor(store.db), q, options)).results.map((r) => [r.paper.arxivId, r.score.toFixed(9)]);
  const rankings = async () => Promise.all(queries.map(ranking));

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await upsertPapers(store.db, [
      ...Array.from({ length: 30 }, (_, i) => paper(100 + i, `Steering ${i} agents with a model of language`, `A language model steers robots; steering the model keeps language plain. Model ${i}.`)),
      ...Array.from({ length: 30 }, (_, i) => paper(200 + i, `Adaptive generative models for domain shift ${i}`, `Domain adaptive generative training, adapting to each domain. Run ${i}; sparse directions.`)),
      paper(1, 'Sparse features for language model steering', 'We study activation directions of language models.'),
      paper(2, 'Domain adaption with generative priors', 'A study of priors: Über-generative, naïve and 2-step models.'),
    ]);
    await refreshStatistics(store.db);
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('ranks every query the same, to the last digit, from stored terms as from the text', async () => {
    const fromText = await rankings();
    expect(fromText[0]![0]![0]).toBe('2608.00001');
    expect(fromText[1]![0]![0]).toBe('2608.00002');
    expect(fromText[2]!.length).toBeGreaterThan(10);
    expect(await staleCount(store.db)).toBe(62);
    expect(await refreshPaperTerms(store.db)).toBe(62);
    expect(await staleCount(store.db)).toBe(0);
    expect(await rankings()).toEqual(fromText);
    expect(await refreshPaperTerms(store.db)).toBe(0); // nothing left to store
  });

  it('scores a paper changed since its terms were stored by its new text, then stores them again', async () => {
    await refreshPaperTerms(store.db);
    const place = (r: string[][]) => r.findIndex(([id]) => id === '2608.00110');
    const beforeEdit = place((await rankings())[0]!);
    await upsertPapers(store.db, [paper(110, 'Zeppelin steering with a language model', 'A zeppelin is steered by language alone.')]);
    await refreshStatistics(store.db);
    expect(await staleCount(store.db)).toBe(1);
    const beforeStoring = await rankings();
    expect(beforeStoring[4]!.map(([id]) => id)).toEqual(['2608.00110']);
    expect(place(beforeStoring[0]!)).not.toBe(beforeEdit); // scored by its new text, not the stored old one
    expect(await refreshPaperTerms(store.db)).toBe(1);
    expect(await rankings()).toEqual(beforeStoring);
  });

  it('looks for papers to store a window of ids at a time, and not at all until a paper is written', async () => {
    let scans = 0;
    const spy = store.db.withPlugin({
      transformQuery: (a) => (JSON.stringify(a.node).includes('"paper_terms"') && a.node.kind === 'SelectQueryNode' ? scans++ : 0, a.node),
      transformResult: async (a) => a.result,
    });
    await upsertPapers(store.db, Array.from({ length: 5 }, (_, i) => paper(300 + i, `Zeppelin mooring ${i}`, `Mooring masts for airships, case ${i}.`)));
    expect(await staleCount(store.db)).toBe(5);
    expect(await refreshPaperTerms(spy, { scanWindow: 7 })).toBe(5);
    expect(scans).toBeGreaterThan(67 / 7); // every window of the 67 papers' ids was looked at
    expect(await staleCount(store.db)).toBe(0);
    scans = 0;
    expect(await refreshPaperTerms(spy, { scanWindow: 7 })).toBe(0);
    expect(scans).toBe(0); // nothing written since: no scan
    // A change outside the indexed text still changes the paper's hash, and moves the counter.
    await upsertPapers(store.db, [{ ...paper(301, 'Zeppelin mooring 1', 'Mooring masts for airships, case 1.'), categories: ['cs.RO'] }]);
    expect(await staleCount(store.db)).toBe(1);
    expect(await refreshPaperTerms(spy, { scanWindow: 7 })).toBe(1);
    expect(scans).toBeGreaterThan(0);
  });
});

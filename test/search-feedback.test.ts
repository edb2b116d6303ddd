// RM3 feedback on descriptive queries: a paper the feedback terms describe moves up among the
// papers the query's words found, and the feedback's terms fetch papers of their own. On each dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPapers } from '../src/papers/index.ts';
import { keywordIndexFor } from '../src/search/keyword-index.ts';
import { runSearch, type SearchOptions } from '../src/search/search.ts';
import { refreshStatistics } from '../src/store/postgres.ts';
import { createTestStore, testDialects, type TestStore } from './helpers.ts';

const options: SearchOptions = { limit: 50, offset: 0, sort: 'relevance', withoutSnippets: true, timeBudgetMs: Infinity };
// Six content words: read as a description, so any word matches and feedback runs.
const claim = 'graph neural networks predict protein structure';

describe.each(testDialects())('relevance feedback on %s', (dialect) => {
  let store: TestStore;
  const paper = (n: number, title: string, abstract: string) => ({
    arxivId: `2609.${String(n).padStart(5, '0')}`, title, abstract, authors: ['Rosalind Franklin'], categories: ['q-bio.BM'], announcedOn: '2026-09-01',
  });
  const ranking = async (q: string) => (await runSearch(store.db, keywordIndexFor(store.db), q, options)).results.map((r) => r.paper.arxivId);

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await upsertPapers(store.db, [
      // The best matches, which feedback reads: all about folding.
      ...Array.from({ length: 4 }, (_, i) => paper(10 + i, `Graph neural networks predict protein folding ${i}`, 'Protein structure from folding: graph networks predict each folding step of the protein.')),
      // Two papers alike but for one word: the second holds the feedback's "folding" where the first says "binding".
      paper(20, 'Networks for molecules', 'Neural networks predict binding of molecules.'),
      paper(21, 'Networks for molecules', 'Neural networks predict folding of molecules.'),
      // Folding throughout, yet none of the claim's words.
      paper(30, 'Folding kinetics of chaperones', 'Chaperones assist folding; folding rates and folding pathways.'),
      ...Array.from({ length: 20 }, (_, i) => paper(100 + i, `Unrelated study ${i}`, `Weather records of island ${i}.`)),
    ]);
    await refreshStatistics(store.db);
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('lifts a candidate that holds the feedback terms above its twin that does not', async () => {
    const ids = await ranking(claim);
    expect(ids.slice(0, 4).sort()).toEqual(['2609.00010', '2609.00011', '2609.00012', '2609.00013']);
    // Without feedback the twins score alike and keep id order (20 first); "folding" puts 21 ahead.
    expect(ids.indexOf('2609.00021')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('2609.00021')).toBeLessThan(ids.indexOf('2609.00020'));
  });

  it('finds papers through the feedback terms too, below those holding the query words', async () => {
    const ids = await ranking(claim);
    expect(ids).toContain('2609.00030');
    expect(ids.indexOf('2609.00030')).toBeGreaterThan(ids.indexOf('2609.00021'));
    // Not a match of the claim's own words: without feedback it is not there.
    expect(await ranking('graph neural networks protein')).not.toContain('2609.00030');
  });
});

// RM3 feedback on descriptive queries: a paper the feedback terms describe moves up among the
// papers the query's words found, and the feedback's terms fetch papers of their own. On each dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPapers } from '../src/papers/index.ts';
import { feedbackModelOf, loadAnalysed } from '../src/search/doc-texts.ts';
import { keywordIndexFor } from '../src/search/keyword-index.ts';
import { refreshPaperTerms } from '../src/search/paper-terms.ts';
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

// Feedback terms are stems ("wa" of "was", "fold" of "folding"); an engine that stems words its own
// way is asked for the word a paper wrote. PostgreSQL reads "was" as the stop word it is, where the
// bare stem "wa" would be a rare word of its own, given a large idf for a word in nearly every paper.
describe.each(testDialects())('feedback terms as the papers wrote them on %s', (dialect) => {
  let store: TestStore;
  const paper = (n: number, title: string, abstract: string) => ({
    arxivId: `2610.${String(n).padStart(5, '0')}`, title, abstract, authors: ['Rosalind Franklin'], categories: ['q-bio.BM'], announcedOn: '2026-10-01',
  });

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await upsertPapers(store.db, [
      ...Array.from({ length: 3 }, (_, i) => paper(10 + i, `Folding pathways ${i}`, 'The chain was folding: it was fast, and folding was seen twice.')),
      ...Array.from({ length: 5 }, (_, i) => paper(100 + i, `Unrelated study ${i}`, `Weather records of island ${i}.`)),
    ]);
    await refreshStatistics(store.db);
  });
  afterAll(async () => {
    await store.cleanup();
  });

  for (const stored of [false, true]) {
    it(`reads each stem's word from the papers ${stored ? 'with stored terms' : 'analysed afresh'}`, async () => {
      if (stored) expect(await refreshPaperTerms(store.db)).toBeGreaterThan(0);
      const rows = await store.db.selectFrom('paper').select('id').where('arxiv_id', 'like', '2610.0001%').orderBy('id').execute();
      const papers = await loadAnalysed(store.db, rows.map((r) => r.id));
      expect([...papers.values()].every((p) => ('stored' in p) === stored)).toBe(true);
      const model = await feedbackModelOf(store.db, rows.map((r, i) => ({ paperId: r.id, score: 10 - i })), papers, 100);
      expect(model.terms.map(([t]) => t)).toEqual(expect.arrayContaining(['wa', 'fold', 'pathwai']));
      expect(model.surfaces.get('wa')).toBe('was');
      expect(model.surfaces.get('fold')).toBe('folding');
      expect(model.surfaces.get('pathwai')).toBe('pathways');
      const stats = await keywordIndexFor(store.db).termStats(store.db, ['wa', 'fold'], model.surfaces);
      expect(stats.docFreq.get('fold')).toBe(3);
      // SQLite counts the stem "wa" in its index (the three papers with "was"); PostgreSQL does not
      // index the stop word "was" at all, so it weighs nothing: as if in every paper.
      expect(stats.docFreq.get('wa')).toBe(dialect === 'sqlite' ? 3 : stats.docCount);
    });
  }
});

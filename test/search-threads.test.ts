// SQLite searches on a search thread answer exactly what the same search answers on the event loop,
// see what the main connection wrote, and get semantic candidates from the main thread's index.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { DEFAULT_CACHE_MEMORY_MB } from '../src/config.ts';
import { planMemory } from '../src/lib/memory-budget.ts';
import { sqliteKeywordIndex } from '../src/search/keyword.sqlite.ts';
import { runSearch, type SearchOptions, type SearchOutcome } from '../src/search/search.ts';
import { startSearchThreads, type SearchThreads } from '../src/search/search-threads.ts';
import { createSemanticSearch, type SemanticSearch } from '../src/search/semantic.ts';
import { createPaper, createTestStore, type TestStore } from './helpers.ts';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny-embedding-model');
const options: SearchOptions = { limit: 10, offset: 0, sort: 'relevance', timeBudgetMs: Infinity };

function summary(o: SearchOutcome) {
  return { ids: o.results.map((r) => r.paper.arxivId), scores: o.results.map((r) => r.score.toFixed(6)), snippets: o.results.map((r) => r.snippet), total: o.total, matched: o.matched, semantic: o.semantic, notes: o.notes };
}

describe('search threads on sqlite', () => {
  let store: TestStore;
  let threads: SearchThreads;
  let semantic: SemanticSearch;
  const asked: string[] = [];
  let counting: SemanticSearch;
  beforeAll(async () => {
    store = await createTestStore({ EMBEDDINGS: 'transformers', EMBEDDING_MODEL: TINY });
    await createPaper(store, { title: 'Graph attention networks', abstract: 'Attention over the nodes and edges of a graph network.' });
    await createPaper(store, { title: 'Protein folding with graphs', abstract: 'The cell, the gene and a graph of protein contacts.' });
    await createPaper(store, { title: 'Quantum circuits', abstract: 'Qubit entanglement and error correction.', categories: ['quant-ph'] });
    await createPaper(store, { title: 'Diffusion models for images', abstract: 'Denoising diffusion generates images from noise.', announcedOn: '2026-05-01' });
    semantic = (await createSemanticSearch({ db: store.db, config: store.config, log: silentLogger }))!;
    await semantic.whenLoaded();
    await semantic.indexPending();
    counting = { ...semantic, searchText: (text, k) => (asked.push(text), semantic.searchText(text, k)) };
    threads = startSearchThreads({ sqlitePath: store.config.sqlitePath!, threads: 1, log: silentLogger });
  });
  afterAll(async () => {
    await threads.close();
    await semantic.close();
    await store.cleanup();
  });

  const onThread = (q: string, o: SearchOptions = options, s: SemanticSearch | undefined = undefined) => threads.gate.run(() => threads.search(q, o, s));
  const onLoop = (q: string, o: SearchOptions = options, s: SemanticSearch | undefined = undefined) => runSearch(store.db, sqliteKeywordIndex, q, o, s);

  it('answers what the event loop answers, for every kind of query and sort', async () => {
    const queries: Array<[string, SearchOptions]> = [
      ['graph', options],
      ['graph attention', options],
      ['"graph network"', options],
      ['protein -quantum', { ...options, sort: 'newest' }],
      ['graph cat:cs.CL', { ...options, sort: 'upvotes' }],
      ['graphs of protein contacts in the cell and the gene', options],
      ['nothing matches zzzz', options],
      ['', { ...options, categories: ['quant-ph'], sort: 'newest' }],
    ];
    for (const [q, o] of queries) expect(summary(await onThread(q, o)), q).toEqual(summary(await onLoop(q, o)));
  });

  it('reports its heap and its caches, each within its share of the budget', async () => {
    await onThread('graph attention');
    const [report, ...more] = await threads.memory();
    expect(more).toEqual([]);
    expect(report!.heapUsed).toBeGreaterThan(0);
    expect(report!.heapUsed).toBeLessThanOrEqual(report!.heapTotal);
    const analysed = report!.caches.find((c) => c.name === 'analysed papers')!;
    expect(analysed.entries).toBeGreaterThan(0);
    expect(analysed.maxBytes).toBe(planMemory(DEFAULT_CACHE_MEMORY_MB << 20, 1).searchThread['analysed papers']);
    expect(analysed.bytes).toBeLessThanOrEqual(analysed.maxBytes);
    expect(report!.caches.map((c) => c.name)).not.toContain('rendered pages');
  });

  it('sees what the main connection wrote since the thread started', async () => {
    expect((await onThread('witness')).total).toBe(0);
    await createPaper(store, { title: 'Entanglement witness', abstract: 'A witness for entanglement.' });
    expect((await onThread('witness')).results.map((r) => r.paper.title)).toEqual(['Entanglement witness']);
  });

  it('fuses semantic candidates the main thread sends, asked for once per search', async () => {
    const descriptive = 'graphs of protein contacts in the cell and the gene';
    asked.length = 0;
    const fused = await onThread(descriptive, options, counting);
    expect(fused.semantic).toBe(true);
    expect(asked).toEqual([descriptive]);
    expect(summary(fused)).toEqual(summary(await onLoop(descriptive, options, semantic)));
    // Two words no paper has together: only after looking does the search turn to any word and
    // semantic candidates, which the thread then asks the main thread for.
    asked.length = 0;
    const fallback = await onThread('quantum denoising', options, counting);
    expect(fallback.matched).toBe('any');
    expect(fallback.semantic).toBe(true);
    expect(asked).toEqual(['quantum denoising']);
    expect(summary(fallback)).toEqual(summary(await onLoop('quantum denoising', options, semantic)));
  });
});

// The keyword index's segments merged into one (SQLite): same results, an index FTS5 itself finds
// whole, writers served meanwhile, and a stop between steps. PostgreSQL has nothing to merge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { mergeSearchIndex, searchIndexSegments } from '../src/search/index-merge.sqlite.ts';
import { refreshIndexMerge } from '../src/search/top-lists-job.ts';
import { runSearch } from '../src/search/search.ts';
import { sqliteKeywordIndex } from '../src/search/keyword.sqlite.ts';
import { currentVersion } from '../src/store/change-version.ts';
import { silentLogger } from '../src/log.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const TOPICS = ['graph neural networks', 'protein folding', 'diffusion models', 'speech recognition', 'zeolite catalysis'];

describe('merging the keyword index on sqlite', () => {
  let store: TestStore;
  let n = 0;
  /** One paper per write: with FTS5's automerge off, each becomes a segment of its own. */
  const addPapers = async (count: number) => {
    for (let i = 0; i < count; i++, n++) {
      const topic = TOPICS[n % TOPICS.length]!;
      await createPaper(store, { arxivId: `2611.${String(n).padStart(5, '0')}`, title: `On ${topic} ${n}`, abstract: `We study ${topic} and ${TOPICS[(n * 3) % TOPICS.length]} in case ${n}.` });
    }
  };
  const integrity = async () => {
    await sql`INSERT INTO paper_fts(paper_fts, rank) VALUES ('integrity-check', 1)`.execute(store.db);
    return 'ok';
  };
  const results = async () => {
    const out: Array<[string, string[]]> = [];
    for (const q of ['graph networks', 'protein', 'diffusion speech', '"zeolite catalysis"', 'models recognition folding']) {
      const o = await runSearch(store.db, sqliteKeywordIndex, q, { limit: 50, offset: 0, sort: 'relevance', mode: 'keyword' });
      out.push([q, o.results.map((r) => `${r.paper.arxivId}:${r.score.toFixed(6)}`)]);
    }
    return out;
  };

  beforeAll(async () => {
    store = await createTestStore();
    await sql`INSERT INTO paper_fts(paper_fts, rank) VALUES ('automerge', 0)`.execute(store.db);
    await addPapers(30);
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  it('merges many segments into one, with the same results and the same search counters', async () => {
    expect(await searchIndexSegments(store.db)).toBeGreaterThan(10);
    const before = await results();
    expect(before.every(([, hits]) => hits.length > 0)).toBe(true);
    const counters = [await currentVersion(store.db, 'search'), await currentVersion(store.db, 'search-index')];
    expect(await refreshIndexMerge(store.db, silentLogger)).toBe(true);
    expect(await searchIndexSegments(store.db)).toBe(1);
    expect(await integrity()).toBe('ok');
    expect(await results()).toEqual(before);
    // Only the layout changed: cached results and what is derived from the index stay valid.
    expect([await currentVersion(store.db, 'search'), await currentVersion(store.db, 'search-index')]).toEqual(counters);
  });

  it('leaves an index of few segments alone', async () => {
    await addPapers(2);
    const segments = await searchIndexSegments(store.db);
    expect(segments).toBeGreaterThan(1);
    expect(segments).toBeLessThanOrEqual(4);
    expect(await mergeSearchIndex(store.db)).toBeUndefined();
    expect(await refreshIndexMerge(store.db, silentLogger)).toBe(false);
    expect(await searchIndexSegments(store.db)).toBe(segments);
  });

  it('lets papers be written while it merges, in steps', async () => {
    await addPapers(20);
    const steps: number[] = [];
    const merging = mergeSearchIndex(store.db, { pagesPerStep: 1, onProgress: (done) => steps.push(done) });
    const written = n;
    await addPapers(10);
    const outcome = await merging;
    expect(outcome?.stopped).toBe(false);
    expect(outcome!.steps).toBeGreaterThan(1);
    expect(steps.length).toBeGreaterThan(0);
    expect(await integrity()).toBe('ok');
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM paper_fts WHERE paper_fts MATCH 'study'`.execute(store.db);
    expect(Number(rows[0]!.n)).toBe(n);
    expect(n).toBe(written + 10);
  });

  it('stops between steps when asked, leaving a whole index that a later run merges', async () => {
    // Segments of many pages each, so that merging them takes many one-page steps.
    const letters = 'bcdfghjklmnpqrstvwxz';
    for (let p = 0; p < 8; p++, n++) {
      const words = Array.from({ length: 1500 }, (_, i) => { const k = p * 1500 + i; return `${letters[k % 20]}${letters[Math.floor(k / 20) % 20]}a${letters[Math.floor(k / 400) % 20]}o${letters[Math.floor(k / 8000) % 20]}um`; });
      await createPaper(store, { arxivId: `2611.${String(n).padStart(5, '0')}`, title: `Vocabulary ${n}`, abstract: `We study ${words.join(' ')}.` });
    }
    const stop = new AbortController();
    const outcome = await mergeSearchIndex(store.db, { pagesPerStep: 1, signal: stop.signal, onProgress: () => stop.abort() });
    expect(outcome?.stopped).toBe(true);
    expect(outcome?.steps).toBe(1); // asked to stop after the first step, it takes no second one
    expect(await integrity()).toBe('ok');
    expect(await searchIndexSegments(store.db)).toBeGreaterThan(1);
    const rest = await mergeSearchIndex(store.db, { above: 1 });
    expect(rest?.stopped).toBe(false);
    expect(await searchIndexSegments(store.db)).toBe(1);
  });
});

describe.skipIf(!testDialects().includes('postgres'))('merging the keyword index on postgres', () => {
  it('is not needed: the job does nothing', async () => {
    const store = await createTestStore('postgres');
    try {
      await createPaper(store, { title: 'Graph networks' });
      expect(await refreshIndexMerge(store.db, silentLogger)).toBe(false);
    } finally {
      await store.cleanup();
    }
  });
});

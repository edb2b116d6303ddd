// Stored document frequencies (SQLite): read only while they are of the current search version, and
// then exactly FTS5's own counts; stale or half-copied ones are never read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dfCacheOf, docFreqsOf, docFreqsStale, storeDocFreqs } from '../src/search/doc-freq.sqlite.ts';
import { sqliteKeywordIndex } from '../src/search/keyword.sqlite.ts';
import { refreshDocFreqs } from '../src/search/top-lists-job.ts';
import { silentLogger } from '../src/log.ts';
import { createPaper, createTestStore, type TestStore } from './helpers.ts';

describe('stored document frequencies on sqlite', () => {
  let store: TestStore;
  /** FTS5's own count of every indexed stem. */
  const vocabulary = async () => new Map((await sql<{ term: string; doc: number }>`SELECT term, doc FROM paper_fts_terms`.execute(store.db)).rows.map((r) => [r.term, Number(r.doc)]));
  /** Whether a lookup reads the stored copy: counted by the statements that read paper_fts_terms. */
  async function lookUp(stems: string[]): Promise<{ docFreq: Map<string, number>; fromVocabulary: number }> {
    const seen: string[] = [];
    const spy = store.db.withPlugin({
      transformQuery: (a) => (seen.push(JSON.stringify(a.node)), a.node),
      transformResult: async (a) => a.result,
    });
    const docFreq = await docFreqsOf(spy, await dfCacheOf(spy), stems);
    return { docFreq, fromVocabulary: seen.filter((s) => s.includes('paper_fts_terms')).length };
  }

  beforeAll(async () => {
    store = await createTestStore();
    for (let i = 0; i < 12; i++) {
      await createPaper(store, { arxivId: `2611.${String(i).padStart(5, '0')}`, title: `Graph networks ${i % 3 === 0 ? 'zeolite' : 'protein'}`, abstract: `We study graphs and ${i % 2 === 0 ? 'lattices' : 'folding'}.` });
    }
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('copies every stem with FTS5’s own count and reads them in one statement', async () => {
    expect(await docFreqsStale(store.db)).toBe(true);
    expect(await refreshDocFreqs(store.db, silentLogger)).toBe(true);
    expect(await docFreqsStale(store.db)).toBe(false);
    const vocab = await vocabulary();
    const stems = [...vocab.keys(), 'absentword'];
    const { docFreq, fromVocabulary } = await lookUp(stems);
    expect(fromVocabulary).toBe(0);
    for (const stem of stems) expect(docFreq.get(stem)).toBe(vocab.get(stem) ?? 0);
    expect(docFreq.get('graph')).toBe(12);
  });

  it('reads FTS5 again once a paper is written, until the copy is refreshed', async () => {
    await storeDocFreqs(store.db);
    await createPaper(store, { arxivId: '2611.00100', title: 'Zeolite graph', abstract: 'Zeolite frameworks.' });
    expect(await docFreqsStale(store.db)).toBe(true);
    const stale = await lookUp(['zeolit', 'graph', 'framework']);
    expect(stale.fromVocabulary).toBe(3);
    expect(Object.fromEntries(stale.docFreq)).toEqual({ zeolit: 5, graph: 13, framework: 1 });
    expect(await refreshDocFreqs(store.db, silentLogger)).toBe(true);
    const fresh = await lookUp(['zeolit', 'graph', 'framework', 'lattic']);
    expect(fresh.fromVocabulary).toBe(0);
    expect(Object.fromEntries(fresh.docFreq)).toEqual({ zeolit: 5, graph: 13, framework: 1, lattic: 6 });
  });

  it('marks a copy only when it is whole, though another copy starts meanwhile', async () => {
    const letters = 'bcdfghjklmnpqrstvwxz';
    const word = (i: number) => `${letters[i % 20]}${letters[Math.floor(i / 20) % 20]}o${letters[(i * 7) % 20]}um`;
    for (let p = 0; p < 4; p++) {
      await createPaper(store, { arxivId: `2611.0020${p}`, title: 'Many words', abstract: Array.from({ length: 25 }, (_, i) => word(25 * p + i)).join(' ') });
    }
    await sql`DELETE FROM search_doc_freq`.execute(store.db);
    const vocab = await vocabulary();
    const version = async () => Number((await sql<{ v: number }>`SELECT version AS v FROM change_version WHERE channel = 'search-index'`.execute(store.db)).rows[0]?.v ?? 0);
    /** What a reader can see: nothing (no current mark), or every stem with FTS5's count. */
    const readable = async () => {
      const rows = new Map((await sql<{ term: string; doc: number }>`SELECT term, doc FROM search_doc_freq`.execute(store.db)).rows.map((r) => [r.term, Number(r.doc)]));
      if (rows.get('') !== (await version())) return 'not readable';
      rows.delete('');
      return rows.size === vocab.size && [...vocab].every(([t, df]) => rows.get(t) === df) ? 'whole' : 'partial';
    };
    const rowsNow = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM search_doc_freq`.execute(store.db)).rows[0]!.n);
    // The second copy starts two chunks before the first one ends: it empties the table under it.
    const first = storeDocFreqs(store.db, { chunk: 5 });
    while ((await rowsNow()) < vocab.size - 10);
    const second = storeDocFreqs(store.db, { chunk: 5 });
    expect((await first).done).toBe(false);
    expect(await readable()).not.toBe('partial');
    expect((await second).done).toBe(true);
    expect(await readable()).toBe('whole');
  });

  it('never reads a copy being rebuilt', async () => {
    await storeDocFreqs(store.db);
    const cache = await dfCacheOf(store.db);
    expect(cache.stored).toBe(true);
    // A rebuild starts by emptying the table: a lookup after that reads FTS5, not the missing rows.
    await sql`DELETE FROM search_doc_freq`.execute(store.db);
    const docFreq = await docFreqsOf(store.db, cache, ['protein', 'fold']);
    expect(Object.fromEntries(docFreq)).toEqual({ protein: 8, fold: 6 });
    expect(cache.stored).toBe(false);
    expect((await sqliteKeywordIndex.termStats(store.db, ['protein'])).docFreq.get('protein')).toBe(8);
  });
});

// Title clauses (ti:, and the remembered-title candidates of short queries) through the real API on
// each dialect: PostgreSQL answers them from its own title index, which must agree with the title
// field of the full index in every combination and follow every title change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPapers, type PaperInput } from '../src/papers/index.ts';
import { createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

describe.each(testDialects())('title clauses on %s', (dialect) => {
  let store: TestStore;
  let app: TestApp;
  const paper = (n: number, title: string, abstract: string, extra: Partial<PaperInput> = {}): PaperInput => ({
    arxivId: `2610.0000${n}`, title, abstract, authors: ['Ada Lovelace'], categories: ['cs.LG'], announcedOn: `2026-10-0${n}`, ...extra,
  });

  async function search(q: string, extra: Record<string, string> = {}) {
    const res = await fetch(`${app.url}/api/papers/search?${new URLSearchParams({ q, ...extra })}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; results: Array<{ id: string }> };
    return { total: body.total, ids: body.results.map((r) => r.id) };
  }
  const ids = async (q: string, extra: Record<string, string> = {}) => (await search(q, extra)).ids.sort();

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await upsertPapers(store.db, [
      paper(1, 'Wombat burrow mapping', 'Sonar maps of burrows.'),
      paper(2, 'Sonar for wombat counting', 'Counting burrow dwellers with sound.', { categories: ['cs.SD'] }),
      paper(3, 'Burrow acoustics survey', 'A survey of wombat calls, mapping each burrow.'),
      paper(4, 'Mapping wombat burrow networks', 'Graphs of tunnels.'),
    ]);
    app = await startTestApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('finds words in the title only, alone, as a phrase, with other words and with exclusions', async () => {
    expect(await search('ti:wombat')).toEqual({ total: 3, ids: expect.arrayContaining(['2610.00001', '2610.00002', '2610.00004']) });
    expect(await ids('ti:"wombat burrow"')).toEqual(['2610.00001', '2610.00004']);
    expect(await ids('ti:"burrow wombat"')).toEqual([]);
    // A title clause and a free word: the word may be anywhere.
    expect(await ids('ti:burrow calls')).toEqual(['2610.00003']);
    expect(await ids('ti:wombat -sonar')).toEqual(['2610.00004']);
    expect(await ids('ti:wombat -"sound"')).toEqual(['2610.00001', '2610.00004']);
    expect(await ids('ti:sound')).toEqual([]);
  });

  it('applies filters and sorts to title clauses', async () => {
    expect(await ids('ti:wombat', { category: 'cs.SD' })).toEqual(['2610.00002']);
    expect(await ids('ti:wombat since:2026-10-02 until:2026-10-03')).toEqual(['2610.00002']);
    expect((await search('ti:burrow', { sort: 'newest' })).ids).toEqual(['2610.00004', '2610.00003', '2610.00001']);
    expect((await search('ti:burrow', { sort: 'newest', limit: '1', offset: '1' })).ids).toEqual(['2610.00003']);
  });

  it('ranks a short title first among papers holding the words anywhere', async () => {
    const { ids: ranked } = await search('wombat burrow mapping');
    expect(ranked[0]).toBe('2610.00001');
    expect(ranked).toHaveLength(3);
  });

  it('follows a title change at once', async () => {
    await upsertPapers(store.db, [paper(1, 'Echidna burrow mapping', 'Sonar maps of burrows.', { version: 2 })]);
    expect(await ids('ti:echidna')).toEqual(['2610.00001']);
    expect(await ids('ti:wombat')).toEqual(['2610.00002', '2610.00004']);
  });
});

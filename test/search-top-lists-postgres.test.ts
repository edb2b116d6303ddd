// Top lists of common words on PostgreSQL: a lone word's answer and count read from its list must be
// exactly what ranking and counting every match gives, with and without filters, and a list is
// ignored from the moment the papers change. Small lists and a low threshold stand in for 75,000
// papers; the engine is a real PostgreSQL.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { postgresKeywordIndex } from '../src/search/keyword.postgres.ts';
import type { Hit, KeywordQuery, SearchFilters } from '../src/search/keyword.ts';
import { conjunctionOutcomes } from '../src/search/conjunction.postgres.ts';
import { buildPostgresTopLists, pgTopList, postgresTopListsStale } from '../src/search/top-lists.postgres.ts';
import { refreshTopLists } from '../src/search/top-lists-job.ts';
import { silentLogger } from '../src/log.ts';
import { bumpVersion } from '../src/store/change-version.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const noFilters: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };
const lone = (w: string): KeywordQuery => ({ must: [{ field: 'any', tokens: [w] }], should: [], mustNot: [] });
const LENGTH = 10;

describe.runIf(testDialects().includes('postgres'))('top lists of common words on postgres', () => {
  let store: TestStore;
  const search = (q: KeywordQuery, f: SearchFilters, n: number) => postgresKeywordIndex.search(store.db, q, f, 'relevance', n, 0);
  const show = (hits: Hit[]) => hits.map((h) => `${h.paperId}:${h.score.toFixed(6)}`);
  const build = () => buildPostgresTopLists(store.db, { minPapers: 20, length: LENGTH });
  /** Lists of a new search version (as after any write to the papers), none read yet. */
  const rebuild = async () => (await bumpVersion(store.db, 'search-index'), await build());
  /** The answer while the lists are stale: the full ranking. */
  async function withoutLists<T>(fn: () => Promise<T>): Promise<T> {
    await bumpVersion(store.db, 'search-index');
    const out = await fn();
    await build();
    return out;
  }

  beforeAll(async () => {
    store = await createTestStore('postgres');
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const vocab = ['graph', 'neural', 'network', 'learning', 'data', 'method', 'signal', 'study'];
    const pick = (n: number) => Array.from({ length: n }, () => vocab[Math.floor(rnd() * vocab.length)]).join(' ');
    for (let i = 0; i < 60; i++) {
      await createPaper(store, {
        arxivId: `2611.${String(i).padStart(5, '0')}`,
        title: i % 7 === 0 ? `Graph networks ${pick(1)}` : `${pick(2 + (i % 3))} ${i}`,
        abstract: `${pick(8 + (i % 25))} graph.`,
        categories: [i % 3 === 0 ? 'cs.LG' : 'cs.CL'],
      });
    }
    await build();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('answers and counts a lone common word from its list exactly as ranking every match does', async () => {
    const list = await pgTopList(store.db, 'graphs');
    expect(list?.hits).toHaveLength(LENGTH);
    expect(list?.matches).toBe(60);
    const listed = await Promise.all([1, 5, LENGTH, LENGTH + 5].map((n) => search(lone('graphs'), noFilters, n)));
    const counted = [await postgresKeywordIndex.count(store.db, lone('graph'), noFilters, 50), await postgresKeywordIndex.count(store.db, lone('graph'), noFilters)];
    const full = await withoutLists(async () => ({
      hits: await Promise.all([1, 5, LENGTH, LENGTH + 5].map((n) => search(lone('graphs'), noFilters, n))),
      counts: [await postgresKeywordIndex.count(store.db, lone('graph'), noFilters, 50), await postgresKeywordIndex.count(store.db, lone('graph'), noFilters)],
    }));
    expect(listed.map(show)).toEqual(full.hits.map(show));
    expect(counted).toEqual(full.counts);
    expect(counted).toEqual([50, 60]);
  });

  it('keeps the listed papers that pass the filters, and ranks in full when too few do', async () => {
    const cs = { ...noFilters, categories: ['cs.LG'] };
    const listed = [await search(lone('graph'), cs, 2), await search(lone('graph'), cs, 8)];
    const full = await withoutLists(async () => [await search(lone('graph'), cs, 2), await search(lone('graph'), cs, 8)]);
    expect(listed.map(show)).toEqual(full.map(show));
    expect(listed[1]).toHaveLength(8);
  });

  it('ranks several common words among their listed papers exactly as ranking every match does', async () => {
    const both: KeywordQuery = { must: ['graph', 'neural'].map((w) => ({ field: 'any', tokens: [w] })), should: [], mustNot: [] };
    // Lists a third deep: the best papers by the sum are on both, above the sum of the tails.
    await bumpVersion(store.db, 'search-index');
    await buildPostgresTopLists(store.db, { minPapers: 20, length: 20 });
    const before = conjunctionOutcomes();
    const listed = await Promise.all([1, 3, 6].map((n) => search(both, noFilters, n)));
    expect(conjunctionOutcomes().listed).toBe(before.listed + 3);
    const full = await withoutLists(() => Promise.all([1, 3, 6].map((n) => search(both, noFilters, n))));
    expect(conjunctionOutcomes().full).toBe(before.full + 3);
    expect(listed.map(show)).toEqual(full.map(show));
    expect(listed[2]).toHaveLength(6);
  });

  it('settles a capped any-word count from one common word', async () => {
    const q: KeywordQuery = { must: [], should: [{ field: 'any', tokens: ['graph'] }, { field: 'any', tokens: ['zeolite'] }], mustNot: [] };
    expect(await postgresKeywordIndex.count(store.db, q, noFilters, 30)).toBe(30);
    expect(await withoutLists(() => postgresKeywordIndex.count(store.db, q, noFilters, 30))).toBe(30);
  });

  it('is what answers while the papers stand still, and is ignored once they change', async () => {
    // Reverse the stored list: the answer follows it, so the list (not a ranking) answered.
    await rebuild();
    const row = await sql<{ hits: string }>`SELECT hits FROM search_top_list WHERE clause = 'pg:any:graph'`.execute(store.db);
    const stored = JSON.parse(row.rows[0]!.hits) as { matches: number; hits: Array<[number, number]> };
    await sql`UPDATE search_top_list SET hits = ${JSON.stringify({ ...stored, hits: [...stored.hits].reverse() })} WHERE clause = 'pg:any:graph'`.execute(store.db);
    const reversed = await search(lone('graph'), noFilters, 3);
    expect(reversed.map((h) => h.paperId)).toEqual([...stored.hits].reverse().slice(0, 3).map(([id]) => id));
    // A new paper moves the search version: the list is stale and the new paper ranks first.
    await createPaper(store, { arxivId: '2611.99999', title: 'Graph graph graph', abstract: 'Graph graph.' });
    expect(await postgresTopListsStale(store.db)).toBe(true);
    const after = await search(lone('graph'), noFilters, 3);
    expect(after[0]!.paperId).toBe((await findPaperByArxivId(store.db, '2611.99999'))!.id);
    expect(await postgresKeywordIndex.count(store.db, lone('graph'), noFilters)).toBe(61);
  });

  it('is rebuilt by the search-top-lists job when stale', async () => {
    expect(await refreshTopLists(store.db, silentLogger)).toBe(true);
    expect(await postgresTopListsStale(store.db)).toBe(false);
    expect(await refreshTopLists(store.db, silentLogger)).toBe(false);
  });
});

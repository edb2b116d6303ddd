// PostgreSQL-only details of the keyword engine that keep ranking cheap: optional words cut to a
// posting budget by the papers PostgreSQL itself matches for them, documents kept in the table's rows
// (migration 0941) rather than in its TOAST side table, newest-first gathering a rare word's matches
// before ordering them, and the planner told that a page read at random costs about one in order.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresKeywordIndex, withinPostingBudget } from '../src/search/keyword.postgres.ts';
import { postgresWordFrequencies } from '../src/search/stats.postgres.ts';
import type { KeywordQuery, SearchFilters } from '../src/search/keyword.ts';
import { up as keepDocumentsInRow } from '../src/store/migrations/0941-search-document-inline-postgres.ts';
import { openStore } from '../src/store/db.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const noFilters: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };
const anyOf = (...words: string[]): KeywordQuery => ({ must: [], should: words.map((w) => ({ field: 'any', tokens: [w] })), mustNot: [] });

describe.runIf(testDialects().includes('postgres'))('keyword storage and budgets on postgres', () => {
  let store: TestStore;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    // "uses", "used" and "use" are one lexeme to PostgreSQL (12 papers); "zeolite" is in 2.
    for (let i = 0; i < 12; i++) await createPaper(store, { title: `Paper ${i}`, abstract: `This method ${['uses', 'used', 'use'][i % 3]} graphs.` });
    for (let i = 0; i < 2; i++) await createPaper(store, { title: `Zeolite ${i}`, abstract: 'A zeolite cage.' });
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('counts a word as PostgreSQL matches it, whatever form was typed', async () => {
    const df = await postgresWordFrequencies(store.db, ['using', 'uses', 'zeolites', 'quokka']);
    expect(Object.fromEntries(df)).toEqual({ using: 12, uses: 12, zeolites: 2, quokka: 0 });
  });

  it('keeps the rarest optional words whose papers fit the budget, at least one', async () => {
    const kept = async (q: KeywordQuery, budget: number) => (await withinPostingBudget(store.db, q, budget)).should.map((c) => c.tokens.join(' '));
    expect(await kept(anyOf('uses', 'zeolite'), 5)).toEqual(['zeolite']);
    expect(await kept(anyOf('uses', 'zeolite'), 14)).toEqual(['uses', 'zeolite']);
    expect(await kept(anyOf('uses', 'graphs'), 5)).toEqual(['uses']);
    // Phrases cost nothing here, as in rareClauses, and are kept.
    const phrase: KeywordQuery = { must: [], should: [{ field: 'any', tokens: ['zeolite', 'cage'] }, { field: 'any', tokens: ['uses'] }], mustNot: [] };
    expect(await kept(phrase, 5)).toEqual(['zeolite cage']);
  });

  it('ranks only the papers of the words within the budget', async () => {
    // The real budget (2,000) holds both words here: every paper with either is a candidate.
    const hits = await postgresKeywordIndex.search(store.db, anyOf('uses', 'zeolite'), noFilters, 'relevance', 100, 0);
    expect(hits).toHaveLength(14);
  });

  it('stores a long document in the row, also one stored before the migration', async () => {
    const { rows: [toast] } = await sql<{ name: string }>`SELECT reltoastrelid::regclass::text AS name FROM pg_class WHERE relname = 'paper_search'`.execute(store.db);
    const toastRows = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.raw(toast!.name)}`.execute(store.db)).rows[0]!.n);
    const long = Array.from({ length: 200 }, (_, i) => `word${i} term${i * 7}`).join(' ');
    await createPaper(store, { title: 'A long abstract', abstract: long });
    const { rows: [size] } = await sql<{ n: number }>`SELECT pg_column_size(s.document) AS n FROM paper_search s JOIN paper p ON p.id = s.paper_id WHERE p.title = 'A long abstract'`.execute(store.db);
    expect(size!.n).toBeGreaterThan(2500);
    expect(await toastRows()).toBe(0);
    // As before the migration: such a document went to the side table; the migration brings it back.
    await sql`ALTER TABLE paper_search RESET (toast_tuple_target)`.execute(store.db);
    await sql`ALTER TABLE paper_search ALTER COLUMN document SET STORAGE EXTENDED`.execute(store.db);
    await createPaper(store, { title: 'Another long abstract', abstract: `${long} again` });
    expect(await toastRows()).toBeGreaterThan(0);
    await keepDocumentsInRow(store.db);
    await sql`VACUUM paper_search`.execute(store.db);
    expect(await toastRows()).toBe(0);
    const hits = await postgresKeywordIndex.search(store.db, anyOf('term1393'), noFilters, 'relevance', 10, 0);
    expect(hits).toHaveLength(2);
  });

  it('orders by date the same whether the matches are gathered first or met along the date index', async () => {
    // Among 70-odd papers, a word in 40 is common enough to walk the date index for a page of 5
    // (√(3 · 5 · papers) ≈ 33); one in 6 is gathered first. Both must be newest first, filters applied.
    const days = Array.from({ length: 40 }, (_, i) => `2026-0${1 + (i % 9)}-${String(10 + ((i * 7) % 19)).padStart(2, '0')}`);
    for (const [i, day] of days.entries()) {
      await createPaper(store, { title: `Walrus study ${i}`, abstract: i % 7 === 0 ? 'Walrus tusks and narwhal teeth.' : 'Walrus tusks.', announcedOn: day, categories: [i % 2 === 0 ? 'q-bio.PE' : 'cs.CL'] });
    }
    const expected = async (word: string, category: string) => {
      const { rows } = await sql<{ id: number }>`SELECT p.id FROM paper p JOIN paper_search s ON s.paper_id = p.id JOIN paper_category c ON c.paper_id = p.id
        WHERE s.document @@ to_tsquery('english', ${word}) AND c.category = ${category} ORDER BY p.announced_on DESC, p.id DESC`.execute(store.db);
      return rows.map((r) => r.id);
    };
    const filters = (category: string): SearchFilters => ({ ...noFilters, categories: [category] });
    const newest = async (word: string, category: string, limit: number, offset: number) =>
      (await postgresKeywordIndex.search(store.db, { must: [{ field: 'any', tokens: [word] }], should: [], mustNot: [] }, filters(category), 'newest', limit, offset)).map((h) => h.paperId);
    for (const word of ['walrus', 'narwhal']) {
      const all = await expected(word, 'q-bio.PE');
      expect(all.length).toBe(word === 'walrus' ? 20 : 3);
      expect(await newest(word, 'q-bio.PE', 5, 0)).toEqual(all.slice(0, 5));
      expect(await newest(word, 'q-bio.PE', 5, 5)).toEqual(all.slice(5, 10));
    }
  });

  it('tells the planner that pages are cached, unless the server was told otherwise', async () => {
    const cost = async (db: TestStore['db']) => (await sql<{ random_page_cost: string }>`SHOW random_page_cost`.execute(db)).rows[0]!.random_page_cost;
    expect(await cost(store.db)).toBe('1.1');
    const name = new URL(store.config.databaseUrl).pathname.slice(1);
    await sql`ALTER DATABASE ${sql.id(name)} SET random_page_cost = 2`.execute(store.db);
    const other = await openStore(store.config);
    try {
      expect(await cost(other.db)).toBe('2');
    } finally {
      await other.close();
      await sql`ALTER DATABASE ${sql.id(name)} RESET random_page_cost`.execute(store.db);
    }
  });

  it('ranks the papers a count found exactly as it ranks every match', async () => {
    for (let i = 0; i < 8; i++) await createPaper(store, { title: `Sea ice ${i}`, abstract: i % 2 === 0 ? 'Sea ice melts as the sea warms.' : 'Ice on the sea, and sea birds.' });
    const queries = (): KeywordQuery[] => [
      { must: [{ field: 'any', tokens: ['sea', 'ice'] }], should: [], mustNot: [] },
      { must: [{ field: 'any', tokens: ['sea'] }, { field: 'any', tokens: ['ice'] }], should: [], mustNot: [] },
      { must: [{ field: 'title', tokens: ['sea'] }], should: [], mustNot: [] },
    ];
    for (const [i, counted] of queries().entries()) {
      const fresh = queries()[i]!;
      expect(await postgresKeywordIndex.count(store.db, counted, noFilters, 10_000)).toBeGreaterThan(0);
      for (const sort of ['relevance', 'newest'] as const) {
        const after = await postgresKeywordIndex.search(store.db, counted, noFilters, sort, 5, 1);
        expect(after).toEqual(await postgresKeywordIndex.search(store.db, fresh, noFilters, sort, 5, 1));
      }
    }
  });
});


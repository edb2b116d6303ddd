// FTS5's bm25() summed in TypeScript (src/search/bm25.sqlite.ts) must be FTS5's own ranking to the last
// bit: the same papers, the same scores compared with ===, ties in the same order. The engine it is
// compared with is real FTS5 on the same store; papers with and without stored terms, with accents and
// with words in several columns, and hidden papers, are all in it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaperHidden } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { countStored, scoreRows } from '../src/search/bm25.sqlite.ts';
import { sqliteKeywordIndex, sqliteRanker } from '../src/search/keyword.sqlite.ts';
import { rankBySumming, summingOutcomes } from '../src/search/few-matches.sqlite.ts';
import type { Clause, KeywordQuery, SearchFilters } from '../src/search/keyword.ts';
import { refreshPaperTerms } from '../src/search/paper-terms.ts';
import { decodeTerms, encodeTerms } from '../src/search/term-codec.ts';
import { createPaper, createTestStore, type TestStore } from './helpers.ts';

const noFilters: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };
const cheap = { rowCost: 1, maxRows: 5000, atOnce: 100 };
const words = (field: Clause['field'], ...ws: string[]): KeywordQuery => ({ must: ws.map((w) => ({ field, tokens: [w] })), should: [], mustNot: [] });

describe('bm25() summed from the index statistics on sqlite', () => {
  let store: TestStore;

  /** FTS5's own ranking of the query, as the search asks for it (among some papers, in some categories). */
  async function fts5(q: KeywordQuery, n: number, among?: number[], categories: string[] = []): Promise<Array<{ paperId: number; score: number }>> {
    const clause = (c: Clause) => `${c.field === 'title' ? 'title : ' : c.field === 'authors' ? 'authors_text : ' : ''}"${c.tokens.join(' ')}"`;
    let match = q.must.map(clause).join(' AND ');
    if (q.mustNot.length > 0) match = `(${match}) NOT (${q.mustNot.map(clause).join(' OR ')})`;
    const { rows } = await sql<{ id: number; score: number }>`SELECT rowid AS id, -bm25(paper_fts, 2, 1, 1) AS score FROM paper_fts
      WHERE paper_fts MATCH ${match} AND rowid NOT IN (SELECT paper_id FROM paper_moderation WHERE hidden = 1)
      ${among ? sql`AND rowid IN (SELECT value FROM json_each(${JSON.stringify(among)}))` : sql``}
      ${categories.length > 0 ? sql`AND rowid IN (SELECT paper_id FROM paper_category WHERE category IN (${sql.join(categories)}))` : sql``}
      ORDER BY score DESC LIMIT ${n}`.execute(store.db);
    return rows.map((r) => ({ paperId: r.id, score: r.score }));
  }

  beforeAll(async () => {
    store = await createTestStore();
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const vocab = ['graph', 'graphs', 'neural', 'network', 'networks', 'learning', 'model', 'models', 'data', 'signal', 'café', 'naïve'];
    const pick = (n: number) => Array.from({ length: n }, () => vocab[Math.floor(rnd() * vocab.length)]).join(' ');
    for (let i = 0; i < 120; i++) {
      await createPaper(store, {
        arxivId: `2610.${String(i).padStart(5, '0')}`,
        // Titles repeat so that scores tie; lengths vary so that they do not always.
        title: i % 7 === 0 ? 'Graph neural network' : `${pick(2 + (i % 5))} ${i % 11}`,
        abstract: `${pick(5 + (i % 40))}.`,
        authors: i % 5 === 0 ? ['Ada Graph', 'Zoë Network'] : ['Alan Model'],
      });
    }
    // Most papers get stored terms; the newest few are analysed from their text.
    await refreshPaperTerms(store.db);
    for (let i = 120; i < 130; i++) await createPaper(store, { arxivId: `2610.${String(i).padStart(5, '0')}`, title: `Graph neural ${pick(2)}`, abstract: `${pick(20)}.` });
    const hidden = (await findPaperByArxivId(store.db, '2610.00014'))!;
    await setPaperHidden(store.db, { id: null, label: 'test' }, { id: hidden.id, arxivId: hidden.arxivId }, true, 'spam', new Date());
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('gives FTS5 scores to the last bit, ties in FTS5 order, for words in any field, the title or the authors', async () => {
    const queries = [
      words('any', 'graph', 'neural'), words('any', 'neural', 'network', 'learning'), words('any', 'models', 'data'),
      words('title', 'graph', 'neural'), words('title', 'network', 'graph', 'model'), words('authors', 'graph', 'network'),
      { must: [{ field: 'any', tokens: ['graph'] }, { field: 'authors', tokens: ['model'] }], should: [], mustNot: [] } as KeywordQuery,
      { ...words('any', 'graph', 'network'), mustNot: [{ field: 'any', tokens: ['signal'] }] } as KeywordQuery,
      { ...words('any', 'graph', 'model'), mustNot: [{ field: 'any', tokens: ['neural', 'network'] }] } as KeywordQuery,
      words('any', 'cafe', 'graph'), words('any', 'nonexistent', 'graph'),
    ];
    const before = summingOutcomes().summed;
    let ties = 0;
    for (const q of queries) {
      for (const n of [1, 5, 20, 200]) {
        const want = await fts5(q, n);
        // Matches read in the walk that finds them, or ids first and then their sizes and terms.
        const got = await rankBySumming(store.db, q, noFilters, n, { ...cheap, atOnce: n === 20 ? 3 : 100 });
        expect(got).toEqual(want);
        for (let i = 1; i < want.length; i++) if (want[i]!.score === want[i - 1]!.score) ties++;
      }
    }
    expect(summingOutcomes().summed - before).toBe(queries.length * 4);
    expect(ties).toBeGreaterThan(0); // the order of equal scores was tested
  });

  it('ranks a few given papers (the top lists\' union) exactly as FTS5 does, with filters', async () => {
    const { rows } = await sql<{ id: number }>`SELECT id FROM paper WHERE id % 3 != 0`.execute(store.db);
    const among = rows.map((r) => r.id);
    for (const q of [words('any', 'graph', 'neural'), words('title', 'network', 'model'), { ...words('any', 'data', 'model'), mustNot: [{ field: 'any', tokens: ['signal'] }] } as KeywordQuery]) {
      for (const categories of [[], ['cs.CL']]) {
        const before = summingOutcomes().summed;
        const got = await sqliteRanker(store.db, q, { ...noFilters, categories }).rankAmong(among, 15);
        expect(got).toEqual(await fts5(q, 15, among, categories));
        expect(summingOutcomes().summed).toBe(before + 1);
      }
    }
  });

  it('ranks through search() exactly as FTS5 does, and counts what it ranks', async () => {
    const q = words('any', 'graph', 'neural');
    const got = await sqliteKeywordIndex.search(store.db, q, noFilters, 'relevance', 7, 3);
    expect(got).toEqual((await fts5(q, 10)).slice(3));
    expect(await sqliteKeywordIndex.count(store.db, q, noFilters, 10_000)).toBe((await fts5(q, 1000)).length);
  });

  it('filters a rare word\'s few matches one by one and a common word\'s through the set, with the same answer', async () => {
    await createPaper(store, { arxivId: '2610.00500', title: 'Zymurgy of graphs', abstract: 'Zymurgy.', categories: ['cs.CL'] });
    await createPaper(store, { arxivId: '2610.00501', title: 'Zymurgy elsewhere', abstract: 'Zymurgy.', categories: ['math.CO'] });
    for (const word of ['zymurgy', 'graph']) {
      const q = words('any', word);
      const f = { ...noFilters, categories: ['cs.CL'] };
      const got = await sqliteKeywordIndex.search(store.db, q, f, 'relevance', 1000, 0);
      expect(got).toEqual(await fts5(q, 1000, undefined, ['cs.CL']));
      expect(await sqliteKeywordIndex.count(store.db, q, f)).toBe(got.length);
      const newest = await sqliteKeywordIndex.search(store.db, q, f, 'newest', 1000, 0);
      expect(newest.map((h) => h.paperId).sort()).toEqual(got.map((h) => h.paperId).sort());
    }
  });

  it('sees a write: a changed paper is ranked by its new text', async () => {
    const q = words('any', 'graph', 'signal');
    await rankBySumming(store.db, q, noFilters, 50, cheap);
    const paper = (await findPaperByArxivId(store.db, '2610.00003'))!;
    await sql`UPDATE paper SET title = 'Graph signal signal graph', abstract = 'Signal graph.' WHERE id = ${paper.id}`.execute(store.db);
    expect(await rankBySumming(store.db, q, noFilters, 50, cheap)).toEqual(await fts5(q, 50));
  });

  it('declines, for FTS5 to rank, when a paper\'s analysed text disagrees with the index', async () => {
    const { rows } = await sql<{ id: number; sizes: Uint8Array; terms: Uint8Array }>`SELECT d.id AS id, d.sz AS sizes, t.terms AS terms
      FROM paper_fts_docsize d JOIN paper_terms t ON t.paper_id = d.id LIMIT 3`.execute(store.db);
    const clauses = [{ column: 'any' as const, stem: 'graph' }, { column: 'any' as const, stem: 'neural' }];
    const totals = { rows: 100, tokens: 5000, weights: [2, 1, 1] as const };
    // A column one token longer than FTS5 counted.
    const longer = rows.map((r) => ({ ...r, sizes: Uint8Array.from([r.sizes[0]! + 1, ...r.sizes.slice(1)]) }));
    expect(await scoreRows(store.db, clauses, [10, 10], longer, totals)).toBeUndefined();
    // A required word the analysed text does not hold.
    expect(await scoreRows(store.db, [{ column: 'any', stem: 'zzzz' }, ...clauses], [1, 10, 10], rows, totals)).toBeUndefined();
  });

  it('reads stored terms as decodeTerms does', () => {
    const t = { title: Int32Array.from([5, 300, 5]), abstract: Int32Array.from([70000, 5, 1, 300]), authors: Int32Array.from([300]), titleWords: Int32Array.from([6, 300, 5]), abstractWords: Int32Array.from([70000, 5, 2, 300]) };
    const buf = encodeTerms(t);
    expect(decodeTerms(buf).abstract).toEqual(t.abstract);
    const counts = new Int32Array(9);
    const lengths: [number, number, number] = [0, 0, 0];
    countStored(buf, Int32Array.from([5, 300, 70000]), counts, lengths);
    expect(lengths).toEqual([3, 4, 1]);
    expect([...counts]).toEqual([2, 1, 0, 1, 1, 1, 0, 1, 0]);
  });
});

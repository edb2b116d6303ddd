// KeywordIndex on SQLite FTS5 (table paper_fts, migration 0501): counts, rankings by relevance, date
// and upvotes, and the engine behind the top lists. The SQL forms of a query are in
// fts-query.sqlite.ts; rankings of few matches summed here instead of by FTS5, in few-matches.sqlite.ts.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.ts';
import { countedVotes, hiddenPaperIds } from '../community/index.ts';
import { buildTopLists, countCommonWord, hasFilters, loneWord, topFromLists, TOP_LIST_MIN_PAPERS, type Ranker } from './top-lists.sqlite.ts';
import { corpusTotals, dfCacheOf, docFreqOf, docFreqsOf } from './doc-freq.sqlite.ts';
import { porterStem } from './porter.ts';
import { summedClauses } from './bm25.sqlite.ts';
import { filterPlan, filterSql, FTS_WEIGHTS, matchBound, matchExpression, NO_FILTERS, passingFilters } from './fts-query.sqlite.ts';
import { DEFAULT_SUMMING, fewFound, fewMatches, keptMatches, rankBySumming, SUMMED_AT_ONCE, sumAmong } from './few-matches.sqlite.ts';
import type { Clause, Hit, KeywordIndex, KeywordQuery, SearchFilters } from './keyword.ts';

const BM25 = sql.raw(`bm25(paper_fts, ${FTS_WEIGHTS.title}, ${FTS_WEIGHTS.abstract}, ${FTS_WEIGHTS.authors})`);
const NEWEST = sql`p.announced_on DESC, p.id DESC`;

/**
 * Above this many matches, newest-first walks the papers by date and stops at the page's end instead
 * of sorting every match; below it, sorting the matches is cheaper than walking past non-matches.
 */
export const WALK_BY_DATE_ABOVE = 1000;

/**
 * sort=upvotes: the total a paper shows, its local votes counted per matching paper through
 * vote_paper_idx (a paper without votes costs one index probe, ~0.6 µs), so the cost follows the
 * matches, not the size of the vote table. Counting every vote once per query and joining costs a
 * fixed ~16 ms more at 20,000 votes, growing with them.
 */
function upvotesTotal(db: Db): RawBuilder<unknown> {
  const local = countedVotes(db).select((eb) => eb.fn.countAll().as('n')).where(sql<boolean>`vote.paper_id = p.id`);
  return sql`((${local}) + p.hf_upvotes)`;
}

async function matchesAtLeast(db: Db, match: string, n: number): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM paper_fts WHERE paper_fts MATCH ${match} LIMIT ${n})`.execute(db);
  return Number(rows[0]?.n ?? 0) >= n;
}

export const sqliteKeywordIndex: KeywordIndex = {
  async search(db, query, filters, sort, limit, offset) {
    const match = matchExpression(query);
    type Row = { id: number; score: number };
    let rows: Row[];
    if (match === undefined) {
      const order = sort === 'upvotes' ? sql`${upvotesTotal(db)} DESC, ${NEWEST}` : NEWEST;
      ({ rows } = await sql<Row>`SELECT p.id AS id, 0 AS score FROM paper p
        WHERE ${filterSql(db, query, filters, false, sql`p.id`)} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`.execute(db));
    } else if (sort === 'relevance') {
      // Few matches are summed at once (bm25.sqlite.ts); the top lists are for many.
      const few = await rankBySumming(db, query, filters, limit + offset);
      if (few) return few.slice(offset);
      const top = await topFromLists(db, query, filters, limit + offset, sqliteRanker(db, query, filters), (word) => docFreqOf(db, word));
      if (top) return top.slice(offset);
      rows = await rankByBm25(db, query, filters, limit, offset);
    } else if (sort === 'newest' && (await matchesAtLeast(db, match, WALK_BY_DATE_ABOVE))) {
      const word = query.must.length === 1 && query.should.length === 0 && query.mustNot.length === 0 ? clauseWord(query.must[0]!) : undefined;
      const share = word === undefined ? 0 : (await docFreqOf(db, word)) / Math.max(1, (await corpusTotals(db)).totals.docCount);
      if (share >= PROBE_SHARE) return newestByProbing(db, match, filters, limit, offset);
      ({ rows } = await sql<Row>`SELECT p.id AS id, 0 AS score FROM paper p INDEXED BY paper_announced_on_idx
        WHERE p.id IN (SELECT rowid FROM paper_fts WHERE paper_fts MATCH ${match}) AND ${filterSql(db, query, filters, true, sql`p.id`, await filterPlan(db, query, filters))}
        ORDER BY ${NEWEST} LIMIT ${limit} OFFSET ${offset}`.execute(db));
    } else {
      const order = sort === 'upvotes' ? sql`${upvotesTotal(db)} DESC, score DESC, ${NEWEST}` : NEWEST;
      const score = sort === 'upvotes' ? sql`-${BM25}` : sql`0`;
      ({ rows } = await sql<Row>`SELECT f.rowid AS id, ${score} AS score
        -- CROSS JOIN keeps FTS5 as the outer loop: SQLite never runs MATCH once per paper row.
        FROM paper_fts f CROSS JOIN paper p ON p.id = f.rowid
        WHERE paper_fts MATCH ${match} AND ${filterSql(db, query, filters, true, sql`f.rowid`, await filterPlan(db, query, filters))}
        ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`.execute(db));
    }
    return toHits(rows);
  },

  async count(db, query, filters, atMost) {
    const match = matchExpression(query);
    const word = match === undefined ? undefined : loneWord(query, filters);
    if (word !== undefined) {
      const df = await docFreqOf(db, word);
      if (df >= TOP_LIST_MIN_PAPERS) return Math.min(await countCommonWord(db, match!, df), atMost ?? Infinity);
    }
    if (atMost !== undefined && (await oneWordReaches(db, query, filters, atMost))) return atMost;
    const clauses = match === undefined || hasFilters(filters) ? undefined : summedClauses(query);
    if (clauses) {
      const few = await fewMatches(db, await dfCacheOf(db), query, filters, clauses, DEFAULT_SUMMING);
      if (few) return Math.min(few.length, atMost ?? Infinity);
    } else if (match !== undefined && !hasFilters(filters) && query.should.length === 0 && (query.must.length > 1 || (await matchBound(db, query)) <= SUMMED_AT_ONCE)) {
      // Words with a phrase ("ultra-low"), or one word: the few matches a search then takes whole
      // (matchesUpTo) are read, with their terms, in the walk that counts them.
      const few = await fewFound(db, await dfCacheOf(db), query, filters);
      if (few) return Math.min(few.length, atMost ?? Infinity);
    }
    const cap = atMost === undefined ? sql`` : sql`LIMIT ${atMost}`;
    const { rows } = match
      ? await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM paper_fts f
          WHERE paper_fts MATCH ${match} AND ${filterSql(db, query, filters, true, sql`f.rowid`, await filterPlan(db, query, filters))} ${cap})`.execute(db)
      : await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM paper p WHERE ${filterSql(db, query, filters, false, sql`p.id`)} ${cap})`.execute(db);
    return Number(rows[0]?.n ?? 0);
  },

  async termStats(db, stems) {
    const cache = await dfCacheOf(db);
    const docFreq = new Map<string, number>();
    for (const [term, df] of await docFreqsOf(db, cache, stems)) if (df > 0) docFreq.set(term, df);
    const { tokens: _tokens, ...stats } = cache.totals;
    return { ...stats, docFreq };
  },

  async matchesUpTo(db, query, filters, atMost) {
    const match = matchExpression(query);
    if (match === undefined) return undefined;
    // The count that precedes a search has usually read every match already (fewMatches).
    const kept = keptMatches(db, await dfCacheOf(db), match, filters);
    if (kept) {
      if (kept.rows) return kept.rows.length <= atMost ? kept.rows.map((r) => r.id) : undefined;
      if (kept.cap >= atMost) return undefined;
    }
    const { rows } = await sql<{ id: number }>`SELECT f.rowid AS id FROM paper_fts f
      WHERE paper_fts MATCH ${match} AND ${filterSql(db, query, filters, true, sql`f.rowid`, await filterPlan(db, query, filters))} LIMIT ${atMost + 1}`.execute(db);
    return rows.length > atMost ? undefined : rows.map((r) => r.id);
  },
};

/**
 * Newest first, a word held by at least this share of papers is tested paper by paper along the date
 * index (an FTS5 lookup by rowid, ~50 µs) instead of first collecting every paper that holds it
 * (844,538 for "model" in a million: ~100 ms): the walk meets a match every 1/share papers.
 */
export const PROBE_SHARE = 0.1;
/** A category filter naming at least this many papers is tested per paper; a smaller one is collected first. */
const BIG_CATEGORY = 20_000;

function clauseWord(c: Clause): string | undefined {
  return c.field === 'any' && c.tokens.length === 1 ? c.tokens[0] : undefined;
}

/** Newest first along the date index, each paper tested for the word and the filters as the walk meets it. */
export async function newestByProbing(db: Db, match: string, f: SearchFilters, limit: number, offset: number): Promise<Hit[]> {
  const conds: RawBuilder<unknown>[] = [];
  if (f.since || f.until) conds.push(sql`p.announced_on >= ${f.since ?? '0000-00-00'} AND p.announced_on <= ${f.until ?? '9999-99-99'}`);
  if (f.categories.length > 0) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM paper_category WHERE category IN (${sql.join(f.categories)}) LIMIT ${BIG_CATEGORY})`.execute(db);
    conds.push(Number(rows[0]?.n ?? 0) >= BIG_CATEGORY
      ? sql`EXISTS (SELECT 1 FROM paper_category c WHERE c.paper_id = p.id AND c.category IN (${sql.join(f.categories)}))`
      : sql`+p.id IN (SELECT paper_id FROM paper_category WHERE category IN (${sql.join(f.categories)}))`);
  }
  if (f.hasCode) conds.push(sql`EXISTS (SELECT 1 FROM paper_link l WHERE l.paper_id = p.id AND l.kind = 'code')`);
  // The filters first: each costs an index probe, the word's lookup more.
  conds.push(sql`EXISTS (SELECT 1 FROM paper_fts f WHERE paper_fts MATCH ${match} AND f.rowid = p.id)`);
  conds.push(sql`+p.id NOT IN (${hiddenPaperIds(db)})`);
  const { rows } = await sql<{ id: number }>`SELECT p.id AS id FROM paper p INDEXED BY paper_announced_on_idx
    WHERE ${sql.join(conds, sql` AND `)} ORDER BY ${NEWEST} LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return rows.map((r): Hit => ({ paperId: r.id, score: 0 }));
}

/** The engine's own ranking: bm25() over every match, best first. */
async function rankByBm25(db: Db, query: KeywordQuery, filters: SearchFilters, limit: number, offset: number, among?: number[]): Promise<Array<{ id: number; score: number }>> {
  if (among === undefined) {
    const summed = await rankBySumming(db, query, filters, limit + offset);
    if (summed) return summed.slice(offset, offset + limit).map((h) => ({ id: h.paperId, score: h.score }));
  }
  // Candidates by `+rowid IN`: FTS5 still walks the matches, but scores only the listed ones.
  const restrict = among === undefined ? sql`` : sql`AND +f.rowid IN (SELECT value FROM json_each(${JSON.stringify(among)}))`;
  return (await sql<{ id: number; score: number }>`SELECT f.rowid AS id, -${BM25} AS score FROM paper_fts f
    WHERE paper_fts MATCH ${matchExpression(query)!} AND ${filterSql(db, query, filters, true, sql`f.rowid`, await filterPlan(db, query, filters))} ${restrict}
    ORDER BY score DESC LIMIT ${limit} OFFSET ${offset}`.execute(db)).rows;
}

/** The engine behind the top lists: one clause ranked alone, or the query among given papers. */
export function sqliteRanker(db: Db, query: KeywordQuery, filters: SearchFilters): Ranker {
  return {
    rankClause: async (clause, n) => toHits(await rankByBm25(db, { must: [clause], should: [], mustNot: [] }, NO_FILTERS, n, 0)),
    rankAmong: async (ids, n) => (await sumAmong(db, query, filters, ids, n)) ?? toHits(await rankByBm25(db, query, filters, n, 0, ids)),
    passing: async (ids) => passingFilters(db, filters, ids),
  };
}

/**
 * Whether one word of an any-word query, unfiltered, alone has `n` matches: a word in df papers
 * matches at least df minus the hidden ones, so counting a descriptive query's matches up to its
 * bound (walking the union of all its words) would only confirm what the vocabulary already says.
 */
async function oneWordReaches(db: Db, q: KeywordQuery, f: SearchFilters, n: number): Promise<boolean> {
  if (q.must.length > 0 || q.mustNot.length > 0 || hasFilters(f)) return false;
  const words = q.should.flatMap((c) => clauseWord(c) ?? []).map(porterStem);
  let most = 0;
  for (const df of (await docFreqsOf(db, await dfCacheOf(db), words)).values()) most = Math.max(most, df);
  if (most < n) return false;
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (${hiddenPaperIds(db)})`.execute(db);
  return most - Number(rows[0]?.n ?? 0) >= n;
}

/** Builds the stored top lists of every common word (see top-lists.sqlite.ts). */
export function buildSqliteTopLists(db: Db, options: Parameters<typeof buildTopLists>[2] = {}): ReturnType<typeof buildTopLists> {
  return buildTopLists(db, sqliteRanker(db, { must: [], should: [], mustNot: [] }, NO_FILTERS), options);
}

function toHits(rows: Array<{ id: number; score: number }>): Hit[] {
  return rows.map((r): Hit => ({ paperId: r.id, score: r.score }));
}

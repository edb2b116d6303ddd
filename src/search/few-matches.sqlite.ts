// Rankings of few matches summed here instead of by FTS5's bm25(): FTS5 walks every paper holding
// each word to rank (its idf walk), while a query matching a few hundred papers or less is cheaper to
// read whole, with each paper's sizes and stored terms, and score with the index's own statistics
// (bm25.sqlite.ts). The matches a count reads are kept for the search that follows it.
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { hasFilters } from './top-lists.sqlite.ts';
import { columnDocFreq, dfCacheOf, docFreqsOf, type DocFreqCache } from './doc-freq.sqlite.ts';
import { scoreRows, summedClauses, type IndexTotals, type MatchedRow, type SummedClause } from './bm25.sqlite.ts';
import { keepStoredTerms } from './paper-terms.ts';
import { filterSql, FTS_WEIGHTS, matchExpression, NO_FILTERS, passingFilters } from './fts-query.sqlite.ts';
import type { Hit, KeywordQuery, SearchFilters } from './keyword.ts';

/**
 * Past Σ df / SUMMED_ROW_COST matches, ranking them here costs more than FTS5's walk would: a row
 * scored here (its id, its sizes and stored terms read, its terms counted: ~4–5 µs) costs about as
 * much as FTS5 walking this many postings to count a word's papers (~0.03 µs each). Measured on the
 * 74,728-paper store with the known-item queries, CPU time per ranking both ways.
 */
export const SUMMED_ROW_COST = 150;
/** Never more matches than this are scored here, however common the words. */
export const SUMMED_MAX_ROWS = 5000;

/** Matches read with their sizes and terms in the walk that finds them (see fewMatches). */
export const SUMMED_AT_ONCE = 100;

/** When a ranking is summed here; tests use a cheaper row to reach a small store's few matches. */
export interface SummingPolicy {
  rowCost: number;
  maxRows: number;
  atOnce: number;
}

export const DEFAULT_SUMMING: SummingPolicy = { rowCost: SUMMED_ROW_COST, maxRows: SUMMED_MAX_ROWS, atOnce: SUMMED_AT_ONCE };

/** How the rankings went: summed here, or left to FTS5 (too many matches, or the text disagreed). */
const summing = { summed: 0, tooMany: 0, disagreed: 0 };

export function summingOutcomes(): Readonly<typeof summing> {
  return { ...summing };
}

/**
 * The query's best `n` by bm25(), summed here from the index's statistics (bm25.sqlite.ts) when its
 * matches are few enough that this beats FTS5's walk of every paper holding each word; undefined to
 * leave it to FTS5.
 */
export async function rankBySumming(db: Db, query: KeywordQuery, filters: SearchFilters, n: number, policy = DEFAULT_SUMMING): Promise<Hit[] | undefined> {
  const clauses = summedClauses(query);
  // A filter is a set built per statement (a big category: most of its papers): twice costs more than it saves.
  if (!clauses || hasFilters(filters)) return undefined;
  const cache = await dfCacheOf(db);
  const found = await fewMatches(db, cache, query, filters, clauses, policy);
  if (!found) {
    summing.tooMany++;
    return undefined;
  }
  // Every indexed row has its sizes recorded; one without (a damaged index) is FTS5's to rank.
  const rows = await withSizes(db, found);
  if (!rows) return undefined;
  const top = (await sumScores(db, cache, clauses, rows))?.slice(0, n);
  if (top && rows.length > SUMMED_AT_ONCE) {
    // The best are the papers re-scoring reads next (the first few were kept as they were read).
    const byId = new Map(rows.map((r) => [r.id, r]));
    keepStoredTerms(db, cache.version, top.slice(0, SUMMED_AT_ONCE).flatMap((h) => byId.get(h.paperId) ?? []));
  }
  return top;
}

/**
 * The ids of a query's matches when there are few enough to sum their bm25() here; undefined when
 * there are more. A search counts its matches and then ranks them: the ids read for the count are
 * kept for the ranking (per database, the last query only, while the index stays as it was).
 */
export async function fewMatches(db: Db, cache: DocFreqCache, query: KeywordQuery, filters: SearchFilters, clauses: SummedClause[], policy: SummingPolicy): Promise<FoundRow[] | undefined> {
  // FTS5 walks each word's whole doclist (every column) to count it: that is the cost to beat.
  let walked = 0;
  const docFreq = await docFreqsOf(db, cache, clauses.map((c) => c.stem));
  for (const c of clauses) walked += docFreq.get(c.stem)!;
  const cap = Math.min(policy.maxRows, Math.floor(walked / policy.rowCost));
  const match = matchExpression(query)!;
  const key = matchesKey(cache, match, filters);
  const kept = lastMatches.get(db);
  if (kept?.key === key && kept.cap === cap) return kept.rows;
  const where = sql`paper_fts MATCH ${match} AND ${filterSql(db, query, filters, true, sql`f.rowid`)}`;
  // Most title-like queries match a few dozen papers: their terms come in the same walk (their sizes
  // only if they are summed: a search that re-scores all of them needs none, see matchesUpTo).
  // Past that, ids first, so that a query with too many matches reads no terms.
  const first = Math.min(cap, policy.atOnce);
  const { rows: some } = await sql<FoundRow>`SELECT f.rowid AS id, t.terms AS terms
    FROM paper_fts f LEFT JOIN paper_terms t ON t.paper_id = f.rowid WHERE ${where} LIMIT ${first + 1}`.execute(db);
  let rows: FoundRow[] | undefined = some;
  // Re-scoring reads these papers' terms next: kept, they are not read again.
  if (some.length <= first) keepStoredTerms(db, cache.version, some);
  else {
    const { rows: ids } = await sql<{ id: number }>`SELECT f.rowid AS id FROM paper_fts f WHERE ${where} LIMIT ${cap + 1}`.execute(db);
    rows = ids.length > cap ? undefined : await matchedRows(db, ids.map((r) => r.id));
    // Every indexed row has its sizes recorded; one without (a damaged index) is FTS5's to rank.
    if (rows && rows.length !== ids.length) rows = undefined;
  }
  lastMatches.set(db, { key, cap, rows });
  return rows;
}

/**
 * A query's matches with their stored terms when there are at most SUMMED_AT_ONCE, else undefined;
 * kept as fewMatches keeps them, for the search that follows the count.
 */
export async function fewFound(db: Db, cache: DocFreqCache, query: KeywordQuery, filters: SearchFilters): Promise<FoundRow[] | undefined> {
  const match = matchExpression(query)!;
  const key = matchesKey(cache, match, filters);
  const kept = lastMatches.get(db);
  if (kept?.key === key && (kept.rows !== undefined || kept.cap >= SUMMED_AT_ONCE)) return kept.rows;
  const { rows } = await sql<FoundRow>`SELECT f.rowid AS id, t.terms AS terms
    FROM paper_fts f LEFT JOIN paper_terms t ON t.paper_id = f.rowid
    WHERE paper_fts MATCH ${match} AND ${filterSql(db, query, filters, true, sql`f.rowid`)} LIMIT ${SUMMED_AT_ONCE + 1}`.execute(db);
  const few = rows.length <= SUMMED_AT_ONCE ? rows : undefined;
  if (few) keepStoredTerms(db, cache.version, few);
  lastMatches.set(db, { key, cap: SUMMED_AT_ONCE, rows: few });
  return few;
}

/**
 * The last query's matches read, per database: every one of them (`rows`), or undefined when there
 * were more than `cap`.
 */
const lastMatches = new WeakMap<Db, { key: string; cap: number; rows: FoundRow[] | undefined }>();

/** A match as found: its sizes come with its terms, or are read when it is summed (withSizes). */
type FoundRow = Omit<MatchedRow, 'sizes'> & { sizes?: Uint8Array };

/** The rows with their sizes (FTS5's docsize record), read for those that lack them; undefined if one has none. */
async function withSizes(db: Db, rows: FoundRow[]): Promise<MatchedRow[] | undefined> {
  const lacking = rows.filter((r) => r.sizes === undefined).map((r) => r.id);
  if (lacking.length > 0) {
    const { rows: sized } = await sql<{ id: number; sizes: Uint8Array }>`SELECT id, sz AS sizes FROM paper_fts_docsize
      WHERE id IN (SELECT value FROM json_each(${JSON.stringify(lacking)}))`.execute(db);
    const sizeOf = new Map(sized.map((r) => [r.id, r.sizes]));
    // Kept on the rows, which the next ranking of the same matches reads again (lastMatches).
    for (const r of rows) r.sizes ??= sizeOf.get(r.id);
  }
  return rows.every((r): r is MatchedRow => r.sizes !== undefined) ? rows : undefined;
}

function matchesKey(cache: DocFreqCache, match: string, filters: SearchFilters): string {
  return `${cache.stamp}\u0000${match}\u0000${JSON.stringify(filters)}`;
}

/** Each row's column sizes (FTS5's own docsize record) and its stored terms, if any. */
async function matchedRows(db: Db, ids: number[]): Promise<MatchedRow[]> {
  if (ids.length === 0) return [];
  return (await sql<MatchedRow>`SELECT d.id AS id, d.sz AS sizes, t.terms AS terms
    FROM paper_fts_docsize d LEFT JOIN paper_terms t ON t.paper_id = d.id
    WHERE d.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`.execute(db)).rows;
}

/** The matches the last count read for this query and filters, while the index is as it was then. */
export function keptMatches(db: Db, cache: DocFreqCache, match: string, filters: SearchFilters): { cap: number; rows: FoundRow[] | undefined } | undefined {
  const kept = lastMatches.get(db);
  return kept?.key === matchesKey(cache, match, filters) ? kept : undefined;
}

/**
 * The query's best `n` among a few papers (those on its words' top lists), bm25() summed here: FTS5
 * only tells which of them match (a walk of the query's matches, which FTS5 ranking them would also
 * make), not the idf walk of every paper holding each word (~100 ms for "model" at a million papers).
 * Filters are tested on each listed paper's own rows.
 */
export async function sumAmong(db: Db, query: KeywordQuery, filters: SearchFilters, ids: number[], n: number): Promise<Hit[] | undefined> {
  const clauses = summedClauses(query);
  if (!clauses) return undefined;
  const { rows } = await sql<{ id: number }>`SELECT f.rowid AS id FROM paper_fts f
    WHERE paper_fts MATCH ${matchExpression(query)!} AND +f.rowid IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
    AND ${filterSql(db, query, NO_FILTERS, true, sql`f.rowid`)}`.execute(db);
  let matched = rows.map((r) => r.id);
  if (hasFilters(filters)) {
    const pass = await passingFilters(db, filters, matched);
    matched = matched.filter((id) => pass.has(id));
  }
  const sized = await matchedRows(db, matched);
  if (sized.length !== matched.length) return undefined;
  return (await sumScores(db, await dfCacheOf(db), clauses, sized))?.slice(0, n);
}

/** The rows' bm25() summed with the index's statistics (bm25.sqlite.ts), counted in `summing`. */
async function sumScores(db: Db, cache: DocFreqCache, clauses: SummedClause[], rows: MatchedRow[]): Promise<Hit[] | undefined> {
  const docFreqs: number[] = [];
  for (const c of clauses) docFreqs.push(await columnDocFreq(db, cache, c.column, c.stem));
  const totals: IndexTotals = { rows: cache.totals.docCount, tokens: cache.totals.tokens, weights: [FTS_WEIGHTS.title, FTS_WEIGHTS.abstract, FTS_WEIGHTS.authors] };
  const hits = await scoreRows(db, clauses, docFreqs, rows, totals);
  summing[hits ? 'summed' : 'disagreed']++;
  return hits;
}

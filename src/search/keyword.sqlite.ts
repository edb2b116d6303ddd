// KeywordIndex on SQLite FTS5 (table paper_fts, migration 0501). Clauses become an FTS5 MATCH
// expression of double-quoted tokens only, so nothing a user types is read as FTS5 syntax.
import { sql, type RawBuilder, type Sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { countedVotes, hiddenPaperIds } from '../community/index.ts';
import { buildTopLists, countCommonWord, hasFilters, loneWord, topFromLists, TOP_LIST_MIN_PAPERS, type Ranker } from './top-lists.sqlite.ts';
import { columnDocFreq, corpusTotals, dfCacheOf, docFreqOf, docFreqsOf, type DocFreqCache } from './doc-freq.sqlite.ts';
import { porterStem } from './porter.ts';
import { scoreRows, summedClauses, type IndexTotals, type MatchedRow, type SummedClause } from './bm25.sqlite.ts';
import { keepStoredTerms } from './paper-terms.ts';
import type { Clause, Hit, KeywordIndex, KeywordQuery, SearchFilters, SortOrder } from './keyword.ts';

/**
 * Column weights for FTS5's bm25() (title, abstract, authors). A title word is worth two abstract
 * words: titles are short and chosen to say what the paper is about (measured on SciFact: 1 → 2
 * gains ~+0.01 nDCG@10, 3 is no better). Authors count as plainly as abstract words.
 */
export const FTS_WEIGHTS = { title: 2, abstract: 1, authors: 1 } as const;

const COLUMN: Record<Clause['field'], string> = { any: '', title: 'title : ', authors: 'authors_text : ' };

function clauseToFts(c: Clause): string {
  // Tokens are letters and digits only (see analyze.ts), so quoting them is enough.
  return `${COLUMN[c.field]}"${c.tokens.join(' ')}"`;
}

/** The MATCH expression for the positive part, or undefined when there is none. */
export function matchExpression(q: KeywordQuery): string | undefined {
  const parts = q.must.map(clauseToFts);
  if (q.should.length > 0) parts.push(`(${q.should.map(clauseToFts).join(' OR ')})`);
  if (parts.length === 0) return undefined;
  const positive = parts.join(' AND ');
  return q.mustNot.length > 0 ? `(${positive}) NOT (${q.mustNot.map(clauseToFts).join(' OR ')})` : positive;
}

/** Which filters are tested on each matching paper's own rows instead of as a set built first. */
interface PerRow {
  dates: boolean;
  categories: boolean;
  code: boolean;
}

const AS_SETS: PerRow = { dates: false, categories: false, code: false };

/**
 * Each filter of the form in its two shapes: the set of paper ids it names, and a test on one paper's
 * own rows through their keys.
 */
function filterForms(f: SearchFilters): Array<{ kind: keyof PerRow; set: RawBuilder<unknown>; row: (id: Sql | RawBuilder<unknown>) => RawBuilder<unknown> }> {
  const out: ReturnType<typeof filterForms> = [];
  if (f.since || f.until) {
    const since = f.since ?? '0000-00-00';
    const until = f.until ?? '9999-99-99';
    out.push({
      kind: 'dates',
      set: sql`SELECT id FROM paper WHERE announced_on >= ${since} AND announced_on <= ${until}`,
      row: (id) => sql`EXISTS (SELECT 1 FROM paper d WHERE d.id = ${id} AND d.announced_on >= ${since} AND d.announced_on <= ${until})`,
    });
  }
  if (f.categories.length > 0) {
    out.push({
      kind: 'categories',
      set: sql`SELECT paper_id FROM paper_category WHERE category IN (${sql.join(f.categories)})`,
      row: (id) => sql`EXISTS (SELECT 1 FROM paper_category c WHERE c.paper_id = ${id} AND c.category IN (${sql.join(f.categories)}))`,
    });
  }
  if (f.hasCode) {
    out.push({
      kind: 'code',
      set: sql`SELECT paper_id FROM paper_link WHERE kind = 'code'`,
      row: (id) => sql`EXISTS (SELECT 1 FROM paper_link l WHERE l.paper_id = ${id} AND l.kind = 'code')`,
    });
  }
  return out;
}

/**
 * The filters as conditions on a paper id. Beside an FTS5 MATCH they test membership of a set built
 * once per query (`+id IN (subquery)`: the unary plus stops SQLite from handing the IN to FTS5 as a
 * rowid lookup per value), which costs far less than joining the wide paper row for every match —
 * unless the set is larger than the matches: then each match is tested by its keys (`perRow`, see
 * filterPlan).
 */
function filterSql(db: Db, q: KeywordQuery, f: SearchFilters, positive: boolean, id: Sql | RawBuilder<unknown>, perRow: PerRow = AS_SETS): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [];
  for (const filter of filterForms(f)) conds.push(perRow[filter.kind] ? filter.row(id) : sql`+${id} IN (${filter.set})`);
  // Exclusions alone cannot drive FTS5 (it has no pure NOT): apply them as a subquery instead.
  if (!positive && q.mustNot.length > 0) {
    conds.push(sql`+${id} NOT IN (SELECT rowid FROM paper_fts WHERE paper_fts MATCH ${q.mustNot.map(clauseToFts).join(' OR ')})`);
  }
  conds.push(sql`+${id} NOT IN (${hiddenPaperIds(db)})`);
  return sql.join(conds, sql` AND `);
}

/**
 * For a query with words: each filter whose set holds more papers than the query can match is tested
 * per match instead (an index probe, ~1 µs) — "cad" in cs.CV at a million papers tested ~40 matches
 * rather than first collecting cs.CV's ~150,000 papers (~100 ms). The matches are bounded by the
 * vocabulary (a required word's papers, or all the optional words' together); each set's size is
 * counted only up to that bound.
 */
async function filterPlan(db: Db, q: KeywordQuery, f: SearchFilters): Promise<PerRow> {
  if (!hasFilters(f)) return AS_SETS;
  const bound = await matchBound(db, q);
  if (bound === Infinity) return AS_SETS;
  const plan = { ...AS_SETS };
  for (const filter of filterForms(f)) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (${filter.set} LIMIT ${bound + 1})`.execute(db);
    plan[filter.kind] = Number(rows[0]?.n ?? 0) > bound;
  }
  return plan;
}

/** At most how many papers the query's words can match (Infinity without words). */
async function matchBound(db: Db, q: KeywordQuery): Promise<number> {
  const docFreq = await docFreqsOf(db, await dfCacheOf(db), [...q.must, ...q.should].flatMap((c) => c.tokens.map(porterStem)));
  const clauseBound = (c: Clause) => {
    let least = Infinity;
    for (const t of c.tokens) least = Math.min(least, docFreq.get(porterStem(t))!);
    return least;
  };
  if (q.must.length > 0) {
    let least = Infinity;
    for (const c of q.must) least = Math.min(least, clauseBound(c));
    return least;
  }
  let sum = q.should.length > 0 ? 0 : Infinity;
  for (const c of q.should) sum += clauseBound(c);
  return sum;
}

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
    const kept = lastMatches.get(db);
    if (kept?.key === matchesKey(await dfCacheOf(db), match, filters)) {
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

const DEFAULT_SUMMING: SummingPolicy = { rowCost: SUMMED_ROW_COST, maxRows: SUMMED_MAX_ROWS, atOnce: SUMMED_AT_ONCE };

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
async function fewMatches(db: Db, cache: DocFreqCache, query: KeywordQuery, filters: SearchFilters, clauses: SummedClause[], policy: SummingPolicy): Promise<FoundRow[] | undefined> {
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
async function fewFound(db: Db, cache: DocFreqCache, query: KeywordQuery, filters: SearchFilters): Promise<FoundRow[] | undefined> {
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

const NO_FILTERS: SearchFilters = { categories: [], since: undefined, until: undefined, hasCode: false };

/** The engine behind the top lists: one clause ranked alone, or the query among given papers. */
export function sqliteRanker(db: Db, query: KeywordQuery, filters: SearchFilters): Ranker {
  return {
    rankClause: async (clause, n) => toHits(await rankByBm25(db, { must: [clause], should: [], mustNot: [] }, NO_FILTERS, n, 0)),
    rankAmong: async (ids, n) => (await sumAmong(db, query, filters, ids, n)) ?? toHits(await rankByBm25(db, query, filters, n, 0, ids)),
    passing: async (ids) => passingFilters(db, filters, ids),
  };
}

/**
 * The query's best `n` among a few papers (those on its words' top lists), bm25() summed here: FTS5
 * only tells which of them match (a walk of the query's matches, which FTS5 ranking them would also
 * make), not the idf walk of every paper holding each word (~100 ms for "model" at a million papers).
 * Filters are tested on each listed paper's own rows.
 */
async function sumAmong(db: Db, query: KeywordQuery, filters: SearchFilters, ids: number[], n: number): Promise<Hit[] | undefined> {
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

/**
 * Which of a few papers pass the filters, each tested on its own rows (EXISTS through the primary
 * keys) rather than by building the whole set a filter names, which for a big category is most of it.
 */
async function passingFilters(db: Db, f: SearchFilters, ids: number[]): Promise<Set<number>> {
  const conds = [sql`p.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`, ...filterForms(f).map((filter) => filter.row(sql`p.id`))];
  const { rows } = await sql<{ id: number }>`SELECT p.id AS id FROM paper p WHERE ${sql.join(conds, sql` AND `)}`.execute(db);
  return new Set(rows.map((r) => r.id));
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

// KeywordIndex on PostgreSQL full-text search (table paper_search, migration 0502): a weighted
// tsvector per paper (title A, abstract B, authors C) behind a GIN index, and the titles alone in
// paper_search_title (migration 0940). Clauses become tsqueries in tsquery.postgres.ts.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.ts';
import { countedVotes, hiddenPaperIds } from '../community/index.ts';
import type { Clause, Hit, KeywordIndex, KeywordQuery, SearchFilters, SortOrder } from './keyword.ts';
import { PG_CANDIDATE_POSTINGS, postgresTermStats, postgresWordFrequencies } from './stats.postgres.ts';
import { rankConjunction } from './conjunction.postgres.ts';
import { isPlainToken, splitTsquery, tsqueryText } from './tsquery.postgres.ts';
import { pgTopList, pgTopLists, RANK_WEIGHTS } from './top-lists.postgres.ts';

export { tsqueryText };

/**
 * Where a query's matches come from. Title clauses are answered by the title index
 * (paper_search_title, migration 0940), everything else by paper_search; `id` names the matching
 * paper; `rank` is the engine's relevance: ts_rank over the title alone when only title clauses
 * were given (normalised by the title's length, as a title search should be), else over the whole
 * weighted document as before.
 */
interface Source {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>[];
  id: RawBuilder<unknown>;
  rank: RawBuilder<unknown>;
}

/**
 * `unplanned`: the words' tsquery is given to the planner as a sub-select, for a statement whose plan
 * does not depend on how many papers match (a ranking by relevance or a count, without filters: the
 * GIN index's matches, ranked or counted; a descriptive query's words hold at most
 * PG_CANDIDATE_POSTINGS of them).
 * Estimating a tsquery's matches reads all ~7,600 lexemes of the column's statistics (target 1000,
 * migration 0503), which was 0.3–0.4 ms of a ~3.5 ms ranking's 0.4 ms of planning; a sub-select
 * gets the default estimate at once, and the same plan.
 */
function sourceOf(q: KeywordQuery, full: string, unplanned = false): Source {
  const { title, document, not } = splitTsquery(q);
  if (title === undefined) {
    const id = sql`s.paper_id`;
    // A sub-select is worked out once, when the statement runs, and the planner does not look into
    // it (see above), where it reads the words' shares from the column statistics.
    const tsquery = unplanned ? sql`(SELECT to_tsquery('english', ${full}))` : sql`to_tsquery('english', ${full})`;
    return { from: sql`paper_search s`, where: [sql`s.document @@ ${tsquery}`], id, rank: sql`ts_rank(${RANK_WEIGHTS}, s.document, ${tsquery}, 1)` };
  }
  const id = sql`t.paper_id`;
  const where = [sql`t.document @@ to_tsquery('english', ${title})`];
  if (document === undefined) {
    // Exclusions of a title-only query are tested on the few papers the title index gives.
    if (not) where.push(sql`NOT EXISTS (SELECT 1 FROM paper_search x WHERE x.paper_id = t.paper_id AND x.document @@ to_tsquery('english', ${not}))`);
    return { from: sql`paper_search_title t`, where, id, rank: sql`ts_rank(t.document, to_tsquery('english', ${title}), 1)` };
  }
  where.push(sql`s.document @@ to_tsquery('english', ${not ? `${document} & !${not}` : document})`);
  return { from: sql`paper_search_title t JOIN paper_search s ON s.paper_id = t.paper_id`, where, id, rank: sql`ts_rank(${RANK_WEIGHTS}, s.document, to_tsquery('english', ${full}), 1)` };
}

/**
 * The filters as conditions on the matching paper's id. Only dates need the paper row (joined as
 * `p` by the callers that ask for them); a query without filters never touches the wide paper table.
 */
function filterSql(db: Db, f: SearchFilters, id: RawBuilder<unknown>): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [];
  if (f.since) conds.push(sql`p.announced_on >= ${f.since}`);
  if (f.until) conds.push(sql`p.announced_on <= ${f.until}`);
  if (f.categories.length > 0) conds.push(sql`${id} IN (SELECT paper_id FROM paper_category WHERE category IN (${sql.join(f.categories)}))`);
  if (f.hasCode) conds.push(sql`EXISTS (SELECT 1 FROM paper_link l WHERE l.paper_id = ${id} AND l.kind = 'code')`);
  conds.push(sql`${id} NOT IN (${hiddenPaperIds(db)})`);
  return sql.join(conds, sql` AND `);
}

function needsPaper(f: SearchFilters, sort: SortOrder | undefined): boolean {
  return f.since !== undefined || f.until !== undefined || (sort !== undefined && sort !== 'relevance');
}

/** Papers with no text clause: the filters and exclusions alone. */
function noTextWhere(db: Db, q: KeywordQuery, f: SearchFilters): RawBuilder<unknown> {
  const not = tsqueryText({ must: [], should: q.mustNot, mustNot: [] });
  const excluded = not ? sql` AND p.id NOT IN (SELECT paper_id FROM paper_search WHERE document @@ to_tsquery('english', ${not}))` : sql``;
  return sql`${filterSql(db, f, sql`p.id`)}${excluded}`;
}

function hasFilters(f: SearchFilters): boolean {
  return f.categories.length > 0 || f.since !== undefined || f.until !== undefined || f.hasCode;
}

/** The word of a query that is one free word and nothing else (no exclusions), else undefined. */
function loneWord(q: KeywordQuery): string | undefined {
  const clauses = [...q.must, ...q.should];
  const c = clauses.length === 1 && q.mustNot.length === 0 ? clauses[0]! : undefined;
  return c && c.field === 'any' && c.tokens.length === 1 ? c.tokens[0] : undefined;
}

/**
 * The words of a query that is two or more required free words or phrases and nothing else, else
 * undefined. A phrase is ranked as its words are (the sum of their ts_ranks) among the papers holding
 * it: PostgreSQL's own rank of a phrase has no bound from single words' lists, and ranked every match
 * of a common one ("language models": ~30,000 papers hold both words, 65–100 ms), while what sets
 * phrase matches apart, their words' nearness, is the same for all of them.
 */
function conjunctionWords(q: KeywordQuery): string[] | undefined {
  if (q.should.length > 0 || q.mustNot.length > 0) return undefined;
  const words = [...new Set(q.must.flatMap((c) => c.tokens))];
  const plain = q.must.every((c) => c.field === 'any' && c.tokens.every(isPlainToken));
  return plain && words.length >= 2 ? words : undefined;
}

/**
 * The best `n` papers for one word from its top list (top-lists.postgres.ts), or undefined when the
 * list cannot tell. Filters only remove papers, and every paper off the list ranks below every
 * listed one, so the first `n` listed papers that pass them are the answer.
 */
async function fromTopList(db: Db, word: string, f: SearchFilters, n: number): Promise<Hit[] | undefined> {
  const list = await pgTopList(db, word);
  if (!list) return undefined;
  if (!hasFilters(f)) return list.complete || list.hits.length >= n ? list.hits.slice(0, n) : undefined;
  const ids = list.hits.map((h) => h.paperId);
  const { rows } = await sql<{ id: number }>`SELECT p.id AS id FROM paper p WHERE p.id = ANY(${ids}::int[]) AND ${filterSql(db, f, sql`p.id`)}`.execute(db);
  const pass = new Set(rows.map((r) => r.id));
  const kept = list.hits.filter((h) => pass.has(h.paperId));
  return list.complete || kept.length >= n ? kept.slice(0, n) : undefined;
}

/**
 * The count from top lists, when they tell it: a lone word's list holds its exact number of visible
 * papers; papers with any of several words number at least those of each word, so one word in
 * `atMost` papers or more settles a capped count without reading the union of every word's postings.
 */
async function countFromTopLists(db: Db, q: KeywordQuery, f: SearchFilters, atMost: number | undefined): Promise<number | undefined> {
  if (hasFilters(f) || q.mustNot.length > 0) return undefined;
  const word = loneWord(q);
  if (word !== undefined) {
    const list = await pgTopList(db, word);
    return list && Math.min(list.matches, atMost ?? Infinity);
  }
  if (atMost === undefined || q.must.length > 0) return undefined;
  const words = q.should.filter((c) => c.field === 'any' && c.tokens.length === 1).map((c) => c.tokens[0]!);
  const lists = await pgTopLists(db, words);
  return [...lists.values()].some((l) => l.matches >= atMost) ? atMost : undefined;
}

/**
 * sort=upvotes orders by the total a paper shows: local votes (joined as `v`) + imported upvotes.
 * PostgreSQL counts the vote table once per query with a hash aggregate and hash-joins it.
 */
function votesJoin(db: Db, sort: SortOrder): RawBuilder<unknown> {
  if (sort !== 'upvotes') return sql``;
  const local = countedVotes(db).select(['vote.paper_id', (eb) => eb.fn.countAll().as('n')]).groupBy('vote.paper_id');
  return sql`LEFT JOIN (${local}) v ON v.paper_id = p.id`;
}
const UPVOTES_TOTAL = sql`(coalesce(v.n, 0) + p.hf_upvotes)`;

/**
 * The query with its optional words cut to PG_CANDIDATE_POSTINGS, rarest first, by the papers each
 * word matches here. The caller already chose rare words (rareClauses in relevance.ts) by the
 * frequencies of their Porter stems, but PostgreSQL matches a word by its own Snowball lexeme, which
 * can be far commoner: "use" is 1,231 papers as the stem "us" and 34,389 as the lexeme "use", and
 * ranking those cost ~200 ms, the slowest of the SciFact claims. Phrases are kept, as there.
 */
export async function withinPostingBudget(db: Db, q: KeywordQuery, budget = PG_CANDIDATE_POSTINGS): Promise<KeywordQuery> {
  const words = q.should.filter((c) => c.tokens.length === 1).map((c) => c.tokens[0]!);
  if (q.should.length < 2 || words.length === 0) return q;
  const df = await postgresWordFrequencies(db, words);
  const papersOf = (c: Clause) => (c.tokens.length === 1 ? df.get(c.tokens[0]!) ?? 0 : 0);
  const kept: Clause[] = [];
  let postings = 0;
  for (const c of [...q.should].sort((a, b) => papersOf(a) - papersOf(b))) {
    if (kept.length > 0 && postings + papersOf(c) > budget) break;
    kept.push(c);
    postings += papersOf(c);
  }
  return kept.length === q.should.length ? q : { ...q, should: kept };
}

/**
 * Whether newest-first should gather the query's matches before ordering them by date, rather than
 * let PostgreSQL walk the date index testing each paper (~3 µs a paper: a document read and matched),
 * which it picks by assuming the matches are spread evenly. The walk meets `wanted` matches after
 * wanted/share papers; gathering costs about a third of a test per match. So gather when the matches
 * (at most those of the query's rarest required word, or of all its optional words) are fewer than
 * √(3 · wanted · papers): ~2,100 for a page of 20 at 75,000 papers. "teacher" in cs.CV, newest first,
 * walked 30,733 papers in ~100 ms; its ~1,800 matches gather in a few.
 */
async function collectBeforeDates(db: Db, q: KeywordQuery, wanted: number): Promise<boolean> {
  const rarest = (c: Clause, df: Map<string, number>) => Math.min(...c.tokens.map((t) => (isPlainToken(t) ? df.get(t) ?? Infinity : Infinity)));
  const df = await postgresWordFrequencies(db, [...q.must, ...q.should].flatMap((c) => c.tokens).filter(isPlainToken));
  const required = Math.min(...q.must.map((c) => rarest(c, df)));
  const optional = q.should.length === 0 ? Infinity : q.should.reduce((sum, c) => sum + rarest(c, df), 0);
  const { docCount } = await postgresTermStats(db, []);
  return Math.min(required, optional) < Math.sqrt(3 * wanted * docCount);
}

/**
 * What a count found, for the search of the same query that follows it (searchPapers counts, then
 * ranks or sorts the same KeywordQuery object with the same filters): at least how many papers match,
 * and the papers themselves when the count found every match (below its cap) and at most
 * REMEMBERED_MATCHES. Counting reads every match, as ranking them does; a phrase is checked against
 * each document's positions (30,000 papers hold both words of "model improvement", 300 the phrase),
 * which ranking then did again. Keyed by the query object, so it is gone with that search.
 */
const counted = new WeakMap<KeywordQuery, { filters: SearchFilters; ids?: number[]; atLeast: number }>();
const REMEMBERED_MATCHES = 2000;

function countOf(q: KeywordQuery, filters: SearchFilters): { ids?: number[]; atLeast: number } | undefined {
  const c = counted.get(q);
  return c && c.filters === filters ? c : undefined;
}

/** The ids of the papers `src` matches that pass the filters (a count's and matchesUpTo's walk). */
function matchingIds(db: Db, src: Source, filters: SearchFilters): RawBuilder<unknown> {
  const paper = needsPaper(filters, undefined) ? sql`JOIN paper p ON p.id = ${src.id}` : sql``;
  return sql`SELECT ${src.id} AS id FROM ${src.from} ${paper} WHERE ${sql.join(src.where, sql` AND `)} AND ${filterSql(db, filters, src.id)}`;
}

export const postgresKeywordIndex: KeywordIndex = {
  async search(db, given, filters, sort, limit, offset) {
    const query = await withinPostingBudget(db, given);
    const full = tsqueryText(query);
    type Row = { id: number; score: number };
    if (full === undefined) {
      const order = sort === 'upvotes' ? sql`${UPVOTES_TOTAL} DESC, p.announced_on DESC, p.id DESC` : sql`p.announced_on DESC, p.id DESC`;
      const { rows } = await sql<Row>`SELECT p.id AS id, 0 AS score FROM paper p ${votesJoin(db, sort)} WHERE ${noTextWhere(db, query, filters)}
        ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`.execute(db);
      return rows.map((r): Hit => ({ paperId: r.id, score: Number(r.score) }));
    }
    const word = sort === 'relevance' ? loneWord(query) : undefined;
    const listed = word === undefined ? undefined : await fromTopList(db, word, filters, limit + offset);
    if (listed) return listed.slice(offset);
    const known = countOf(given, filters)?.ids;
    const words = sort === 'relevance' ? conjunctionWords(query) : undefined;
    if (words) return rankConjunction(db, words, { where: (id) => filterSql(db, filters, id), needsPaper: needsPaper(filters, undefined) }, limit, offset, full, known);
    const src = sourceOf(query, full, sort === 'relevance' && !known && !hasFilters(filters));
    // Every match is among the papers the count found: the text is matched again only on those.
    if (known) src.where.push(sql`${src.id} = ANY(${known}::int[])`);
    if (sort === 'newest' && (known || (await collectBeforeDates(db, query, limit + offset)))) {
      // MATERIALIZED: the matches are gathered once, then ordered by date (see collectBeforeDates).
      const { rows } = await sql<Row>`WITH m AS MATERIALIZED (SELECT ${src.id} AS id FROM ${src.from} WHERE ${sql.join(src.where, sql` AND `)})
        SELECT m.id AS id, 0 AS score FROM m JOIN paper p ON p.id = m.id WHERE ${filterSql(db, filters, sql`m.id`)}
        ORDER BY p.announced_on DESC, p.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db);
      return rows.map((r): Hit => ({ paperId: r.id, score: Number(r.score) }));
    }
    const paper = needsPaper(filters, sort) ? sql`JOIN paper p ON p.id = ${src.id} ${votesJoin(db, sort)}` : sql``;
    const order =
      sort === 'relevance' ? sql`score DESC, ${src.id} DESC`
      : sort === 'upvotes' ? sql`${UPVOTES_TOTAL} DESC, score DESC, p.announced_on DESC, p.id DESC`
      : sql`p.announced_on DESC, p.id DESC`;
    const { rows } = await sql<Row>`SELECT ${src.id} AS id, ${sort === 'newest' ? sql`0` : src.rank} AS score FROM ${src.from} ${paper}
      WHERE ${sql.join(src.where, sql` AND `)} AND ${filterSql(db, filters, src.id)}
      ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`.execute(db);
    return rows.map((r): Hit => ({ paperId: r.id, score: Number(r.score) }));
  },

  async count(db, query, filters, atMost) {
    const full = tsqueryText(query);
    const cap = atMost === undefined ? sql`` : sql`LIMIT ${atMost}`;
    if (full === undefined) {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM (SELECT 1 FROM paper p WHERE ${noTextWhere(db, query, filters)} ${cap}) t`.execute(db);
      return Number(rows[0]?.n ?? 0);
    }
    const listed = await countFromTopLists(db, query, filters, atMost);
    if (listed !== undefined) {
      counted.set(query, { filters, atLeast: listed });
      return listed;
    }
    // Counting without filters reads the GIN index's matches whatever their number, as ranking does.
    const src = sourceOf(query, full, !hasFilters(filters));
    const { rows } = await sql<{ n: string; ids: number[] | null }>`SELECT count(*) AS n, CASE WHEN count(*) <= ${REMEMBERED_MATCHES} THEN array_agg(id) END AS ids
      FROM (${matchingIds(db, src, filters)} ${cap}) c`.execute(db);
    const n = Number(rows[0]?.n ?? 0);
    const ids = rows[0]?.ids;
    counted.set(query, ids && (atMost === undefined || n < atMost) ? { filters, ids, atLeast: n } : { filters, atLeast: n });
    return n;
  },

  async matchesUpTo(db, query, filters, atMost) {
    // Only queries whose words are all required: the search cuts optional words to a posting budget,
    // so every match of an any-word query is not what its ranking would have looked among.
    if (query.should.length > 0) return undefined;
    const full = tsqueryText(query);
    if (full === undefined) return undefined;
    // The count that precedes a search has usually read every match already, or found too many:
    // looking again would make PostgreSQL gather a common word's whole bitmap to stop at atMost + 1.
    const c = countOf(query, filters);
    if (c) {
      if (c.ids) return c.ids.length <= atMost ? c.ids : undefined;
      if (c.atLeast > atMost) return undefined;
    }
    const { rows } = await sql<{ id: number }>`${matchingIds(db, sourceOf(query, full), filters)} LIMIT ${atMost + 1}`.execute(db);
    return rows.length > atMost ? undefined : rows.map((r) => Number(r.id));
  },

  termStats: postgresTermStats,
};

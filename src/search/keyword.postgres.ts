// KeywordIndex on PostgreSQL full-text search (table paper_search, migration 0502): a weighted
// tsvector per paper (title A, abstract B, authors C) behind a GIN index, and the titles alone in
// paper_search_title (migration 0940). Clauses become tsqueries in tsquery.postgres.ts.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.ts';
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { surfaceOf } from './snippet.ts';
import { countedVotes, hiddenPaperIds } from '../community/index.ts';
import type { Hit, KeywordIndex, KeywordQuery, SearchFilters, SortOrder, TermStats } from './keyword.ts';
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

function sourceOf(q: KeywordQuery, full: string): Source {
  const { title, document, not } = splitTsquery(q);
  if (title === undefined) {
    const id = sql`s.paper_id`;
    return { from: sql`paper_search s`, where: [sql`s.document @@ to_tsquery('english', ${full})`], id, rank: sql`ts_rank(${RANK_WEIGHTS}, s.document, to_tsquery('english', ${full}), 1)` };
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

export const postgresKeywordIndex: KeywordIndex = {
  async search(db, query, filters, sort, limit, offset) {
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
    const src = sourceOf(query, full);
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
    if (listed !== undefined) return listed;
    const src = sourceOf(query, full);
    const paper = needsPaper(filters, undefined) ? sql`JOIN paper p ON p.id = ${src.id}` : sql``;
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM (SELECT 1 FROM ${src.from} ${paper}
      WHERE ${sql.join(src.where, sql` AND `)} AND ${filterSql(db, filters, src.id)} ${cap}) c`.execute(db);
    return Number(rows[0]?.n ?? 0);
  },

  async termStats(db, stems) {
    const cache = await statsCache(db);
    const docFreq = new Map<string, number>();
    for (const term of new Set(stems)) {
      let df = cache.docFreq.get(term);
      if (df === undefined) {
        // Asked with a word that had this (Porter) stem, which PostgreSQL stems its own (Snowball) way:
        // a stem itself may stem differently ("gener" is not "generat").
        const word = surfaceOf(term);
        df = isPlainToken(word) ? await docFrequency(db, word, cache.totals.docCount, cache.common) : 0;
        cache.docFreq.set(term, df);
      }
      if (df > 0) docFreq.set(term, df);
    }
    return { ...cache.totals, docFreq };
  },
};

/**
 * Papers holding the word; a PostgreSQL stop word (never indexed) counts as in every paper: no weight.
 * A common word's count would read thousands of rows (100+ ms each on 75k papers), so for the words
 * PostgreSQL's own column statistics list as most common (pg_stats, kept by ANALYZE and autovacuum;
 * migration 0503 widens the list to 10,000 lexemes) the share they record is used instead: exact to
 * within the sample for a common word, whose weight is small anyway. Rare words are counted exactly.
 */
async function docFrequency(db: Db, word: string, docCount: number, common: Map<string, number>): Promise<number> {
  const { rows: lex } = await sql<{ lexemes: string[] }>`SELECT tsvector_to_array(to_tsvector('english', ${word})) AS lexemes`.execute(db);
  const lexemes = lex[0]?.lexemes ?? [];
  if (lexemes.length === 0) return docCount;
  const share = lexemes.length === 1 ? common.get(lexemes[0]!) : undefined;
  if (share !== undefined) return Math.max(1, Math.round(share * docCount));
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM paper_search WHERE document @@ to_tsquery('english', ${word})`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Lexeme → share of papers holding it, for the most common lexemes PostgreSQL's statistics track. */
async function commonLexemes(db: Db): Promise<Map<string, number>> {
  const { rows } = await sql<{ elems: string[] | null; freqs: Array<number | string> | null }>`
    SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs FROM pg_stats
    WHERE schemaname = current_schema() AND tablename = 'paper_search' AND attname = 'document'`.execute(db);
  const out = new Map<string, number>();
  const { elems, freqs } = rows[0] ?? { elems: null, freqs: null };
  // freqs has three more entries than elems (minimum, maximum, share of nulls).
  if (elems && freqs) elems.forEach((e, i) => out.set(e, Number(freqs[i])));
  return out;
}

/**
 * Corpus totals and document frequencies, per database, recomputed after STATS_TTL_MS: counting over
 * the whole table on every query would cost more than the search, and statistics that are a minute
 * old rank the same.
 */
const STATS_TTL_MS = 60_000;
const caches = new WeakMap<Db, { at: number; totals: Omit<TermStats, 'docFreq'>; docFreq: ByteCache<string, number>; common: Map<string, number> }>();

async function statsCache(db: Db) {
  const cached = caches.get(db);
  if (cached && Date.now() - cached.at < STATS_TTL_MS) return cached;
  const { rows } = await sql<{ n: string; t: string | null; a: string | null; u: string | null }>`
    SELECT count(*) AS n, avg(title_len) AS t, avg(abstract_len) AS a, avg(authors_len) AS u FROM paper_search`.execute(db);
  const r = rows[0];
  const fresh = {
    at: Date.now(),
    totals: { docCount: Number(r?.n ?? 0), avgTitleLength: Number(r?.t ?? 0), avgAbstractLength: Number(r?.a ?? 0), avgAuthorsLength: Number(r?.u ?? 0) },
    docFreq: budgetedCache<string, number>('document frequencies', (t) => stringBytes(t) + 8),
    common: await commonLexemes(db),
  };
  caches.set(db, fresh);
  return fresh;
}

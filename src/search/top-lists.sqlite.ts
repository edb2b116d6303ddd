// Top-k for common words without scoring every paper that holds them. FTS5 has no early
// termination: ranking a word scores every match (bm25() costs ~0.6 µs a paper; 844,538 of a million
// generated papers hold "model", ~0.5 s), and counting walks the same doclist. So each common clause
// — one word, in any field or in the title — has a top list: its TOP_LIST_LENGTH best papers by
// FTS5's own bm25(), with their scores, valid while the search version (bumped by every write to
// papers and by moderation; migration 0890) is unchanged. The `search-top-lists` job builds them
// for every common word and stores them (search_top_list, migration 0920) for every process and
// search thread; a word searched alone whose list is missing is ranked once and kept in memory.
//
// Several words, or a word with filters (the threshold algorithm: Fagin, Lotem & Naor 2003; Turtle
// & Flood's MaxScore, 1995): FTS5's bm25() of a conjunction is a sum over its phrases of
// idf(phrase) · tf-part(phrase, paper), and each phrase's idf counts that phrase's own matches, so a
// paper's score for "a b" is exactly its score for "a" plus its score for "b". A paper missing from
// a's list scores at most the list's last score (its tail) there. The papers on any of the lists are
// ranked by FTS5 among themselves with the query's filters; when the n-th of them scores at least
// the sum of the tails, no paper on none of the lists can reach the top n, and the answer is exactly
// the full ranking's. Otherwise (the words rarely meet near the top of their lists, or a filter
// leaves too few listed papers) the full ranking runs. A list that holds every match of its clause
// bounds the rest at nothing: a paper off it cannot match at all.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import { hiddenPaperIds } from '../community/index.ts';
import type { ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { currentVersion } from '../store/change-version.ts';
import type { Db } from '../store/db.ts';
import type { Clause, Hit, KeywordQuery, SearchFilters } from './keyword.ts';
import { porterStem, wordStemmingTo } from './porter.ts';

/** Clauses matching fewer papers than this are cheap to rank in full (FTS5: ~0.6 µs a paper). */
export const TOP_LIST_MIN_PAPERS = 20_000;
/** Papers kept per clause: deep enough for 50 pages of 20, and for two common words to meet near the top. */
export const TOP_LIST_LENGTH = 1000;
/** A hit in a list: an object of two numbers (the score a heap number) and its array slot. */
const HIT_BYTES = 56;
/** The counter of what the index holds (SEARCH_INDEX_CHANNEL in result-cache.ts): lists are built from it alone. */
const INDEX_CHANNEL = 'search-index';

/** How deep lists go and which clauses have one; tests use small ones. */
export interface TopListPolicy {
  minPapers: number;
  length: number;
}

export const DEFAULT_POLICY: TopListPolicy = { minPapers: TOP_LIST_MIN_PAPERS, length: TOP_LIST_LENGTH };

export interface TopList {
  version: number;
  /** Best first; the engine's score, higher is better. */
  hits: Hit[];
  /** True when the list holds every (visible) paper with the clause. */
  complete: boolean;
}

/** What the lists need of the engine: rank one clause alone, and rank the query among given papers. */
export interface Ranker {
  /** The clause's best `n` visible papers, no filters. */
  rankClause(clause: Clause, n: number): Promise<Hit[]>;
  /** The query's best `n` papers (its filters applied) among `ids`. */
  rankAmong(ids: number[], n: number): Promise<Hit[]>;
  /** Which of `ids` pass the query's filters (category, dates, code; not its excluded words). */
  passing(ids: number[]): Promise<Set<number>>;
}

/** How list-backed rankings went in this process, for benches: a lone word's list, several lists, ranked among listed papers, or declined (ranked in full). */
const outcomes = { lone: 0, lists: 0, amongListed: 0, declined: 0 };

export function topListOutcomes(): Readonly<typeof outcomes> {
  return { ...outcomes };
}

const memory = new WeakMap<Db, ByteCache<string, TopList>>();

function memoryOf(db: Db): ByteCache<string, TopList> {
  let cache = memory.get(db);
  // Lists missing here are read from the store again (~16 KB of JSON): the memory only saves that read.
  if (!cache) memory.set(db, (cache = budgetedCache('top lists', (k: string, l: TopList) => 2 * k.length + HIT_BYTES * l.hits.length)));
  return cache;
}

/** "any:model", "title:model"; undefined for clauses without lists (phrases, authors). */
export function clauseKey(c: Clause): string | undefined {
  if (c.tokens.length !== 1 || c.field === 'authors') return undefined;
  return `${c.field}:${porterStem(c.tokens[0]!)}`;
}

/** The stored or remembered list of a clause at this version, if there is one. */
async function listOf(db: Db, key: string, version: number): Promise<TopList | undefined> {
  const cache = memoryOf(db);
  const kept = cache.get(key);
  if (kept && kept.version === version) return kept;
  const row = await db.selectFrom('search_top_list').select(['version', 'hits', 'complete']).where('clause', '=', key).executeTakeFirst();
  if (!row || Number(row.version) !== version) return undefined;
  const list: TopList = { version, hits: (JSON.parse(row.hits) as Array<[number, number]>).map(([paperId, score]) => ({ paperId, score })), complete: Number(row.complete) === 1 };
  cache.set(key, list);
  return list;
}

async function buildList(ranker: Ranker, clause: Clause, version: number, policy: TopListPolicy): Promise<TopList> {
  const hits = await ranker.rankClause(clause, policy.length);
  return { version, hits, complete: hits.length < policy.length };
}

/**
 * The query's best `n` papers from the top lists of its clauses, exactly as the full ranking would
 * give them, or undefined when the lists cannot tell (then rank in full). `docFreq` gives a clause's
 * document frequency in any field, which decides whether it is common enough to have a list.
 */
export async function topFromLists(
  db: Db, query: KeywordQuery, filters: SearchFilters, n: number, ranker: Ranker,
  docFreq: (word: string) => Promise<number>, policy: TopListPolicy = DEFAULT_POLICY,
): Promise<Hit[] | undefined> {
  if (query.should.length > 0 || query.must.length === 0 || n > policy.length) return undefined;
  const keys = query.must.map(clauseKey);
  if (keys.some((k) => k === undefined)) return undefined;
  for (const c of query.must) if ((await docFreq(c.tokens[0]!)) < policy.minPapers) return undefined;
  const version = await currentVersion(db, INDEX_CHANNEL);
  const alone = query.must.length === 1 && query.mustNot.length === 0 && !hasFilters(filters);
  const lists: TopList[] = [];
  for (const [i, key] of keys.entries()) {
    let list = await listOf(db, key!, version);
    // A lone word with no list yet is ranked once now (the same work as answering it in full); with
    // other words or filters, building lists would cost more than the full ranking it replaces.
    if (!list && alone) memoryOf(db).set(key!, (list = await buildList(ranker, query.must[i]!, version, policy)));
    if (!list) return undefined;
    lists.push(list);
  }
  const tails = lists.map((l) => (l.complete ? -Infinity : l.hits.at(-1)?.score ?? 0));
  if (alone) return counted('lone', lists[0]!.complete || lists[0]!.hits.length >= n ? lists[0]!.hits.slice(0, n) : undefined);
  const ids = [...new Set(lists.flatMap((l) => l.hits.map((h) => h.paperId)))];
  if (query.mustNot.length === 0) {
    // Filters only remove papers: a listed paper that fails them drops out, and the tails still
    // bound every paper off the lists.
    const pass = hasFilters(filters) ? await ranker.passing(ids) : undefined;
    const kept = pass ? lists.map((l) => ({ ...l, hits: l.hits.filter((h) => pass.has(h.paperId)) })) : lists;
    const read = readLists(kept, tails, n);
    if (read.hits) return counted('lists', read.hits);
    // The engine would tell no more than the lists did: one word's list has every score already, and
    // when fewer than n listed papers could reach the papers off the lists, ranking them cannot
    // settle the answer either (a word's rarely meeting the others near the top: rank in full).
    if (lists.length === 1 || (!lists.some((l) => l.complete) && read.reachable < n)) return counted('amongListed', undefined);
  }
  const ranked = await ranker.rankAmong(ids, n);
  if (lists.some((l) => l.complete)) return counted('amongListed', ranked);
  const bound = tails.reduce((a, b) => a + b, 0);
  return counted('amongListed', ranked.length >= n && atLeast(ranked[n - 1]!.score, bound) ? ranked : undefined);
}

function counted(how: 'lone' | 'lists' | 'amongListed', hits: Hit[] | undefined): Hit[] | undefined {
  outcomes[hits ? how : 'declined']++;
  return hits;
}

/**
 * The top `n` read off the lists alone, without the engine: a paper on every list has its exact
 * score (the sum of its scores there); one on some lists scores at most its known part plus the
 * other lists' tails (it may not even hold those words); one on none at most the sum of the tails.
 * A complete list's tail is -∞: a paper off it does not hold that word and does not match. When the
 * n-th exact score is at least every such bound, those papers are the answer. `reachable` counts
 * the listed papers whose score can reach the sum of the tails.
 */
function readLists(lists: TopList[], tails: number[], n: number): { hits: Hit[] | undefined; reachable: number } {
  const scores = lists.map((l) => new Map(l.hits.map((h) => [h.paperId, h.score])));
  const exact: Hit[] = [];
  const outside = tails.reduce((a, b) => a + b, 0);
  let bound = outside;
  let reachable = 0;
  for (const paperId of new Set(lists.flatMap((l) => l.hits.map((h) => h.paperId)))) {
    let score = 0;
    let onAll = true;
    for (const [i, list] of scores.entries()) {
      const s = list.get(paperId);
      if (s === undefined) onAll = false;
      score += s ?? tails[i]!;
    }
    if (atLeast(score, outside)) reachable++;
    if (onAll) exact.push({ paperId, score });
    else bound = Math.max(bound, score);
  }
  exact.sort((a, b) => b.score - a.score);
  // Fewer exact papers than asked: the answer is complete only if nothing else can match.
  if (exact.length < n) return { hits: bound === -Infinity ? exact : undefined, reachable };
  return { hits: atLeast(exact[n - 1]!.score, bound) ? exact.slice(0, n) : undefined, reachable };
}

/** The scores are sums in floating point: a margin keeps a rounding difference from deciding. */
function atLeast(score: number, bound: number): boolean {
  return bound === -Infinity || score >= bound + 1e-9 * Math.abs(bound);
}

export function hasFilters(f: SearchFilters): boolean {
  return f.categories.length > 0 || f.since !== undefined || f.until !== undefined || f.hasCode;
}

/** Papers holding the word that are visible: its document frequency minus the hidden ones holding it. */
export async function countCommonWord(db: Db, match: string, docFreq: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM paper_fts
    WHERE paper_fts MATCH ${match} AND rowid IN (${hiddenPaperIds(db)})`.execute(db);
  return docFreq - Number(rows[0]?.n ?? 0);
}

/** The one word of a query that is a single free word and nothing else, else undefined. */
export function loneWord(q: KeywordQuery, f: SearchFilters): string | undefined {
  if (q.mustNot.length > 0 || hasFilters(f)) return undefined;
  const clauses = [...q.must, ...q.should];
  const c = clauses.length === 1 ? clauses[0]! : undefined;
  return c && c.field === 'any' && c.tokens.length === 1 ? c.tokens[0] : undefined;
}

export interface BuildReport {
  words: number;
  lists: number;
  version: number;
}

/**
 * Builds and stores the lists of every word in at least `policy.minPapers` papers, in any field and in
 * the title, at the current search version, and drops lists of older versions. Words come from the
 * index's vocabulary as stems, and each is asked for by a word that stems to it (wordStemmingTo).
 */
export async function buildTopLists(
  db: Db, ranker: Pick<Ranker, 'rankClause'>, options: { policy?: TopListPolicy; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<BuildReport> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const version = await currentVersion(db, INDEX_CHANNEL);
  const { rows } = await sql<{ term: string }>`SELECT term FROM paper_fts_terms WHERE doc >= ${policy.minPapers} ORDER BY doc DESC`.execute(db);
  const words = rows.map((r) => wordStemmingTo(r.term)).filter((w): w is string => w !== undefined);
  let lists = 0;
  for (const [i, word] of words.entries()) {
    if (options.signal?.aborted) break;
    for (const field of ['any', 'title'] as const) {
      const clause: Clause = { field, tokens: [word] };
      const list = await buildList(ranker as Ranker, clause, version, policy);
      await storeList(db, clauseKey(clause)!, version, list);
      lists++;
      // Each list ranks a common word in full (tens of ms): requests run in between.
      await nextTurn();
    }
    options.onProgress?.(i + 1, words.length);
  }
  if (!options.signal?.aborted) await storeList(db, BUILT_MARKER, version, { version, hits: [], complete: true });
  await db.deleteFrom('search_top_list').where('version', '!=', version).execute();
  return { words: words.length, lists, version };
}

/** A row that says when all lists were last built (a small store may have no common word at all). */
const BUILT_MARKER = '*';

async function storeList(db: Db, clause: string, version: number, list: TopList): Promise<void> {
  const hits = JSON.stringify(list.hits.map((h) => [h.paperId, h.score]));
  const complete = list.complete ? 1 : 0;
  await db.insertInto('search_top_list').values({ clause, version, hits, complete })
    .onConflict((oc) => oc.column('clause').doUpdateSet({ version, hits, complete })).execute();
}

/** Whether the lists were last built at an older search version than the current one (or never). */
export async function topListsStale(db: Db): Promise<boolean> {
  const row = await db.selectFrom('search_top_list').select('version').where('clause', '=', BUILT_MARKER).executeTakeFirst();
  return row === undefined || Number(row.version) !== (await currentVersion(db, INDEX_CHANNEL));
}

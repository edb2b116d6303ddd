// Top lists of common words on PostgreSQL. Ranking a word with ts_rank reads and decompresses the
// whole document of every paper holding it (~6 µs a paper: ~400 ms for "model" in 61,001 of 74,728
// papers), and counting its matches reads every heap row. So for each lexeme in at least
// PG_TOP_LIST_MIN_PAPERS papers the `search-top-lists` job stores its TOP_LIST_LENGTH best papers by
// the same ts_rank the search runs, with their scores and the exact number of visible papers holding
// it, in search_top_list (migration 0920) under "pg:any:<lexeme>", valid for the search version it
// was built at (bumped by every write to papers and by moderation), like the SQLite lists
// (top-lists.sqlite.ts). A query of one word then reads its list instead of ranking; with filters,
// the listed papers that pass them are the answer when enough pass (every paper off the list ranks
// below every listed one), else it ranks in full. Keyed by PostgreSQL's own (Snowball) lexeme, which
// the query's word is turned into in the same statement that reads the row.
import { sql } from 'kysely';
import { hiddenPaperIds } from '../community/index.ts';
import type { ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { currentVersion } from '../store/change-version.ts';
import type { Db } from '../store/db.ts';
import type { Hit } from './keyword.ts';
import { TOP_LIST_LENGTH } from './top-lists.sqlite.ts';
import { isPlainToken } from './tsquery.postgres.ts';

/**
 * Lexemes in fewer papers are ranked in full: ~2,000 matches cost PostgreSQL ~12 ms, about what a
 * list's read and the rest of a search cost; SQLite's FTS5 ranks ten times faster a paper and starts
 * at 20,000 (TOP_LIST_MIN_PAPERS).
 */
export const PG_TOP_LIST_MIN_PAPERS = 2000;
const PREFIX = 'pg:any:';
const BUILT_MARKER = 'pg:*';
/** The counter of what the index holds (SEARCH_INDEX_CHANNEL in result-cache.ts): lists are built from it alone. */
const INDEX_CHANNEL = 'search-index';
const HIT_BYTES = 56;

/** ts_rank's field weights, shared with the search itself so a list ranks exactly as it would. */
export const RANK_WEIGHTS = sql.raw(`'{0, 0.5, 0.5, 1.0}'::float4[]`);

export interface PgTopList {
  /** Best first, ties by paper id descending, as the search orders them. */
  hits: Hit[];
  /** Visible papers holding the word. */
  matches: number;
  complete: boolean;
}

type Kept = { version: number; list: PgTopList | undefined };
const memory = new WeakMap<Db, ByteCache<string, Kept>>();

function memoryOf(db: Db): ByteCache<string, Kept> {
  let cache = memory.get(db);
  if (!cache) memory.set(db, (cache = budgetedCache('top lists', (k: string, v: Kept) => 2 * k.length + 64 + (v.list ? storedBytes.get(v.list) ?? HIT_BYTES * v.list.hits.length : 0))));
  return cache;
}

/** The current list of the word's lexeme, or undefined (no list, a stale one, or not one plain lexeme). */
export async function pgTopList(db: Db, word: string): Promise<PgTopList | undefined> {
  return (await pgTopLists(db, [word])).get(word);
}

/** The current lists of those of the words that have one: one read of the version, one of the rows not yet in memory. */
export async function pgTopLists(db: Db, words: string[]): Promise<Map<string, PgTopList>> {
  const out = new Map<string, PgTopList>();
  const plain = [...new Set(words.filter(isPlainToken))];
  if (plain.length === 0) return out;
  const cache = memoryOf(db);
  // Every word in memory: the version tells whether they are current. Else the version and the rows
  // are read in one statement (-1 matches no version).
  let version = plain.every((word) => cache.get(word) !== undefined) ? await currentVersion(db, INDEX_CHANNEL) : -1;
  const missing = plain.filter((word) => cache.get(word)?.version !== version);
  for (const word of plain) {
    const list = missing.includes(word) ? undefined : cache.get(word)?.list;
    if (list) out.set(word, list);
  }
  if (missing.length === 0) return out;
  const { rows } = await sql<{ current: number; word: string; version: number | null; hits: string | null; complete: number | null }>`
    SELECT (SELECT version FROM change_version WHERE channel = ${INDEX_CHANNEL}) AS current, w.word, l.version, l.hits, l.complete
    FROM unnest(${missing}::text[]) AS w(word)
    LEFT JOIN search_top_list l ON l.clause = ${PREFIX} || array_to_string(tsvector_to_array(to_tsvector('english', w.word)), ' ')`.execute(db);
  version = Number(rows[0]?.current ?? 0);
  for (const row of rows) {
    let list: PgTopList | undefined;
    if (row.hits !== null && Number(row.version) === version) {
      list = storedList(row.hits, Number(row.complete) === 1);
      out.set(row.word, list);
    }
    // A word without a list is remembered too, so the next search for it skips the read.
    cache.set(row.word, { version, list });
  }
  return out;
}

/** What a list read from its JSON holds in memory, hits parsed or not (the cache's estimate). */
const storedBytes = new WeakMap<PgTopList, number>();

/**
 * A list as stored (JSON written by buildPostgresTopLists: `{"matches":N,"hits":[[id,score],…]}`),
 * its hits parsed when first read: counting a descriptive query's matches reads the lists of all its
 * words for their `matches` alone, and parsing ~20 kB of hits each cost ~0.5 ms of a SciFact claim.
 */
function storedList(json: string, complete: boolean): PgTopList {
  const parse = (text: string) => JSON.parse(text) as { matches: number; hits: Array<[number, number]> };
  const head = /^\{"matches":(\d+),/.exec(json);
  const matches = head ? Number(head[1]) : parse(json).matches;
  let text: string | undefined = json;
  let hits: Hit[] | undefined;
  const list: PgTopList = {
    matches,
    complete,
    get hits() {
      if (!hits) {
        hits = parse(text!).hits.map(([paperId, score]): Hit => ({ paperId, score }));
        text = undefined;
      }
      return hits;
    },
  };
  // Each hit is at least ten characters of JSON (two bytes each in memory), and HIT_BYTES once parsed.
  storedBytes.set(list, 2 * json.length + HIT_BYTES * Math.ceil(json.length / 10));
  return list;
}

export interface PgBuildReport {
  words: number;
  lists: number;
  version: number;
}

/** Builds the lists of every lexeme in at least `minPapers` papers at the current search version; drops older ones. */
export async function buildPostgresTopLists(
  db: Db, options: { minPapers?: number; length?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<PgBuildReport> {
  const minPapers = options.minPapers ?? PG_TOP_LIST_MIN_PAPERS;
  const length = options.length ?? TOP_LIST_LENGTH;
  const version = await currentVersion(db, INDEX_CHANNEL);
  // ts_stat counts each lexeme's documents exactly (PostgreSQL's column statistics only sample).
  const { rows } = await sql<{ word: string }>`SELECT word FROM ts_stat('SELECT document FROM paper_search') WHERE ndoc >= ${minPapers} ORDER BY ndoc DESC`.execute(db);
  // Only lexemes a typed word can become (letters and digits) can be asked for; they are valid tsquery operands as they are.
  const lexemes = rows.map((r) => r.word).filter(isPlainToken);
  let lists = 0;
  for (const [i, lexeme] of lexemes.entries()) {
    if (options.signal?.aborted) break;
    const { rows: ranked } = await sql<{ id: number; score: number; n: string }>`SELECT s.paper_id AS id,
        ts_rank(${RANK_WEIGHTS}, s.document, ${lexeme}::tsquery, 1)::float8 AS score, count(*) OVER () AS n
      FROM paper_search s WHERE s.document @@ ${lexeme}::tsquery AND s.paper_id NOT IN (${hiddenPaperIds(db)})
      ORDER BY score DESC, s.paper_id DESC LIMIT ${length}`.execute(db);
    const hits = JSON.stringify({ matches: Number(ranked[0]?.n ?? 0), hits: ranked.map((r) => [r.id, Number(r.score)]) });
    await store(db, `${PREFIX}${lexeme}`, version, hits, ranked.length < length);
    lists++;
    options.onProgress?.(i + 1, lexemes.length);
  }
  if (!options.signal?.aborted) await store(db, BUILT_MARKER, version, '{"matches":0,"hits":[]}', true);
  await sql`DELETE FROM search_top_list WHERE clause LIKE 'pg:%' AND version <> ${version}`.execute(db);
  return { words: lexemes.length, lists, version };
}

async function store(db: Db, clause: string, version: number, hits: string, complete: boolean): Promise<void> {
  await db.insertInto('search_top_list').values({ clause, version, hits, complete: complete ? 1 : 0 })
    .onConflict((oc) => oc.column('clause').doUpdateSet({ version, hits, complete: complete ? 1 : 0 })).execute();
}

/** Whether the PostgreSQL lists were last built at an older search version than the current one (or never). */
export async function postgresTopListsStale(db: Db): Promise<boolean> {
  const row = await db.selectFrom('search_top_list').select('version').where('clause', '=', BUILT_MARKER).executeTakeFirst();
  return row === undefined || Number(row.version) !== (await currentVersion(db, INDEX_CHANNEL));
}

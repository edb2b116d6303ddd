// Corpus statistics for re-scoring on PostgreSQL: papers, average field lengths and document
// frequencies of (Porter-stemmed) terms, from paper_search (migration 0502).
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { surfaceOf } from './snippet.ts';
import type { TermStats } from './keyword.ts';
import { isPlainToken } from './tsquery.postgres.ts';

/**
 * Each term is asked as a word that had this (Porter) stem (`given`: one a paper wrote; else one this
 * process saw, surfaceOf), which PostgreSQL stems its own (Snowball) way: a stem itself may stem
 * differently ("gener" is not "generat"). The terms not yet known are
 * asked together: a descriptive query and its feedback terms bring 10–25 at once, and one round trip
 * each cost more than the search's own statements.
 */
export async function postgresTermStats(db: Db, stems: string[], given?: ReadonlyMap<string, string>): Promise<TermStats> {
  const cache = await statsCache(db);
  const docFreq = new Map<string, number>();
  const missing: string[] = [];
  for (const term of new Set(stems)) {
    const df = cache.docFreq.get(term);
    if (df === undefined) missing.push(term);
    else if (df > 0) docFreq.set(term, df);
  }
  const surfaces = missing.map((term) => given?.get(term) ?? surfaceOf(term));
  const found = await wordFrequencies(db, cache, surfaces);
  missing.forEach((term, i) => {
    const df = found.get(surfaces[i]!)!;
    cache.docFreq.set(term, df);
    if (df > 0) docFreq.set(term, df);
  });
  return { ...cache.totals, docFreq, candidatePostings: PG_CANDIDATE_POSTINGS, feedbackPostings: PG_FEEDBACK_POSTINGS };
}

/**
 * Papers each word matches as PostgreSQL matches it (`to_tsquery('english', word)`, its own Snowball
 * stem), the way the search will ask for it. A stem's frequency above is that of one word stemming to
 * it (the first this process saw), which can be another lexeme than the word a query sends: a query's
 * "use" (34,389 papers) stems to "us" as "us" does (1,231). Kept per word for as long as the stems'.
 */
export async function postgresWordFrequencies(db: Db, words: string[]): Promise<Map<string, number>> {
  return wordFrequencies(db, await statsCache(db), words);
}

async function wordFrequencies(db: Db, cache: StatsCache, words: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const missing: string[] = [];
  for (const word of new Set(words)) {
    const df = cache.wordFreq.get(word);
    if (df === undefined) missing.push(word);
    else out.set(word, df);
  }
  const found = await docFrequencies(db, missing, cache.totals.docCount, cache.common);
  missing.forEach((word, i) => {
    cache.wordFreq.set(word, found[i]!);
    out.set(word, found[i]!);
  });
  return out;
}

/**
 * A descriptive query's candidate words add up to at most this many postings on PostgreSQL, against
 * 5,000 on SQLite (CANDIDATE_POSTINGS): ts_rank costs ~2–3 µs a posting (reading each paper's
 * document; ~6 µs before migration 0941 kept documents in their rows), FTS5's bm25() ~0.6 µs. Fewer, rarer words also suit ts_rank, which has no idf
 * to keep a common word from crowding out the rare ones: on SciFact (without the 200 ms feedback
 * deadline, same code) nDCG@10 0.6753 with 5,000 and 0.6790 with 2,000, Recall@100 0.883 → 0.902.
 */
export const PG_CANDIDATE_POSTINGS = 2000;

/**
 * RM3's added words fetch their candidates within a quarter of that: they add papers to a window the
 * query's own words already filled, and ranking their matches was a second ts_rank as costly as the
 * first. SciFact on PostgreSQL (the same code otherwise): nDCG@10 0.6956 / 0.6957 / 0.6958 and
 * Recall@100 0.912 with 2,000 / 1,000 / 500 postings; on 74,728 papers the claims' server time per
 * query 9.4–10.4 ms with 1,000 and 8.4–8.5 with 500 (pg_stat_statements, two runs each, back to back
 * at load 3–4).
 */
export const PG_FEEDBACK_POSTINGS = 500;

/**
 * Papers holding each word; a PostgreSQL stop word (never indexed) counts as in every paper: no weight.
 * A common word's count would read thousands of rows (100+ ms each on 75k papers), so for the words
 * PostgreSQL's own column statistics list as most common (pg_stats, kept by ANALYZE and autovacuum;
 * migration 0503 widens the list to 10,000 lexemes) the share they record is used instead: exact to
 * within the sample for a common word, whose weight is small anyway. Rare words are counted exactly.
 *
 * Which lexeme a word becomes is PostgreSQL's to say (its Snowball stemmer and stop words), yet asking
 * first and counting after was two round trips for every query's new words. So one statement turns
 * each word into its lexemes and counts those not among the common lexemes it could become here:
 * Snowball removes endings, so a word's lexeme is a prefix of it, or one with an "e", "i" or "l" for
 * the letters after ("hoping" → "hope", "happy" → "happi", "inability" → "inabl"); 3 of ~5,000 words
 * of the SciFact claims and their feedback were not found so. The count stops at COUNT_CAP matches, so a
 * common word missed by that guess costs little; past the cap, a word the statistics do not list
 * after all is counted again in full.
 */
async function docFrequencies(db: Db, words: string[], docCount: number, common: Map<string, number>): Promise<number[]> {
  const out = words.map(() => 0);
  const asked = words.flatMap((w, i) => (isPlainToken(w) ? [i] : []));
  if (asked.length === 0) return out;
  const likely = [...new Set(asked.flatMap((i) => commonLexemesOf(words[i]!, common)))];
  const { rows } = await sql<{ i: string; lexemes: string[]; n: number | null }>`SELECT w.i, l.lexemes,
      CASE WHEN cardinality(l.lexemes) = 0 OR (cardinality(l.lexemes) = 1 AND l.lexemes[1] = ANY(${likely}::text[])) THEN NULL
        ELSE (SELECT count(*) FROM (SELECT 1 FROM paper_search WHERE document @@ to_tsquery('english', w.word) LIMIT ${COUNT_CAP}) c) END AS n
    FROM unnest(${asked.map((i) => words[i]!)}::text[]) WITH ORDINALITY AS w(word, i),
      LATERAL (SELECT tsvector_to_array(to_tsvector('english', w.word)) AS lexemes) l`.execute(db);
  const counted: number[] = [];
  for (const row of rows) {
    const i = asked[Number(row.i) - 1]!;
    const share = row.lexemes.length === 1 ? common.get(row.lexemes[0]!) : undefined;
    if (row.lexemes.length === 0) out[i] = docCount;
    else if (share !== undefined) out[i] = Math.max(1, Math.round(share * docCount));
    else if (row.n !== null && Number(row.n) < COUNT_CAP) out[i] = Number(row.n);
    else counted.push(i);
  }
  if (counted.length === 0) return out;
  const { rows: counts } = await sql<{ i: string; n: string }>`SELECT w.i,
      (SELECT count(*) FROM paper_search WHERE document @@ to_tsquery('english', w.word)) AS n
    FROM unnest(${counted.map((i) => words[i]!)}::text[]) WITH ORDINALITY AS w(word, i)`.execute(db);
  for (const row of counts) out[counted[Number(row.i) - 1]!] = Number(row.n);
  return out;
}

/** Matches counted beside the lexemes: rare words have fewer (the statistics list words in ~50+ of 75,000 papers). */
const COUNT_CAP = 1000;

/** The common lexemes `word` could become (see docFrequencies): its prefixes, each also with "e", "i" or "l" after. */
function commonLexemesOf(word: string, common: Map<string, number>): string[] {
  const w = word.toLowerCase();
  const out: string[] = [];
  for (let k = 1; k <= w.length; k++) {
    const prefix = w.slice(0, k);
    for (const lexeme of [prefix, `${prefix}e`, `${prefix}i`, `${prefix}l`]) if (common.has(lexeme)) out.push(lexeme);
  }
  return out;
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
 * old rank the same. The recount (a scan of paper_search: ~100 ms at 75,000 papers) runs beside the
 * searches, which keep the previous statistics until it is done; only the first search waits.
 */
const STATS_TTL_MS = 60_000;
interface StatsCache {
  at: number;
  totals: Omit<TermStats, 'docFreq'>;
  docFreq: ByteCache<string, number>;
  /** Papers matching each word as typed (postgresWordFrequencies). */
  wordFreq: ByteCache<string, number>;
  common: Map<string, number>;
}
const caches = new WeakMap<Db, StatsCache>();
const loading = new WeakMap<Db, Promise<StatsCache>>();

async function statsCache(db: Db): Promise<StatsCache> {
  const cached = caches.get(db);
  if (cached && Date.now() - cached.at < STATS_TTL_MS) return cached;
  let next = loading.get(db);
  if (!next) {
    next = loadStats(db).then((fresh) => (caches.set(db, fresh), fresh)).finally(() => loading.delete(db));
    loading.set(db, next);
  }
  if (!cached) return next;
  // A failed recount (the store closing, say) leaves the previous statistics in place.
  next.catch(() => undefined);
  return cached;
}

async function loadStats(db: Db): Promise<StatsCache> {
  const { rows } = await sql<{ n: string; t: string | null; a: string | null; u: string | null }>`
    SELECT count(*) AS n, avg(title_len) AS t, avg(abstract_len) AS a, avg(authors_len) AS u FROM paper_search`.execute(db);
  const r = rows[0];
  return {
    at: Date.now(),
    totals: { docCount: Number(r?.n ?? 0), avgTitleLength: Number(r?.t ?? 0), avgAbstractLength: Number(r?.a ?? 0), avgAuthorsLength: Number(r?.u ?? 0) },
    docFreq: budgetedCache<string, number>('document frequencies', (t) => stringBytes(t) + 8),
    wordFreq: budgetedCache<string, number>('document frequencies', (t) => stringBytes(t) + 8),
    common: await commonLexemes(db),
  };
}

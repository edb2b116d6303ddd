// Document frequencies and the index's totals for the SQLite keyword index, read from FTS5's own
// records (the vocabulary tables, the averages record) and cached while the index stays as it was.
// FTS5 stores no document frequency: its vocabulary table walks a word's whole doclist to count it
// (~0.07 ms for a rare word, ~1.4 ms for "model" at 74,728 papers), and a descriptive query asks for
// ~100 words (RM3 weighs its candidate terms by idf). So the counts of every indexed stem are also
// copied into search_doc_freq (migration 0904) by the search-top-lists job, and read from there in
// one statement per query step while they are of the current search version.
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { currentVersion } from '../store/change-version.ts';
import { SEARCH_INDEX_CHANNEL } from './result-cache.ts';
import { porterStem } from './porter.ts';
import { readVarints, type Column } from './bm25.sqlite.ts';
import type { TermStats } from './keyword.ts';

const VOCAB_COLUMN: Record<Exclude<Column, 'any'>, string> = { title: 'title', authors: 'authors_text' };

/** The row of search_doc_freq that holds the search version the others were copied at: no stem is empty. */
const STORED_AT = '';

/**
 * Papers holding a stem, in any column (the row vocabulary) or in one (the column vocabulary,
 * migration 0903): what bm25() counts as a word's or a column-restricted word's matches.
 */
export async function columnDocFreq(db: Db, cache: DocFreqCache, column: Column, stem: string): Promise<number> {
  if (column === 'any') return (await docFreqsOf(db, cache, [stem])).get(stem)!;
  const key = `${column}:${stem}`;
  let df = cache.docFreq.get(key);
  if (df === undefined) cache.docFreq.set(key, (df = await vocabDocFreq(db, column, stem)));
  return df;
}

/**
 * The document frequencies of stems in any column: from the cache, then the stored copy when it is of
 * this cache's version (one statement for all the stems missing), else FTS5's vocabulary.
 */
export async function docFreqsOf(db: Db, cache: DocFreqCache, stems: Iterable<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const missing: string[] = [];
  for (const stem of new Set(stems)) {
    const df = stem === STORED_AT ? 0 : cache.docFreq.get(stem);
    if (df === undefined) missing.push(stem);
    else out.set(stem, df);
  }
  if (missing.length === 0) return out;
  const stored = cache.stored ? await storedDocFreqs(db, cache, missing) : undefined;
  for (const stem of missing) {
    const df = stored ? stored.get(stem) ?? 0 : await vocabDocFreq(db, 'any', stem);
    cache.docFreq.set(stem, df);
    out.set(stem, df);
  }
  return out;
}

async function vocabDocFreq(db: Db, column: Column, stem: string): Promise<number> {
  // One equality lookup per term: fts5vocab answers `term = ?` from the index, but `IN (…)` by a scan.
  const { rows } = column === 'any'
    ? await sql<{ doc: number }>`SELECT doc FROM paper_fts_terms WHERE term = ${stem}`.execute(db)
    : await sql<{ doc: number }>`SELECT doc FROM paper_fts_columns WHERE term = ${stem} AND col = ${VOCAB_COLUMN[column]}`.execute(db);
  return Number(rows[0]?.doc ?? 0);
}

/**
 * The stems' stored counts (a stem without a row is in no paper), read with the version row in the
 * same statement; undefined when the copy is no longer of the cache's version (being rebuilt).
 */
async function storedDocFreqs(db: Db, cache: DocFreqCache, stems: string[]): Promise<Map<string, number> | undefined> {
  const { rows } = await sql<{ term: string; doc: number }>`SELECT term, doc FROM search_doc_freq
    WHERE term IN (SELECT value FROM json_each(${JSON.stringify([STORED_AT, ...stems])}))`.execute(db);
  const out = new Map(rows.map((r) => [r.term, Number(r.doc)]));
  if (out.get(STORED_AT) !== cache.version) return (cache.stored = false), undefined;
  return out;
}

export async function docFreqOf(db: Db, word: string): Promise<number> {
  return columnDocFreq(db, await dfCacheOf(db), 'any', porterStem(word));
}

/**
 * Rows and tokens per column, read from FTS5's own "averages" record (row id 1 of paper_fts_data:
 * varints of the row count then each column's token total), so this costs one row read at any size.
 */
type Totals = Omit<TermStats, 'docFreq'> & { tokens: number };

export async function corpusTotals(db: Db): Promise<{ totals: Totals; stamp: string }> {
  const { rows } = await sql<{ block: Uint8Array }>`SELECT block FROM paper_fts_data WHERE id = 1`.execute(db);
  return totalsOf(rows[0]?.block);
}

function totalsOf(block: Uint8Array | null | undefined): { totals: Totals; stamp: string } {
  if (!block) return { totals: { docCount: 0, tokens: 0, avgTitleLength: 0, avgAbstractLength: 0, avgAuthorsLength: 0 }, stamp: '' };
  const values = readVarints(block, 4);
  const docCount = values[0] ?? 0;
  return {
    totals: {
      docCount,
      tokens: (values[1] ?? 0) + (values[2] ?? 0) + (values[3] ?? 0),
      avgTitleLength: docCount > 0 ? (values[1] ?? 0) / docCount : 0,
      avgAbstractLength: docCount > 0 ? (values[2] ?? 0) / docCount : 0,
      avgAuthorsLength: docCount > 0 ? (values[3] ?? 0) / docCount : 0,
    },
    stamp: values.join(','),
  };
}

/**
 * Document frequencies already looked up, per database, valid while the index's totals (row count and
 * token count per column) and the search version (bumped by every write to a paper, migration 0890)
 * stay the same: the totals alone miss an edit that swaps one word for another. Counting a common
 * term's papers walks its whole doclist, so this saves ~1 ms per common term per query (~30 ms for
 * "model" at a million papers). Keys: a stem (any column), or "title:stem" / "authors:stem".
 */
const dfCaches = new WeakMap<Db, DocFreqCache>();

export interface DocFreqCache {
  stamp: string;
  /** The search version read with the totals, before anything read through this cache. */
  version: number;
  totals: Totals;
  /** Whether search_doc_freq holds this version's counts (as of the last dfCacheOf). */
  stored: boolean;
  docFreq: ByteCache<string, number>;
}

/** The cache of the index as it is now: the totals, the search version and the stored copy's version in one statement. */
export async function dfCacheOf(db: Db): Promise<DocFreqCache> {
  const { rows } = await sql<{ block: Uint8Array | null; version: number | null; stored_at: number | null }>`SELECT
    (SELECT block FROM paper_fts_data WHERE id = 1) AS block,
    (SELECT version FROM change_version WHERE channel = ${SEARCH_INDEX_CHANNEL}) AS version,
    (SELECT doc FROM search_doc_freq WHERE term = ${STORED_AT}) AS stored_at`.execute(db);
  const row = rows[0];
  const { totals, stamp: indexStamp } = totalsOf(row?.block);
  const version = Number(row?.version ?? 0);
  const stamp = `${version}/${indexStamp}`;
  let cache = dfCaches.get(db);
  if (!cache || cache.stamp !== stamp) {
    dfCaches.set(db, (cache = { stamp, totals, version, stored: false, docFreq: budgetedCache('document frequencies', (t: string) => stringBytes(t) + 8) }));
  }
  cache.stored = row?.stored_at !== null && row?.stored_at !== undefined && Number(row.stored_at) === version;
  return cache;
}

/** Whether the stored counts are of an older search version than the current one (or were never copied). */
export async function docFreqsStale(db: Db): Promise<boolean> {
  const { rows } = await sql<{ doc: number }>`SELECT doc FROM search_doc_freq WHERE term = ${STORED_AT}`.execute(db);
  return rows[0] === undefined || Number(rows[0].doc) !== (await currentVersion(db, SEARCH_INDEX_CHANNEL));
}

/** Stems copied per statement: each is a short write transaction, so other writers wait little (tests use fewer). */
const COPY_CHUNK = 20_000;

/**
 * Copies every stem's document frequency from FTS5's vocabulary, then records the search version read
 * before the copy began: a paper written meanwhile moves the version past it, so a copy that may mix
 * states is never read. Readers see the version row only once every stem of that version is in;
 * `done` is false when the copy was stopped or another copy emptied the table meanwhile.
 */
export async function storeDocFreqs(db: Db, options: { signal?: AbortSignal; chunk?: number } = {}): Promise<{ terms: number; version: number; done: boolean }> {
  const version = await currentVersion(db, SEARCH_INDEX_CHANNEL);
  await sql`DELETE FROM search_doc_freq`.execute(db);
  let terms = 0;
  let after = STORED_AT;
  for (;;) {
    if (options.signal?.aborted) return { terms, version, done: false };
    const { rows } = await sql<{ term: string; doc: number }>`SELECT term, doc FROM paper_fts_terms WHERE term > ${after} ORDER BY term LIMIT ${options.chunk ?? COPY_CHUNK}`.execute(db);
    if (rows.length === 0) break;
    await sql`INSERT OR REPLACE INTO search_doc_freq (term, doc)
      SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${JSON.stringify(rows.map((r) => [r.term, r.doc]))})`.execute(db);
    terms += rows.length;
    after = rows.at(-1)!.term;
  }
  // Marked only when every stem this copy wrote is still there: a copy started meanwhile by another
  // process empties the table first, and its rows are then incomplete until it marks them itself.
  const { numAffectedRows } = await sql`INSERT OR REPLACE INTO search_doc_freq (term, doc)
    SELECT ${STORED_AT}, ${version} WHERE (SELECT count(*) FROM search_doc_freq) = ${terms}`.execute(db);
  return { terms, version, done: Number(numAffectedRows ?? 0) === 1 };
}

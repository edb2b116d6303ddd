// Document frequencies and the index's totals for the SQLite keyword index, read from FTS5's own
// records (the vocabulary tables, the averages record) and cached while the index stays as it was.
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

/**
 * Papers holding a stem, in any column (the row vocabulary) or in one (the column vocabulary,
 * migration 0903): what bm25() counts as a word's or a column-restricted word's matches.
 */
export async function columnDocFreq(db: Db, cache: DocFreqCache, column: Column, stem: string): Promise<number> {
  const key = column === 'any' ? stem : `${column}:${stem}`;
  let df = cache.docFreq.get(key);
  if (df === undefined) {
    // One equality lookup per term: fts5vocab answers `term = ?` from the index, but `IN (…)` by a scan.
    const { rows } = column === 'any'
      ? await sql<{ doc: number }>`SELECT doc FROM paper_fts_terms WHERE term = ${stem}`.execute(db)
      : await sql<{ doc: number }>`SELECT doc FROM paper_fts_columns WHERE term = ${stem} AND col = ${VOCAB_COLUMN[column]}`.execute(db);
    df = Number(rows[0]?.doc ?? 0);
    cache.docFreq.set(key, df);
  }
  return df;
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
  const block = rows[0]?.block;
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
  totals: Totals;
  docFreq: ByteCache<string, number>;
}

export async function dfCacheOf(db: Db): Promise<DocFreqCache> {
  const { totals, stamp: indexStamp } = await corpusTotals(db);
  const stamp = `${await currentVersion(db, SEARCH_INDEX_CHANNEL)}/${indexStamp}`;
  let cache = dfCaches.get(db);
  if (!cache || cache.stamp !== stamp) dfCaches.set(db, (cache = { stamp, totals, docFreq: budgetedCache('document frequencies', (t: string) => stringBytes(t) + 8) }));
  return cache;
}

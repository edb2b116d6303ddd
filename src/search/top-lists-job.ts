// The `search-top-lists` job: rebuilds the stored top lists of common words (top-lists.sqlite.ts)
// once the search version has moved on since they were built. Every ten minutes: a harvest's or an
// import's many writes settle first, and in between a stale list is only ignored (a lone word is then
// ranked once per process, several words in full), never wrong. PostgreSQL has its own lists
// (top-lists.postgres.ts), built by the same job. On SQLite it also copies the index's document
// frequencies (doc-freq.sqlite.ts) when they are of an older version, on the same terms, and first
// merges the keyword index once too many segments have built up (index-merge.sqlite.ts).
import type { Logger } from '../log.ts';
import { createProgress } from '../lib/progress.ts';
import type { Db } from '../store/db.ts';
import { dialectOf } from '../store/dialect.ts';
import { buildSqliteTopLists } from './keyword.sqlite.ts';
import { topListsStale } from './top-lists.sqlite.ts';
import { docFreqsStale, storeDocFreqs } from './doc-freq.sqlite.ts';
import { buildPostgresTopLists, postgresTopListsStale } from './top-lists.postgres.ts';
import { mergeSearchIndex } from './index-merge.sqlite.ts';

export const TOP_LISTS_JOB = 'search-top-lists';
export const TOP_LISTS_CRON = '*/10 * * * *';

/** Rebuilds the lists when they are stale; true when it did. */
export async function refreshTopLists(db: Db, log: Logger, options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<boolean> {
  const postgres = dialectOf(db) === 'postgres';
  if (!(await (postgres ? postgresTopListsStale(db) : topListsStale(db)))) return false;
  const started = Date.now();
  const r = postgres ? await buildPostgresTopLists(db, options) : await buildSqliteTopLists(db, options);
  log.info('search_top_lists_built', { words: r.words, lists: r.lists, version: r.version, duration_ms: Date.now() - started });
  return true;
}

/** Copies the document frequencies when they are stale (SQLite only); true when it did. */
export async function refreshDocFreqs(db: Db, log: Logger, options: { signal?: AbortSignal } = {}): Promise<boolean> {
  if (dialectOf(db) !== 'sqlite' || !(await docFreqsStale(db))) return false;
  const started = Date.now();
  const r = await storeDocFreqs(db, options);
  if (r.done) log.info('search_doc_freqs_stored', { terms: r.terms, version: r.version, duration_ms: Date.now() - started });
  return r.done;
}

/** Merges the keyword index when it has too many segments (SQLite only); true when it did. */
export async function refreshIndexMerge(db: Db, log: Logger, options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<boolean> {
  if (dialectOf(db) !== 'sqlite') return false;
  const started = Date.now();
  const r = await mergeSearchIndex(db, options);
  if (!r) return false;
  log.info('search_index_merged', { segments_before: r.segmentsBefore, segments_after: r.segmentsAfter, steps: r.steps, stopped: r.stopped, duration_ms: Date.now() - started });
  return !r.stopped;
}

export function topListsJob(db: Db, log: Logger) {
  return async (_payload: object, run: { signal: AbortSignal }): Promise<void> => {
    await refreshIndexMerge(db, log, { signal: run.signal });
    await refreshDocFreqs(db, log, { signal: run.signal });
    await refreshTopLists(db, log, { signal: run.signal });
  };
}

/** For commands that just wrote many papers: merges the keyword index, copies the document frequencies and rebuilds the lists now, with progress bars on a terminal. */
export async function buildSearchTopLists(db: Db, log: Logger): Promise<void> {
  const merging = createProgress('merging the search index');
  await refreshIndexMerge(db, log, { onProgress: (done, total) => merging.update(done, total) });
  merging.done();
  await refreshDocFreqs(db, log);
  const progress = createProgress('building top lists of common search words');
  const started = Date.now();
  const built = await refreshTopLists(db, log, { onProgress: (done, total) => progress.update(done, total) });
  progress.done();
  if (built) process.stdout.write(`search top lists built in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}

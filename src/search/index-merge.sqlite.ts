// Keeps SQLite's keyword index (FTS5, table paper_fts) in few segments. FTS5 writes each batch of
// new papers as a new segment and merges them only in groups (automerge), so an imported store holds
// 10–16 segments, and every word a search looks up is looked up in each of them. Merged into one,
// the 74,728-paper store's title-like searches took 3.0 ms of CPU at p50 instead of 3.4–3.6 and the
// long SciFact claims 10.1 instead of 10.6–10.8 (paperboy bench search-latency --cpu, back-to-back
// pairs), with the same results: merging changes how the index is laid out, not what it holds.
//
// Merging rewrites the whole index (0.9 s at 74,728 papers, 9.7 s at a million), so it is done only
// once more than MERGE_ABOVE_SEGMENTS segments have built up, in short steps on a thread of its own
// (index-merge-thread.mjs). Readers are never blocked (WAL); writers wait at most one step.
// PostgreSQL's GIN index needs nothing of the kind (its pending list is merged by autovacuum).
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

/** More segments than this and the index is merged into one. */
export const MERGE_ABOVE_SEGMENTS = 4;
/** Pages written per step: about 4 ms of work each on this machine. */
const PAGES_PER_STEP = 100;

/** How many segments the keyword index is made of. */
export async function searchIndexSegments(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(DISTINCT segid) AS n FROM paper_fts_idx`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export interface MergeOutcome {
  segmentsBefore: number;
  segmentsAfter: number;
  steps: number;
  /** Stopped by the signal before the index was one segment. */
  stopped: boolean;
}

/**
 * Merges the index into one segment when it holds more than `above` segments (default
 * MERGE_ABOVE_SEGMENTS); undefined when it did not need to. `onProgress` gets the pages written so
 * far against an estimate of all (the index's pages).
 */
export async function mergeSearchIndex(
  db: Db,
  options: { above?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void; pagesPerStep?: number } = {},
): Promise<MergeOutcome | undefined> {
  const segmentsBefore = await searchIndexSegments(db);
  if (segmentsBefore <= (options.above ?? MERGE_ABOVE_SEGMENTS) || options.signal?.aborted) return undefined;
  const path = await fileOf(db);
  if (path === undefined) throw new Error('the keyword index can be merged only in a store kept in a file');
  const pages = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM paper_fts_data`.execute(db)).rows[0]?.n ?? 0);
  const pagesPerStep = options.pagesPerStep ?? PAGES_PER_STEP;
  const { steps, stopped } = await runMergeThread(path, pagesPerStep, options.signal, (s) => options.onProgress?.(Math.min(s * pagesPerStep, pages), pages));
  return { segmentsBefore, segmentsAfter: await searchIndexSegments(db), steps, stopped };
}

/** The file of the store's main database, or undefined for one in memory. */
async function fileOf(db: Db): Promise<string | undefined> {
  const { rows } = await sql<{ name: string; file: string }>`PRAGMA database_list`.execute(db);
  const file = rows.find((r) => r.name === 'main')?.file;
  return file ? file : undefined;
}

/** Steps the merge thread until a step finds nothing to merge, or the signal stops it between steps. */
async function runMergeThread(path: string, pagesPerStep: number, signal: AbortSignal | undefined, onStep: (steps: number) => void): Promise<{ steps: number; stopped: boolean }> {
  const worker = new Worker(new URL('./index-merge-thread.mjs', import.meta.url), { workerData: { path, pagesPerStep, busyTimeoutMs: 5000 } });
  // Never what keeps the process alive: a command that ends while a step runs ends (the step's
  // transaction is then rolled back).
  worker.unref();
  let failed: Error | undefined;
  let waiting: { resolve: (worked: boolean) => void; reject: (err: Error) => void } | undefined;
  worker.on('message', (m: { worked?: boolean; error?: string }) => {
    const w = waiting;
    waiting = undefined;
    if (m.error !== undefined) w?.reject(new Error(`merging the keyword index: ${m.error}`));
    else w?.resolve(m.worked === true);
  });
  const fail = (err: Error) => {
    failed ??= err;
    waiting?.reject(err);
    waiting = undefined;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the index merge thread exited with code ${code}`)));
  const step = () =>
    new Promise<boolean>((resolve, reject) => {
      if (failed) return reject(failed);
      waiting = { resolve, reject };
      worker.postMessage('step');
    });
  let steps = 0;
  try {
    for (;;) {
      if (signal?.aborted) return { steps, stopped: true };
      const worked = await step();
      steps++;
      if (!worked) return { steps, stopped: false };
      onStep(steps);
    }
  } finally {
    if (!failed) worker.postMessage('close');
  }
}

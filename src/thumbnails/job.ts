// The `thumbnails` job: for papers announced within THUMBNAIL_DAYS of today that have no thumbnail
// of their current version, fetches the PDF from arXiv through the harvester's polite client (one
// request at a time, ARXIV_MIN_INTERVAL_MS apart, shared with harvesting) and renders its first page.
// Enqueued after a harvest stored papers and hourly as a safety net; `paperboy thumbnails` runs it
// once. A failure is recorded and retried later with growing waits; a PDF arXiv does not have, or
// one over THUMBNAIL_MAX_PDF_MB, is not asked for again until the paper's next version.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createArxivClient, type ArxivClient } from '../harvest/index.ts';
import { addDays, isoDay } from '../papers/index.ts';
import type { Db } from '../store/db.ts';
import { saveThumbnail } from './files.ts';
import { renderFirstPage } from './render.ts';

export const THUMBNAILS_JOB = 'thumbnails';
export const THUMBNAILS_CRON = '23 * * * *';
const BATCH = 20;
/** Failed attempts before a version is given up on. */
const MAX_ATTEMPTS = 5;
/** Wait after the first failure; doubles with each further one. */
const FIRST_RETRY_MS = 3_600_000;

export interface ThumbnailJobDeps {
  db: Db;
  config: Pick<Config, 'dataDir' | 'around' | 'arxivMinIntervalMs' | 'arxivTimeoutMs'>;
  log: Logger;
  now: () => Date;
  /** The arXiv client; defaults to one built from the config (its rate limit is per process anyway). */
  client?: ArxivClient;
}

export interface ThumbnailCounts {
  ready: number;
  unavailable: number;
  failed: number;
}

interface Pending {
  id: number;
  arxiv_id: string;
  version: number;
  attempts: number | null;
}

/** Papers due a thumbnail: recent, and none yet for this version, or a failure whose wait is over. */
async function pending(db: Db, since: string, now: string, limit: number, skip: number[]): Promise<Pending[]> {
  let q = db
    .selectFrom('paper')
    .leftJoin('paper_thumbnail as t', 't.paper_id', 'paper.id')
    .select(['paper.id', 'paper.arxiv_id', 'paper.version', 't.attempts'])
    .where('paper.announced_on', '>=', since)
    .where('paper.withdrawn', '=', 0)
    .where((eb) =>
      eb.or([
        eb('t.paper_id', 'is', null),
        eb('t.version', '<', eb.ref('paper.version')),
        eb.and([eb('t.status', '=', 'failed'), eb('t.attempts', '<', MAX_ATTEMPTS), eb('t.retry_at', '<=', now)]),
      ]),
    );
  if (skip.length > 0) q = q.where('paper.id', 'not in', skip);
  return q.orderBy('paper.announced_on', 'desc').orderBy('paper.id', 'desc').limit(limit).execute();
}

async function record(db: Db, paperId: number, row: { status: string; file?: string; width?: number; height?: number; version: number; attempts: number; error?: string; retry_at?: string }, stamp: string): Promise<void> {
  const values = { paper_id: paperId, status: row.status, file: row.file ?? null, width: row.width ?? null, height: row.height ?? null, version: row.version, attempts: row.attempts, error: row.error ?? null, retry_at: row.retry_at ?? null, updated_at: stamp };
  await db
    .insertInto('paper_thumbnail')
    .values(values)
    .onConflict((oc) => oc.column('paper_id').doUpdateSet({ ...values, paper_id: undefined }))
    .execute();
}

export async function makeThumbnails(deps: ThumbnailJobDeps, signal?: AbortSignal, onProgress?: (done: number) => void): Promise<ThumbnailCounts> {
  const { db, config, log } = deps;
  const counts: ThumbnailCounts = { ready: 0, unavailable: 0, failed: 0 };
  if (!config.around.thumbnails) return counts;
  const client = deps.client ?? createArxivClient({ minIntervalMs: config.arxivMinIntervalMs, timeoutMs: config.arxivTimeoutMs, log, maxAttempts: 3 });
  const since = addDays(isoDay(deps.now()), -config.around.thumbnailDays);
  // Papers tried in this run: a failure must not be picked again before the run ends.
  const tried: number[] = [];
  for (;;) {
    if (signal?.aborted) break;
    const batch = await pending(db, since, deps.now().toISOString(), BATCH, tried);
    if (batch.length === 0) break;
    for (const p of batch) {
      if (signal?.aborted) break;
      tried.push(p.id);
      const stamp = deps.now().toISOString();
      const attempts = (p.attempts ?? 0) + 1;
      try {
        const res = await client.get(`${config.around.arxivPdfUrl}${p.arxiv_id}v${p.version}`, { binary: true, maxBytes: config.around.thumbnailMaxPdfBytes, accept: 'application/pdf', ...(signal ? { signal } : {}) });
        const bytes = res.bytes;
        if (res.status !== 200 || !bytes || !Buffer.from(bytes.subarray(0, 5)).toString('latin1').startsWith('%PDF')) {
          const reason = res.status === 413 ? `PDF larger than ${config.around.thumbnailMaxPdfBytes / 1_048_576} MB` : res.status === 200 ? 'not a PDF' : `HTTP ${res.status}`;
          await record(db, p.id, { status: 'unavailable', version: p.version, attempts, error: reason }, stamp);
          counts.unavailable++;
          log.info('thumbnail_unavailable', { arxiv_id: p.arxiv_id, reason });
          continue;
        }
        const page = await renderFirstPage(bytes, config.around.thumbnailWidth);
        const file = await saveThumbnail(config.dataDir, page.png);
        await record(db, p.id, { status: 'ready', file, width: page.width, height: page.height, version: p.version, attempts }, stamp);
        counts.ready++;
      } catch (err) {
        if (signal?.aborted) break;
        const retryAt = new Date(deps.now().getTime() + FIRST_RETRY_MS * 2 ** (attempts - 1)).toISOString();
        await record(db, p.id, { status: 'failed', version: p.version, attempts, error: (err as Error).message.slice(0, 500), retry_at: retryAt }, stamp);
        counts.failed++;
        log.warn('thumbnail_failed', { arxiv_id: p.arxiv_id, attempt: attempts, error: (err as Error).message, retry_at: retryAt });
      }
      onProgress?.(counts.ready + counts.unavailable + counts.failed);
    }
  }
  if (counts.ready + counts.unavailable + counts.failed > 0) log.info('thumbnails_done', { ...counts });
  return counts;
}


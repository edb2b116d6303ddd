// The `embed` job: embeds papers that have no vector yet or changed since, in resumable batches.
// Enqueued after a harvest or a submission stored papers, and every minute as a safety net (an
// import by another process, say); a run with nothing to do costs one count query.
import type { Logger } from '../log.ts';
import type { SemanticSearch } from './semantic.ts';

export const EMBED_JOB = 'embed';
export const EMBED_CRON = '* * * * *';

export function embedJob(semantic: SemanticSearch | undefined, log: Logger) {
  return async (_payload: object, run: { signal: AbortSignal }): Promise<void> => {
    if (!semantic) return; // EMBEDDINGS=off in this process
    const r = await semantic.indexPending({ signal: run.signal });
    if (r.embedded + r.reused > 0) log.debug('embed_job_done', { ...r });
  };
}

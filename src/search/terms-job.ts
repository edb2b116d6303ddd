// The `search-terms` job: stores the analysed text of papers added or changed since it last ran
// (paper-terms.ts), on both dialects. Every ten minutes, like the top lists: until it runs, a new
// paper is analysed afresh when it is a candidate, which is slower, never different.
import type { Logger } from '../log.ts';
import { createProgress } from '../lib/progress.ts';
import type { Db } from '../store/db.ts';
import { refreshPaperTerms, staleCount } from './paper-terms.ts';
import { buildSearchTopLists } from './top-lists-job.ts';

export const TERMS_JOB = 'search-terms';
export const TERMS_CRON = '*/10 * * * *';

export function termsJob(db: Db, log: Logger) {
  return async (_payload: object, run: { signal: AbortSignal }): Promise<void> => {
    const started = Date.now();
    const papers = await refreshPaperTerms(db, { signal: run.signal });
    if (papers > 0) log.info('search_terms_stored', { papers, duration_ms: Date.now() - started });
  };
}

/**
 * For commands that just wrote many papers: what searches read besides the index (stored terms, top
 * lists), brought up to date now, with progress bars on a terminal.
 */
export async function prepareSearch(db: Db, log: Logger): Promise<void> {
  if ((await staleCount(db)) > 0) {
    const progress = createProgress('storing analysed papers for search');
    const started = Date.now();
    const papers = await refreshPaperTerms(db, { onProgress: (done, total) => progress.update(done, total) });
    progress.done();
    log.info('search_terms_stored', { papers, duration_ms: Date.now() - started });
  }
  await buildSearchTopLists(db, log);
}

// `paperboy serve`: web, API and feeds; loads the sample corpus into an empty store.
import { fileURLToPath } from 'node:url';
import type { Store } from '../store/db.ts';
import { instanceSecret } from '../store/settings.ts';
import { countPapers } from '../papers/index.ts';
import { importFile } from '../import/index.ts';
import { buildApp } from '../web/app.ts';
import { startJobQueue } from '../jobs/index.ts';
import { startHarvestScheduler } from '../harvest/index.ts';
import type { Logger } from '../log.ts';
import { openMigratedStore, type Command } from './command.ts';

export const SAMPLE_FILE = fileURLToPath(new URL('../../sample/arxiv-sample.jsonl.gz', import.meta.url));

/** Imports the shipped sample when the store has no papers at all. */
export async function loadSampleIfEmpty(store: Store, log: Logger): Promise<boolean> {
  if ((await countPapers(store.db)) > 0) return false;
  const started = Date.now();
  const s = await importFile(store.db, SAMPLE_FILE);
  log.info('sample_loaded', { file: SAMPLE_FILE, new: s.new, rejected: s.rejected, duration_ms: Date.now() - started });
  return true;
}

export const command: Command = {
  name: 'serve',
  summary: 'Serve the web site, JSON API and feeds',
  help: `
Usage: paperboy serve [--no-jobs]

Starts the web server on HOST:PORT (default 127.0.0.1:3000), applying pending migrations first.
On an empty database it imports the shipped sample of real arXiv papers (PAPERBOY_SAMPLE=off
disables that). Background work runs in this process too: jobs (embeddings, digests) and the
harvest on the HARVEST_CRON schedule (default 20:00 US Eastern, Sunday to Thursday, after arXiv's
announcements; "off" disables it), unless:

  --no-jobs   serve the web only; jobs are still enqueued, and "paperboy worker" processes run
              them and the harvest schedule (PostgreSQL). With SQLite nothing would run them.

Stops cleanly on SIGINT/SIGTERM, interrupting a running harvest, which the next run resumes.
`,
  options: { 'no-jobs': { type: 'boolean' } },
  async run(ctx, args) {
    const work = args.values['no-jobs'] !== true;
    const store = await openMigratedStore(ctx);
    if (ctx.config.sample) await loadSampleIfEmpty(store, ctx.log);
    if (!work && store.dialect === 'sqlite') ctx.log.warn('jobs_disabled', { reason: '--no-jobs on SQLite: background jobs will not run anywhere' });
    const jobs = await startJobQueue({ config: ctx.config, log: ctx.log, db: store.db, now: () => new Date() }, { work });
    const secret = await instanceSecret(store.db, ctx.config.secret);
    // Loads (or downloads) the embedding model in the background; search is keyword-only until then.
    // Only processes that do background work embed papers; every process can answer searches.
    const { createSemanticSearch } = await import('../search/semantic.ts');
    const semantic = await createSemanticSearch({ db: store.db, config: ctx.config, log: ctx.log.child({ module: 'semantic' }) });
    if (work) semantic?.startBackground();
    const app = await buildApp({ config: ctx.config, log: ctx.log, db: store.db, dialect: store.dialect, now: () => new Date(), secret, jobs, semantic });
    const address = await app.listen({ port: ctx.config.port, host: ctx.config.host });
    ctx.log.info('listening', { address, base_url: ctx.config.baseUrl });
    process.stdout.write(`paperboy is serving on ${address} (public URL ${ctx.config.baseUrl})\n`);
    const harvests = work ? startHarvestScheduler(store.db, ctx.config, ctx.log) : undefined;
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    ctx.log.info('stopping');
    await harvests?.stop();
    await app.close();
    await jobs.stop();
    await semantic?.close();
    await store.close();
    return 0;
  },
};

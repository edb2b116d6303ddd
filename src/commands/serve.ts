// `paperboy serve`: web, API and feeds; loads the sample corpus into an empty store.
import { fileURLToPath } from 'node:url';
import type { Store } from '../store/db.ts';
import { countPapers } from '../papers/index.ts';
import { importFile } from '../import/index.ts';
import { buildApp } from '../app.ts';
import { fetchArxivPapers } from '../harvest/index.ts';
import { searchThreadsFor } from '../search/index.ts';
import { startBackground } from '../jobs/background.ts';
import { withAdvisoryLock } from '../store/postgres.ts';
import type { Logger } from '../log.ts';
import { openMigratedStore, type Command } from './command.ts';
import { dialectOf } from '../store/dialect.ts';
import { startWindowWarmer } from '../recommend/index.ts';
import { limitHeapGrowth } from '../lib/memory-budget.ts';

export const SAMPLE_FILE = fileURLToPath(new URL('../../sample/arxiv-sample.jsonl.gz', import.meta.url));

/** Imports the shipped sample when the store has no papers at all. */
async function loadSampleIfEmpty(store: Store, log: Logger): Promise<boolean> {
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
disables that). Background jobs run in this process too (on SQLite in memory, on PostgreSQL from
the shared pg-boss queue): the harvest on HARVEST_CRON (default 20:00 US Eastern, Sunday to
Thursday, after arXiv's announcements), embeddings of new papers, and the email digests on
DIGEST_DAILY_CRON / DIGEST_WEEKLY_CRON (UTC); "off" disables a schedule. On start it catches up on
a harvest or digest whose time passed while nothing ran jobs. Unless:

  --no-jobs   serve the web only; jobs are still enqueued, and "paperboy worker" processes run
              them and the schedules (PostgreSQL). With SQLite nothing would run them.

Stops cleanly on SIGINT/SIGTERM, interrupting a running harvest, which the next run resumes.
`,
  options: { 'no-jobs': { type: 'boolean' } },
  async run(ctx, args) {
    limitHeapGrowth();
    const work = args.values['no-jobs'] !== true;
    const store = await openMigratedStore(ctx, { recordPublicUrl: true });
    // Several web processes starting together on an empty PostgreSQL: one imports, the others wait.
    if (ctx.config.sample) {
      await (dialectOf(store.db) === 'postgres' ? withAdvisoryLock(ctx.config.databaseUrl, 'paperboy:sample', () => loadSampleIfEmpty(store, ctx.log)) : loadSampleIfEmpty(store, ctx.log));
    }
    if (!work && dialectOf(store.db) === 'sqlite') ctx.log.warn('jobs_disabled', { reason: '--no-jobs on SQLite: background jobs will not run anywhere' });
    const bg = await startBackground({ config: ctx.config, log: ctx.log, db: store.db }, { work });
    const searchThreads = searchThreadsFor(ctx.config, ctx.log);
    searchThreads?.start();
    const app = await buildApp({
      config: ctx.config, log: ctx.log, db: store.db, now: () => new Date(), secret: bg.secret, mail: bg.mail, semantic: bg.semantic,
      fetchPapers: fetchArxivPapers, searchThreads,
    });
    const address = await app.listen({ port: ctx.config.port, host: ctx.config.host });
    const warmer = startWindowWarmer(store.db, ctx.log.child({ module: 'recommend' }));
    ctx.log.info('listening', { address, base_url: ctx.config.baseUrl });
    process.stdout.write(`paperboy is serving on ${address} (public URL ${ctx.config.baseUrl})\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    ctx.log.info('stopping');
    warmer.stop();
    await app.close();
    await searchThreads?.close();
    await bg.stop();
    await store.close();
    return 0;
  },
};

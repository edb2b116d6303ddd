// `paperboy worker`: runs background jobs only (no web server), sharing PostgreSQL with any number
// of `paperboy serve --no-jobs` processes and other workers.
import { startJobQueue } from '../jobs/index.ts';
import { startHarvestScheduler } from '../harvest/index.ts';
import { openMigratedStore, type Command } from './command.ts';

export const command: Command = {
  name: 'worker',
  summary: 'Run background jobs (harvest, embeddings, digests) without the web server; PostgreSQL only',
  help: `
Usage: paperboy worker

Runs the jobs other processes enqueue and the cron schedules (harvest, embeddings, digest rendering
and sending) on the PostgreSQL job queue (pg-boss, schema "pgboss"), until SIGINT/SIGTERM; running
jobs then finish (up to 30 s) before it exits. Start as many as you like: each job runs in exactly
one worker. Pair with "paperboy serve --no-jobs" for web-only processes.

Needs DATABASE_URL=postgres://…. With SQLite, jobs run inside "paperboy serve" instead.
`,
  async run(ctx) {
    if (ctx.config.dialect !== 'postgres') {
      process.stderr.write('paperboy worker: needs PostgreSQL (DATABASE_URL=postgres://…); with SQLite, jobs run inside "paperboy serve".\n');
      return 2;
    }
    const store = await openMigratedStore(ctx);
    const queue = await startJobQueue({ config: ctx.config, log: ctx.log, db: store.db, now: () => new Date() }, { work: true });
    // The harvest keeps its own schedule; its lease lets only one process harvest at a time.
    const harvests = startHarvestScheduler(store.db, ctx.config, ctx.log);
    ctx.log.info('worker_started', { engine: queue.engine });
    process.stdout.write(`paperboy worker is running jobs (${queue.engine})\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    ctx.log.info('stopping');
    await harvests.stop();
    await queue.stop();
    await store.close();
    return 0;
  },
};

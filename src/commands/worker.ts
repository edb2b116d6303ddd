// `paperboy worker`: runs background jobs only (no web server), sharing PostgreSQL with any number
// of `paperboy serve --no-jobs` processes and other workers.
import { limitHeapGrowth } from '../lib/memory-budget.ts';
import { startBackground } from '../jobs/background.ts';
import { openMigratedStore, type Command } from './command.ts';

export const command: Command = {
  name: 'worker',
  summary: 'Run background jobs (harvest, embeddings, digests) without the web server; PostgreSQL only',
  help: `
Usage: paperboy worker

Runs the jobs other processes enqueue and the cron schedules (harvest, embed, digest-daily,
digest-weekly, digest-send) on the PostgreSQL job queue (pg-boss, schema "pgboss"), until
SIGINT/SIGTERM; running jobs then stop at a safe point (up to 30 s) and resume on the next run. Start as many as you like: each job runs in exactly
one worker. Pair with "paperboy serve --no-jobs" for web-only processes.

Needs DATABASE_URL=postgres://…. With SQLite, jobs run inside "paperboy serve" instead.
`,
  async run(ctx) {
    limitHeapGrowth();
    if (ctx.config.dialect !== 'postgres') {
      process.stderr.write('paperboy worker: needs PostgreSQL (DATABASE_URL=postgres://…); with SQLite, jobs run inside "paperboy serve".\n');
      return 2;
    }
    const store = await openMigratedStore(ctx);
    const bg = await startBackground({ config: ctx.config, log: ctx.log, db: store.db }, { work: true });
    ctx.log.info('worker_started', { engine: bg.jobs.engine });
    process.stdout.write(`paperboy worker is running jobs (${bg.jobs.engine})\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    ctx.log.info('stopping');
    await bg.stop();
    await store.close();
    return 0;
  },
};

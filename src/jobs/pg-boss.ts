// The PostgreSQL job engine: pg-boss 10 in its own schema (`pgboss`) of the app's database. Every
// process can enqueue; processes started with work: true fetch jobs with FOR UPDATE SKIP LOCKED,
// so each job runs in exactly one of them, and run the cron schedules (one enqueue per tick across
// all processes). Queues use pg-boss's "short" policy: at most one waiting job per singleton key.
import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { Logger } from '../log.ts';
import { withAdvisoryLock } from '../store/postgres.ts';
import { defineJob, requireJob, type EnqueueOptions, type JobHandler, type JobOptions, type JobQueue, type RegisteredJob, type ScheduleOptions } from './queue.ts';

export interface PgBossQueueOptions {
  /** How often an idle worker polls for jobs (pg-boss's minimum is 0.5 s). */
  pollingIntervalSeconds?: number;
}

export function createPgBossQueue(databaseUrl: string, log: Logger, opts: PgBossQueueOptions = {}): JobQueue {
  const registry = new Map<string, RegisteredJob>();
  const schedules = new Map<string, { cron: string; payload: object; timezone: string }>();
  const stopping = new AbortController();
  let boss: PgBoss | undefined;
  let working = false;
  const workerIds = new Map<string, string[]>();

  const started = (): PgBoss => {
    if (!boss) throw new Error('job queue not started: call start() first');
    return boss;
  };

  const runJob = async (def: RegisteredJob, job: PgBoss.JobWithMetadata<object>) => {
    const attempt = job.retryCount + 1;
    const began = Date.now();
    try {
      await def.handler(job.data, { id: job.id, name: def.name, attempt, signal: stopping.signal });
      log.info('job_done', { job: def.name, job_id: job.id, attempt, duration_ms: Date.now() - began });
    } catch (err) {
      log[attempt <= def.options.retryLimit ? 'warn' : 'error']('job_failed', { job: def.name, job_id: job.id, attempt, will_retry: attempt <= def.options.retryLimit, error: err });
      throw err;
    }
  };

  return {
    engine: 'pg-boss',
    registerJob<P extends object>(name: string, handler: JobHandler<P>, options?: JobOptions) {
      if (boss) throw new Error(`job "${name}" registered after start(); register every job first`);
      defineJob(registry, name, handler as JobHandler<any>, options);
    },
    async enqueue<P extends object>(name: string, payload: P, options: EnqueueOptions = {}) {
      requireJob(registry, name);
      // "short" dedupes on the key, so a job without one gets a key of its own.
      const id = await started().send(name, payload, { singletonKey: options.singletonKey ?? `once:${randomUUID()}`, ...(options.startAfter ? { startAfter: options.startAfter } : {}) });
      // A worker of this process idling between polls picks the job up at once.
      if (id) for (const w of workerIds.get(name) ?? []) boss?.notifyWorker(w);
      return id ?? undefined;
    },
    async schedule<P extends object>(name: string, cron: string, payload: P, options: ScheduleOptions = {}) {
      requireJob(registry, name);
      const s = { cron, payload, timezone: options.timezone ?? 'UTC' };
      schedules.set(name, s);
      if (boss && working) await boss.schedule(name, cron, payload, { tz: s.timezone, singletonKey: `schedule:${name}` });
    },
    async start({ work }) {
      if (boss) return;
      working = work;
      // Loaded on first use: every CLI command would otherwise pay for it at startup.
      const { default: PgBossClass } = await import('pg-boss');
      const b = new PgBossClass({
        connectionString: databaseUrl,
        schema: 'pgboss',
        application_name: work ? 'paperboy-worker' : 'paperboy-web',
        max: 2 + [...registry.values()].reduce((n, d) => n + (work ? d.options.concurrency : 0), 0),
        // Maintenance (expiring stuck jobs, archiving) and cron run where jobs run.
        supervise: work,
        schedule: work,
      });
      b.on('error', (err) => log.error('job_queue_error', { error: err }));
      // Processes starting together on a fresh database deadlock inside pg-boss's schema install
      // and queue creation; one at a time they do not.
      await withAdvisoryLock(databaseUrl, 'paperboy:jobs:setup', async () => {
        await b.start();
        for (const def of registry.values()) {
          const q = { name: def.name, policy: 'short' as const, retryLimit: def.options.retryLimit, retryDelay: def.options.retryDelaySeconds, retryBackoff: true, expireInSeconds: def.options.expireInSeconds };
          await b.createQueue(def.name, q);
          await b.updateQueue(def.name, q);
        }
        // Schedules live in the database: a working process makes them match its configuration,
        // removing those of jobs it does not schedule (a cron set to "off" since).
        if (work) {
          for (const name of registry.keys()) {
            const s = schedules.get(name);
            if (s) await b.schedule(name, s.cron, s.payload, { tz: s.timezone, singletonKey: `schedule:${name}` });
            else await b.unschedule(name);
          }
        }
      });
      boss = b;
      if (!work) return;
      for (const def of registry.values()) {
        for (let i = 0; i < def.options.concurrency; i++) {
          let id = '';
          id = await b.work<object>(def.name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async (jobs) => {
            for (const job of jobs) await runJob(def, job);
            // pg-boss waits a polling interval after every fetch; while jobs keep coming, fetch
            // again at once instead.
            if (jobs.length > 0 && id) b.notifyWorker(id);
          });
          workerIds.set(def.name, [...(workerIds.get(def.name) ?? []), id]);
        }
      }
    },
    async drain(timeoutMs = 60_000) {
      const b = started();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let waiting = 0;
        for (const name of registry.keys()) waiting += await b.getQueueSize(name, { before: 'completed' });
        if (waiting === 0) return;
        if (Date.now() > deadline) throw new Error(`${waiting} jobs still waiting or running after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(timeoutMs = 30_000) {
      if (!boss) return;
      const b = boss;
      boss = undefined;
      stopping.abort();
      await b.stop({ graceful: working, wait: true, close: true, timeout: timeoutMs });
    },
  };
}

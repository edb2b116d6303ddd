import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { silentLogger } from '../src/log.ts';
import { createJobQueue, startJobQueue, type JobQueue } from '../src/jobs/index.ts';
import { createMailer } from '../src/mail/index.ts';
import { createTestStore, testDialects, type TestStore } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');

describe.each(testDialects())('job queue on %s', (dialect) => {
  let store: TestStore;
  let queue: JobQueue | undefined;
  afterEach(async () => {
    await queue?.stop(5_000);
    queue = undefined;
    await store?.cleanup();
  });

  const newQueue = async () => {
    store = await createTestStore(dialect);
    queue = createJobQueue({ config: store.config, log: silentLogger }, { pollingIntervalSeconds: 0.5 });
    return queue;
  };

  it('runs every enqueued job exactly once', async () => {
    const q = await newQueue();
    expect(q.engine).toBe(dialect === 'postgres' ? 'pg-boss' : 'in-process');
    const seen: number[] = [];
    q.registerJob<{ n: number }>('record', async ({ n }) => {
      seen.push(n);
    }, { concurrency: 3 });
    await q.start({ work: true });
    for (let n = 0; n < 30; n++) expect(await q.enqueue('record', { n })).toEqual(expect.any(String));
    await q.drain(20_000);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
  });

  it('keeps one waiting job per singleton key', async () => {
    const q = await newQueue();
    q.registerJob('harvest', async () => undefined);
    await q.start({ work: false });
    const first = await q.enqueue('harvest', { set: 'cs' }, { singletonKey: 'harvest:cs' });
    expect(first).toEqual(expect.any(String));
    expect(await q.enqueue('harvest', { set: 'cs' }, { singletonKey: 'harvest:cs' })).toBeUndefined();
    expect(await q.enqueue('harvest', { set: 'math' }, { singletonKey: 'harvest:math' })).toEqual(expect.any(String));
    // Without a key, every enqueue is a job of its own.
    expect(await q.enqueue('harvest', {})).not.toBe(await q.enqueue('harvest', {}));
  });

  it('retries a failing job and tells the handler which attempt it is', async () => {
    const q = await newQueue();
    const attempts: number[] = [];
    q.registerJob('flaky', async (_payload, run) => {
      attempts.push(run.attempt);
      if (run.attempt < 2) throw new Error('temporary failure');
    }, { retryLimit: 2, retryDelaySeconds: 1 });
    await q.start({ work: true });
    await q.enqueue('flaky', {});
    await q.drain(20_000);
    expect(attempts).toEqual([1, 2]);
  });

  it('tells a running handler when the process stops, so it can end at a safe point', async () => {
    const q = await newQueue();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let sawAbort = false;
    q.registerJob('long', async (_payload, run) => {
      started();
      await new Promise<void>((resolve) => run.signal.addEventListener('abort', () => resolve(), { once: true }));
      sawAbort = run.signal.aborted;
    });
    await q.start({ work: true });
    await q.enqueue('long', {});
    await running;
    await q.stop(10_000);
    queue = undefined;
    expect(sawAbort).toBe(true);
  });

  it('refuses a job name nobody registered, naming where to register it', async () => {
    const q = await newQueue();
    q.registerJob('known', async () => undefined);
    expect(() => q.registerJob('known', async () => undefined)).toThrow(/registered twice/);
    await q.start({ work: false });
    await expect(q.enqueue('unknown', {})).rejects.toThrow(/no job named "unknown".*src\/jobs\/catalog\.ts/);
  });
});

describe.runIf(testDialects().includes('postgres'))('workers sharing one PostgreSQL', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('two worker processes run 100 jobs, each exactly once, and both take a share', async () => {
    const store = await createTestStore('postgres');
    const q = createJobQueue({ config: store.config, log: silentLogger });
    try {
      await sql`create table job_run (n integer not null, pid integer not null, attempt integer not null)`.execute(store.db);
      const workers = [0, 1].map(() => spawn(process.execPath, ['--import', 'tsx', 'test/support/job-worker.ts', store.config.databaseUrl], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }));
      children.push(...workers);
      await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
        w.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        w.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      })));
      q.registerJob('record', async () => {
        throw new Error('this process only enqueues');
      });
      await q.start({ work: false });
      for (let n = 0; n < 100; n++) await q.enqueue('record', { n });
      await q.drain(60_000);
      const runs = (await sql<{ n: number; pid: number; attempt: number }>`select n, pid, attempt from job_run`.execute(store.db)).rows;
      expect(runs.map((r) => r.n).sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
      expect(runs.every((r) => r.attempt === 1)).toBe(true);
      const pids = new Set(runs.map((r) => r.pid));
      expect(pids).toEqual(new Set(workers.map((w) => w.pid)));
      await Promise.all(workers.map((w) => new Promise((resolve) => {
        w.once('exit', resolve);
        w.kill('SIGTERM');
      })));
      expect(workers.map((w) => w.exitCode)).toEqual([0, 0]);
    } finally {
      await q.stop(5_000);
      await store.cleanup();
    }
  });
});

describe.runIf(testDialects().includes('postgres'))('job schedules stored in PostgreSQL', () => {
  it('follow the configuration of the latest working process: a time zone kept, "off" removes it', async () => {
    const store = await createTestStore('postgres', { HARVEST_CRON: '0 20 * * 0-4', DIGEST_DAILY_CRON: '0 7 * * *', DIGEST_WEEKLY_CRON: 'off', EMBEDDINGS: 'off' });
    const mailer = createMailer(store.config, silentLogger);
    const deps = { log: silentLogger, db: store.db, now: () => new Date(), secret: 'x'.repeat(32), mailer };
    const schedules = async () => (await sql<{ name: string; cron: string; timezone: string }>`select name, cron, timezone from pgboss.schedule order by name`.execute(store.db)).rows;
    try {
      const first = await startJobQueue({ ...deps, config: store.config }, { work: true });
      await first.stop(5_000);
      expect(await schedules()).toEqual([
        { name: 'digest-daily', cron: '0 7 * * *', timezone: 'UTC' },
        { name: 'digest-send', cron: '*/5 * * * *', timezone: 'UTC' },
        { name: 'harvest', cron: '0 20 * * 0-4', timezone: 'America/New_York' },
        { name: 'mail-send', cron: '* * * * *', timezone: 'UTC' },
        { name: 'prune-expired', cron: '17 * * * *', timezone: 'UTC' },
        { name: 'reply-notify', cron: '*/10 * * * *', timezone: 'UTC' },
        { name: 'search-terms', cron: '*/10 * * * *', timezone: 'UTC' },
        { name: 'search-top-lists', cron: '*/10 * * * *', timezone: 'UTC' },
        { name: 'summarize', cron: '*/5 * * * *', timezone: 'UTC' },
      ]);
      // A web-only process changes nothing; a worker started with the harvest off removes its schedule.
      const web = await startJobQueue({ ...deps, config: { ...store.config, harvestCron: 'off' } }, { work: false });
      await web.stop(5_000);
      expect((await schedules()).map((r) => r.name)).toContain('harvest');
      const second = await startJobQueue({ ...deps, config: { ...store.config, harvestCron: 'off' } }, { work: true });
      await second.stop(5_000);
      expect((await schedules()).map((r) => r.name)).toEqual(['digest-daily', 'digest-send', 'mail-send', 'prune-expired', 'reply-notify', 'search-terms', 'search-top-lists', 'summarize']);
    } finally {
      await mailer.close();
      await store.cleanup();
    }
  });
});

describe('in-process schedules', () => {
  it('enqueues a scheduled job on each cron tick and runs it', async () => {
    const q = createJobQueue({ config: { dialect: 'sqlite', databaseUrl: 'sqlite::memory:' }, log: silentLogger });
    let runs = 0;
    let secondRun!: () => void;
    const twice = new Promise<void>((resolve) => (secondRun = resolve));
    q.registerJob('tick', async () => {
      if (++runs === 2) secondRun();
    });
    await q.schedule('tick', '* * * * * *', {});
    await q.start({ work: true });
    await twice; // a second tick ran the job again: it is scheduled, not run once
    await q.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});

// The in-process job engine, used with SQLite: jobs live in this process's memory and run here,
// with the same names, singleton keys, retries and cron schedules as on PostgreSQL. A job that is
// waiting when the process stops is not kept; schedules enqueue again on the next tick, and
// handlers are idempotent, so nothing is half-written.
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Logger } from '../log.ts';
import { defineJob, requireJob, type EnqueueOptions, type JobHandler, type JobOptions, type JobQueue, type RegisteredJob, type ScheduleOptions } from './queue.ts';

interface PendingJob {
  id: string;
  name: string;
  payload: object;
  singletonKey: string | undefined;
  attempt: number;
  notBefore: number;
}

export function createInProcessQueue(log: Logger): JobQueue {
  const registry = new Map<string, RegisteredJob>();
  const pending: PendingJob[] = [];
  const active = new Map<string, number>();
  const running = new Set<Promise<void>>();
  const crons = new Map<string, Cron>();
  const schedules = new Map<string, { cron: string; payload: object; timezone: string }>();
  const stopping = new AbortController();
  let working = false;
  let stopped = false;
  let wakeTimer: NodeJS.Timeout | undefined;
  const idleWaiters: Array<() => void> = [];

  const notifyIfIdle = () => {
    if (pending.length === 0 && running.size === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
  };

  const pump = () => {
    if (!working || stopped) return;
    const now = Date.now();
    let nextWake = Infinity;
    for (let i = 0; i < pending.length; i++) {
      const job = pending[i]!;
      const def = registry.get(job.name)!;
      if (job.notBefore > now) {
        nextWake = Math.min(nextWake, job.notBefore);
        continue;
      }
      if ((active.get(job.name) ?? 0) >= def.options.concurrency) continue;
      pending.splice(i--, 1);
      execute(job, def);
    }
    clearTimeout(wakeTimer);
    if (nextWake !== Infinity) wakeTimer = setTimeout(pump, Math.max(10, nextWake - now)).unref();
    notifyIfIdle();
  };

  const execute = (job: PendingJob, def: RegisteredJob) => {
    active.set(job.name, (active.get(job.name) ?? 0) + 1);
    const started = Date.now();
    const p = (async () => {
      try {
        await def.handler(structuredClone(job.payload), { id: job.id, name: job.name, attempt: job.attempt, signal: stopping.signal });
        log.info('job_done', { job: job.name, job_id: job.id, attempt: job.attempt, duration_ms: Date.now() - started });
      } catch (err) {
        const retry = job.attempt <= def.options.retryLimit;
        log[retry ? 'warn' : 'error']('job_failed', { job: job.name, job_id: job.id, attempt: job.attempt, will_retry: retry, error: err });
        if (retry && !stopped) {
          const delay = def.options.retryDelaySeconds * 1000 * 2 ** (job.attempt - 1);
          pending.push({ ...job, attempt: job.attempt + 1, notBefore: Date.now() + delay });
        }
      } finally {
        active.set(job.name, active.get(job.name)! - 1);
      }
    })();
    running.add(p);
    void p.finally(() => {
      running.delete(p);
      pump();
    });
  };

  const queue: JobQueue = {
    engine: 'in-process',
    registerJob<P extends object>(name: string, handler: JobHandler<P>, options?: JobOptions) {
      defineJob(registry, name, handler as JobHandler<any>, options);
    },
    async enqueue<P extends object>(name: string, payload: P, options: EnqueueOptions = {}) {
      requireJob(registry, name);
      const key = options.singletonKey;
      if (key !== undefined && pending.some((j) => j.name === name && j.singletonKey === key)) return undefined;
      const id = randomUUID();
      // A JSON round trip, so a payload that would not survive PostgreSQL fails here too.
      pending.push({ id, name, payload: JSON.parse(JSON.stringify(payload)) as object, singletonKey: key, attempt: 1, notBefore: options.startAfter?.getTime() ?? 0 });
      queueMicrotask(pump);
      return id;
    },
    async schedule<P extends object>(name: string, cron: string, payload: P, options: ScheduleOptions = {}) {
      requireJob(registry, name);
      const s = { cron, payload, timezone: options.timezone ?? 'UTC' };
      schedules.set(name, s);
      if (working) startCron(name, s);
    },
    async start({ work }) {
      if (!work || working) return;
      working = true;
      for (const [name, s] of schedules) startCron(name, s);
      pump();
    },
    drain(timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        if (pending.length === 0 && running.size === 0) return resolve();
        const timer = setTimeout(() => reject(new Error(`jobs still waiting or running after ${timeoutMs} ms`)), timeoutMs);
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        pump();
      });
    },
    async stop(timeoutMs = 30_000) {
      stopped = true;
      stopping.abort();
      clearTimeout(wakeTimer);
      for (const c of crons.values()) c.stop();
      crons.clear();
      const timeout = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref());
      await Promise.race([Promise.allSettled([...running]), timeout]);
      if (pending.length > 0) log.warn('jobs_dropped', { count: pending.length, jobs: [...new Set(pending.map((j) => j.name))] });
    },
  };

  function startCron(name: string, s: { cron: string; payload: object; timezone: string }) {
    crons.get(name)?.stop();
    crons.set(name, new Cron(s.cron, { timezone: s.timezone, protect: true }, () => {
      void queue.enqueue(name, s.payload, { singletonKey: `schedule:${name}` }).catch((err: unknown) => log.error('schedule_failed', { job: name, error: err }));
    }));
  }

  return queue;
}

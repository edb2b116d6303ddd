// The job queue every module uses for background work (harvest, embed, digest-render, digest-send).
// Two engines behind one interface: pg-boss on PostgreSQL (shared by every process, each job taken
// by exactly one worker), and an in-process runner on SQLite. Modules register handlers by name in
// ./catalog.ts; any process may enqueue; only processes that start workers run jobs.

/** What a handler learns about the run it is part of. */
export interface JobRun {
  id: string;
  name: string;
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
  /** Aborted when the process stops: long handlers end early at a safe point and resume next run. */
  signal: AbortSignal;
}

/**
 * Does the work for one job. Payloads are plain JSON objects. Throwing fails the attempt; the job is
 * retried up to its retryLimit. A job may run again after a crash, so handlers must be idempotent
 * (upserts, outbox rows), never assume a single delivery.
 */
export type JobHandler<P extends object = Record<string, unknown>> = (payload: P, run: JobRun) => Promise<void>;

export interface JobOptions {
  /** Retries after the first failure (default 2). */
  retryLimit?: number;
  /** Seconds before the first retry, doubling each time (default 30). */
  retryDelaySeconds?: number;
  /** A run taking longer is considered crashed and retried elsewhere (PostgreSQL; default 900). */
  expireInSeconds?: number;
  /** Jobs of this name one process runs at once (default 1). */
  concurrency?: number;
}

export interface EnqueueOptions {
  /**
   * At most one job with this key waits at a time: enqueueing again while one waits is a no-op (a
   * job with the key may still be running meanwhile). Without a key every enqueue adds a job.
   */
  singletonKey?: string;
  /** Run no earlier than this. */
  startAfter?: Date;
}

export interface ScheduleOptions {
  /** IANA time zone the cron pattern is read in (default UTC). */
  timezone?: string;
}

export interface JobQueue {
  readonly engine: 'pg-boss' | 'in-process';
  registerJob<P extends object>(name: string, handler: JobHandler<P>, options?: JobOptions): void;
  /** Adds a job; returns its id, or undefined when a job with the same singletonKey already waits. */
  enqueue<P extends object>(name: string, payload: P, options?: EnqueueOptions): Promise<string | undefined>;
  /**
   * Enqueues `name` on a cron schedule (read in `timezone`, default UTC); with several processes each
   * tick enqueues once. One schedule per job name: scheduling again replaces it, and a job registered
   * without a schedule in a working process has any stored schedule removed (so "off" sticks).
   */
  schedule<P extends object>(name: string, cron: string, payload: P, options?: ScheduleOptions): Promise<void>;
  /** Connects; with `work: true` also runs registered jobs and schedules in this process. */
  start(opts: { work: boolean }): Promise<void>;
  /** Resolves when no job is waiting or running (tests and one-shot commands), or rejects after timeoutMs. */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops taking jobs, waits for running ones (up to timeoutMs), disconnects. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface RegisteredJob {
  name: string;
  handler: JobHandler<any>;
  options: Required<JobOptions>;
}

export const JOB_DEFAULTS: Required<JobOptions> = { retryLimit: 2, retryDelaySeconds: 30, expireInSeconds: 900, concurrency: 1 };

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Checks a job name and fills in defaults; shared by both engines. */
export function defineJob(registry: Map<string, RegisteredJob>, name: string, handler: JobHandler<any>, options: JobOptions = {}): void {
  if (!NAME.test(name)) throw new Error(`job name "${name}": use lowercase letters, digits and hyphens`);
  if (registry.has(name)) throw new Error(`job "${name}" is registered twice`);
  registry.set(name, { name, handler, options: { ...JOB_DEFAULTS, ...options } });
}

export function requireJob(registry: Map<string, RegisteredJob>, name: string): RegisteredJob {
  const job = registry.get(name);
  if (!job) throw new Error(`no job named "${name}" is registered (known: ${[...registry.keys()].join(', ') || 'none'}); register it in src/jobs/catalog.ts`);
  return job;
}

// Every background job paperboy runs, registered by name: the one place a module adds its jobs.
// Each module exports a handler factory and adds one line below, e.g.
//   queue.registerJob('harvest', harvestJob(deps), { expireInSeconds: 2 * 3600 });
// and, for periodic work, a schedule in scheduleJobs.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { JobQueue } from './queue.ts';

/** What job handlers get: the same dependencies routes get, plus the queue for follow-up jobs. */
export interface JobDeps {
  config: Config;
  log: Logger;
  db: Db;
  now: () => Date;
  queue: JobQueue;
}

export function registerJobs(queue: JobQueue, deps: JobDeps): void {
  void queue;
  void deps;
}

/** Cron schedules; only processes that run jobs act on them. */
export async function scheduleJobs(queue: JobQueue, deps: JobDeps): Promise<void> {
  void queue;
  void deps;
}

// Wires the queue for a process: every job registered, schedules set, workers started when asked.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { registerJobs, scheduleJobs } from './catalog.ts';
import { createJobQueue } from './create.ts';
import type { PgBossQueueOptions } from './pg-boss.ts';
import type { JobQueue } from './queue.ts';

export interface StartJobsDeps {
  config: Config;
  log: Logger;
  db: Db;
  now: () => Date;
}

/** A started queue: it can always enqueue; with `work` this process also runs jobs and schedules. */
export async function startJobQueue(deps: StartJobsDeps, opts: { work: boolean } & PgBossQueueOptions): Promise<JobQueue> {
  const queue = createJobQueue(deps, opts);
  const jobDeps = { ...deps, queue };
  registerJobs(queue, jobDeps);
  if (opts.work) await scheduleJobs(queue, jobDeps);
  await queue.start({ work: opts.work });
  return queue;
}

// Wires the queue for a process: every job registered, schedules set, workers started when asked.
import { catchUpJobs, registerJobs, scheduleJobs, type JobDeps } from './catalog.ts';
import { createJobQueue } from './create.ts';
import type { PgBossQueueOptions } from './pg-boss.ts';
import type { JobQueue } from './queue.ts';

export type StartJobsDeps = Omit<JobDeps, 'queue'>;

/** A started queue: it can always enqueue; with `work` this process also runs jobs and schedules. */
export async function startJobQueue(deps: StartJobsDeps, opts: { work: boolean } & PgBossQueueOptions): Promise<JobQueue> {
  const queue = createJobQueue(deps, opts);
  const jobDeps: JobDeps = { ...deps, queue };
  registerJobs(queue, jobDeps);
  if (opts.work) await scheduleJobs(queue, jobDeps);
  await queue.start({ work: opts.work });
  if (opts.work) await catchUpJobs(queue, jobDeps);
  return queue;
}

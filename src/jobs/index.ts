export type { EnqueueOptions, JobHandler, JobOptions, JobQueue, JobRun } from './queue.ts';
export { createJobQueue, type JobQueueDeps } from './create.ts';
export { startJobQueue } from './start.ts';
export { catchUpJobs, registerJobs, requestJob, scheduleJobs, type JobDeps } from './catalog.ts';
export type { StartJobsDeps } from './start.ts';

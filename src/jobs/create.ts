// Picks the job engine for the store's dialect: pg-boss on PostgreSQL, in-process on SQLite.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createInProcessQueue } from './in-process.ts';
import { createPgBossQueue, type PgBossQueueOptions } from './pg-boss.ts';
import type { JobQueue } from './queue.ts';

export interface JobQueueDeps {
  config: Pick<Config, 'dialect' | 'databaseUrl'>;
  log: Logger;
}

export function createJobQueue(deps: JobQueueDeps, opts: PgBossQueueOptions = {}): JobQueue {
  const log = deps.log.child({ component: 'jobs' });
  return deps.config.dialect === 'postgres' ? createPgBossQueue(deps.config.databaseUrl, log, opts) : createInProcessQueue(log);
}

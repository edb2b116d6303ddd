// The harvest as a job on the queue: by default daily after arXiv's announcements (20:00 US Eastern,
// Sunday–Thursday). HARVEST_CRON changes it (read in US Eastern), `off` disables it. Runs never
// overlap, across processes too (the lease), and a run that stops early resumes from its checkpoint.
import { Cron } from 'croner';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { harvestArxiv } from './harvest.ts';

export const HARVEST_JOB = 'harvest';
export const HARVEST_TIMEZONE = 'America/New_York';

export interface HarvestJobDeps {
  db: Db;
  config: Config;
  log: Logger;
  now: () => Date;
  /** Called after a run that stored new or changed papers (to embed them, say). */
  onPapersChanged?: () => Promise<void>;
}

/** The handler for the `harvest` job. A failed run throws, so the queue retries it with back-off. */
export function harvestJob(deps: HarvestJobDeps) {
  return async (_payload: object, run: { signal: AbortSignal }): Promise<void> => {
    const log = deps.log.child({ job: HARVEST_JOB });
    const outcome = await harvestArxiv(deps.db, deps.config, { trigger: 'schedule', log, signal: run.signal, now: deps.now });
    if (outcome.status === 'busy' || outcome.status === 'interrupted') return;
    if (outcome.run.new + outcome.run.updated + outcome.run.withdrawn > 0) await deps.onPapersChanged?.();
    if (outcome.status === 'failed') throw new Error(`harvest run ${outcome.run.id} failed: ${outcome.run.error ?? 'unknown error'}`);
  };
}

/**
 * Whether a scheduled harvest was missed: the schedule fired since the last harvest started (the
 * process was down at that time, say). Never true on an instance that has not harvested yet, so a
 * fresh install does not reach out to arXiv on its first start.
 */
export async function harvestIsDue(db: Db, cron: string, now: Date): Promise<boolean> {
  if (cron === 'off') return false;
  const last = await db.selectFrom('harvest_run').select((eb) => eb.fn.max('started_at').as('at')).executeTakeFirst();
  if (!last?.at) return false;
  const [previous] = new Cron(cron, { timezone: HARVEST_TIMEZONE, paused: true }).previousRuns(1, now);
  return previous !== undefined && previous.toISOString() > last.at;
}

/** The next times the configured schedule fires (none when it is off). */
export function nextHarvestTimes(cron: string, count: number, from = new Date()): Date[] {
  if (cron === 'off') return [];
  return new Cron(cron, { timezone: HARVEST_TIMEZONE, paused: true }).nextRuns(count, from);
}

// The harvest schedule inside `paperboy serve`: by default daily after arXiv's announcements
// (20:00 US Eastern, Sunday–Thursday). HARVEST_CRON changes it (read in US Eastern), `off` disables it.
// Ticks never overlap here (croner's protect) nor with harvests in other processes (the lease).
import { Cron } from 'croner';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { harvestArxiv, type HarvestOutcome } from './harvest.ts';

export const HARVEST_TIMEZONE = 'America/New_York';

export interface HarvestScheduler {
  nextRun(): Date | undefined;
  /** Stops the schedule and interrupts a running harvest (it resumes next time); resolves when it has stopped. */
  stop(): Promise<void>;
}

export function startHarvestScheduler(db: Db, config: Config, log: Logger): HarvestScheduler {
  if (config.harvestCron === 'off') {
    log.info('harvest_schedule', { cron: 'off' });
    return { nextRun: () => undefined, stop: async () => undefined };
  }
  const abort = new AbortController();
  let running: Promise<HarvestOutcome | undefined> | undefined;
  const job = new Cron(config.harvestCron, { timezone: HARVEST_TIMEZONE, protect: true, name: 'harvest' }, async () => {
    running = harvestArxiv(db, config, { trigger: 'schedule', log, signal: abort.signal }).catch((err: unknown) => {
      log.error('harvest_crashed', { error: err });
      return undefined;
    });
    await running;
    running = undefined;
  });
  log.info('harvest_schedule', { cron: config.harvestCron, timezone: HARVEST_TIMEZONE, next_run: job.nextRun()?.toISOString() });
  return {
    nextRun: () => job.nextRun() ?? undefined,
    async stop() {
      job.stop();
      abort.abort();
      await running;
    },
  };
}

/** The next times the configured schedule fires (none when it is off). */
export function nextHarvestTimes(cron: string, count: number, from = new Date()): Date[] {
  if (cron === 'off') return [];
  return new Cron(cron, { timezone: HARVEST_TIMEZONE, paused: true }).nextRuns(count, from);
}

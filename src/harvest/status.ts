// What curators see about harvesting: the schedule, a harvest in progress, checkpoints, recent runs.
// Plain data: the /status page renders it, and it holds nothing HTML-specific.
import type { Config } from '../config.ts';
import type { Db } from '../store/db.ts';
import { HARVEST_LEASE } from './harvest.ts';
import { findLeaseHolder } from './lease.ts';
import { listCheckpoints, listRecentRuns, type HarvestRun } from './runs.ts';
import { HARVEST_TIMEZONE, nextHarvestTimes } from './job.ts';

export interface HarvestStatus {
  schedule: { cron: string; timezone: string; nextRuns: string[] } | undefined;
  /** The lease holder while a harvest runs. */
  running: { owner: string; since: string; expiresAt: string } | undefined;
  sets: Array<{
    set: string;
    /** The next incremental harvest starts from this day. */
    harvestedThrough: string | null;
    /** An unfinished list (a harvest stopped mid-way; the next run resumes it). */
    unfinished: { from: string | null; until: string | null; pagesDone: number; datestampReached: string | null } | undefined;
    updatedAt: string;
  }>;
  runs: HarvestRun[];
}

export async function harvestStatus(db: Db, opts: { config?: Config; limit?: number; now?: Date } = {}): Promise<HarvestStatus> {
  const now = opts.now ?? new Date();
  const [holder, checkpoints, runs] = await Promise.all([findLeaseHolder(db, HARVEST_LEASE), listCheckpoints(db), listRecentRuns(db, opts.limit ?? 20)]);
  const cron = opts.config?.harvestCron;
  return {
    schedule: cron === undefined ? undefined : { cron, timezone: HARVEST_TIMEZONE, nextRuns: nextHarvestTimes(cron, 3, now).map((d) => d.toISOString()) },
    running: holder && holder.expiresAt > now.toISOString() ? { owner: holder.owner, since: holder.acquiredAt, expiresAt: holder.expiresAt } : undefined,
    sets: checkpoints.map((c) => ({
      set: c.set_spec,
      harvestedThrough: c.harvested_through,
      unfinished: c.in_progress === 1 ? { from: c.list_from, until: c.list_until, pagesDone: c.pages_done, datestampReached: c.datestamp_reached } : undefined,
      updatedAt: c.updated_at,
    })),
    runs,
  };
}

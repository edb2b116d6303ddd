// SQL for the harvest's own tables: checkpoints per OAI set and the run history.
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../store/db.ts';
import type { HarvestCheckpointTable, HarvestRunTable } from '../store/schema.ts';

export type CheckpointRow = Selectable<HarvestCheckpointTable>;
export type RunRow = Selectable<HarvestRunTable>;

export interface RunCounts {
  pages: number;
  fetched: number;
  new: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  skipped: number;
}

export const ZERO_COUNTS: RunCounts = { pages: 0, fetched: 0, new: 0, updated: 0, unchanged: 0, withdrawn: 0, skipped: 0 };

export interface HarvestRun extends RunCounts {
  id: number;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  sets: string[];
  fromDay: string | null;
  untilDay: string | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  problems: string[];
}

function runFromRow(r: RunRow): HarvestRun {
  return {
    id: r.id, trigger: r.trigger, status: r.status as HarvestRun['status'], sets: r.sets.split(',').filter(Boolean),
    fromDay: r.from_day, untilDay: r.until_day, startedAt: r.started_at, finishedAt: r.finished_at,
    pages: r.pages, fetched: r.fetched, new: r.new, updated: r.updated, unchanged: r.unchanged, withdrawn: r.withdrawn, skipped: r.skipped,
    error: r.error, problems: JSON.parse(r.problems) as string[],
  };
}

export async function findCheckpoint(db: Db | Tx, setSpec: string): Promise<CheckpointRow | undefined> {
  return db.selectFrom('harvest_checkpoint').selectAll().where('set_spec', '=', setSpec).executeTakeFirst();
}

export async function listCheckpoints(db: Db): Promise<CheckpointRow[]> {
  return db.selectFrom('harvest_checkpoint').selectAll().orderBy('set_spec').execute();
}

/** Records that a new list is about to start, before its first request, so a crash cannot lose its range. */
export async function beginList(db: Db, setSpec: string, from: string, until: string | null, now: Date): Promise<void> {
  const fields = {
    in_progress: 1, list_from: from, list_until: until, resumption_token: null, list_started_at: null,
    datestamp_reached: null, pages_done: 0, updated_at: now.toISOString(),
  };
  await db
    .insertInto('harvest_checkpoint')
    .values({ set_spec: setSpec, harvested_through: null, ...fields })
    .onConflict((oc) => oc.column('set_spec').doUpdateSet(fields))
    .execute();
}

export interface PageProgress {
  nextToken: string | undefined;
  responseDate: string | undefined;
  maxDatestamp: string | undefined;
}

/** Moves the checkpoint past a page; call in the same transaction as the page's papers. */
export async function advanceCheckpoint(tx: Tx, cp: CheckpointRow, page: PageProgress, now: Date): Promise<CheckpointRow> {
  const startedAt = cp.list_started_at ?? page.responseDate ?? now.toISOString();
  const reached = [cp.datestamp_reached, page.maxDatestamp].filter((d): d is string => !!d).sort().at(-1) ?? null;
  const done = page.nextToken === undefined;
  const next: CheckpointRow = {
    ...cp,
    resumption_token: page.nextToken ?? null,
    list_started_at: startedAt,
    datestamp_reached: reached,
    pages_done: cp.pages_done + 1,
    in_progress: done ? 0 : 1,
    // A backfill (--until) leaves the incremental starting point alone.
    harvested_through: done && cp.list_until === null ? laterDay(cp.harvested_through, startedAt.slice(0, 10)) : cp.harvested_through,
    updated_at: now.toISOString(),
  };
  const { set_spec: _key, ...fields } = next;
  await tx.updateTable('harvest_checkpoint').set(fields).where('set_spec', '=', cp.set_spec).execute();
  return next;
}

/** Forgets a list's resumption token so it starts again from its `from` (after badResumptionToken). */
export async function restartList(db: Db, setSpec: string, now: Date): Promise<void> {
  await db.updateTable('harvest_checkpoint').set({ resumption_token: null, pages_done: 0, updated_at: now.toISOString() }).where('set_spec', '=', setSpec).execute();
}

function laterDay(a: string | null, b: string): string {
  return a && a > b ? a : b;
}

export async function startRun(db: Db, fields: { trigger: string; sets: string[]; from: string | null; until: string | null }, now: Date): Promise<number> {
  // Runs left "running" by a process that died: we hold the lease now, so none of them is alive.
  await db
    .updateTable('harvest_run')
    .set({ status: 'interrupted', finished_at: now.toISOString(), error: 'the process stopped before the run finished; the next run resumed it' })
    .where('status', '=', 'running')
    .execute();
  const row = await db
    .insertInto('harvest_run')
    .values({ trigger: fields.trigger, status: 'running', sets: fields.sets.join(','), from_day: fields.from, until_day: fields.until, started_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addToRun(tx: Tx, runId: number, c: RunCounts, problems: string[]): Promise<void> {
  await tx
    .updateTable('harvest_run')
    .set((eb) => ({
      pages: eb('pages', '+', c.pages),
      fetched: eb('fetched', '+', c.fetched),
      new: eb('new', '+', c.new),
      updated: eb('updated', '+', c.updated),
      unchanged: eb('unchanged', '+', c.unchanged),
      withdrawn: eb('withdrawn', '+', c.withdrawn),
      skipped: eb('skipped', '+', c.skipped),
    }))
    .where('id', '=', runId)
    .execute();
  if (problems.length === 0) return;
  const row = await tx.selectFrom('harvest_run').select('problems').where('id', '=', runId).executeTakeFirstOrThrow();
  const kept = [...(JSON.parse(row.problems) as string[]), ...problems].slice(0, 50);
  await tx.updateTable('harvest_run').set({ problems: JSON.stringify(kept) }).where('id', '=', runId).execute();
}

export async function finishRun(db: Db, runId: number, status: HarvestRun['status'], error: string | null, now: Date): Promise<HarvestRun> {
  await db.updateTable('harvest_run').set({ status, error, finished_at: now.toISOString() }).where('id', '=', runId).execute();
  return runFromRow(await db.selectFrom('harvest_run').selectAll().where('id', '=', runId).executeTakeFirstOrThrow());
}

export async function listRecentRuns(db: Db, limit: number): Promise<HarvestRun[]> {
  const rows = await db.selectFrom('harvest_run').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(runFromRow);
}

// The log of what each "pages" version changed (migration 0902 keeps it by triggers), read by every
// process's page cache to drop only the pages a write can reach, and pruned as it grows.
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { currentVersion } from './change-version.ts';

export const PAGES_CHANNEL = 'pages';
const PRUNED_CHANNEL = 'pages_pruned';

/** How far a change reaches, narrowest first; a page names the narrowest level that reaches it whatever the paper. */
export const CHANGE_LEVEL = {
  /** The paper's own pages and the listings of its days (a vote, a comment, a thumbnail). */
  paper: 1,
  /** Also searches and lists made from papers' text (a paper's text, categories, links). */
  content: 2,
  /** Also which papers are listed on which day (a new or removed paper, a submission, a pin, hiding). */
  listed: 3,
  /** Every page. */
  all: 4,
} as const;

export interface PageChange {
  /** 0 when the change reaches every page. */
  paperId: number;
  /** A day the write named (a pin's, a submission's, a paper's announcement), when it did. */
  day: string | null;
  level: number;
}

/**
 * The changes of versions (after, upTo], or undefined when they cannot be told paper by paper: more
 * than `max` versions, or some already pruned (the caller then treats them as a change to everything).
 */
export async function readPageChanges(db: Db, after: number, upTo: number, max: number): Promise<PageChange[] | undefined> {
  if (upTo - after > max) return undefined;
  const rows = await db.selectFrom('page_change').select(['paper_id', 'day', 'level'])
    .where('version', '>', after).where('version', '<=', upTo).execute();
  // Read after the rows: a prune that committed before them shows here.
  if (after < (await currentVersion(db, PRUNED_CHANNEL))) return undefined;
  return rows.map((r) => ({ paperId: r.paper_id, day: r.day, level: r.level }));
}

/** Deletes the log up to `keep` versions behind `upTo`; returns the rows deleted. */
export async function prunePageChanges(db: Db, upTo: number, keep: number): Promise<number> {
  const cutoff = upTo - keep;
  if (cutoff <= 0) return 0;
  return db.transaction().execute(async (tx) => {
    await tx.updateTable('change_version').set({ version: sql<number>`case when version < ${cutoff} then ${cutoff} else version end` })
      .where('channel', '=', PRUNED_CHANNEL).execute();
    const r = await tx.deleteFrom('page_change').where('version', '<=', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}

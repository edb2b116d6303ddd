// Upvotes: one per user per paper, enforced by the table's primary key (insert … on conflict do
// nothing), so double clicks and parallel requests leave exactly one vote.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.ts';
import { getModeration } from './moderation.ts';

export type VoteOutcome = { ok: true; voted: boolean; votes: number } | { ok: false; reason: 'locked' | 'hidden' };

/** Sets the user's vote on a paper to `up` (true: voted, false: not). Idempotent. */
export async function setVote(db: Db, userId: number, paperId: number, up: boolean, now: Date): Promise<VoteOutcome> {
  const mod = (await getModeration(db, [paperId])).get(paperId);
  if (mod?.hidden) return { ok: false, reason: 'hidden' };
  if (mod?.votesLocked) return { ok: false, reason: 'locked' };
  if (up) {
    await db
      .insertInto('vote')
      .values({ user_id: userId, paper_id: paperId, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
      .execute();
  } else {
    await db.deleteFrom('vote').where('user_id', '=', userId).where('paper_id', '=', paperId).execute();
  }
  return { ok: true, voted: up, votes: (await countVotes(db, [paperId])).get(paperId) ?? 0 };
}

/**
 * The votes that count (votes of suspended users do not), as a query to build on: behind search's
 * sort=upvotes and the trends (COUNTED_VOTES below states the same rule as SQL, for countVotes and
 * votesCountOf). Select a count from it, grouped by or filtered on `vote.paper_id`.
 */
export function countedVotes(db: Db) {
  return db.selectFrom('vote').innerJoin('user_account', 'user_account.id', 'vote.user_id').where('user_account.suspended_at', 'is', null);
}

/**
 * The votes that count per paper, cast from the start of `fromDay` up to `untilIso` (inclusive), as
 * a subquery of (paper_id, n) — the same numbers as counting countedVotes over that time, at the cost
 * of a few rows per paper: whole days come from vote_day (migration 0901), the last, partial day
 * from the votes themselves, and the votes of suspended accounts are taken off.
 */
export function countedVotesBetween(db: Db, fromDay: string, untilIso: string) {
  const from = `${fromDay}T00:00:00.000Z`;
  const lastDay = untilIso.slice(0, 10) > fromDay ? untilIso.slice(0, 10) : fromDay;
  const wholeDays = db.selectFrom('vote_day').select(['paper_id', 'n']).where('day', '>=', fromDay).where('day', '<', lastDay);
  const lastDayVotes = db.selectFrom('vote').select(['paper_id', sql<number>`1`.as('n')]).where('created_at', '>=', `${lastDay}T00:00:00.000Z`).where('created_at', '<=', untilIso);
  // From the (few) suspended accounts to their votes through the primary key: SQLite keeps a CROSS
  // JOIN's order, rather than reading every vote of the window by date.
  const suspended = db
    .selectFrom('user_account')
    .crossJoin('vote')
    .whereRef('vote.user_id', '=', 'user_account.id')
    .select(['vote.paper_id', sql<number>`-1`.as('n')])
    .where('user_account.suspended_at', 'is not', null)
    .where('vote.created_at', '>=', from)
    .where('vote.created_at', '<=', untilIso);
  return db
    .selectFrom(wholeDays.unionAll(lastDayVotes).unionAll(suspended).as('c'))
    .select(['c.paper_id', (eb) => eb.fn.sum<number>('c.n').as('n')])
    .groupBy('c.paper_id');
}

/**
 * countedVotes' rule written as SQL, for the counts every API answer and listing card reads: built and
 * compiled by the query builder, such a statement cost ~0.12 ms of the event loop a request, twice what
 * SQLite takes to run it. Select from it, filtered on `vote.paper_id`.
 */
const COUNTED_VOTES = sql`vote JOIN user_account ON user_account.id = vote.user_id WHERE user_account.suspended_at IS NULL`;

/** Local upvotes per paper; votes of suspended users do not count. Papers without votes are absent. */
export async function countVotes(db: Db, paperIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < paperIds.length; i += 500) {
    const { rows } = await sql<{ paper_id: number; n: number | string }>`SELECT vote.paper_id, count(*) AS n
      FROM ${COUNTED_VOTES} AND vote.paper_id IN (${sql.join(paperIds.slice(i, i + 500))}) GROUP BY vote.paper_id`.execute(db);
    for (const r of rows) out.set(r.paper_id, Number(r.n));
  }
  return out;
}

/**
 * countVotes for one paper as a column of another statement: `paperId` names the paper's id there
 * (an API answer reads its papers' votes and comments in one statement, one round trip on PostgreSQL).
 */
export function votesCountOf(paperId: RawBuilder<number>): RawBuilder<number | string> {
  return sql`(SELECT count(*) FROM ${COUNTED_VOTES} AND vote.paper_id = ${paperId})`;
}

/** Which of these papers the user has upvoted. */
export async function votedPaperIds(db: Db, userId: number, paperIds: number[]): Promise<Set<number>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db.selectFrom('vote').select('paper_id').where('user_id', '=', userId).where('paper_id', 'in', paperIds).execute();
  return new Set(rows.map((r) => r.paper_id));
}

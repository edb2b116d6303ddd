// Curator actions: hide a paper, lock its voting, pin it to a day, suspend a user, change a role.
// Each one and its audit entry are written in one transaction: no action without its record.
import type { Db } from '../store/db.ts';
import { setAccountSuspended, type Role, type User } from '../accounts/index.ts';
import { recordAudit, type Actor } from './audit.ts';

export interface Moderation {
  hidden: boolean;
  votesLocked: boolean;
}

export interface PaperRef {
  id: number;
  arxivId: string;
}

/**
 * The ids of the papers curators hid, as a subquery (`id NOT IN (hiddenPaperIds(db))`): a hidden
 * paper is in no list, search result or similar-papers box. The one definition of that rule.
 */
export function hiddenPaperIds(db: Db) {
  return db.selectFrom('paper_moderation').select('paper_id').where('hidden', '=', 1);
}

/** Which of these papers curators hid. */
export async function findHiddenPaperIds(db: Db, paperIds: number[]): Promise<Set<number>> {
  if (paperIds.length === 0) return new Set();
  const rows = await hiddenPaperIds(db).where('paper_id', 'in', paperIds).execute();
  return new Set(rows.map((r) => r.paper_id));
}

export async function getModeration(db: Db, paperIds: number[]): Promise<Map<number, Moderation>> {
  if (paperIds.length === 0) return new Map();
  const rows = await db.selectFrom('paper_moderation').selectAll().where('paper_id', 'in', paperIds).execute();
  return new Map(rows.map((r) => [r.paper_id, { hidden: r.hidden === 1, votesLocked: r.votes_locked === 1 }]));
}

async function setFlag(db: Db, actor: Actor, paper: PaperRef, flag: 'hidden' | 'votes_locked', on: boolean, reason: string, now: Date): Promise<void> {
  const stamp = now.toISOString();
  const action = flag === 'hidden' ? (on ? 'hide_paper' : 'unhide_paper') : on ? 'lock_votes' : 'unlock_votes';
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('paper_moderation')
      .values({ paper_id: paper.id, [flag]: on ? 1 : 0, updated_at: stamp })
      .onConflict((oc) => oc.column('paper_id').doUpdateSet({ [flag]: on ? 1 : 0, updated_at: stamp }))
      .execute();
    await recordAudit(tx, actor, action, `paper:${paper.arxivId}`, reason, now);
  });
}

/** Hidden papers leave every list and cannot be voted on; their page stays, with a notice. */
export function setPaperHidden(db: Db, actor: Actor, paper: PaperRef, hidden: boolean, reason: string, now: Date): Promise<void> {
  return setFlag(db, actor, paper, 'hidden', hidden, reason, now);
}

/** Locked papers keep their votes but take no new ones (and none can be withdrawn). */
export function setVotesLocked(db: Db, actor: Actor, paper: PaperRef, locked: boolean, reason: string, now: Date): Promise<void> {
  return setFlag(db, actor, paper, 'votes_locked', locked, reason, now);
}

/** Pins (features) a paper at the top of a day's list, whatever day it was announced. */
export async function pinPaper(db: Db, actor: Actor, paper: PaperRef, day: string, reason: string, now: Date): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('paper_pin')
      .values({ day, paper_id: paper.id, pinned_by: actor.id, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['day', 'paper_id']).doNothing())
      .execute();
    await recordAudit(tx, actor, 'pin_paper', `paper:${paper.arxivId}`, `${day}: ${reason}`, now);
  });
}

export async function unpinPaper(db: Db, actor: Actor, paper: PaperRef, day: string, reason: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const res = await tx.deleteFrom('paper_pin').where('day', '=', day).where('paper_id', '=', paper.id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) return false;
    await recordAudit(tx, actor, 'unpin_paper', `paper:${paper.arxivId}`, `${day}: ${reason}`, now);
    return true;
  });
}

export async function listPins(db: Db, limit = 50): Promise<Array<{ day: string; arxivId: string; title: string }>> {
  const rows = await db
    .selectFrom('paper_pin')
    .innerJoin('paper', 'paper.id', 'paper_pin.paper_id')
    .select(['paper_pin.day', 'paper.arxiv_id', 'paper.title'])
    .orderBy('paper_pin.day', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ day: r.day, arxivId: r.arxiv_id, title: r.title }));
}

/**
 * A curator suspends a user, or lifts it, with its audit entry in the same transaction (see
 * setAccountSuspended: sessions and API tokens end with it). A suspended user cannot sign in, vote or
 * submit, and their votes stop counting.
 */
export async function setUserSuspended(db: Db, actor: Actor, user: User, suspended: boolean, reason: string, now: Date): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await setAccountSuspended(tx, user.id, suspended, reason, now);
    await recordAudit(tx, actor, suspended ? 'suspend_user' : 'unsuspend_user', `user:${user.email}`, reason, now);
  });
}

export async function setUserRole(db: Db, actor: Actor, user: User, role: Role, reason: string, now: Date): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('user_account').set({ role }).where('id', '=', user.id).execute();
    await recordAudit(tx, actor, `set_role_${role}`, `user:${user.email}`, reason, now);
  });
}

export async function listSuspended(db: Db, limit = 50): Promise<Array<{ email: string; reason: string | null; since: string }>> {
  const rows = await db
    .selectFrom('user_account')
    .select(['email', 'suspended_reason', 'suspended_at'])
    .where('suspended_at', 'is not', null)
    .orderBy('suspended_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ email: r.email, reason: r.suspended_reason, since: r.suspended_at! }));
}

export async function listModeratedPapers(db: Db, limit = 100): Promise<Array<{ arxivId: string; title: string; hidden: boolean; votesLocked: boolean; since: string }>> {
  const rows = await db
    .selectFrom('paper_moderation')
    .innerJoin('paper', 'paper.id', 'paper_moderation.paper_id')
    .select(['paper.arxiv_id', 'paper.title', 'paper_moderation.hidden', 'paper_moderation.votes_locked', 'paper_moderation.updated_at'])
    .where((eb) => eb.or([eb('paper_moderation.hidden', '=', 1), eb('paper_moderation.votes_locked', '=', 1)]))
    .orderBy('paper_moderation.updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ arxivId: r.arxiv_id, title: r.title, hidden: r.hidden === 1, votesLocked: r.votes_locked === 1, since: r.updated_at }));
}

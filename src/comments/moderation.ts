// Curators and comments: hide and restore a comment, approve a held one, lock a discussion, and the
// queues they work from (open reports, held comments). Each action is written with its audit entry
// in one transaction; handling a comment resolves its open reports.
import type { Db, Tx } from '../store/db.ts';
import { findHiddenPaperIds, recordAudit, type Actor } from '../community/index.ts';

/** Locked discussions, and discussions of hidden papers, take no new comments, replies or edits. */
export async function isDiscussionClosed(db: Db | Tx, paperId: number): Promise<boolean> {
  const [lock, hidden] = await Promise.all([
    db.selectFrom('discussion_lock').select('paper_id').where('paper_id', '=', paperId).executeTakeFirst(),
    findHiddenPaperIds(db, [paperId]),
  ]);
  return lock !== undefined || hidden.has(paperId);
}

export async function isDiscussionLocked(db: Db, paperId: number): Promise<boolean> {
  return (await db.selectFrom('discussion_lock').select('paper_id').where('paper_id', '=', paperId).executeTakeFirst()) !== undefined;
}

export async function setDiscussionLocked(db: Db, actor: Actor, paper: { id: number; arxivId: string }, locked: boolean, reason: string, now: Date): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (locked) await tx.insertInto('discussion_lock').values({ paper_id: paper.id, locked_by: actor.id, created_at: now.toISOString() }).onConflict((oc) => oc.column('paper_id').doNothing()).execute();
    else await tx.deleteFrom('discussion_lock').where('paper_id', '=', paper.id).execute();
    await recordAudit(tx, actor, locked ? 'lock_discussion' : 'unlock_discussion', `paper:${paper.arxivId}`, reason, now);
  });
}

async function commentTarget(tx: Tx, id: number): Promise<{ target: string; paperId: number; parentId: number | null; held: number; hidden: boolean; createdAt: string } | undefined> {
  const row = await tx
    .selectFrom('comment as c')
    .innerJoin('paper as p', 'p.id', 'c.paper_id')
    .select(['c.id', 'c.paper_id', 'c.parent_id', 'c.held', 'c.hidden_at', 'c.created_at', 'p.arxiv_id'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row && { target: `comment:${row.id} on paper:${row.arxiv_id}`, paperId: row.paper_id, parentId: row.parent_id, held: row.held, hidden: row.hidden_at !== null, createdAt: row.created_at };
}

/** Hides (or restores) a comment for everyone but curators; false when there is no such comment. */
export async function setCommentHidden(db: Db, actor: Actor, id: number, hidden: boolean, reason: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const c = await commentTarget(tx, id);
    if (!c) return false;
    await tx.updateTable('comment').set({ hidden_at: hidden ? now.toISOString() : null, held: 0 }).where('id', '=', id).execute();
    await tx.updateTable('comment_report').set({ resolved_at: now.toISOString() }).where('comment_id', '=', id).where('resolved_at', 'is', null).execute();
    await recordAudit(tx, actor, hidden ? 'hide_comment' : 'restore_comment', c.target, reason, now);
    return true;
  });
}

/** Shows a held comment; its thread's activity moves to when it was posted. */
export async function approveComment(db: Db, actor: Actor, id: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const c = await tx.selectFrom('comment').select('id').where('id', '=', id).where('held', '=', 1).executeTakeFirst();
    const t = c && (await commentTarget(tx, id));
    if (!t) return false;
    await tx.updateTable('comment').set({ held: 0 }).where('id', '=', id).execute();
    if (t.parentId !== null) await tx.updateTable('comment').set({ activity_at: t.createdAt }).where('id', '=', t.parentId).where('activity_at', '<', t.createdAt).execute();
    await recordAudit(tx, actor, 'approve_comment', t.target, '', now);
    return true;
  });
}

/** Marks a comment's reports handled without hiding it (the report was unfounded). */
export async function dismissReports(db: Db, actor: Actor, id: number, reason: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const c = await commentTarget(tx, id);
    if (!c) return false;
    const res = await tx.updateTable('comment_report').set({ resolved_at: now.toISOString() }).where('comment_id', '=', id).where('resolved_at', 'is', null).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    await recordAudit(tx, actor, 'dismiss_reports', c.target, reason, now);
    return true;
  });
}

export interface QueuedComment {
  id: number;
  arxivId: string;
  paperTitle: string;
  authorName: string;
  body: string;
  hidden: boolean;
  createdAt: string;
  /** Open reports: their reasons, newest first. */
  reports: string[];
}

function queueQuery(db: Db) {
  return db
    .selectFrom('comment as c')
    .innerJoin('paper as p', 'p.id', 'c.paper_id')
    .innerJoin('user_account as u', 'u.id', 'c.user_id')
    .select(['c.id', 'p.arxiv_id', 'p.title', 'u.display_name', 'u.id as user_id', 'c.body', 'c.hidden_at', 'c.created_at'])
    .where('c.deleted_at', 'is', null);
}

/** Comments with open reports, most reported first. */
export async function listReportedComments(db: Db, limit = 100): Promise<QueuedComment[]> {
  const reports = await db.selectFrom('comment_report').select(['comment_id', 'reason', 'created_at']).where('resolved_at', 'is', null).orderBy('created_at', 'desc').limit(2000).execute();
  const byComment = new Map<number, string[]>();
  for (const r of reports) byComment.set(r.comment_id, [...(byComment.get(r.comment_id) ?? []), r.reason]);
  const ids = [...byComment.keys()].sort((a, b) => byComment.get(b)!.length - byComment.get(a)!.length).slice(0, limit);
  if (ids.length === 0) return [];
  const rows = await queueQuery(db).where('c.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ id, arxivId: r.arxiv_id, paperTitle: r.title, authorName: r.display_name ?? `reader ${r.user_id}`, body: r.body, hidden: r.hidden_at !== null, createdAt: r.created_at, reports: byComment.get(id)! }] : [];
  });
}

/** Comments waiting for approval, oldest first. */
export async function listHeldComments(db: Db, limit = 100): Promise<QueuedComment[]> {
  const rows = await queueQuery(db).where('c.held', '=', 1).where('c.hidden_at', 'is', null).orderBy('c.created_at').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, arxivId: r.arxiv_id, paperTitle: r.title, authorName: r.display_name ?? `reader ${r.user_id}`, body: r.body, hidden: false, createdAt: r.created_at, reports: [] }));
}

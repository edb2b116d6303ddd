// Writing comments: post (or reply), edit within the window, delete. Replies hang off a top-level
// comment only (one level, like Hugging Face): a reply to a reply joins its thread. Rate limits are
// counted in the store, per account and per address, so every process of an instance shares them.
import type { Db } from '../store/db.ts';
import type { CommentsConfig } from '../config.ts';
import { hitRateLimit, isCurator, type User } from '../accounts/index.ts';
import { ensureProfile } from '../people/index.ts';
import { isDiscussionClosed } from './moderation.ts';

export const MAX_COMMENT_LENGTH = 10_000;

/** Trims a body and checks it; the problem comes back as a sentence for the form or the API. */
export function checkCommentBody(raw: unknown): { ok: true; body: string } | { ok: false; message: string } {
  if (typeof raw !== 'string') return { ok: false, message: 'body: must be text.' };
  const body = raw.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (body === '') return { ok: false, message: 'body: cannot be empty.' };
  if (body.length > MAX_COMMENT_LENGTH) return { ok: false, message: `body: must be at most ${MAX_COMMENT_LENGTH.toLocaleString('en')} characters (it has ${body.length.toLocaleString('en')}).` };
  return { ok: true, body };
}

export interface PostDeps {
  db: Db;
  secret: string;
  config: CommentsConfig;
}

export type PostOutcome =
  | { ok: true; id: number; held: boolean }
  | { ok: false; reason: 'suspended' | 'locked' | 'parent_not_found'; message: string }
  | { ok: false; reason: 'rate_limited'; message: string; retryAfterSeconds: number };

/** Rules for the two comment limits: per account, and (three times as generous) per address. */
export function commentRateRules(config: CommentsConfig) {
  return {
    user: { name: 'comment-user', limit: config.limitPerHour, windowMs: 3600_000 },
    ip: { name: 'comment-ip', limit: config.limitPerHour * 3, windowMs: 3600_000 },
  };
}

export async function postComment(deps: PostDeps, user: User, paperId: number, input: { body: string; parentId?: number | undefined; ip: string }, now: Date): Promise<PostOutcome> {
  const { db } = deps;
  if (user.suspended) return { ok: false, reason: 'suspended', message: 'Your account is suspended: it cannot comment.' };
  if (await isDiscussionClosed(db, paperId)) return { ok: false, reason: 'locked', message: 'This discussion is locked: no new comments or replies.' };
  let threadId: number | undefined;
  if (input.parentId !== undefined) {
    const parent = await db.selectFrom('comment').select(['id', 'parent_id', 'paper_id', 'held', 'hidden_at']).where('id', '=', input.parentId).executeTakeFirst();
    if (!parent || parent.paper_id !== paperId || parent.held === 1) return { ok: false, reason: 'parent_not_found', message: `parent: comment ${input.parentId} is not part of this discussion.` };
    threadId = parent.parent_id ?? parent.id;
  }
  const rules = commentRateRules(deps.config);
  for (const [rule, key] of [[rules.user, String(user.id)], [rules.ip, input.ip]] as const) {
    const hit = await hitRateLimit(db, deps.secret, rule, key, now);
    if (!hit.ok) return { ok: false, reason: 'rate_limited', message: `Too many comments: try again in ${Math.ceil(hit.retryAfterSeconds / 60)} minute(s).`, retryAfterSeconds: hit.retryAfterSeconds };
  }
  const held = await shouldHold(db, deps.config, user);
  await ensureProfile(db, user, now);
  const at = now.toISOString();
  const id = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('comment')
      .values({ paper_id: paperId, user_id: user.id, parent_id: threadId ?? null, body: input.body, held: held ? 1 : 0, created_at: at, activity_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (threadId !== undefined && !held) await tx.updateTable('comment').set({ activity_at: at }).where('id', '=', threadId).execute();
    return row.id;
  });
  return { ok: true, id, held };
}

/** A new account's first comments wait for a curator when COMMENT_HOLD_FIRST is set; curators' never do. */
async function shouldHold(db: Db, config: CommentsConfig, user: User): Promise<boolean> {
  if (config.holdFirst === 0 || isCurator(user)) return false;
  const row = await db.selectFrom('comment').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', user.id).where('held', '=', 0).where('hidden_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n) < config.holdFirst;
}

export type ChangeOutcome = { ok: true } | { ok: false; reason: 'not_found' | 'forbidden' | 'window_closed' | 'locked' | 'suspended'; message: string };

async function ownComment(db: Db, user: User, id: number) {
  const row = await db.selectFrom('comment').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.deleted_at !== null) return { ok: false as const, reason: 'not_found' as const, message: `No comment ${id}.` };
  if (row.user_id !== user.id) return { ok: false as const, reason: 'forbidden' as const, message: 'Only its author can change a comment.' };
  if (user.suspended) return { ok: false as const, reason: 'suspended' as const, message: 'Your account is suspended: it cannot change comments.' };
  return { ok: true as const, row };
}

/** Whether the edit window is still open for a comment posted at `createdAt`. */
export function canStillEdit(createdAt: string, config: CommentsConfig, now: Date): boolean {
  return now.getTime() - Date.parse(createdAt) <= config.editWindowMinutes * 60_000;
}

export async function editComment(deps: PostDeps, user: User, id: number, body: string, now: Date): Promise<ChangeOutcome> {
  const own = await ownComment(deps.db, user, id);
  if (!own.ok) return own;
  if (!canStillEdit(own.row.created_at, deps.config, now)) return { ok: false, reason: 'window_closed', message: `Comments can be edited for ${deps.config.editWindowMinutes} minutes after posting.` };
  if (await isDiscussionClosed(deps.db, own.row.paper_id)) return { ok: false, reason: 'locked', message: 'This discussion is locked.' };
  if (own.row.body === body) return { ok: true };
  await deps.db.updateTable('comment').set({ body, edited_at: now.toISOString() }).where('id', '=', id).execute();
  return { ok: true };
}

/**
 * Deletes by its author. A comment with replies stays as a "deleted" placeholder so the replies keep
 * their context; otherwise it goes, and so does a deleted thread start left without replies.
 */
export async function deleteComment(db: Db, user: User, id: number, now: Date): Promise<ChangeOutcome> {
  const own = await ownComment(db, user, id);
  if (!own.ok) return own;
  await db.transaction().execute(async (tx) => {
    const replies = await tx.selectFrom('comment').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
    if (replies) {
      await tx.updateTable('comment').set({ deleted_at: now.toISOString(), body: '' }).where('id', '=', id).execute();
      return;
    }
    await tx.deleteFrom('comment').where('id', '=', id).execute();
    const parent = own.row.parent_id;
    if (parent !== null) {
      const left = await tx.selectFrom('comment').select('id').where('parent_id', '=', parent).limit(1).executeTakeFirst();
      if (!left) await tx.deleteFrom('comment').where('id', '=', parent).where('deleted_at', 'is not', null).execute();
    }
  });
  return { ok: true };
}

/** Records a report (once per reader and comment; a new reason replaces the old, and reopens it). */
export async function reportComment(db: Db, user: User, id: number, reason: string, now: Date): Promise<{ ok: true } | { ok: false; message: string }> {
  if (user.suspended) return { ok: false, message: 'Your account is suspended.' };
  const row = await db.selectFrom('comment').select(['id', 'user_id']).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) return { ok: false, message: `No comment ${id}.` };
  const text = reason.replace(/\s+/g, ' ').trim().slice(0, 500);
  const at = now.toISOString();
  await db
    .insertInto('comment_report')
    .values({ comment_id: id, user_id: user.id, reason: text, created_at: at })
    .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doUpdateSet({ reason: text, created_at: at, resolved_at: null }))
    .execute();
  return { ok: true };
}

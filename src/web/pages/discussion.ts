// The paper page's discussion, and the form posts behind it: comment or reply, edit, delete, report,
// and the curator actions (hide, restore, approve, lock). Every post answers with a redirect back to
// the comment, or a 4xx page naming the field at fault.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, raw, type HtmlValue, type RawHtml } from '../../lib/html.ts';
import { isCurator, type User } from '../../accounts/index.ts';
import {
  approveComment, canStillEdit, checkCommentBody, countComments, deleteComment, editComment, findComment, isDiscussionClosed, isDiscussionLocked,
  listDiscussion, postComment, queueThreadNotices, reportComment, setCommentHidden, setDiscussionLocked, type ChangeOutcome, type ThreadOrder,
} from '../../comments/index.ts';
import { userClaimsOnPaper, verifiedAuthors, type ClaimStatus } from '../../people/index.ts';
import { findPaperByArxivId, parseArxivId, type Paper } from '../../papers/index.ts';
import { HttpError, type AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { limitWrites, requireViewer, signInHref, viewerOf } from '../session.ts';
import { paperHref } from '../views/paper-card.ts';
import { discussionSection } from '../views/discussion.ts';

/** The discussion section of a paper page, for this reader. */
export async function paperDiscussion(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, paper: Paper): Promise<RawHtml> {
  const viewer = await viewerOf(deps, req);
  const q = req.query as Record<string, unknown>;
  const order: ThreadOrder = q.comments === 'oldest' ? 'oldest' : 'activity';
  const [threads, locked, lockedByCurators, counts, verified] = await Promise.all([
    listDiscussion(deps.db, paper.id, viewer, order),
    isDiscussionClosed(deps.db, paper.id),
    isDiscussionLocked(deps.db, paper.id),
    countComments(deps.db, [paper.id]),
    verifiedAuthors(deps.db, [paper.id]),
  ]);
  const now = deps.now();
  const editable = new Set<number>();
  for (const t of threads) for (const c of [t.comment, ...t.replies]) if (viewer && c.author?.id === viewer.id && canStillEdit(c.createdAt, deps.config.comments, now)) editable.add(c.id);
  return discussionSection({
    arxivId: paper.arxivId, threads, count: counts.get(paper.id) ?? 0, order, locked, lockedByCurators, editable,
    viewer: viewer && { id: viewer.id, curator: isCurator(viewer), suspended: viewer.suspended },
    authorHandles: new Set([...(verified.get(paper.id)?.values() ?? [])].map((a) => a.handle)),
    csrf: viewer ? csrfField(req, reply, deps.secret) : raw(''), signInHref: signInHref(`${paperHref(paper.arxivId)}#discussion`), editMinutes: deps.config.comments.editWindowMinutes,
  });
}

/** Verified authors of the paper and, for a signed-in reader, the form to claim one of its author names. */
export async function paperPeopleSlots(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, paper: Paper): Promise<{ verified: Map<string, { handle: string; displayName: string }>; claim: HtmlValue }> {
  const viewer = await viewerOf(deps, req);
  const [verified, mine] = await Promise.all([verifiedAuthors(deps.db, [paper.id]), viewer ? userClaimsOnPaper(deps.db, viewer.id, paper.id) : Promise.resolve(new Map<string, ClaimStatus>())]);
  const names = verified.get(paper.id) ?? new Map<string, { handle: string; displayName: string }>();
  const open = paper.authors.filter((a) => !names.has(a) && mine.get(a) !== 'pending');
  const pending = [...mine].filter(([, status]) => status === 'pending').map(([name]) => name);
  const claimed = (req.query as Record<string, unknown>).claimed !== undefined;
  let claim: HtmlValue = '';
  if (viewer && !viewer.suspended && (open.length > 0 || pending.length > 0)) {
    claim = html`<div class="claim">
  ${claimed ? html`<p class="notice" role="status">Thanks: a curator will check your claim.</p>` : ''}
  ${pending.length > 0 ? html`<p class="muted">Your claim to be ${pending.join(', ')} is waiting for a curator.</p>` : ''}
  ${open.length > 0 ? html`<details><summary>Are you an author of this paper?</summary><form method="post" action="/claims" class="comment-form">${csrfField(req, reply, deps.secret)}
    <input type="hidden" name="paper" value="${paper.arxivId}">
    <label for="claim-author">I am</label><select id="claim-author" name="author">${open.map((a) => html`<option>${a}</option>`)}</select>
    <button class="button small" type="submit">Claim authorship</button>
    <p class="hint">A curator checks claims by hand before your profile links to this paper.</p>
  </form></details>` : ''}
</div>`;
  }
  return { verified: names, claim };
}

type Form = Record<string, string | undefined>;

async function paperField(deps: AppDeps, raw: string | undefined): Promise<Paper> {
  const parsed = parseArxivId(raw ?? '');
  if (!parsed) throw new HttpError(400, 'bad_parameter', 'paper: expected an arXiv id.');
  const paper = await findPaperByArxivId(deps.db, parsed.id);
  if (!paper) throw new HttpError(404, 'not_found', `paper: we have no paper ${parsed.id}.`);
  return paper;
}

function commentIdParam(raw: string): number {
  const id = Number(raw);
  if (!/^\d{1,12}$/.test(raw) || id < 1) throw new HttpError(404, 'not_found', `No comment ${raw.slice(0, 20)}.`);
  return id;
}

function bodyField(raw: string | undefined): string {
  const checked = checkCommentBody(raw ?? '');
  if (!checked.ok) throw new HttpError(400, 'bad_parameter', checked.message);
  return checked.body;
}

function reasonField(raw: string | undefined, required: boolean): string {
  const reason = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (required && !reason) throw new HttpError(400, 'bad_parameter', 'reason: say why — it is recorded in the audit log.');
  if (reason.length > 500) throw new HttpError(400, 'bad_parameter', 'reason: keep it under 500 characters.');
  return reason;
}

function failChange(outcome: Exclude<ChangeOutcome, { ok: true }>): never {
  const status = { not_found: 404, forbidden: 403, window_closed: 409, locked: 409, suspended: 403 }[outcome.reason];
  throw new HttpError(status, outcome.reason, outcome.message);
}

async function writer(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<User | undefined> {
  const user = await requireViewer(deps, req, reply);
  if (user) await limitWrites(deps, req, user);
  return user;
}

async function curatorActor(deps: AppDeps, req: FastifyRequest, reply: FastifyReply) {
  const user = await writer(deps, req, reply);
  if (user && !isCurator(user)) throw new HttpError(403, 'forbidden', 'Only curators can do that.');
  return user && { id: user.id, label: user.email };
}

async function backToComment(deps: AppDeps, reply: FastifyReply, commentId: number, fallbackPaper?: string): Promise<FastifyReply> {
  const c = await findComment(deps.db, commentId);
  const arxivId = c?.arxivId ?? fallbackPaper;
  return reply.redirect(arxivId ? `${paperHref(arxivId)}${c ? `#comment-${c.id}` : '#discussion'}` : '/', 303);
}

/** Queues the reply mail of a comment's thread now and kicks the sender; a failure is left to the reply-notify sweep. */
async function notifyThread(deps: AppDeps, commentId: number): Promise<void> {
  try {
    if ((await queueThreadNotices(deps.db, commentId, { baseUrl: deps.config.baseUrl, secret: deps.secret, now: deps.now() })) > 0) deps.mail.kick();
  } catch (err) {
    deps.log.warn('reply_notify_failed', { comment_id: commentId, error: err });
  }
}

export function registerDiscussionRoutes(app: FastifyInstance, deps: AppDeps): void {
  const post = { db: deps.db, secret: deps.secret, config: deps.config.comments };

  app.post<{ Body: Form }>('/comments', async (req, reply) => {
    const user = await writer(deps, req, reply);
    if (!user) return reply;
    const paper = await paperField(deps, req.body.paper);
    const body = bodyField(req.body.body);
    const parentRaw = req.body.parent;
    if (parentRaw !== undefined && parentRaw !== '' && !/^\d{1,12}$/.test(parentRaw)) throw new HttpError(400, 'bad_parameter', 'parent: expected a comment id.');
    const outcome = await postComment(post, user, paper.id, { body, parentId: parentRaw ? Number(parentRaw) : undefined, ip: req.ip }, deps.now());
    if (!outcome.ok) {
      if (outcome.reason === 'rate_limited') throw new HttpError(429, 'rate_limited', outcome.message, { 'retry-after': String(outcome.retryAfterSeconds) });
      throw new HttpError({ suspended: 403, locked: 409, parent_not_found: 400 }[outcome.reason], outcome.reason, outcome.message);
    }
    if (parentRaw && !outcome.held) await notifyThread(deps, outcome.id);
    return backToComment(deps, reply, outcome.id);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/comments/:id/edit', async (req, reply) => {
    const user = await writer(deps, req, reply);
    if (!user) return reply;
    const id = commentIdParam(req.params.id);
    const outcome = await editComment(post, user, id, bodyField(req.body.body), deps.now());
    if (!outcome.ok) failChange(outcome);
    return backToComment(deps, reply, id);
  });

  app.post<{ Params: { id: string } }>('/comments/:id/delete', async (req, reply) => {
    const user = await writer(deps, req, reply);
    if (!user) return reply;
    const id = commentIdParam(req.params.id);
    const before = await findComment(deps.db, id);
    const outcome = await deleteComment(deps.db, user, id, deps.now());
    if (!outcome.ok) failChange(outcome);
    return backToComment(deps, reply, id, before?.arxivId);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/comments/:id/report', async (req, reply) => {
    const user = await writer(deps, req, reply);
    if (!user) return reply;
    const id = commentIdParam(req.params.id);
    const reason = reasonField(req.body.reason, true);
    const outcome = await reportComment(deps.db, user, id, reason, deps.now());
    if (!outcome.ok) throw new HttpError(404, 'not_found', outcome.message);
    return backToComment(deps, reply, id);
  });

  for (const action of ['hide', 'restore', 'approve'] as const) {
    app.post<{ Params: { id: string }; Body: Form }>(`/comments/:id/${action}`, async (req, reply) => {
      const actor = await curatorActor(deps, req, reply);
      if (!actor) return reply;
      const id = commentIdParam(req.params.id);
      const done = action === 'approve'
        ? await approveComment(deps.db, actor, id, deps.now())
        : await setCommentHidden(deps.db, actor, id, action === 'hide', reasonField(req.body.reason, true), deps.now());
      if (!done) throw new HttpError(404, 'not_found', `No comment ${id}${action === 'approve' ? ' waiting for review' : ''}.`);
      if (action === 'approve') await notifyThread(deps, id);
      const next = req.body.next;
      return next === '/curate/discussion' ? reply.redirect(next, 303) : backToComment(deps, reply, id);
    });
  }

  app.post<{ Body: Form }>('/discussion/lock', async (req, reply) => {
    const actor = await curatorActor(deps, req, reply);
    if (!actor) return reply;
    const paper = await paperField(deps, req.body.paper);
    if (req.body.locked !== '1' && req.body.locked !== '0') throw new HttpError(400, 'bad_parameter', 'locked: expected 1 or 0.');
    const locked = req.body.locked === '1';
    if (locked !== (await isDiscussionLocked(deps.db, paper.id))) await setDiscussionLocked(deps.db, actor, paper, locked, reasonField(req.body.reason, true), deps.now());
    return reply.redirect(`${paperHref(paper.arxivId)}#discussion`, 303);
  });
}

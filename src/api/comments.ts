// A paper's discussion over the API: GET /api/papers/{id}/comments (anyone), POST to it, and
// PATCH / DELETE /api/comments/{id} by the comment's author — writes with an API token, under the
// same rules as the page: suspended accounts, locked discussions, the edit window, the comment limits.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ARXIV_ID_HELP, type Paper } from '../papers/index.ts';
import { findUserById, type User } from '../accounts/index.ts';
import {
  checkCommentBody, deleteComment, editComment, findComment, listDiscussion, MAX_COMMENT_LENGTH, postComment, queueThreadNotices, renderCommentMarkdown,
  type ChangeOutcome, type Comment,
} from '../comments/index.ts';
import { ApiErrorSchema, apiRoute, HttpError, tokenOf, type AppDeps } from '../http/index.ts';
import { paperOr404 } from './paper-param.ts';

const CommentSchema = z
  .object({
    id: z.number().int(),
    parent: z.number().int().nullable().describe('the thread’s first comment, for a reply; null for a thread'),
    author: z.object({ name: z.string(), handle: z.string() }).nullable().describe('null on a deleted or hidden comment'),
    body: z.string().describe('the Markdown source; empty on a deleted or hidden comment'),
    body_html: z.string().describe('the body rendered: a safe Markdown subset with TeX as MathML, links rel="nofollow ugc noopener"'),
    state: z.enum(['visible', 'held', 'hidden', 'deleted']).describe('held: waiting for a curator, shown to its author only'),
    created_at: z.string(),
    edited_at: z.string().nullable(),
  })
  .meta({ id: 'Comment' });

const DiscussionSchema = z
  .object({
    paper: z.string(),
    comments: z.array(CommentSchema).describe('threads by newest activity (or oldest first), each thread start followed by its replies, oldest first'),
  })
  .meta({ id: 'Discussion' });

const PostBody = z.object({
  body: z.string({ error: 'must be text' }).describe(`Markdown, at most ${MAX_COMMENT_LENGTH} characters`),
  parent: z.number({ error: 'must be a comment id' }).int('must be a comment id').positive('must be a comment id').optional().describe('reply to this comment (a reply to a reply joins its thread)'),
});
const PatchBody = z.object({ body: z.string({ error: 'must be text' }).describe(`Markdown, at most ${MAX_COMMENT_LENGTH} characters`) });
const PaperParams = z.object({ id: z.string().describe('an arXiv id') });
const CommentParams = z.object({ id: z.coerce.number({ error: 'must be a comment id' }).int('must be a comment id').positive('must be a comment id').describe('a comment id') });

export function commentJson(c: Comment): z.output<typeof CommentSchema> {
  return {
    id: c.id, parent: c.parentId, author: c.author ? { name: c.author.name, handle: c.author.handle } : null, body: c.body,
    body_html: c.state === 'deleted' ? '' : renderCommentMarkdown(c.body), state: c.state, created_at: c.createdAt, edited_at: c.editedAt,
  };
}

async function tokenUser(deps: AppDeps, req: Parameters<typeof tokenOf>[0]): Promise<User> {
  const user = await findUserById(deps.db, tokenOf(req).userId);
  if (!user) throw new HttpError(401, 'unauthorized', 'the API token’s account no longer exists');
  return user;
}

function body(raw: string): string {
  const checked = checkCommentBody(raw);
  if (!checked.ok) throw new HttpError(400, 'bad_body', checked.message);
  return checked.body;
}

function failChange(outcome: Exclude<ChangeOutcome, { ok: true }>): never {
  const status = { not_found: 404, forbidden: 403, window_closed: 409, locked: 409, suspended: 403 }[outcome.reason];
  throw new HttpError(status, outcome.reason, outcome.message);
}

async function discussionJson(deps: AppDeps, paper: Paper, user: User | undefined, order: 'activity' | 'oldest') {
  const threads = await listDiscussion(deps.db, paper.id, user, order);
  return { paper: paper.arxivId, comments: threads.flatMap((t) => [t.comment, ...t.replies]).map(commentJson) };
}

export function registerCommentApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/papers/{id}/comments',
    operationId: 'listComments',
    tags: ['comments'],
    summary: 'A paper’s discussion',
    description: `Comments shown to everyone. ${ARXIV_ID_HELP}`,
    params: PaperParams,
    query: z.object({ order: z.enum(['activity', 'oldest'], { error: 'must be activity or oldest' }).default('activity').describe('threads by newest activity, or oldest first') }),
    responses: {
      200: { description: 'The discussion', schema: DiscussionSchema },
      400: { description: 'A malformed parameter, named in the message', schema: ApiErrorSchema },
      404: { description: 'No such paper', schema: ApiErrorSchema },
    },
    handler: async ({ params, query, reply }) => {
      reply.header('cache-control', 'no-cache');
      return discussionJson(deps, await paperOr404(deps, params.id), undefined, query.order);
    },
  });

  apiRoute(app, deps, {
    method: 'POST',
    path: '/api/papers/{id}/comments',
    operationId: 'postComment',
    tags: ['comments'],
    summary: 'Comment on a paper, or reply',
    description: 'As the owner of the API token. A new account’s first comments may wait for a curator (state "held").',
    params: PaperParams,
    body: PostBody,
    auth: 'token',
    responses: {
      201: { description: 'The comment', schema: CommentSchema },
      400: { description: 'A field is missing or wrong; the message names it', schema: ApiErrorSchema },
      401: { description: 'No valid API token (suspending an account revokes its tokens)', schema: ApiErrorSchema },
      404: { description: 'No such paper, or no such parent comment in its discussion', schema: ApiErrorSchema },
      409: { description: 'The discussion is locked', schema: ApiErrorSchema },
      429: { description: 'Past the comment limit; Retry-After says when to try again', schema: ApiErrorSchema },
    },
    handler: async ({ params, body: input, req, reply }) => {
      const paper = await paperOr404(deps, params.id);
      const user = await tokenUser(deps, req);
      const text = body(input.body);
      const outcome = await postComment({ db: deps.db, secret: deps.secret, config: deps.config.comments }, user, paper.id, { body: text, parentId: input.parent, ip: req.ip }, deps.now());
      if (!outcome.ok) {
        if (outcome.reason === 'rate_limited') throw new HttpError(429, 'rate_limited', outcome.message, { 'retry-after': String(outcome.retryAfterSeconds) });
        throw new HttpError({ suspended: 403, locked: 409, parent_not_found: 404 }[outcome.reason], outcome.reason, outcome.message);
      }
      if (input.parent !== undefined && !outcome.held) {
        try {
          if ((await queueThreadNotices(deps.db, outcome.id, { baseUrl: deps.config.baseUrl, secret: deps.secret, now: deps.now() })) > 0) deps.mail.kick();
        } catch (err) {
          deps.log.warn('reply_notify_failed', { comment_id: outcome.id, error: err }); // the reply-notify sweep retries
        }
      }
      const threads = await listDiscussion(deps.db, paper.id, user, 'oldest');
      const made = threads.flatMap((t) => [t.comment, ...t.replies]).find((c) => c.id === outcome.id)!;
      reply.code(201).header('location', `/api/comments/${outcome.id}`);
      return commentJson(made);
    },
  });

  apiRoute(app, deps, {
    method: 'PATCH',
    path: '/api/comments/{id}',
    operationId: 'editComment',
    tags: ['comments'],
    summary: 'Edit your comment',
    description: `By its author, within ${deps.config.comments.editWindowMinutes} minutes of posting; it shows as edited.`,
    params: CommentParams,
    body: PatchBody,
    auth: 'token',
    responses: {
      200: { description: 'The comment as it now reads', schema: CommentSchema },
      400: { description: 'A field is missing or wrong; the message names it', schema: ApiErrorSchema },
      401: { description: 'No valid API token', schema: ApiErrorSchema },
      403: { description: 'Not the comment’s author', schema: ApiErrorSchema },
      404: { description: 'No such comment', schema: ApiErrorSchema },
      409: { description: 'The edit window has closed, or the discussion is locked', schema: ApiErrorSchema },
    },
    handler: async ({ params, body: input, req }) => {
      const user = await tokenUser(deps, req);
      const text = body(input.body);
      const outcome = await editComment({ db: deps.db, secret: deps.secret, config: deps.config.comments }, user, params.id, text, deps.now());
      if (!outcome.ok) failChange(outcome);
      const found = (await findComment(deps.db, params.id))!;
      const threads = await listDiscussion(deps.db, found.paperId, user, 'oldest');
      return commentJson(threads.flatMap((t) => [t.comment, ...t.replies]).find((c) => c.id === params.id)!);
    },
  });

  apiRoute(app, deps, {
    method: 'DELETE',
    path: '/api/comments/{id}',
    operationId: 'deleteComment',
    tags: ['comments'],
    summary: 'Delete your comment',
    description: 'By its author. A comment with replies stays as a "deleted" placeholder above them.',
    params: CommentParams,
    auth: 'token',
    responses: {
      204: { description: 'Deleted' },
      401: { description: 'No valid API token', schema: ApiErrorSchema },
      403: { description: 'Not the comment’s author', schema: ApiErrorSchema },
      404: { description: 'No such comment', schema: ApiErrorSchema },
    },
    handler: async ({ params, req, reply }) => {
      const user = await tokenUser(deps, req);
      const outcome = await deleteComment(deps.db, user, params.id, deps.now());
      if (!outcome.ok) failChange(outcome);
      reply.code(204);
      return undefined;
    },
  });
}

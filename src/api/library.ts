// The personal library, follows and "for you" over the API, as the owner of an API token: a reading
// tool or a script keeps a library in step. PUT is idempotent (the entry ends up as sent).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ARXIV_ID_HELP, type Paper } from '../papers/index.ts';
import { checkNote, listLibrary, parseTagList, savePaper, unsavePaper, type LibraryEntry } from '../library/index.ts';
import { addFollow, checkFollowValue, FOLLOW_KINDS, listFollows, removeFollow, type FollowKind } from '../follows/index.ts';
import { describeReason, recommendForUser } from '../recommend/index.ts';
import { ApiErrorSchema, apiRoute, HttpError, intParam, tokenOf, type AppDeps } from '../http/index.ts';
import { PaperSchema, papersToJson } from './paper-json.ts';
import { paperOr404 } from './paper-param.ts';

const SavedPaperSchema = PaperSchema.extend({
  tags: z.array(z.string()).describe('the owner’s tags on this paper'),
  note: z.string().nullable().describe('the owner’s private note'),
  read: z.boolean(),
  saved_at: z.string().describe('when it was saved (ISO 8601)'),
}).meta({ id: 'SavedPaper' });

const LibraryPutSchema = z
  .object({
    tags: z.array(z.string({ error: 'must be a list of strings' }), { error: 'must be a list of strings' }).max(20, 'at most 20 tags').optional().describe('replaces the paper’s tags; new tags are created'),
    note: z.string({ error: 'must be a string or null' }).max(4000, 'at most 4000 characters').nullable().optional().describe('replaces the private note; null or "" clears it'),
    read: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .optional()
  .meta({ id: 'LibraryPut' });

const RecommendationSchema = PaperSchema.extend({
  reason: z.string().describe('why it is recommended, in a few words'),
  reasons: z.array(z.string()).describe('every reason, the first being `reason`'),
}).meta({ id: 'Recommendation' });

const FollowSchema = z
  .object({ id: z.number().int(), kind: z.enum(['author', 'category', 'search']), value: z.string(), created_at: z.string() })
  .meta({ id: 'Follow' });

const idParams = z.object({ id: z.string().describe('an arXiv id') });

export function registerLibraryApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  const savedJson = async (items: Array<{ paper: Paper } & LibraryEntry>) => {
    const papers = await papersToJson(deps.db, items.map((i) => i.paper), deps.config.baseUrl);
    return items.map((i, k) => ({ ...papers[k]!, tags: i.tags, note: i.note, read: i.read, saved_at: i.savedAt }));
  };

  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/library',
    operationId: 'listLibrary',
    tags: ['library'],
    summary: 'The token owner’s saved papers',
    query: z.object({
      tag: z.string().max(40).optional().describe('only papers with this tag'),
      sort: z.enum(['saved', 'announced'], { error: 'must be saved or announced' }).optional().describe('saved (newest saved first, default) or announced'),
      limit: intParam({ min: 1, cap: 500, fallback: 100, description: 'papers per page' }),
      offset: intParam({ min: 0, fallback: 0, description: 'papers to skip' }),
    }),
    auth: 'token',
    responses: {
      200: { description: 'A page of the library', schema: z.object({ papers: z.array(SavedPaperSchema), total: z.number().int() }) },
      400: { description: 'A bad parameter, named in the message', schema: ApiErrorSchema },
      401: { description: 'No valid API token', schema: ApiErrorSchema },
    },
    handler: async ({ query, req }) => {
      const page = await listLibrary(deps.db, tokenOf(req).userId, { tag: query.tag?.toLowerCase(), sort: query.sort, limit: query.limit, offset: query.offset });
      return { papers: await savedJson(page.items), total: page.total };
    },
  });

  apiRoute(app, deps, {
    method: 'PUT',
    path: '/api/library/{id}',
    restParam: true,
    operationId: 'savePaper',
    tags: ['library'],
    summary: 'Save a paper, or change its tags, note or read mark',
    description: `Idempotent. Fields left out keep their value. ${ARXIV_ID_HELP}`,
    params: idParams,
    body: LibraryPutSchema,
    auth: 'token',
    responses: {
      200: { description: 'The saved paper as it now stands', schema: SavedPaperSchema },
      400: { description: 'A bad field, named in the message', schema: ApiErrorSchema },
      401: { description: 'No valid API token', schema: ApiErrorSchema },
      404: { description: 'Not an arXiv id, or no such paper here', schema: ApiErrorSchema },
    },
    handler: async ({ params, body, req }) => {
      const paper = await paperOr404(deps, params.id, 'arxiv_id');
      const tags = body?.tags === undefined ? undefined : parseTagList(body.tags);
      if (tags && !tags.ok) throw new HttpError(400, 'bad_body', `tags: ${tags.message}`);
      const note = body?.note === undefined ? undefined : body.note === null ? ({ ok: true, value: null } as const) : checkNote(body.note);
      if (note && !note.ok) throw new HttpError(400, 'bad_body', `note: ${note.message}`);
      const entry = await savePaper(deps.db, tokenOf(req).userId, paper.id, { tags: tags?.value, note: note?.value, read: body?.read }, deps.now());
      return (await savedJson([{ paper, ...entry }]))[0];
    },
  });

  apiRoute(app, deps, {
    method: 'DELETE',
    path: '/api/library/{id}',
    restParam: true,
    operationId: 'unsavePaper',
    tags: ['library'],
    summary: 'Remove a paper from the library (and from its tags)',
    description: 'Idempotent: removing a paper that is not saved also answers 200.',
    params: idParams,
    auth: 'token',
    responses: {
      200: { description: 'The paper is not in the library', schema: z.object({ paper: z.string(), saved: z.literal(false) }) },
      401: { description: 'No valid API token', schema: ApiErrorSchema },
      404: { description: 'Not an arXiv id, or no such paper here', schema: ApiErrorSchema },
    },
    handler: async ({ params, req }) => {
      const paper = await paperOr404(deps, params.id, 'arxiv_id');
      await unsavePaper(deps.db, tokenOf(req).userId, paper.id);
      return { paper: paper.arxivId, saved: false as const };
    },
  });

  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/recommendations',
    operationId: 'listRecommendations',
    tags: ['library'],
    summary: 'New papers for the token owner, with reasons',
    description: 'Papers announced in the last 7 days (up to the newest listed day), ranked by the owner’s library, tags, upvotes and follows. Empty until the owner saves, upvotes or follows something.',
    query: z.object({ limit: intParam({ min: 1, cap: 200, fallback: 50, description: 'papers' }) }),
    auth: 'token',
    responses: {
      200: { description: 'Ranked papers', schema: z.object({ results: z.array(RecommendationSchema), since: z.string(), until: z.string() }) },
      400: { description: 'A bad parameter, named in the message', schema: ApiErrorSchema },
      401: { description: 'No valid API token', schema: ApiErrorSchema },
    },
    handler: async ({ query, req }) => {
      const list = await recommendForUser(deps.db, tokenOf(req).userId, { limit: query.limit });
      const papers = await papersToJson(deps.db, list.items.map((i) => i.paper), deps.config.baseUrl);
      const results = list.items.map((i, k) => {
        const reasons = i.reasons.map(describeReason);
        return { ...papers[k]!, reason: reasons[0] ?? '', reasons };
      });
      return { results, since: list.since, until: list.until };
    },
  });

  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/follows',
    operationId: 'listFollows',
    tags: ['library'],
    summary: 'The authors, categories and searches the token owner follows',
    auth: 'token',
    responses: {
      200: { description: 'Follows', schema: z.object({ follows: z.array(FollowSchema) }) },
      401: { description: 'No valid API token', schema: ApiErrorSchema },
    },
    handler: async ({ req }) => ({ follows: (await listFollows(deps.db, tokenOf(req).userId)).map(followJson) }),
  });

  apiRoute(app, deps, {
    method: 'POST',
    path: '/api/follows',
    operationId: 'addFollow',
    tags: ['library'],
    summary: 'Follow an author, a category or a search',
    description: 'Idempotent: following the same thing again returns the existing follow. A search is a query in the search box’s language, filters included (`diffusion cat:cs.CV -survey`).',
    body: z.object({ kind: z.enum(['author', 'category', 'search'], { error: `must be one of ${FOLLOW_KINDS.join(', ')}` }), value: z.string({ error: 'must be a string' }) }).strict().meta({ id: 'FollowPost' }),
    auth: 'token',
    responses: {
      200: { description: 'The follow', schema: FollowSchema },
      400: { description: 'A bad field, named in the message', schema: ApiErrorSchema },
      401: { description: 'No valid API token', schema: ApiErrorSchema },
      409: { description: 'Too many follows', schema: ApiErrorSchema },
    },
    handler: async ({ body, req }) => {
      const checked = checkFollowValue(body.kind as FollowKind, body.value);
      if (!checked.ok) throw new HttpError(400, 'bad_body', `value: ${checked.message}`);
      const outcome = await addFollow(deps.db, tokenOf(req).userId, body.kind as FollowKind, checked.value, checked.key, deps.now());
      if (!outcome.ok) throw new HttpError(409, 'too_many', 'you follow as many things as one account may; unfollow some first');
      return followJson(outcome.follow);
    },
  });

  apiRoute(app, deps, {
    method: 'DELETE',
    path: '/api/follows/{id}',
    operationId: 'removeFollow',
    tags: ['library'],
    summary: 'Unfollow',
    params: z.object({ id: z.coerce.number({ error: 'must be a follow id (a whole number)' }).int('must be a whole number').positive('must be positive') }),
    auth: 'token',
    responses: {
      204: { description: 'Unfollowed' },
      400: { description: 'A bad parameter', schema: ApiErrorSchema },
      401: { description: 'No valid API token', schema: ApiErrorSchema },
      404: { description: 'No such follow of yours', schema: ApiErrorSchema },
    },
    handler: async ({ params, req }) => {
      if (!(await removeFollow(deps.db, tokenOf(req).userId, params.id))) throw new HttpError(404, 'not_found', `id: you have no follow ${params.id}`);
      return undefined;
    },
  });
}

function followJson(f: { id: number; kind: string; value: string; createdAt: string }) {
  return { id: f.id, kind: f.kind as FollowKind, value: f.value, created_at: f.createdAt };
}

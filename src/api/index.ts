// JSON routes under /api. Errors answer {error:{code,message}} (see web/app.ts). Every route is
// declared through apiRoute (route.ts), which validates input and feeds /api/openapi.json.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../lib/http-error.ts';
import { findPaperByArxivId, parseArxivId, ARXIV_ID_HELP } from '../papers/index.ts';
import type { AppDeps } from '../web/app.ts';
import { configureApiAuth, tokenOf } from './auth.ts';
import { registerBibtexRoutes } from './bibtex.ts';
import { registerCors } from './cors.ts';
import { registerDailyPapersRoute } from './daily-papers.ts';
import { registerDocsRoutes } from './docs.ts';
import { representation } from './http-cache.ts';
import { lastModifiedOf, upvotesFor } from './listing.ts';
import { ApiErrorSchema, PaperSchema, paperToJson } from './paper-json.ts';
import { apiRoute } from './route.ts';
import { revokeApiToken } from './tokens.ts';
import { registerVoteApiRoutes } from './votes.ts';
import { registerCommentApiRoutes } from './comments.ts';
import { countComments } from '../comments/index.ts';

export { z };
export { apiRoute, intParam, recordedRoutes, type RouteSpec } from './route.ts';
export { representation, type Representation } from './http-cache.ts';
export { ApiErrorSchema, PaperSchema, paperToJson, type PaperJson } from './paper-json.ts';
export { HfDailyPaperSchema, toHfDailyPaper } from './daily-papers.ts';
export { authenticateBearer, createApiToken, listApiTokens, revokeApiToken, type ApiToken } from './tokens.ts';
export { requireApiToken, tokenOf } from './auth.ts';
export { listForPeriod, latestPeriod, searchPapers, upvotesFor, type ListingSort, type SearchPapers, type Upvotes } from './listing.ts';

export function registerApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  configureApiAuth(app, { db: deps.db, now: deps.now, writesPerMinute: deps.config.apiWriteRateLimit });
  registerCors(app);
  registerDailyPapersRoute(app, deps);
  registerPaperRoute(app, deps);
  registerTokenRoutes(app, deps);
  registerVoteApiRoutes(app, deps);
  registerCommentApiRoutes(app, deps);
  registerBibtexRoutes(app, deps);
  registerDocsRoutes(app, deps);
}

function registerPaperRoute(app: FastifyInstance, deps: AppDeps): void {
  apiRoute(app, {
    method: 'GET',
    path: '/api/papers/{id}',
    restParam: true,
    operationId: 'getPaper',
    tags: ['papers'],
    summary: 'One paper',
    description: 'The id is any form of arXiv id: 2503.01234, 2503.01234v2, arXiv:2503.01234, or an old-style id such as hep-th/9901001 (the slash may stay literal).',
    params: z.object({ id: z.string().describe('an arXiv id') }),
    cache: { maxAge: 300 },
    responses: {
      200: { description: 'The paper', schema: PaperSchema },
      404: { description: 'Not an arXiv id, or no such paper here', schema: ApiErrorSchema },
    },
    handler: async ({ params }) => {
      const parsed = parseArxivId(params.id);
      if (!parsed) throw new HttpError(404, 'not_found', `id: "${params.id.slice(0, 80)}" is not an arXiv id; ${ARXIV_ID_HELP}`);
      const paper = await findPaperByArxivId(deps.db, parsed.id);
      if (!paper) throw new HttpError(404, 'not_found', `no paper ${parsed.id}`);
      const [upvotes, lastModified, comments] = await Promise.all([upvotesFor(deps.db, [paper]), lastModifiedOf(deps.db, [paper.id]), countComments(deps.db, [paper.id])]);
      const body = paperToJson(paper, deps.config.baseUrl, upvotes.get(paper.id), comments.get(paper.id) ?? 0);
      return representation(JSON.stringify(body), 'application/json; charset=utf-8', lastModified);
    },
  });
}

const MeSchema = z.object({ userId: z.number().int(), tokenId: z.number().int() }).meta({ id: 'TokenOwner' });

function registerTokenRoutes(app: FastifyInstance, deps: AppDeps): void {
  apiRoute(app, {
    method: 'GET',
    path: '/api/me',
    operationId: 'getTokenOwner',
    tags: ['tokens'],
    summary: 'Who the API token belongs to',
    description: 'A cheap way to check a token works. Tokens are created and revoked on the account page.',
    auth: 'token',
    responses: { 200: { description: 'The token owner', schema: MeSchema } },
    handler: async ({ req }) => {
      const t = tokenOf(req);
      return { userId: t.userId, tokenId: t.tokenId };
    },
  });
  apiRoute(app, {
    method: 'DELETE',
    path: '/api/tokens/current',
    operationId: 'revokeCurrentToken',
    tags: ['tokens'],
    summary: 'Revoke the token this request is made with',
    description: 'For a script that is done, or a token that may have leaked. Other tokens are untouched.',
    auth: 'token',
    responses: { 204: { description: 'Revoked; the token no longer works' } },
    handler: async ({ req, reply }) => {
      const t = tokenOf(req);
      await revokeApiToken(deps.db, t.userId, t.tokenId, deps.now());
      reply.code(204);
      return undefined;
    },
  });
}

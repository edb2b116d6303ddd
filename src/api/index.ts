// JSON routes under /api (and BibTeX under /papers). Errors answer {error:{code,message}} (see
// http/server.ts). Every route is declared through apiRoute (http/route.ts), which validates input
// and feeds /api/openapi.json.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiErrorSchema, apiRoute, CHANGE_LEVEL, dependsOn, describeApi, representation, tokenOf, type AppDeps } from '../http/index.ts';
import { lastModifiedOf } from '../papers/index.ts';
import { revokeApiToken } from '../accounts/index.ts';
import { upvotesFor } from '../trending/index.ts';
import { registerBibtexRoutes } from './bibtex.ts';
import { registerDailyPapersRoute } from './daily-papers.ts';
import { PaperSchema, paperToJson } from './paper-json.ts';
import { registerSearchApiRoutes } from './search.ts';
import { registerSimilarApiRoute } from './similar.ts';
import { registerSubscriptionApiRoutes } from './subscriptions.ts';
import { registerVoteApiRoutes } from './votes.ts';
import { registerCommentApiRoutes } from './comments.ts';
import { countComments } from '../comments/index.ts';
import { registerLibraryApiRoutes } from './library.ts';
import { paperOr404 } from './paper-param.ts';

export function registerApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerDailyPapersRoute(app, deps);
  registerSearchApiRoutes(app, deps);
  registerSimilarApiRoute(app, deps);
  registerPaperRoute(app, deps);
  registerTokenRoutes(app, deps);
  registerVoteApiRoutes(app, deps);
  registerCommentApiRoutes(app, deps);
  registerLibraryApiRoutes(app, deps);
  registerBibtexRoutes(app, deps);
  registerSubscriptionApiRoutes(app, deps);
  registerOpenApiRoute(app, deps);
}

function registerOpenApiRoute(app: FastifyInstance, deps: AppDeps): void {
  let body: string | undefined;
  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/openapi.json',
    operationId: 'getOpenApi',
    tags: ['meta'],
    summary: 'This OpenAPI 3.1 document',
    cache: { maxAge: 300 },
    responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
    handler: async () => {
      // Built on first request, when every surface has registered its routes.
      body ??= JSON.stringify(describeApi(app, deps.config.baseUrl), null, 2);
      return representation(body, 'application/json; charset=utf-8');
    },
  });
}

function registerPaperRoute(app: FastifyInstance, deps: AppDeps): void {
  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/papers/{id}',
    restParam: true,
    operationId: 'getPaper',
    tags: ['papers'],
    summary: 'One paper',
    description: 'The id is any form of arXiv id: 2503.01234, 2503.01234v2, arXiv:2503.01234, or an old-style id such as hep-th/9901001 (the slash may stay literal).',
    params: z.object({ id: z.string().describe('an arXiv id') }),
    cache: { maxAge: 300, untilChange: true },
    responses: {
      200: { description: 'The paper', schema: PaperSchema },
      404: { description: 'Not an arXiv id, or no such paper here', schema: ApiErrorSchema },
    },
    handler: async ({ params, req }) => {
      const paper = await paperOr404(deps, params.id);
      dependsOn(req, { papers: [paper.id], level: CHANGE_LEVEL.all });
      const [upvotes, lastModified, comments] = await Promise.all([upvotesFor(deps.db, [paper]), lastModifiedOf(deps.db, [paper.id]), countComments(deps.db, [paper.id])]);
      const body = paperToJson(paper, deps.config.baseUrl, upvotes.get(paper.id), comments.get(paper.id) ?? 0);
      return representation(JSON.stringify(body), 'application/json; charset=utf-8', lastModified);
    },
  });
}

const MeSchema = z.object({ userId: z.number().int(), tokenId: z.number().int() }).meta({ id: 'TokenOwner' });

function registerTokenRoutes(app: FastifyInstance, deps: AppDeps): void {
  apiRoute(app, deps, {
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
  apiRoute(app, deps, {
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

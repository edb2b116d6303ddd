// PUT / DELETE /api/papers/{id}/vote — upvote a paper, or take the upvote back, as the owner of an API
// token (a script, a browser extension). Idempotent: the vote ends up as asked however often it is
// sent. The same rules as the vote button: hidden papers cannot be voted on, locked votes stay.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiErrorSchema, apiRoute, HttpError, tokenOf, type AppDeps } from '../http/index.ts';
import { ARXIV_ID_HELP } from '../papers/index.ts';
import { setVote } from '../community/index.ts';
import { paperOr404 } from './paper-param.ts';

const VoteSchema = z
  .object({
    paper: z.string().describe('the arXiv id, without version'),
    voted: z.boolean().describe('whether the token owner now upvotes the paper'),
    votes: z.number().int().describe('the paper’s local upvotes after the change'),
  })
  .meta({ id: 'Vote' });

export function registerVoteApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  for (const [method, up] of [['PUT', true], ['DELETE', false]] as const) {
    apiRoute(app, deps, {
      method,
      path: '/api/papers/{id}/vote',
      operationId: up ? 'upvotePaper' : 'removeUpvote',
      tags: ['votes'],
      summary: up ? 'Upvote a paper' : 'Take an upvote back',
      description: `As the owner of the API token. Idempotent. ${ARXIV_ID_HELP} Old-style ids keep their slash encoded (hep-th%2F9901001).`,
      params: z.object({ id: z.string().describe('an arXiv id') }),
      auth: 'token',
      responses: {
        200: { description: 'The vote as it now stands', schema: VoteSchema },
        403: { description: 'Curators locked voting on this paper', schema: ApiErrorSchema },
        404: { description: 'Not an arXiv id, no such paper here, or hidden by curators', schema: ApiErrorSchema },
      },
      handler: async ({ params, req }) => {
        const paper = await paperOr404(deps, params.id);
        const outcome = await setVote(deps.db, tokenOf(req).userId, paper.id, up, deps.now());
        if (!outcome.ok) {
          throw outcome.reason === 'locked'
            ? new HttpError(403, 'votes_locked', 'curators have locked voting on this paper; its votes stay as they are')
            : new HttpError(404, 'not_found', 'this paper has been hidden by curators');
        }
        return { paper: paper.arxivId, voted: outcome.voted, votes: outcome.votes };
      },
    });
  }
}

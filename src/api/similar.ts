// GET /api/papers/{id}/similar?limit=N — the paper page's "Similar papers" as JSON: nearest
// neighbours by vector when semantic search is ready, otherwise by keywords (search/similar.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiErrorSchema, apiRoute, type AppDeps } from '../http/index.ts';
import { ARXIV_ID_HELP } from '../papers/index.ts';
import { findSimilarPapers } from '../search/similar.ts';
import { PaperSchema, papersToJson } from './paper-json.ts';
import { paperOr404 } from './paper-param.ts';

/** The paper page shows this many; the API's default, so both show the same list. */
export const SIMILAR_DEFAULT = 5;
export const SIMILAR_MAX = 50;

const SimilarSchema = z
  .object({
    paper: z.string().describe('the arXiv id asked about'),
    method: z.enum(['semantic', 'keyword']).describe('how neighbours were found: vectors, or shared title words'),
    results: z.array(PaperSchema),
  })
  .meta({ id: 'SimilarPapers' });

export function registerSimilarApiRoute(app: FastifyInstance, deps: AppDeps): void {
  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/papers/{id}/similar',
    operationId: 'getSimilarPapers',
    tags: ['papers'],
    summary: 'Papers similar to one paper',
    description: `The list the paper page shows, most similar first; hidden and withdrawn papers are left out. ${ARXIV_ID_HELP} Old-style ids keep their slash encoded (hep-th%2F9901001).`,
    params: z.object({ id: z.string().describe('an arXiv id') }),
    query: z.object({
      limit: z.coerce.number().int().min(1).max(SIMILAR_MAX).default(SIMILAR_DEFAULT).describe(`how many papers (1–${SIMILAR_MAX}, default ${SIMILAR_DEFAULT})`),
    }),
    cache: { maxAge: 300 },
    responses: {
      200: { description: 'Similar papers', schema: SimilarSchema },
      404: { description: 'Not an arXiv id, or no such paper here', schema: ApiErrorSchema },
    },
    handler: async ({ params, query }) => {
      const paper = await paperOr404(deps, params.id);
      const similar = await findSimilarPapers(deps.db, deps.semantic, paper, query.limit);
      return { paper: paper.arxivId, method: similar.method, results: await papersToJson(deps.db, similar.papers, deps.config.baseUrl) };
    },
  });
}

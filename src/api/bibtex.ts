// GET /papers/{id}/bibtex — a BibTeX @misc entry for one paper, as text/plain.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { paperToBibtex } from '../export/bibtex.ts';
import { apiRoute, HttpError, representation, type AppDeps } from '../http/index.ts';
import { findPaperByArxivId, lastModifiedOf, parseArxivId } from '../papers/index.ts';

export function registerBibtexRoutes(app: FastifyInstance, deps: AppDeps): void {
  const handler = async (rawId: string) => {
    const parsed = parseArxivId(rawId);
    if (!parsed) throw new HttpError(404, 'not_found', `"${rawId.slice(0, 80)}" is not an arXiv id.`);
    const paper = await findPaperByArxivId(deps.db, parsed.id);
    if (!paper) throw new HttpError(404, 'not_found', `We have no paper ${parsed.id} yet.`);
    return representation(paperToBibtex(paper), 'text/plain; charset=utf-8', await lastModifiedOf(deps.db, [paper.id]));
  };
  const common = {
    method: 'GET' as const,
    tags: ['papers'],
    cache: { maxAge: 3600 },
    responses: { 200: { description: 'The BibTeX entry', contentTypes: ['text/plain'] }, 404: { description: 'No such paper: the site’s error page', contentTypes: ['text/html'] } },
  };
  apiRoute(app, deps, {
    ...common,
    path: '/papers/{id}/bibtex',
    operationId: 'getPaperBibtex',
    summary: 'A BibTeX entry for a paper (arXiv-style @misc)',
    description: 'Old-style ids keep their slash: /papers/hep-th/9901001/bibtex.',
    params: z.object({ id: z.string().describe('an arXiv id') }),
    handler: async ({ params }) => handler(params.id),
  });
  // Old-style ids (hep-th/9901001) span two path segments; the wildcard page route cannot end in /bibtex.
  apiRoute(app, deps, {
    ...common,
    path: '/papers/{archive}/{number}/bibtex',
    operationId: 'getOldStylePaperBibtex',
    summary: 'BibTeX for an old-style id',
    hidden: true,
    params: z.object({ archive: z.string(), number: z.string() }),
    handler: async ({ params }) => handler(`${params.archive}/${params.number}`),
  });
}

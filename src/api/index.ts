// JSON routes under /api. Errors answer {error:{code,message}} (see web/app.ts).
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../lib/http-error.ts';
import { findPaperByArxivId, parseArxivId } from '../papers/index.ts';
import type { AppDeps } from '../web/app.ts';
import { paperToJson } from './paper-json.ts';
import { countVotes } from '../community/index.ts';

export function registerApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { '*': string } }>('/api/papers/*', async (req) => {
    const raw = req.params['*'];
    const parsed = parseArxivId(raw);
    if (!parsed) throw new HttpError(404, 'not_found', `"${raw.slice(0, 80)}" is not an arXiv id`);
    const paper = await findPaperByArxivId(deps.db, parsed.id);
    if (!paper) throw new HttpError(404, 'not_found', `no paper ${parsed.id}`);
    const votes = await countVotes(deps.db, [paper.id]);
    return paperToJson(paper, deps.config.baseUrl, votes.get(paper.id) ?? 0);
  });
}

// GET /api/papers/search?q=&limit=&offset=&sort=&category=&since=&until=&has_code=
// → { results: [paper fields + score + snippet], total, total_exact, notes } (total_exact false: at least
// `total` papers match; any-word queries stop counting at 1,000). Bad parameters answer 400 naming them.
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../lib/http-error.ts';
import { searchPapers } from '../search/index.ts';
import { parseSearchParams } from '../search/params.ts';
import type { AppDeps } from '../web/app.ts';
import { paperToJson } from './paper-json.ts';

export function registerSearchApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: Record<string, unknown> }>('/api/papers/search', async (req, reply) => {
    const parsed = parseSearchParams(req.query, { limit: 20 });
    if (!parsed.ok) throw new HttpError(400, 'bad_parameter', `${parsed.param}: ${parsed.message}`);
    const p = parsed.params;
    if (p.q.trim() === '' && p.categories.length === 0 && !p.since && !p.until && !p.hasCode) {
      throw new HttpError(400, 'bad_parameter', 'q: give a search query (or a filter: category, since, until, has_code)');
    }
    const outcome = await searchPapers(
      deps.db, p.q,
      { limit: p.limit, offset: p.offset, sort: p.sort, categories: p.categories, since: p.since, until: p.until, hasCode: p.hasCode },
      deps.semantic,
    );
    reply.header('cache-control', 'no-store');
    return {
      results: outcome.results.map((r) => ({ ...paperToJson(r.paper, deps.config.baseUrl), score: Number(r.score.toFixed(4)), snippet: r.snippet })),
      total: outcome.total,
      total_exact: outcome.totalExact,
      limit: p.limit,
      offset: p.offset,
      sort: p.sort,
      matched: outcome.matched,
      semantic: outcome.semantic,
      ...(outcome.paper ? { paper: outcome.paper.arxivId } : {}),
      notes: outcome.notes,
    };
  });
}

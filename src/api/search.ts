// GET /api/papers/search?q=&limit=&offset=&sort=&category=&since=&until=&has_code=
// → { results: [paper fields + score + snippet], total, total_exact, notes } (total_exact false: at least
// `total` papers match; counting stops at 1,000 for any-word queries, 10,000 for all-words ones). Bad parameters answer 400 naming them.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiErrorSchema, apiRoute, HttpError, searchRunFor, type AppDeps } from '../http/index.ts';
import { searchPapers } from '../search/index.ts';
import { MAX_LIMIT, MAX_OFFSET, parseSearchParams } from '../search/params.ts';
import { PaperSchema, papersToJson } from './paper-json.ts';

// The page and the API read parameters with the same parser (search/params.ts), which takes a
// repeated parameter's last value and joins repeated categories; the schema documents that and
// hands each problem the parser finds to apiRoute, which answers 400 naming the parameter.
const param = (description: string) => z.union([z.string(), z.array(z.string())]).optional().describe(description);

const searchQuery = z
  .object({
    q: param('the search text: words, "phrases", -exclusions, au:/ti:/cat: fields, since:/until: dates, or an arXiv id or URL'),
    limit: param(`results per page, 1 to ${MAX_LIMIT} (default 20)`),
    offset: param(`results to skip, 0 to ${MAX_OFFSET} (default 0)`),
    sort: param('relevance (default), newest or upvotes'),
    category: param('arXiv categories to keep, e.g. cs.CL; repeat the parameter or separate with commas'),
    since: param('announced on or after: 2024-05-31, 2024-05 or 2024'),
    until: param('announced on or before: 2024-05-31, 2024-05 or 2024'),
    has_code: param('true to keep papers that link to code'),
  })
  .superRefine((raw, ctx) => {
    const parsed = parseSearchParams(raw, { limit: 20 });
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: [parsed.param], message: parsed.message });
  });

const SearchResultsSchema = z
  .object({
    results: z.array(
      PaperSchema.extend({
        score: z.number().describe('relevance; higher is better, comparable only within one answer'),
        snippet: z.string().describe('escaped HTML: a passage of the abstract with query words in <mark>'),
      }),
    ),
    total: z.number().int(),
    total_exact: z.boolean().describe('false when total is a lower bound (counting stops at 1,000 for any-word queries, 10,000 for all-words ones)'),
    limit: z.number().int(),
    offset: z.number().int(),
    sort: z.enum(['relevance', 'newest', 'upvotes']),
    matched: z.enum(['all', 'any', 'none']).describe('whether papers had all the words, any of them, or none matched'),
    semantic: z.boolean().describe('whether semantic search took part in the ranking'),
    paper: z.string().optional().describe('the arXiv id, when the query named a paper this instance has'),
    notes: z.array(z.string()).describe('how the query was read, in plain words'),
  })
  .meta({ id: 'SearchResults' });

export function registerSearchApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/papers/search',
    operationId: 'searchPapers',
    tags: ['papers'],
    summary: 'Search papers by keywords (and meaning, when semantic search is on)',
    description: 'Give q, or only filters (category, since, until, has_code) to list every paper that passes them.',
    query: searchQuery,
    responses: {
      200: { description: 'The matching papers, best first', schema: SearchResultsSchema },
      400: { description: 'A malformed parameter, or neither a query nor a filter; named in the message', schema: ApiErrorSchema },
      429: { description: 'More than SEARCH_LIMIT_PER_MINUTE searches from this address; retry after the Retry-After header', schema: ApiErrorSchema },
    },
    handler: async ({ query, req }) => {
      const parsed = parseSearchParams(query, { limit: 20 });
      if (!parsed.ok) throw new HttpError(400, 'bad_parameter', `${parsed.param}: ${parsed.message}`);
      const p = parsed.params;
      if (p.q.trim() === '' && p.categories.length === 0 && !p.since && !p.until && !p.hasCode) {
        throw new HttpError(400, 'bad_parameter', 'q: give a search query (or a filter: category, since, until, has_code)');
      }
      const outcome = await searchPapers(
        deps.db, p.q,
        { limit: p.limit, offset: p.offset, sort: p.sort, categories: p.categories, since: p.since, until: p.until, hasCode: p.hasCode, textSnippetOnly: true, withoutExtras: true },
        deps.semantic, searchRunFor(deps, req),
      );
      const papers = await papersToJson(deps.db, outcome.results.map((r) => r.paper), deps.config.baseUrl);
      return {
        results: outcome.results.map((r, i) => ({ ...papers[i]!, score: Number(r.score.toFixed(4)), snippet: r.snippet })),
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
    },
  });
}

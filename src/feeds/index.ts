// Feed routes: every listing and any search as RSS 2.0, Atom 1.0 and JSON Feed 1.1.
//   /feeds/{daily|weekly|monthly}.{rss|atom|json}  trending papers of the latest day / week / month with papers
//   /feeds/category/{cat}.{rss|atom|json}          the last 7 days of papers in a category, best first
//   /feeds/search.{rss|atom|json}?q=…              the newest matches for a search
//   /feeds/author.{rss|atom|json}?name=…           an author's newest papers
// Registered through apiRoute, so they are validated the same way and listed in the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRoute, CHANGE_LEVEL, dependsOn, FEED_CATEGORY_RE, FEED_FORMATS, FEED_TYPES, HttpError, OPEN_END, representation, searchRunFor, type AppDeps, type FeedFormat } from '../http/index.ts';
import { addDays, ARXIV_ABS_URL, describePeriod, lastModifiedOf, latestAnnouncedOn, type Paper, type Period, type PeriodKind } from '../papers/index.ts';
import { latestListedPeriod, listForPeriod, type ListingSort } from '../trending/index.ts';
import { renderFeed, type Feed } from './render.ts';
import { feedItem, feedUrls } from './items.ts';
import { registerLibraryFeedRoutes } from './library.ts';
import { findFeedPapers } from './search.ts';

import { authorPath, findAuthorPapers, MAX_AUTHOR_NAME } from '../people/index.ts';
export { renderFeed, type Feed } from './render.ts';
export { feedErrorDocument } from './errors.ts';

const FEED_LIMIT = 50;
const CATEGORY_DAYS = 7;
const MAX_AGE = 900;
const PERIODS: Record<'daily' | 'weekly' | 'monthly', PeriodKind> = { daily: 'day', weekly: 'week', monthly: 'month' };

const formatParam = z.enum(FEED_FORMATS).describe('rss (RSS 2.0), atom (Atom 1.0) or json (JSON Feed 1.1)');

const feedResponses = {
  200: { description: 'The feed', contentTypes: FEED_FORMATS.map((f) => FEED_TYPES[f].split(';')[0]!) },
  400: { description: 'A malformed parameter, named in an empty feed of the asked format (its description); plain text when the format itself is unknown', contentTypes: [...FEED_FORMATS.map((f) => FEED_TYPES[f].split(';')[0]!), 'text/plain'] },
};

export function registerFeedRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerLibraryFeedRoutes(app, deps);
  const base = deps.config.baseUrl;
  const toItems = (papers: Paper[]) => papers.map((p) => feedItem(p, base));
  const send = async (feed: Omit<Feed, 'updated' | 'items'>, papers: Paper[], format: FeedFormat) => {
    const items = toItems(papers);
    const updated = items.reduce((max, i) => (i.updated > max ? i.updated : max), items[0]?.updated ?? deps.now().toISOString());
    const body = renderFeed({ ...feed, updated, items }, format);
    return representation(body, FEED_TYPES[format], await lastModifiedOf(deps.db, papers.map((p) => p.id)));
  };

  for (const [name, kind] of Object.entries(PERIODS)) {
    apiRoute(app, deps, {
      method: 'GET',
      path: `/feeds/${name}.{format}`,
      operationId: `${name}Feed`,
      tags: ['feeds'],
      summary: `Trending papers of the latest ${kind} that has papers`,
      params: z.object({ format: formatParam }),
      cache: { maxAge: MAX_AGE, untilChange: true },
      responses: feedResponses,
      handler: async ({ params, req }) => {
        const period = await latestListedPeriod(deps.db, kind);
        const papers = period ? (await listForPeriod(deps.db, period, { limit: FEED_LIMIT, sort: 'trending' })).papers : [];
        if (period) dependsOn(req, { days: [period.start, OPEN_END], papers: papers.map((p) => p.id), level: CHANGE_LEVEL.listed });
        return send(
          {
            id: `${base}/feeds/${name}`,
            title: `paperboy: ${name} trending papers`,
            description: period ? `The most upvoted papers of ${describePeriod(period)}.` : 'No papers yet.',
            homeUrl: period ? `${base}/?${new URLSearchParams({ [kind === 'day' ? 'date' : kind]: period.key })}` : `${base}/`,
            urls: feedUrls(base, `/feeds/${name}`),
          },
          papers,
          params.format,
        );
      },
    });
  }

  apiRoute(app, deps, {
    method: 'GET',
    path: '/feeds/category/{category}.{format}',
    operationId: 'categoryFeed',
    tags: ['feeds'],
    summary: `Papers of the last ${CATEGORY_DAYS} days in an arXiv category, best first`,
    params: z.object({ category: z.string().regex(FEED_CATEGORY_RE, 'must be an arXiv category such as cs.CL or hep-th').describe('an arXiv category'), format: formatParam }),
    cache: { maxAge: MAX_AGE, untilChange: true },
    responses: feedResponses,
    handler: async ({ params, req }) => {
      const latest = await latestAnnouncedOn(deps.db);
      const period: Period | undefined = latest ? { kind: 'day', start: addDays(latest, 1 - CATEGORY_DAYS), end: latest, key: latest } : undefined;
      const sort: ListingSort = 'trending';
      const papers = period ? (await listForPeriod(deps.db, period, { limit: FEED_LIMIT, sort, category: params.category })).papers : [];
      if (period) dependsOn(req, { days: [period.start, OPEN_END], category: params.category, papers: papers.map((p) => p.id), level: CHANGE_LEVEL.listed });
      return send(
        {
          id: `${base}/feeds/category/${params.category}`,
          title: `paperboy: ${params.category}`,
          description: `Papers in ${params.category} announced in the last ${CATEGORY_DAYS} days, most upvoted first.`,
          homeUrl: `${base}/?${new URLSearchParams({ category: params.category })}`,
          urls: feedUrls(base, `/feeds/category/${params.category}`),
        },
        papers,
        params.format,
      );
    },
  });

  apiRoute(app, deps, {
    method: 'GET',
    path: '/feeds/search.{format}',
    operationId: 'searchFeed',
    tags: ['feeds'],
    summary: 'The newest papers matching a search',
    params: z.object({ format: formatParam }),
    query: z.object({ q: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').describe('the search text') }),
    cache: { maxAge: MAX_AGE },
    responses: { ...feedResponses, 429: { description: 'More than SEARCH_LIMIT_PER_MINUTE searches from this address: an empty feed saying so, with Retry-After', contentTypes: FEED_FORMATS.map((f) => FEED_TYPES[f].split(';')[0]!) } },
    handler: async ({ params, query, req }) => {
      const papers = await findFeedPapers(deps.db, query.q, { limit: FEED_LIMIT }, searchRunFor(deps, req));
      const qs = `?${new URLSearchParams({ q: query.q })}`;
      const urls = feedUrls(base, '/feeds/search');
      return send(
        {
          id: `${base}/feeds/search${qs}`,
          title: `paperboy search: ${query.q}`,
          description: `The newest papers matching “${query.q}”.`,
          homeUrl: `${base}/search${qs}`,
          urls: { rss: urls.rss + qs, atom: urls.atom + qs, json: urls.json + qs },
        },
        papers,
        params.format,
      );
    },
  });

  apiRoute(app, deps, {
    method: 'GET',
    path: '/feeds/author.{format}',
    operationId: 'authorFeed',
    tags: ['feeds'],
    summary: 'The newest papers of an author (the name exactly as printed on arXiv)',
    params: z.object({ format: formatParam }),
    query: z.object({ name: z.string().trim().min(1, 'must not be empty').max(MAX_AUTHOR_NAME, `must be at most ${MAX_AUTHOR_NAME} characters`).describe('the author name') }),
    cache: { maxAge: MAX_AGE, untilChange: true },
    responses: feedResponses,
    handler: async ({ params, query }) => {
      const { papers } = await findAuthorPapers(deps.db, query.name, { limit: FEED_LIMIT, offset: 0 });
      const qs = `?${new URLSearchParams({ name: query.name })}`;
      const urls = feedUrls(base, '/feeds/author');
      return send(
        {
          id: `${base}/feeds/author${qs}`,
          title: `paperboy: papers by ${query.name}`,
          description: `The newest papers by ${query.name} on this paperboy instance.`,
          homeUrl: `${base}${authorPath(query.name)}`,
          urls: { rss: urls.rss + qs, atom: urls.atom + qs, json: urls.json + qs },
        },
        papers,
        params.format,
      );
    },
  });

  // Unknown feed names get a helpful message rather than a bare 404.
  app.get('/feeds/*', async (req) => {
    throw new HttpError(404, 'not_found', `No feed at ${req.url.split('?')[0]}. Feeds: /feeds/daily.rss, /feeds/weekly.atom, /feeds/monthly.json, /feeds/category/cs.CL.rss, /feeds/search.rss?q=…`);
  });
}


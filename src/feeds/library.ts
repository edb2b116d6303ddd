// Atom feeds of personal lists: a public collection (anyone), and a reader's "for you" list and each
// of their tags' recommendations at private, revocable links (/feeds/private/TOKEN/…).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRoute, FEED_TYPES, HttpError, representation, type AppDeps } from '../http/index.ts';
import type { Paper } from '../papers/index.ts';
import { findTagById, findUserIdByFeedToken, listTagPapers, listTags } from '../library/index.ts';
import { describeReason, recommendForUser } from '../recommend/index.ts';
import { feedItem, feedUrls } from './items.ts';
import { renderFeed } from './render.ts';

const atomOnly = {
  200: { description: 'Atom 1.0', contentTypes: ['application/atom+xml'] },
  400: { description: 'A malformed parameter, named in an empty Atom feed (its subtitle)', contentTypes: ['application/atom+xml'] },
  404: { description: 'No such feed (or the link was revoked): an empty Atom feed saying so', contentTypes: ['application/atom+xml'] },
};

export function registerLibraryFeedRoutes(app: FastifyInstance, deps: AppDeps): void {
  const base = deps.config.baseUrl;
  const atom = (id: string, title: string, description: string, homeUrl: string, self: string, papers: Array<{ paper: Paper; summaryPrefix?: string }>) => {
    const items = papers.map(({ paper, summaryPrefix }) => {
      const item = feedItem(paper, base);
      return summaryPrefix ? { ...item, summary: `${summaryPrefix}\n\n${item.summary}` } : item;
    });
    const updated = items.reduce((max, i) => (i.updated > max ? i.updated : max), items[0]?.updated ?? deps.now().toISOString());
    const urls = { ...feedUrls(base, self), atom: `${base}${self}` };
    return representation(renderFeed({ id, title, description, homeUrl, urls, updated, items }, 'atom'), FEED_TYPES.atom);
  };

  apiRoute(app, deps, {
    method: 'GET',
    path: '/collections/{id}/feed.atom',
    operationId: 'collectionFeed',
    tags: ['feeds'],
    summary: 'A public collection’s papers, in its order, as Atom',
    params: z.object({ id: z.coerce.number({ error: 'must be a collection id' }).int('must be a whole number').positive('must be positive') }),
    cache: { maxAge: 300 },
    responses: atomOnly,
    handler: async ({ params }) => {
      const tag = await findTagById(deps.db, params.id);
      if (!tag || !tag.public) throw new HttpError(404, 'not_found', 'no such collection');
      const papers = await listTagPapers(deps.db, tag.id, { limit: 200 });
      const path = `/collections/${tag.id}`;
      return atom(`${base}${path}`, `paperboy collection: ${tag.name}`, tag.description || `Papers collected as “${tag.name}”.`, `${base}${path}`, `${path}/feed.atom`, papers.map((p) => ({ paper: p.paper, summaryPrefix: p.note ?? undefined })));
    },
  });

  const privateFeed = async (token: string, tag: string | undefined) => {
    const userId = await findUserIdByFeedToken(deps.db, token);
    if (userId === undefined) throw new HttpError(404, 'not_found', 'no such feed (the link may have been revoked)');
    if (tag !== undefined && !(await listTags(deps.db, userId)).some((t) => t.name === tag)) throw new HttpError(404, 'not_found', `no tag “${tag}”`);
    const list = await recommendForUser(deps.db, userId, { tag, limit: 50 });
    const self = `/feeds/private/${token}/${tag === undefined ? 'for-you' : `tags/${encodeURIComponent(tag)}`}.atom`;
    return atom(`${base}${self}`, tag === undefined ? 'paperboy: for you' : `paperboy: for you · ${tag}`, `New papers ranked for you (${list.since} – ${list.until}).`, `${base}/for-you${tag ? `?tag=${encodeURIComponent(tag)}` : ''}`, self, list.items.map((i) => ({ paper: i.paper, summaryPrefix: i.reasons.map(describeReason).join(' · ') || undefined })));
  };

  apiRoute(app, deps, {
    method: 'GET',
    path: '/feeds/private/{token}/for-you.atom',
    operationId: 'forYouFeed',
    tags: ['feeds'],
    summary: 'A reader’s “for you” list as Atom, at their private link (shown on the account page)',
    params: z.object({ token: z.string().max(100) }),
    responses: atomOnly,
    handler: async ({ params, reply }) => {
      reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
      return privateFeed(params.token, undefined);
    },
  });

  apiRoute(app, deps, {
    method: 'GET',
    path: '/feeds/private/{token}/tags/{tag}.atom',
    operationId: 'tagFeed',
    tags: ['feeds'],
    summary: 'Recommendations for one of a reader’s tags as Atom, at their private link',
    params: z.object({ token: z.string().max(100), tag: z.string().max(200) }),
    responses: atomOnly,
    handler: async ({ params, reply }) => {
      reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
      return privateFeed(params.token, params.tag.toLowerCase());
    },
  });
}

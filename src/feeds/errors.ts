// Errors on feed URLs, answered in the feed's own format: a feed reader then shows the message (which
// names the parameter) rather than failing to parse the site's HTML error page. Where the URL names
// no format we know (/feeds/daily.xml), plain text.
import type { FastifyRequest } from 'fastify';
import { FEED_FORMATS, FEED_TYPES, type AppDeps, type ErrorDocument, type FeedFormat } from '../http/index.ts';
import { renderFeed } from './render.ts';

/** Feed URLs: everything under /feeds/ and a public collection's feed. */
function isFeedPath(path: string): boolean {
  return path.startsWith('/feeds/') || /^\/collections\/[^/]+\/feed\.atom$/.test(path);
}

export function feedErrorDocument(deps: AppDeps): ErrorDocument {
  const base = deps.config.baseUrl;
  return (req: FastifyRequest, status: number, message: string) => {
    const path = req.url.split('?')[0]!;
    if (!isFeedPath(path)) return undefined;
    const ext = /\.(\w+)$/.exec(path)?.[1];
    const format = FEED_FORMATS.find((f) => f === ext);
    if (!format) return { contentType: 'text/plain; charset=utf-8', body: `${status}: ${message}\n` };
    return { contentType: FEED_TYPES[format], body: errorFeed(base, path, format, status, message, deps.now()) };
  };
}

/** A valid, empty feed whose title says it is an error and whose description is the message. */
function errorFeed(base: string, path: string, format: FeedFormat, status: number, message: string, now: Date): string {
  // Private feed URLs carry a secret token: the document must not echo it back.
  const self = path.startsWith('/feeds/private/') ? `${base}/feeds/private` : `${base}${path}`;
  const body = renderFeed(
    {
      id: `${base}/feeds/error/${status}`,
      title: `paperboy: feed error ${status}`,
      description: message,
      homeUrl: `${base}/`,
      urls: { rss: self, atom: self, json: self },
      updated: now.toISOString(),
      items: [],
    },
    format,
  );
  // JSON Feed readers ignore unknown members that start with "_"; clients can read the error as the API gives it.
  if (format === 'json') return JSON.stringify({ ...JSON.parse(body), _error: { status, message } }, null, 2);
  return body;
}

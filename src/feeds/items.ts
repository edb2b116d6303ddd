// A paper as a feed item, and a feed's URL in each format.
import type { FeedFormat } from '../http/index.ts';
import { ARXIV_ABS_URL, type Paper } from '../papers/index.ts';

export function feedUrls(base: string, path: string): Record<FeedFormat, string> {
  return { rss: `${base}${path}.rss`, atom: `${base}${path}.atom`, json: `${base}${path}.json` };
}

export function feedItem(p: Paper, base: string) {
  const url = `${base}/papers/${p.arxivId}`;
  const published = `${p.announcedOn}T00:00:00.000Z`;
  const updated = p.updatedAt && p.updatedAt > published ? p.updatedAt : published;
  return {
    id: url,
    url,
    externalUrl: `${ARXIV_ABS_URL}${p.arxivId}`,
    title: p.withdrawn ? `[withdrawn] ${p.title}` : p.title,
    summary: p.abstract,
    authors: p.authors,
    categories: p.categories,
    published,
    updated,
  };
}

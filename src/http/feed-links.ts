// Where the feeds live and what they are: the feeds surface serves these URLs and pages announce
// them with <link rel="alternate">, so both read them from here.
import type { PeriodKind } from '../papers/index.ts';

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

const FORMAT_LABEL: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

/** The categories a feed URL accepts: arXiv's form, e.g. cs.CL or hep-th. */
export const FEED_CATEGORY_RE = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** <link rel="alternate"> data for pages: one entry per format. */
export interface FeedLink {
  title: string;
  /** application/rss+xml, application/atom+xml or application/feed+json. */
  type: string;
  href: string;
}

function feedLinks(path: string, title: string): FeedLink[] {
  return FEED_FORMATS.map((f) => ({ title: `${title} (${FORMAT_LABEL[f]})`, type: FEED_TYPES[f].split(';')[0]!, href: `${path}.${f}` }));
}

/** Autodiscovery links for a listing page (daily/weekly/monthly), plus its category when filtered. */
export function listingFeedLinks(kind: PeriodKind, category?: string): FeedLink[] {
  const name = kind === 'day' ? 'daily' : kind === 'week' ? 'weekly' : 'monthly';
  return [...feedLinks(`/feeds/${name}`, `paperboy ${name} trending papers`), ...(category ? categoryFeedLinks(category) : [])];
}

export function categoryFeedLinks(category: string): FeedLink[] {
  return FEED_CATEGORY_RE.test(category) ? feedLinks(`/feeds/category/${category}`, `paperboy: ${category} papers`) : [];
}

// Feed documents from one model: RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1. Pure, written by
// hand: each format's required elements are few, and owning the escaping keeps them valid.
import type { FeedFormat } from '../http/index.ts';

export interface FeedItem {
  /** Permanent id: the paper's page URL. */
  id: string;
  url: string;
  /** The paper on arXiv. */
  externalUrl: string;
  title: string;
  summary: string;
  authors: string[];
  categories: string[];
  /** ISO-8601. */
  published: string;
  updated: string;
}

export interface Feed {
  /** Permanent id of the feed (a URL that does not change with the format). */
  id: string;
  title: string;
  description: string;
  /** The HTML page showing the same listing. */
  homeUrl: string;
  /** This feed's own URL in each format, for self links. */
  urls: Record<FeedFormat, string>;
  /** ISO-8601: the newest item's time (stable, so conditional GET works). */
  updated: string;
  items: FeedItem[];
}

export function renderFeed(feed: Feed, format: FeedFormat): string {
  if (format === 'rss') return renderRss(feed);
  if (format === 'atom') return renderAtom(feed);
  return renderJsonFeed(feed);
}

// Characters XML 1.0 forbids even when escaped (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/F).
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xml(s: string): string {
  return s.replace(INVALID_XML, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** RFC 822 date as RSS wants it: "Tue, 30 Jun 2026 00:00:00 GMT". */
function rfc822(iso: string): string {
  return new Date(iso).toUTCString();
}

/** RFC 3339 without milliseconds. */
function rfc3339(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function renderRss(feed: Feed): string {
  const items = feed.items.map(
    (i) => `    <item>
      <title>${xml(i.title)}</title>
      <link>${xml(i.url)}</link>
      <guid isPermaLink="true">${xml(i.id)}</guid>
      <pubDate>${rfc822(i.published)}</pubDate>
      <description>${xml(i.summary)}</description>
${i.authors.length > 0 ? `      <dc:creator>${xml(i.authors.join(', '))}</dc:creator>\n` : ''}${i.categories.map((c) => `      <category>${xml(c)}</category>\n`).join('')}    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${xml(feed.title)}</title>
    <link>${xml(feed.homeUrl)}</link>
    <description>${xml(feed.description)}</description>
    <atom:link href="${xml(feed.urls.rss)}" rel="self" type="application/rss+xml"/>
    <language>en</language>
    <lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>
    <generator>paperboy</generator>
    <docs>https://www.rssboard.org/rss-specification</docs>
${items.join('\n')}
  </channel>
</rss>
`;
}

function renderAtom(feed: Feed): string {
  const entries = feed.items.map(
    (i) => `  <entry>
    <id>${xml(i.id)}</id>
    <title type="text">${xml(i.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(i.url)}"/>
    <link rel="related" type="text/html" href="${xml(i.externalUrl)}"/>
    <published>${rfc3339(i.published)}</published>
    <updated>${rfc3339(i.updated)}</updated>
${i.authors.map((a) => `    <author><name>${xml(a)}</name></author>\n`).join('')}${i.categories.map((c) => `    <category term="${xml(c)}"/>\n`).join('')}    <summary type="text">${xml(i.summary)}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>${xml(feed.id)}</id>
  <title type="text">${xml(feed.title)}</title>
  <subtitle type="text">${xml(feed.description)}</subtitle>
  <updated>${rfc3339(feed.updated)}</updated>
  <link rel="self" type="application/atom+xml" href="${xml(feed.urls.atom)}"/>
  <link rel="alternate" type="text/html" href="${xml(feed.homeUrl)}"/>
  <author><name>paperboy</name></author>
  <generator>paperboy</generator>
${entries.join('\n')}
</feed>
`;
}

function renderJsonFeed(feed: Feed): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: feed.title,
      home_page_url: feed.homeUrl,
      feed_url: feed.urls.json,
      description: feed.description,
      language: 'en',
      items: feed.items.map((i) => ({
        id: i.id,
        url: i.url,
        external_url: i.externalUrl,
        title: i.title,
        content_text: i.summary,
        date_published: rfc3339(i.published),
        date_modified: rfc3339(i.updated),
        ...(i.authors.length > 0 ? { authors: i.authors.map((name) => ({ name })) } : {}),
        ...(i.categories.length > 0 ? { tags: i.categories } : {}),
      })),
    },
    null,
    2,
  );
}

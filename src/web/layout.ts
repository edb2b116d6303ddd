// The page shell every HTML page shares.
import { html, type HtmlValue, type RawHtml } from '../lib/html.ts';
import { assetUrl } from './static.ts';

export interface LayoutOptions {
  title: string;
  description?: string;
  /** Extra <head> content such as feed autodiscovery links. */
  head?: HtmlValue;
  /** Current search text, echoed in the header search box. */
  query?: string;
  canonical?: string;
  /** The signed-in user (community, issue 4): null when signed out; undefined when the page did not look. */
  viewer?: { displayName: string; role: string } | null;
  /** Feeds of this page, announced with <link rel="alternate"> for feed readers. */
  feeds?: Array<{ title: string; type: string; href: string }>;
}

function accountNav(viewer: LayoutOptions['viewer']): RawHtml {
  const curator = viewer && (viewer.role === 'curator' || viewer.role === 'admin');
  return html`<nav class="account-nav" aria-label="Account">
      <a href="/submit">Submit</a>
      ${curator ? html`<a href="/curate">Curate</a>` : ''}
      ${viewer === null ? html`<a href="/signin">Sign in</a>` : viewer ? html`<a href="/account">${viewer.displayName}</a>` : html`<a href="/account">Account</a>`}
    </nav>`;
}

export function layout(opts: LayoutOptions, body: HtmlValue): RawHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title === 'paperboy' ? 'paperboy' : `${opts.title} · paperboy`}</title>
<meta name="description" content="${opts.description ?? 'Trending research papers, chosen by the community.'}">
<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="${assetUrl('style.css')}">
<link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml">
${opts.canonical ? html`<link rel="canonical" href="${opts.canonical}">` : ''}
${(opts.feeds ?? []).map((f) => html`<link rel="alternate" type="${f.type}" title="${f.title}" href="${f.href}">`)}
${opts.head ?? ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <div class="wrap bar">
    <a class="brand" href="/" aria-label="paperboy home"><span aria-hidden="true">📰</span> paperboy</a>
    <form class="search" action="/search" method="get" role="search">
      <label class="visually-hidden" for="q">Search papers</label>
      <input id="q" name="q" type="search" placeholder="Search papers" value="${opts.query ?? ''}" autocomplete="off">
    </form>
    ${accountNav(opts.viewer)}
  </div>
</header>
<main id="main" class="wrap">
${body}
</main>
<footer class="site wrap">
  <p>paperboy — trending papers from arXiv, chosen by the community. Metadata from arXiv (CC0).</p>
</footer>
</body>
</html>`;
}

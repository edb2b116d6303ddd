// The page shell every HTML page shares: header (brand, main nav, search, account), main, footer.
// No inline script or style anywhere (the CSP forbids both): behaviour lives in static/*.js.
import { html, raw, type HtmlValue, type RawHtml } from '../lib/html.ts';
import { assetUrl, type FeedLink } from '../http/index.ts';

export interface LayoutOptions {
  /** Plain text: TeX stays as typed, which is what a browser tab or bookmark should show. */
  title: string;
  description?: string;
  /** Extra <head> content. */
  head?: HtmlValue;
  /** Feeds announced with <link rel="alternate"> for autodiscovery. */
  feeds?: FeedLink[];
  /** Current search text, echoed in the header search box. */
  query?: string;
  canonical?: string;
  /** Which main-nav entry is current: matches NavItem.key. */
  section?: string;
  /** Right-hand side of the header: sign-in link or the signed-in account menu. */
  account?: HtmlValue;
  /** The signed-in user: null when signed out; undefined when the page did not look. Fills the account slot when `account` is not given. */
  viewer?: Viewer | null;
  /** Listing pages: a second skip link straight to the ranked papers, past the tabs and filters. */
  skipToPapers?: boolean;
  /** Robots: pages such as search results or account pages ask not to be indexed. */
  noindex?: boolean;
}

/** Who is signed in, as the header shows them. */
export interface Viewer {
  displayName: string;
  role: string;
}

export interface NavItem {
  key: string;
  label: string;
  href: string;
}

/** The main navigation: every section a reader can reach from any page. */
export const NAV: NavItem[] = [
  { key: 'trending', label: 'Trending', href: '/' },
  { key: 'categories', label: 'Categories', href: '/categories' },
  { key: 'trends', label: 'Trends', href: '/trends' },
  { key: 'for-you', label: 'For you', href: '/for-you' },
  { key: 'submit', label: 'Submit', href: '/submit' },
];

/**
 * The main links. Wide screens show them in the bar; phones fold them into a Menu disclosure
 * (<details>, so it opens without JavaScript). CSS shows one of the two, so each is announced once.
 */
function mainLinks(section: string | undefined): RawHtml[] {
  return NAV.map((n) => html`<a href="${n.href}"${section === n.key ? html` aria-current="page"` : ''}>${n.label}</a>`);
}

/** The account slot from the viewer: Curate for curators, then the account or a sign-in link. */
function accountLinks(viewer: LayoutOptions['viewer']): RawHtml {
  const curator = viewer && (viewer.role === 'curator' || viewer.role === 'admin');
  return html`<nav class="account-nav" aria-label="Account">${curator ? html`<a href="/curate">Curate</a>` : ''}${viewer ? html`<a href="/account">${viewer.displayName}</a>` : html`<a href="/signin">Sign in</a>`}</nav>`;
}

/** Where the page's own content starts: a one-time message (flash.ts) goes right after it. */
export const MAIN_OPEN = '<main id="main" class="wrap" tabindex="-1">';

export function layout(opts: LayoutOptions, body: HtmlValue): RawHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title === 'paperboy' ? 'paperboy' : `${opts.title} · paperboy`}</title>
<meta name="description" content="${opts.description ?? 'Trending research papers, chosen by the community.'}">
<meta name="color-scheme" content="light dark">
${opts.noindex ? html`<meta name="robots" content="noindex">` : ''}
<link rel="stylesheet" href="${assetUrl('style.css')}">
<link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml">
<script src="${assetUrl('theme.js')}"></script>
<script src="${assetUrl('app.js')}" defer></script>
<script src="${assetUrl('post-in-place.js')}" defer></script>
<script src="${assetUrl('save.js')}" defer></script>
${opts.canonical ? html`<link rel="canonical" href="${opts.canonical}">` : ''}
${(opts.feeds ?? []).map((f) => html`<link rel="alternate" type="${f.type}" title="${f.title}" href="${f.href}">`)}
${opts.head ?? ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${opts.skipToPapers ? html`<a class="skip" href="#papers">Skip to the papers</a>` : ''}
<header class="site">
  <div class="wrap bar">
    <a class="brand" href="/"><svg class="logo" aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><path d="M4 5h13v14H6a2 2 0 0 1-2-2z" fill="none" stroke="currentColor" stroke-width="2"/><path d="M17 9h3v8a2 2 0 0 1-2 2M7 9h7M7 13h7M7 16h4" fill="none" stroke="currentColor" stroke-width="2"/></svg>paperboy</a>
    <nav class="primary" aria-label="Main">${mainLinks(opts.section)}</nav>
    <details class="menu">
      <summary><span aria-hidden="true">☰</span> Menu</summary>
      <nav aria-label="Main">${mainLinks(opts.section)}</nav>
    </details>
    <form class="search" action="/search" method="get" role="search">
      <label class="visually-hidden" for="q">Search papers</label>
      <input id="q" name="q" type="search" placeholder="Search papers" title="Search papers (shortcut: /)" value="${opts.query ?? ''}" autocomplete="off" enterkeyhint="search" aria-keyshortcuts="/">
      <button class="search-go" type="submit">Search</button>
    </form>
    <div class="account">${opts.account ?? accountLinks(opts.viewer)}</div>
  </div>
</header>
${raw(MAIN_OPEN)}
${body}
</main>
<footer class="site">
  <div class="wrap">
    <p>paperboy — trending papers from arXiv, chosen by the community. Metadata from arXiv (CC0).
    <a href="/categories">All categories</a> · <a href="/digest">Email digest</a></p>
    <button class="theme-toggle" type="button" hidden aria-label="Colour theme: automatic" title="Colour theme"><span aria-hidden="true">◐</span> Theme</button>
  </div>
</footer>
</body>
</html>`;
}

// The Hot list (issue 4): the period tabs, a heading, ranked cards and the pager; no date navigation.
import { html, type HtmlValue, type RawHtml } from '../../lib/html.ts';
import type { Paper } from '../../papers/index.ts';
import type { ListingTab } from './listing.ts';
import { paperCard, type CardOptions } from './paper-card.ts';

export interface HotListing {
  tabs: ListingTab[];
  papers: Paper[];
  total: number;
  page: number;
  pageSize: number;
  pageHref: (page: number) => string;
  heading?: HtmlValue;
  category?: string | undefined;
  cardOptions: (paper: Paper) => CardOptions;
}

export function hotListingView(l: HotListing): RawHtml {
  const first = (l.page - 1) * l.pageSize;
  const pages = Math.ceil(l.total / l.pageSize);
  return html`<section class="listing">
  ${l.heading ?? ''}
  <div class="listing-head">
    <nav class="tabs" aria-label="Period">
      ${l.tabs.map((t) => html`<a href="${t.href}"${t.current ? html` aria-current="page"` : ''}>${t.label}</a>`)}
    </nav>
  </div>
  ${l.heading ? html`<h2>Hot right now</h2>` : html`<h1>Hot right now</h1>`}
  <p class="hot-note">Upvotes, decaying with each hour since the paper was listed.</p>
  <p class="count">${l.total.toLocaleString('en-US')} paper${l.total === 1 ? '' : 's'}${l.category ? html` in <strong>${l.category}</strong>` : ''}</p>
  ${l.papers.length === 0
    ? html`<p class="empty">No papers in the hot window yet.</p>`
    : html`<ol class="cards">${l.papers.map((p, i) => html`<li>${paperCard(p, { rank: first + i + 1, ...l.cardOptions(p) })}</li>`)}</ol>`}
  ${pages > 1 ? html`<nav class="pager" aria-label="Pages">${l.page > 1 ? html`<a rel="prev" href="${l.pageHref(l.page - 1)}">← Page ${l.page - 1}</a>` : html`<span></span>`}<span>Page ${l.page} of ${pages}</span>${l.page < pages ? html`<a rel="next" href="${l.pageHref(l.page + 1)}">Page ${l.page + 1} →</a>` : html`<span></span>`}</nav>` : ''}
</section>`;
}

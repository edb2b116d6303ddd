// The Hot list: the period tabs, a heading, ranked cards and the pager (shared with the
// period listings, listing.ts); no date navigation.
import { html, type HtmlValue, type RawHtml } from '../../lib/html.ts';
import type { Paper } from '../../papers/index.ts';
import { periodTabs, rankedPapers, type ListingTab } from './listing.ts';
import type { CardOptions } from './paper-card.ts';

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
  return html`<section class="listing">
  ${l.heading ?? ''}
  <div class="listing-head">
    ${periodTabs(l.tabs)}
  </div>
  ${l.heading ? html`<h2>Hot right now</h2>` : html`<h1>Hot right now</h1>`}
  <p class="hot-note">Upvotes, decaying with each hour since the paper was listed.</p>
  ${rankedPapers(l, 'No papers in the hot window yet.')}
</section>`;
}

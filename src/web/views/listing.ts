// A listing of papers for a period: period tabs, the date/category filter form (a plain GET form),
// previous/next navigation, the cards and the pager. Used by "/" and "/categories/:cat".
import { html, type HtmlValue, type RawHtml } from '../../lib/html.ts';
import { describePeriod, type CategoryCount, type Paper, type Period } from '../../papers/index.ts';
import { paperCard, type CardOptions } from './paper-card.ts';
import { countOf } from '../../lib/words.ts';

export interface ListingTab {
  key: string;
  label: string;
  href: string;
  current: boolean;
}

export interface Listing {
  /** Where the filter form submits: "/" or "/categories/cs.CL". */
  action: string;
  period: Period;
  tabs: ListingTab[];
  prevHref?: string | undefined;
  nextHref?: string | undefined;
  papers: Paper[];
  total: number;
  page: number;
  pageSize: number;
  pageHref: (page: number) => string;
  /** The category filter's value on "/"; undefined on a category page, which has no filter. */
  category?: string | undefined;
  /** Categories offered by the filter, with paper counts in this period. */
  categories?: CategoryCount[];
  /** The code filter's value: '' (every paper), 'any' or 'stars'; undefined hides the filter. */
  code?: string;
  /** Latest day with papers, the date picker's max. */
  latestDay?: string | undefined;
  /** Shown above the tabs, e.g. a category page's heading. */
  heading?: HtmlValue;
  /** Per-paper card slots (vote control, submitter) from other features. */
  cardOptions?: (paper: Paper) => CardOptions;
  /** Shown instead of the cards when there are none. */
  emptyMessage?: string;
}

export function listingView(l: Listing): RawHtml {
  const anchorDay = l.period.kind === 'day' ? l.period.start : l.latestDay && l.latestDay >= l.period.start && l.latestDay <= l.period.end ? l.latestDay : l.period.start;
  return html`<section class="listing">
  ${l.heading ?? ''}
  <div class="listing-head">
    ${periodTabs(l.tabs)}
    <details class="filter-box">
      <summary>${filterSummary(l)}</summary>
      <form class="filters" method="get" action="${l.action}">
        ${l.period.kind !== 'day' ? html`<input type="hidden" name="view" value="${l.period.kind}">` : ''}
        <div class="field"><label for="f-date">${l.period.kind === 'day' ? 'Day' : `${l.period.kind === 'week' ? 'Week' : 'Month'} containing`}</label>
          <input id="f-date" type="date" name="date" value="${anchorDay}" min="1991-08-01"${l.latestDay ? html` max="${l.latestDay}"` : ''} required></div>
        ${l.categories ? categorySelect(l.categories, l.category) : ''}
        ${l.code !== undefined ? codeSelect(l.code) : ''}
        <button class="button" type="submit">Show</button>
      </form>
    </details>
  </div>
  <div class="period-nav">
    ${l.prevHref ? html`<a rel="prev" href="${l.prevHref}" aria-label="Previous ${l.period.kind}">←<span class="nav-word"> Previous</span></a>` : html`<span></span>`}
    ${l.heading ? html`<h2>${describePeriod(l.period)}</h2>` : html`<h1>${describePeriod(l.period)}</h1>`}
    ${l.nextHref ? html`<a rel="next" href="${l.nextHref}" aria-label="Next ${l.period.kind}"><span class="nav-word">Next </span>→</a>` : html`<span></span>`}
  </div>
  ${rankedPapers(l, l.emptyMessage ?? 'No papers were announced in this period.')}
</section>`;
}

/** The period tabs (Daily, Weekly, Monthly, Hot) at the head of every listing. */
export function periodTabs(tabs: ListingTab[]): RawHtml {
  return html`<nav class="tabs" aria-label="Period">
      ${tabs.map((t) => html`<a href="${t.href}"${t.current ? html` aria-current="page"` : ''}>${t.label}</a>`)}
    </nav>`;
}

/** What every listing shows under its heading: the count, the ranked cards (or `empty`) and the pager. */
export function rankedPapers(
  l: Pick<Listing, 'papers' | 'total' | 'page' | 'pageSize' | 'pageHref' | 'category' | 'cardOptions'>,
  empty: string,
): RawHtml {
  const first = (l.page - 1) * l.pageSize;
  const pages = Math.ceil(l.total / l.pageSize);
  return html`<p class="count">${countOf(l.total, 'paper')}${l.category ? html` in <strong>${l.category}</strong>` : ''}</p>
  ${l.papers.length === 0
    ? html`<p class="empty">${empty}</p>`
    : html`<ol class="cards" id="papers" tabindex="-1">${l.papers.map((p, i) => html`<li>${paperCard(p, { rank: first + i + 1, ...l.cardOptions?.(p) })}</li>`)}</ol>`}
  ${pages > 1 ? html`<nav class="pager" aria-label="Pages">${l.page > 1 ? html`<a rel="prev" href="${l.pageHref(l.page - 1)}">← Page ${l.page - 1}</a>` : html`<span></span>`}<span>Page ${l.page} of ${pages}</span>${l.page < pages ? html`<a rel="next" href="${l.pageHref(l.page + 1)}">Page ${l.page + 1} →</a>` : html`<span></span>`}</nav>` : ''}`;
}

const CODE_LABELS: Record<string, string> = { '': 'All papers', any: 'Has code', stars: 'Has code, most stars' };

/**
 * The filter form sits behind a disclosure: one tab stop instead of four before the papers (the
 * period arrows and tabs already move through time). The summary says which filters are on.
 */
function filterSummary(l: Listing): RawHtml {
  const on = [l.category, l.code ? CODE_LABELS[l.code] : undefined].filter((x): x is string => Boolean(x));
  return html`Pick a day${l.categories ? ' or category' : ''}${on.length > 0 ? html`<span class="filter-state">: ${on.join(' · ')}</span>` : ''}`;
}

function codeSelect(selected: string): RawHtml {
  const options = Object.entries(CODE_LABELS);
  return html`<div class="field"><label for="f-code">Code</label>
        <select id="f-code" name="code">${options.map(([v, label]) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${label}</option>`)}</select></div>`;
}

function categorySelect(categories: CategoryCount[], selected: string | undefined): RawHtml {
  const known = selected && !categories.some((c) => c.category === selected) ? [{ category: selected, papers: 0 }, ...categories] : categories;
  return html`<div class="field"><label for="f-category">Category</label>
        <select id="f-category" name="category">
          <option value="">All categories</option>
          ${known.map((c) => html`<option value="${c.category}"${c.category === selected ? html` selected` : ''}>${c.category} (${c.papers})</option>`)}
        </select></div>`;
}

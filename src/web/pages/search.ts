// "/search?q=" — results with highlighted snippets, filters, sort and pages. A pasted arXiv id or URL
// of a paper we have goes straight to its page.
import type { FastifyInstance } from 'fastify';
import { html, raw, type RawHtml } from '../../lib/html.ts';
import { type AppDeps, assetUrl, CHANGE_LEVEL, dependsOn, HttpError, searchRunFor } from '../../http/index.ts';
import { searchPapers, semanticStateKey, type SearchOutcome, type SearchResult } from '../../search/index.ts';
import { defaultSort, parseSearchParams, type SearchParams } from '../../search/params.ts';
import { layout } from '../layout.ts';
import { paperCard, paperHref, type CardOptions } from '../views/paper-card.ts';
import { viewerOf } from '../session.ts';
import { cardSlotsFor } from './community-cards.ts';

const PAGE_SIZE = 20;
const EXAMPLES = ['"state space model"', 'au:hinton', 'ti:diffusion cat:cs.CV', 'retrieval augmented generation since:2024'];

export function registerSearchRoutes(app: FastifyInstance, deps: AppDeps): void {
  // Anonymous result pages are kept in the rendered-page cache until a change reaches them (any
  // paper's text, or a vote on a paper shown); the state of semantic search goes into the key, as
  // results change when its model or index comes up.
  const pageCache = { params: ['q', 'sort', 'category', 'since', 'until', 'has_code', 'offset', 'limit'], clock: () => semanticStateKey(deps.semantic) };
  app.get<{ Querystring: Record<string, unknown> }>('/search', { config: { listFields: ['category'], pageCache } }, async (req, reply) => {
    const parsed = parseSearchParams(req.query, { limit: PAGE_SIZE });
    if (!parsed.ok) throw new HttpError(400, 'bad_parameter', `${parsed.param}: ${parsed.message}`);
    const p = parsed.params;
    const viewer = (await viewerOf(deps, req)) ?? null;
    const filtered = p.categories.length > 0 || p.since !== undefined || p.until !== undefined || p.hasCode;
    if (p.q.trim() === '' && !filtered) {
      dependsOn(req, { level: CHANGE_LEVEL.all });
      return reply.type('text/html; charset=utf-8').send(page(p, undefined, viewer).value);
    }
    const outcome = await searchPapers(
      deps.db, p.q,
      { limit: p.limit, offset: p.offset, sort: p.sort, categories: p.categories, since: p.since, until: p.until, hasCode: p.hasCode },
      deps.semantic, searchRunFor(deps, req),
    );
    if (outcome.paper && p.offset === 0) return reply.redirect(paperHref(outcome.paper.arxivId), 302);
    // Results move with any paper's text; ranked by upvotes, with any vote. A vote on a paper shown
    // changes its card.
    dependsOn(req, { papers: outcome.results.map((r) => r.paper.id), level: p.sort === 'upvotes' ? CHANGE_LEVEL.paper : CHANGE_LEVEL.content });
    // The listing cards' slots (votes, saves, comments), each counted once for the whole page.
    const cards = await cardSlotsFor(deps, req, reply, outcome.results.map((r) => r.paper));
    return reply.type('text/html; charset=utf-8').send(page(p, outcome, viewer, cards).value);
  });
}

function hrefWith(p: SearchParams, change: Partial<Record<'offset' | 'sort', string>>): string {
  const params = new URLSearchParams({ q: p.q });
  for (const c of p.categories) params.append('category', c);
  if (p.since) params.set('since', p.since);
  if (p.until) params.set('until', p.until);
  if (p.hasCode) params.set('has_code', '1');
  params.set('sort', change.sort ?? p.sort);
  const offset = change.offset ?? String(p.offset);
  if (offset !== '0') params.set('offset', offset);
  return `/search?${params}`;
}

function page(p: SearchParams, outcome: SearchOutcome | undefined, viewer: { displayName: string; role: string } | null, cards = new Map<number, CardOptions>()): RawHtml {
  const title = p.q.trim() ? `Search: ${p.q.slice(0, 80)}` : 'Search';
  const body = html`<section class="search-page">
  <h1>Search papers</h1>
  ${filterForm(p)}
  ${outcome ? results(p, outcome, cards) : help()}
</section>`;
  // The cards' vote buttons work as plain forms; vote.js makes them vote in place, as on listings.
  const head = outcome && outcome.results.length > 0 ? html`<script src="${assetUrl('vote.js')}" defer></script>` : undefined;
  return layout({ title, query: p.q, viewer, head }, body);
}

/** The refine form; the order is chosen with the sort links above the results, kept here as a hidden field. */
function filterForm(p: SearchParams): RawHtml {
  return html`<form class="search-filters" action="/search" method="get" role="search" aria-label="Refine the search">
  <label class="field grow">Query <input name="q" type="search" value="${p.q}" maxlength="2000"></label>
  <label class="field">Category <input name="category" type="text" value="${p.categories.join(',')}" placeholder="cs.CL" size="9" autocapitalize="off" spellcheck="false"></label>
  <label class="field">Since <input name="since" type="date" value="${p.since ?? ''}"></label>
  <label class="field">Until <input name="until" type="date" value="${p.until ?? ''}"></label>
  <label class="check"><input name="has_code" type="checkbox" value="1" ${p.hasCode ? raw('checked') : ''}> Has code</label>
  ${p.sort !== defaultSort(p.q) ? html`<input type="hidden" name="sort" value="${p.sort}">` : ''}
  <button class="button primary" type="submit">Search</button>
</form>`;
}

function help(): RawHtml {
  return html`<div class="search-help">
  <p>Type words, a claim or a question. Also: <code>"exact phrase"</code>, <code>-exclude</code>, <code>au:name</code>,
  <code>ti:word</code>, <code>cat:cs.CL</code>, <code>since:2024-01-01</code>, <code>until:2024-06</code>, or paste an arXiv id or URL.</p>
  <p>Examples: ${EXAMPLES.map((e, i) => html`${i > 0 ? ' · ' : ''}<a href="/search?${String(new URLSearchParams({ q: e }))}">${e}</a>`)}</p>
</div>`;
}

function results(p: SearchParams, o: SearchOutcome, cards: Map<number, CardOptions>): RawHtml {
  const notes = o.notes.length > 0 ? html`<ul class="notes">${o.notes.map((n) => html`<li>${n}</li>`)}</ul>` : '';
  if (o.results.length === 0) {
    return html`${notes}<div class="empty"><h2>No papers found</h2>
  <p>${o.total > 0 ? 'No more results on this page.' : 'Nothing matched.'} Try:</p>
  <ul>
    <li>fewer or more general words, or check the spelling;</li>
    ${p.categories.length > 0 || p.since || p.until || p.hasCode ? html`<li><a href="/search?${String(new URLSearchParams({ q: p.q }))}">the same search without filters</a>;</li>` : ''}
    ${o.parsed.phrases.length > 0 ? html`<li>words instead of a "quoted phrase";</li>` : ''}
    <li>an example: ${EXAMPLES.map((e, i) => html`${i > 0 ? ' · ' : ''}<a href="/search?${String(new URLSearchParams({ q: e }))}">${e}</a>`)}</li>
  </ul></div>`;
  }
  const first = p.offset + 1;
  const last = p.offset + o.results.length;
  const sortLinks = (['relevance', 'newest', 'upvotes'] as const).map(
    (s) => html`<a href="${hrefWith(p, { sort: s, offset: '0' })}" ${p.sort === s ? raw('aria-current="true"') : ''}>${s === 'upvotes' ? 'most upvoted' : s}</a>`,
  );
  return html`${notes}
  <p class="count">${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${o.total.toLocaleString('en-US')}${o.totalExact ? '' : '+'} paper${o.total === 1 && o.totalExact ? '' : 's'}${o.semantic ? ' (keyword and semantic)' : ''} · sort: ${sortLinks.map((l, i) => html`${i > 0 ? ' · ' : ''}${l}`)}</p>
  <ol class="cards results" start="${first}">${o.results.map((r, i) => html`<li>${resultCard(r, first + i, cards.get(r.paper.id) ?? {})}</li>`)}</ol>
  <nav class="pager" aria-label="Pages">
    ${p.offset > 0 ? html`<a rel="prev" href="${hrefWith(p, { offset: String(Math.max(0, p.offset - p.limit)) })}">← Previous</a>` : ''}
    ${last < o.total && p.offset + p.limit <= 10_000 ? html`<a rel="next" href="${hrefWith(p, { offset: String(p.offset + p.limit) })}">Next →</a>` : ''}
  </nav>`;
}

/** A listing card (votes, saves, comments, badges) with the query's words marked and a snippet. */
function resultCard(r: SearchResult, rank: number, slots: CardOptions): RawHtml {
  // titleHtml and snippetHtml come from search/: escaped text, <mark> and sanitised MathML only.
  return paperCard(r.paper, {
    ...slots,
    rank,
    titleHtml: raw(r.titleHtml),
    markedAuthors: r.namedAuthors,
    extra: html`<p class="snippet">${raw(r.snippetHtml)}</p>`,
  });
}

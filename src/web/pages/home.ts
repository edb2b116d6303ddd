// "/" — papers announced on the latest day with papers, or a chosen day / week / month.
import type { FastifyInstance } from 'fastify';
import { html } from '../../lib/html.ts';
import { HttpError } from '../../lib/http-error.ts';
import { describePeriod, parsePeriodQuery, periodContaining, shiftPeriod, type Period } from '../../papers/index.ts';
import { adjacentListedDay, latestListedDay, listTrending } from '../../trending/index.ts';
import { cardSlotsFor } from './community-cards.ts';
import { viewerOf } from '../session.ts';
import type { AppDeps } from '../app.ts';
import { layout } from '../layout.ts';
import { assetUrl } from '../static.ts';
import { paperCard } from '../views/paper-card.ts';
import { listingFeedLinks } from '../../feeds/index.ts';

const PAGE_SIZE = 50;

interface HomeQuery {
  date?: string;
  week?: string;
  month?: string;
  page?: string;
  category?: string;
  view?: string;
}

export function periodHref(p: Period, extra: Record<string, string | undefined> = {}): string {
  const key = p.kind === 'day' ? 'date' : p.kind;
  const params = new URLSearchParams({ [key]: p.key });
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  return `/?${params}`;
}

export function registerHomeRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: HomeQuery }>('/', async (req, reply) => {
    const q = req.query;
    const parsed = parsePeriodQuery(q);
    if (!parsed.ok) throw new HttpError(400, 'bad_parameter', parsed.message);
    const page = q.page === undefined ? 1 : Number(q.page);
    if (!Number.isInteger(page) || page < 1 || page > 10_000) throw new HttpError(400, 'bad_parameter', 'page must be a positive whole number');
    const category = q.category && /^[a-z-]+(\.[A-Za-z-]+)?$/.test(q.category) ? q.category : undefined;

    const viewer = (await viewerOf(deps, req)) ?? null;
    const hot = q.view === 'hot';
    const latest = await latestListedDay(deps.db);
    const period = parsed.period ?? (latest ? periodContaining('day', latest) : undefined);
    if (!period) {
      return reply.type('text/html; charset=utf-8').send(
        layout({ title: 'paperboy' }, html`<section class="empty"><h1>No papers yet</h1><p>Import some with <code>paperboy import FILE</code> or run <code>paperboy harvest</code>.</p></section>`).value,
      );
    }
    const { config } = deps;
    const { entries, total } = await listTrending(deps.db, {
      period: hot ? 'hot' : period, category, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, now: deps.now(),
      hot: { gravity: config.hotGravity, offsetHours: config.hotOffsetHours, windowDays: config.hotWindowDays },
    });
    const papers = entries.map((e) => e.paper);
    const slots = await cardSlotsFor(deps, req, reply, papers, new Map(entries.map((e) => [e.paper.id, e])));
    const prev = period.kind === 'day' ? await adjacentListedDay(deps.db, period.start, -1) : shiftPeriod(period, -1).key;
    const next = period.kind === 'day' ? await adjacentListedDay(deps.db, period.start, 1) : shiftPeriod(period, 1).key;
    const anchor = period.kind === 'day' ? period.start : latest && latest >= period.start && latest <= period.end ? latest : period.start;
    const tabs = (['day', 'week', 'month'] as const).map((kind) => ({ kind, href: periodHref(periodContaining(kind, anchor), { category }) }));
    const keyParam = period.kind === 'day' ? 'date' : period.kind;
    const navHref = (key: string) => `/?${new URLSearchParams({ [keyParam]: key, ...(category ? { category } : {}) })}`;
    const pages = Math.ceil(total / PAGE_SIZE);
    const pageHref = (n: number) => (hot ? `/?${new URLSearchParams({ view: 'hot', ...(category ? { category } : {}), page: String(n) })}` : `${periodHref(period, { category })}&page=${n}`);

    const body = html`<section class="listing">
  <nav class="tabs" aria-label="Period">
    ${tabs.map((t) => html`<a href="${t.href}" ${!hot && t.kind === period.kind ? html`aria-current="page"` : ''}>${t.kind === 'day' ? 'Daily' : t.kind === 'week' ? 'Weekly' : 'Monthly'}</a>`)}
    <a href="/?${String(new URLSearchParams({ view: 'hot', ...(category ? { category } : {}) }))}" ${hot ? html`aria-current="page"` : ''}>Hot</a>
  </nav>
  ${hot ? html`<h1>Hot right now</h1><p class="hot-note">Upvotes, decaying with each hour since the paper was listed.</p>` : html`<div class="period-nav">
    ${prev ? html`<a rel="prev" href="${navHref(prev)}">← Previous</a>` : html`<span></span>`}
    <h1>${describePeriod(period)}</h1>
    ${next && (!latest || next <= latest || period.kind !== 'day') ? html`<a rel="next" href="${navHref(next)}">Next →</a>` : html`<span></span>`}
  </div>`}
  <p class="count">${total.toLocaleString('en-US')} paper${total === 1 ? '' : 's'}${category ? html` in <strong>${category}</strong> · <a href="${periodHref(period)}">all categories</a>` : ''}</p>
  ${papers.length === 0 ? html`<p class="empty">No papers were announced in this period.</p>` : html`<ol class="cards" start="${(page - 1) * PAGE_SIZE + 1}">${papers.map((p, i) => html`<li>${paperCard(p, (page - 1) * PAGE_SIZE + i + 1, slots.get(p.id))}</li>`)}</ol>`}
  ${pages > 1 ? html`<nav class="pager" aria-label="Pages">${page > 1 ? html`<a rel="prev" href="${pageHref(page - 1)}">← Page ${page - 1}</a>` : ''}<span>Page ${page} of ${pages}</span>${page < pages ? html`<a rel="next" href="${pageHref(page + 1)}">Page ${page + 1} →</a>` : ''}</nav>` : ''}
</section>`;
    return reply.type('text/html; charset=utf-8').send(layout({ title: hot ? 'Hot' : period.kind === 'day' && !parsed.period ? 'paperboy' : describePeriod(period), viewer, feeds: listingFeedLinks(period.kind, category), head: html`<script src="${assetUrl('vote.js')}" defer></script>` }, body).value);
  });
}

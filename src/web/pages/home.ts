// "/" — papers announced on the latest day with papers, or a chosen day / week / month; and the same
// listing for one category at "/categories/:category" (see categories.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../../lib/html.ts';
import { type AppDeps, assetUrl, CHANGE_LEVEL, changeStamp, dependsOn, HttpError, listingFeedLinks, OPEN_END, PAGES_CHANNEL, type PageCacheRule } from '../../http/index.ts';
import { currentVersion } from '../../store/index.ts';
import {
  addDays, countPapersByCategory, describePeriod, isCategoryCode, isoDay,
  parseDay, parsePeriodQuery, periodContaining, shiftPeriod, type CategoryCount, type Period, type PeriodKind,
} from '../../papers/index.ts';
import { adjacentListedDay, latestListedDay, listTrending, type TrendingEntry } from '../../trending/index.ts';
import { cardSlotsFor } from './community-cards.ts';
import { viewerOf } from '../session.ts';
import { hotListingView } from '../views/hot-listing.ts';
import { layout, type LayoutOptions } from '../layout.ts';
import { listingView, type ListingTab } from '../views/listing.ts';

const PAGE_SIZE = 50;

export interface HomeQuery {
  date?: string;
  week?: string;
  month?: string;
  page?: string;
  category?: string;
  /** From the date-picker form: show the week or month containing ?date=. */
  view?: string;
  /** '' (every paper), 'any' (papers with code) or 'stars' (with code, most GitHub stars first). */
  code?: string;
}

/** The URL of a period's listing under a base path ("/" or "/categories/cs.CL"). */
export function periodHref(p: Period, extra: Record<string, string | undefined> = {}, base = '/'): string {
  const key = p.kind === 'day' ? 'date' : p.kind;
  const params = new URLSearchParams({ [key]: p.key });
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  return `${base}?${params}`;
}

const TABS: { kind: PeriodKind; label: string }[] = [
  { kind: 'day', label: 'Daily' },
  { kind: 'week', label: 'Weekly' },
  { kind: 'month', label: 'Monthly' },
];

export interface ListingRequest {
  base: string;
  /** A category page's category (no filter form), or the "/" filter's value. */
  category?: string | undefined;
  categoryPage: boolean;
  layout: Omit<LayoutOptions, 'title'> & { title?: string };
  heading?: ReturnType<typeof html>;
}

/** Listings are kept rendered until their data changes; the hot list also decays by the minute. */
export function listingCacheRule(deps: AppDeps): PageCacheRule {
  return {
    params: ['date', 'week', 'month', 'page', 'category', 'view', 'code'],
    clock: (q) => (q.get('view') === 'hot' ? String(Math.floor(deps.now().getTime() / 60_000)) : ''),
  };
}

export function registerHomeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const categoryCounts = cachedCategoryCounts(deps);
  app.get<{ Querystring: HomeQuery }>('/', { config: { pageCache: listingCacheRule(deps) } }, async (req, reply) => {
    const q = req.query;
    const category = q.category && isCategoryCode(q.category) ? q.category : undefined;
    if (q.category && !category) throw new HttpError(400, 'bad_parameter', `category must be an arXiv category such as cs.CL, got "${q.category.slice(0, 40)}"`);
    return sendListing(deps, reply, q, { base: '/', category, categoryPage: false, layout: { section: 'trending' } }, categoryCounts);
  });
}

export type CategoryCounts = (period: Period, req: FastifyRequest) => Promise<CategoryCount[]>;

/**
 * Category counts per period, kept until papers or their categories change (a vote does not move
 * them): the filter needs them on every listing, and a page kept rendered must not carry older counts.
 */
export function cachedCategoryCounts(deps: AppDeps): CategoryCounts {
  const cache = new Map<string, Promise<CategoryCount[]>>();
  return async (period, req) => {
    const version = changeStamp(req, CHANGE_LEVEL.content) ?? (await currentVersion(deps.db, PAGES_CHANNEL));
    const key = `${version}:${period.start}/${period.end}`;
    const hit = cache.get(key);
    if (hit) return hit;
    if (cache.size > 200) cache.clear();
    const counts = countPapersByCategory(deps.db, period);
    cache.set(key, counts);
    counts.catch(() => cache.delete(key));
    return counts;
  };
}

export async function sendListing(deps: AppDeps, reply: FastifyReply, q: HomeQuery, r: ListingRequest, categoryCounts: CategoryCounts): Promise<FastifyReply> {
  if (q.code && q.code !== 'any' && q.code !== 'stars') throw new HttpError(400, 'bad_parameter', `code must be any (papers with code) or stars (most GitHub stars first), got "${q.code.slice(0, 40)}"`);
  const code = q.code === 'any' || q.code === 'stars' ? q.code : undefined;
  const keep = { ...(r.categoryPage ? {} : { category: r.category }), ...(code ? { code } : {}) };
  if (q.view === 'hot') return sendHot(deps, reply, q, r);
  // The date-picker form sends ?view=week&date=…: redirect to the canonical ?week= URL.
  if (q.view !== undefined) {
    if (q.view !== 'day' && q.view !== 'week' && q.view !== 'month') throw new HttpError(400, 'bad_parameter', 'view must be day, week or month');
    if (q.date && !parseDay(q.date)) throw new HttpError(400, 'bad_parameter', `date must be a calendar day YYYY-MM-DD, got "${q.date.slice(0, 40)}"`);
    // No date (or an empty one): the period holding the latest listed day, as the plain page shows.
    const day = q.date || (await latestListedDay(deps.db)) || isoDay(deps.now());
    return reply.redirect(periodHref(periodContaining(q.view, day), keep, r.base), 303);
  }
  const parsed = parsePeriodQuery(q);
  if (!parsed.ok) throw new HttpError(400, 'bad_parameter', parsed.message);
  const page = q.page === undefined ? 1 : Number(q.page);
  if (!Number.isInteger(page) || page < 1 || page > 10_000) throw new HttpError(400, 'bad_parameter', 'page must be a positive whole number');

  const latest = await latestListedDay(deps.db);
  const period = parsed.period ?? (latest ? periodContaining('day', latest) : undefined);
  if (!period) {
    return sendHtml(reply, layout({ ...r.layout, title: r.layout.title ?? 'paperboy' }, html`${r.heading ?? ''}<section class="empty"><h1>No papers yet</h1><p>Import some with <code>paperboy import FILE</code> or run <code>paperboy harvest</code>.</p></section>`));
  }
  const [{ entries, total }, prevDay, nextDay, categories] = await Promise.all([
    listTrending(deps.db, { period, category: r.category, code, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, now: deps.now() }),
    period.kind === 'day' ? adjacentListedDay(deps.db, period.start, -1) : undefined,
    period.kind === 'day' ? adjacentListedDay(deps.db, period.start, 1) : undefined,
    r.categoryPage ? undefined : categoryCounts(period, reply.request),
  ]);
  const prev = period.kind === 'day' ? prevDay : shiftPeriod(period, -1).key;
  const next = period.kind === 'day' ? nextDay : shiftPeriod(period, 1);
  const nextKey = typeof next === 'string' || next === undefined ? next : latest && next.start <= latest ? next.key : undefined;
  const anchor = period.kind === 'day' ? period.start : latest && latest >= period.start && latest <= period.end ? latest : period.start;
  const keyParam = period.kind === 'day' ? 'date' : period.kind;
  const navHref = (key: string | undefined) => (key ? `${r.base}?${new URLSearchParams({ [keyParam]: key, ...(keep.category ? { category: keep.category } : {}), ...(code ? { code } : {}) })}` : undefined);
  const tabs: ListingTab[] = [
    ...TABS.map((t) => ({ key: t.kind, label: t.label, href: periodHref(periodContaining(t.kind, anchor), keep, r.base), current: t.kind === period.kind })),
    { key: 'hot', label: 'Hot', href: hotHref(r.base, keep.category), current: false },
  ];
  const papers = entries.map((e) => e.paper);
  // The papers listed in the period, and which papers are listed where (the navigation, the latest day).
  dependsOn(reply.request, { days: [period.start, parsed.period ? period.end : OPEN_END], category: r.category, papers: papers.map((p) => p.id), level: CHANGE_LEVEL.listed });
  const cards = await cardSlotsFor(deps, reply.request, reply, papers, factsOf(entries));

  const body = listingView({
    action: r.base,
    period,
    tabs,
    prevHref: navHref(prev),
    nextHref: navHref(nextKey),
    papers,
    total,
    page,
    pageSize: PAGE_SIZE,
    pageHref: (n) => `${periodHref(period, keep, r.base)}&page=${n}`,
    category: r.categoryPage ? undefined : r.category,
    categories,
    code: code ?? '',
    latestDay: latest,
    heading: r.heading,
    cardOptions: (p) => cards.get(p.id) ?? {},
  });
  const title = r.layout.title ?? (period.kind === 'day' && !parsed.period ? 'paperboy' : describePeriod(period));
  const feeds = r.layout.feeds ?? listingFeedLinks(period.kind, r.category);
  const viewer = (await viewerOf(deps, reply.request)) ?? null;
  return sendHtml(reply, layout({ ...r.layout, title, feeds, viewer, head: VOTE_SCRIPT(), skipToPapers: papers.length > 0 }, body));
}

// ── community: the Hot tab and card slots ──
const VOTE_SCRIPT = () => html`<script src="${assetUrl('vote.js')}" defer></script>`;

function hotHref(base: string, category: string | undefined): string {
  return `${base}?${new URLSearchParams({ view: 'hot', ...(category ? { category } : {}) })}`;
}

function factsOf(entries: TrendingEntry[]) {
  return new Map(entries.map((e) => [e.paper.id, { votes: e.votes, submittedBy: e.submittedBy, pinned: e.pinned }]));
}

/** "?view=hot": papers of the last HOT_WINDOW_DAYS by time-decayed upvotes (src/trending). */
async function sendHot(deps: AppDeps, reply: FastifyReply, q: HomeQuery, r: ListingRequest): Promise<FastifyReply> {
  const page = q.page === undefined ? 1 : Number(q.page);
  if (!Number.isInteger(page) || page < 1 || page > 10_000) throw new HttpError(400, 'bad_parameter', 'page must be a positive whole number');
  const keep = r.categoryPage ? {} : { category: r.category };
  const { config } = deps;
  const { entries, total } = await listTrending(deps.db, {
    period: 'hot', category: r.category, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, now: deps.now(),
    hot: { gravity: config.hotGravity, offsetHours: config.hotOffsetHours, windowDays: config.hotWindowDays },
  });
  const latest = await latestListedDay(deps.db);
  const anchor = latest ?? new Date().toISOString().slice(0, 10);
  const tabs: ListingTab[] = [
    ...TABS.map((t) => ({ key: t.kind, label: t.label, href: periodHref(periodContaining(t.kind, anchor), keep, r.base), current: false })),
    { key: 'hot', label: 'Hot', href: hotHref(r.base, keep.category), current: true },
  ];
  const papers = entries.map((e) => e.paper);
  // The hot list ranks papers listed in the last hotWindowDays (a day more for time zones).
  dependsOn(reply.request, { days: [addDays(anchor, -config.hotWindowDays - 1), OPEN_END], category: r.category, papers: papers.map((p) => p.id), level: CHANGE_LEVEL.listed });
  const cards = await cardSlotsFor(deps, reply.request, reply, papers, factsOf(entries));
  const body = hotListingView({
    tabs, papers, total, page, pageSize: PAGE_SIZE, heading: r.heading, category: r.categoryPage ? undefined : r.category,
    pageHref: (n) => `${hotHref(r.base, keep.category)}&page=${n}`,
    cardOptions: (p) => cards.get(p.id) ?? {},
  });
  const viewer = (await viewerOf(deps, reply.request)) ?? null;
  return sendHtml(reply, layout({ ...r.layout, title: r.layout.title ? `Hot · ${r.layout.title}` : 'Hot', viewer, head: VOTE_SCRIPT(), skipToPapers: papers.length > 0 }, body));
}

export function sendHtml(reply: FastifyReply, page: { value: string }): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(page.value);
}

// "/categories" — every category with papers; "/categories/:category" — its listing by day/week/month.
import type { FastifyInstance } from 'fastify';
import { html } from '../../lib/html.ts';
import { type AppDeps, categoryFeedLinks, CHANGE_LEVEL, changeStamp, dependsOn, HttpError, PAGES_CHANNEL } from '../../http/index.ts';
import { currentVersion } from '../../store/index.ts';
import { categoryName, countPapersByCategory, isCategoryCode, type CategoryCount } from '../../papers/index.ts';
import { layout } from '../layout.ts';
import { viewerOrNull } from '../session.ts';
import { categoryHref } from '../views/paper-card.ts';
import { cachedCategoryCounts, listingCacheRule, sendHtml, sendListing, type HomeQuery } from './home.ts';

export function registerCategoryRoutes(app: FastifyInstance, deps: AppDeps): void {
  const categoryCounts = cachedCategoryCounts(deps);
  let index: { version: number; counts: CategoryCount[] } | undefined;

  app.get('/categories', { config: { pageCache: { params: [] } } }, async (req, reply) => {
    // Counts move with papers and their categories, not with votes.
    const version = changeStamp(req, CHANGE_LEVEL.content) ?? (await currentVersion(deps.db, PAGES_CHANNEL));
    if (index?.version !== version) index = { version, counts: await countPapersByCategory(deps.db) };
    dependsOn(req, { level: CHANGE_LEVEL.content });
    const body = html`<section>
  <h1>Categories</h1>
  <p class="muted">Papers listed in each arXiv category, cross-lists included. Each category has daily, weekly and monthly lists.</p>
  ${index.counts.length === 0 ? html`<p class="empty">No papers yet.</p>` : html`<ul class="category-list">
    ${index.counts.map((c) => html`<li><a href="${categoryHref(c.category)}"><span class="code">${c.category}</span><span class="name">${categoryName(c.category) ?? ''}</span><span class="muted">${c.papers.toLocaleString('en-US')}</span></a></li>`)}
  </ul>`}
</section>`;
    return sendHtml(reply, layout({ title: 'Categories', section: 'categories', description: 'Research papers by arXiv category.', viewer: await viewerOrNull(deps, req) }, body));
  });

  app.get<{ Params: { category: string }; Querystring: HomeQuery }>('/categories/:category', { config: { pageCache: listingCacheRule(deps) } }, async (req, reply) => {
    const { category } = req.params;
    if (!isCategoryCode(category)) throw new HttpError(404, 'not_found', `"${category.slice(0, 40)}" is not an arXiv category. See the list of categories.`);
    const name = categoryName(category);
    const heading = html`<header class="category-head"><h1>${category}${name ? html` · ${name}` : ''}</h1><p><a href="/categories">All categories</a> · <a href="/feeds/category/${category}.atom">Atom feed</a></p></header>`;
    return sendListing(deps, reply, req.query, {
      base: categoryHref(category),
      category,
      categoryPage: true,
      heading,
      layout: {
        title: name ? `${category} · ${name}` : category,
        section: 'categories',
        description: `Trending ${name ?? category} papers.`,
        feeds: categoryFeedLinks(category),
      },
    }, categoryCounts);
  });
}

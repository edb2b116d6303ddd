// "/trends" — rising key phrases and categories this week against the previous weeks (within one
// category with ?category=), each with a chart of its weekly papers and votes; "/trends/topic?phrase="
// — one phrase over the weeks, and its papers.
import type { FastifyInstance } from 'fastify';
import { html, type RawHtml } from '../../lib/html.ts';
import { type AppDeps, HttpError } from '../../http/index.ts';
import { categoryName, findPapersByIds, isCategoryCode } from '../../papers/index.ts';
import { findPhraseTopic, findTrends, MIN_BURST, MIN_COUNT, PREVIOUS_WEEKS, WEEKS, type TopicTrend } from '../../trends/index.ts';
import { layout } from '../layout.ts';
import { weeklyChart, weeklyTable } from '../views/chart.ts';
import { categoryHref, paperCard } from '../views/paper-card.ts';
import { sendHtml } from './home.ts';
import { countOf } from '../../lib/words.ts';

export function topicHref(t: Pick<TopicTrend, 'kind' | 'topic'>): string {
  return t.kind === 'phrase' ? `/trends/topic?${String(new URLSearchParams({ phrase: t.topic }))}` : `/trends?${String(new URLSearchParams({ category: t.topic }))}`;
}

function trendItem(t: TopicTrend, i: number): RawHtml {
  const id = `${t.kind}-${i}`;
  const label = t.kind === 'category' ? `${t.topic}${categoryName(t.topic) ? ` · ${categoryName(t.topic)}` : ''}` : t.topic;
  return html`<li class="trend" aria-labelledby="${id}">
  <div class="trend-text">
    <a id="${id}" class="trend-name" href="${topicHref(t)}">${label}</a>
    <span class="muted">${t.burst.current} papers this week, ${t.burst.expected.toFixed(1)} expected · burst ${t.burst.score.toFixed(1)}</span>
  </div>
  ${weeklyChart(t.series, { width: 168, height: 40, title: `${label}: papers (bars) and votes (line) per week` })}
  ${weeklyTable(t.series, `${label}: papers and votes per week`)}
</li>`;
}

function trendList(title: string, id: string, items: TopicTrend[], empty: string): RawHtml {
  return html`<section class="trends" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>
  ${items.length === 0 ? html`<p class="empty">${empty}</p>` : html`<ol class="trend-list">${items.map(trendItem)}</ol>`}</section>`;
}

export function registerTrendRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { category?: string } }>('/trends', async (req, reply) => {
    const category = req.query.category || undefined;
    if (category !== undefined && !isCategoryCode(category)) throw new HttpError(400, 'bad_parameter', `category must be an arXiv category such as cs.CL, got "${category.slice(0, 40)}"`);
    const trends = await findTrends(deps.db, { category, now: deps.now() });
    const scope = category ? html` in <a href="${categoryHref(category)}">${category}</a>` : '';
    const body = html`<section class="trends-page">
  <h1>Rising topics${category ? ` in ${category}` : ''}</h1>
  <p class="muted">Key phrases and categories with more papers in the week of ${trends?.asOf ?? 'the latest day'} than their rate over the ${PREVIOUS_WEEKS} weeks before predicts${scope}. Bars: papers per week over ${WEEKS} weeks; line: their votes. <a href="#how">How this is scored</a>${category ? html` · <a href="/trends">All categories</a>` : ''}</p>
  ${trends ? html`${trendList('Rising key phrases', 'phrases-h', trends.phrases, 'No key phrase is rising this week.')}
  ${category ? '' : trendList('Rising categories', 'categories-h', trends.categories, 'No category is rising this week.')}` : html`<p class="empty">No papers yet.</p>`}
  <section id="how" class="how" aria-label="How rising topics are scored"><h2>How this is scored</h2>
  <p>For a topic with <var>c</var> papers out of <var>N</var> this week, and <var>C</var> out of <var>M</var> in the ${PREVIOUS_WEEKS} weeks before, the expected count is <var>E</var> = <var>N</var>·(<var>C</var>+1)/(<var>M</var>+1) and the burst score is (<var>c</var> − <var>E</var>)/√(<var>E</var>+1). A topic is rising with a score of at least ${MIN_BURST} and at least ${MIN_COUNT} papers this week.</p></section>
</section>`;
    return sendHtml(reply, layout({ title: category ? `Rising topics in ${category}` : 'Rising topics', section: 'trends', description: 'Key phrases and categories rising this week.' }, body));
  });

  app.get<{ Querystring: { phrase?: string } }>('/trends/topic', async (req, reply) => {
    const phrase = (req.query.phrase ?? '').trim();
    if (phrase.length === 0 || phrase.length > 100) throw new HttpError(400, 'bad_parameter', 'phrase must be a key phrase of 1 to 100 characters, e.g. ?phrase=diffusion models');
    const found = await findPhraseTopic(deps.db, phrase, deps.now());
    if (!found) throw new HttpError(404, 'not_found', `No paper of the last ${WEEKS} weeks has the key phrase "${phrase.slice(0, 100)}". Try searching for it instead.`);
    const { trend } = found;
    const papers = await findPapersByIds(deps.db, found.paperIds.slice(0, 30));
    const body = html`<section class="topic-page">
  <p class="crumbs"><a href="/trends">Rising topics</a></p>
  <h1>${trend.topic}</h1>
  <p class="muted">${countOf(found.paperIds.length, 'paper')} over ${WEEKS} weeks · this week ${trend.burst.current}, ${trend.burst.expected.toFixed(1)} expected · burst ${trend.burst.score.toFixed(1)} · <a href="/search?${String(new URLSearchParams({ q: `"${trend.topic}"` }))}">Search for it</a></p>
  <figure class="topic-chart">${weeklyChart(trend.series, { width: 640, height: 180, labels: true, title: `${trend.topic}: papers (bars) and votes (line) per week` })}
  <figcaption>Papers per ISO week (bars) and their votes (line, own scale).</figcaption></figure>
  ${weeklyTable(trend.series, `${trend.topic}: papers and votes per week`)}
  <h2>Papers</h2>
  <ol class="cards">${papers.map((p) => html`<li>${paperCard(p)}</li>`)}</ol>
</section>`;
    return sendHtml(reply, layout({ title: trend.topic, section: 'trends', description: `Papers about ${trend.topic} over the weeks.` }, body));
  });
}

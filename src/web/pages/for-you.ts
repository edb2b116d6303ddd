// /for-you — new papers ranked for the signed-in reader, each with why; ?tag= ranks by one tag's
// papers only (arxiv-sanity's per-tag lists); ?days= widens the window. A reader with nothing saved,
// upvoted or followed yet is told how to start and shown the trending papers meanwhile.
import type { FastifyInstance } from 'fastify';
import { html, type RawHtml } from '../../lib/html.ts';
import { texHtml } from '../../lib/tex.ts';
import { HttpError } from '../../http/index.ts';
import { dayPeriod } from '../../papers/index.ts';
import { listTags } from '../../library/index.ts';
import { describeReason, recommendForUser, DEFAULT_WINDOW_DAYS, type Reason } from '../../recommend/index.ts';
import { latestListedDay, listTrending } from '../../trending/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { layout } from '../layout.ts';
import { requireViewer } from '../session.ts';
import { cardSlotsFor } from './community-cards.ts';
import { paperCard } from '../views/paper-card.ts';

const DAY_CHOICES = [1, 3, 7, 14, 30];

/** A reason as shown on a card: a saved paper's title is TeX-ish, so it is rendered like titles are. */
function reasonHtml(r: Reason): RawHtml {
  if (r.kind === 'paper') return html`like “<a href="/papers/${r.arxivId}">${texHtml(r.title)}</a>”, which you ${r.upvoted ? 'upvoted' : 'saved'}`;
  return html`${describeReason(r)}`;
}

export function registerForYouRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { tag?: string; days?: string } }>('/for-you', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const days = req.query.days === undefined ? DEFAULT_WINDOW_DAYS : Number(req.query.days);
    if (!DAY_CHOICES.includes(days)) throw new HttpError(400, 'bad_parameter', `days: must be one of ${DAY_CHOICES.join(', ')}.`);
    const tags = await listTags(deps.db, user.id);
    const tag = typeof req.query.tag === 'string' && req.query.tag !== '' ? req.query.tag.toLowerCase() : undefined;
    if (tag !== undefined && !tags.some((t) => t.name === tag)) throw new HttpError(404, 'not_found', `tag: you have no tag “${tag}”.`);
    const list = await recommendForUser(deps.db, user.id, { days, tag, limit: 50 });
    const href = (over: { tag?: string | undefined; days?: number }) => {
      const p = new URLSearchParams();
      const t = 'tag' in over ? over.tag : tag;
      const d = over.days ?? days;
      if (t) p.set('tag', t);
      if (d !== DEFAULT_WINDOW_DAYS) p.set('days', String(d));
      return p.size ? `/for-you?${p}` : '/for-you';
    };
    let content;
    if (list.coldStart) {
      const latest = await latestListedDay(deps.db);
      const trending = latest ? (await listTrending(deps.db, { period: dayPeriod(latest), limit: 10, offset: 0, now: deps.now() })).entries : [];
      const slots = await cardSlotsFor(deps, req, reply, trending.map((e) => e.paper));
      content = html`<section class="cold-start">
  <h2>Start your list</h2>
  <ol>
    <li><strong>Save</strong> papers you like with <span aria-hidden="true">☆</span> Save on any card — tag them (<em>reading</em>, <em>rl</em>) to get a list per tag.</li>
    <li>Or <a href="/library#import-h">import</a> a BibTeX file or a list of arXiv ids.</li>
    <li><a href="/follows">Follow</a> authors, categories or a search.</li>
  </ol>
  <p>Your list then ranks each day’s new papers by them, and says why.</p>
</section>
${trending.length > 0 ? html`<h2>Trending meanwhile</h2><div class="cards" id="papers">${trending.map((e) => paperCard(e.paper, slots.get(e.paper.id)))}</div>` : ''}`;
    } else {
      const slots = await cardSlotsFor(deps, req, reply, list.items.map((i) => i.paper));
      content = list.items.length === 0
        ? html`<p class="empty">Nothing new matches yet in these ${days} days. Try a wider window.</p>`
        : html`<div class="cards" id="papers">${list.items.map((i, n) => paperCard(i.paper, { ...slots.get(i.paper.id), rank: n + 1, extra: html`<p class="reason">${i.reasons.slice(0, 2).map((r, k) => html`${k > 0 ? ' · ' : ''}${reasonHtml(r)}`)}</p>` }))}</div>`;
    }
    const body = html`<section class="for-you">
  <h1>For you${tag ? html` · <span class="tag-name">${tag}</span>` : ''}</h1>
  <p class="muted">New papers announced ${list.since === list.until ? html`on ${list.until}` : html`${list.since} – ${list.until}`}, ranked by ${tag ? html`your papers tagged “${tag}”` : 'your library, upvotes and follows'}. <a href="/library">Your library</a> · <a href="/follows">Following</a></p>
  <nav class="tag-filter" aria-label="Lists">
    <a href="${href({ tag: undefined })}"${tag === undefined ? html` aria-current="page"` : ''}>Everything</a>
    ${tags.filter((t) => t.papers > 0).map((t) => html`<a href="${href({ tag: t.name })}"${tag === t.name ? html` aria-current="page"` : ''}>${t.name}</a>`)}
  </nav>
  <nav class="window-choice" aria-label="Window">Window: ${DAY_CHOICES.map((d) => (d === days ? html`<strong>${d} d</strong> ` : html`<a href="${href({ days: d })}">${d} d</a> `))}</nav>
  ${content}
</section>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: 'For you', viewer: user, section: 'for-you', noindex: true, skipToPapers: true }, body).value);
  });
}

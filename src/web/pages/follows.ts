// /follows — the authors, categories and searches the reader follows: add (from here, a paper page or
// a search page) and remove. Followed things lead the "for you" list.
import type { FastifyInstance } from 'fastify';
import { html } from '../../lib/html.ts';
import { HttpError } from '../../http/index.ts';
import { addFollow, checkFollowValue, FOLLOW_KINDS, listFollows, removeFollow, type FollowKind } from '../../follows/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { limitWrites, requireViewer, safeNext } from '../session.ts';

const KIND_LABELS: Record<FollowKind, string> = { author: 'Authors', category: 'Categories', search: 'Searches' };

export function registerFollowRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/follows', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const follows = await listFollows(deps.db, user.id);
    const csrf = csrfField(req, reply, deps.secret);
    const body = html`<section class="follows community-form">
  <h1>Following</h1>
  <p>Papers by these authors, in these categories or matching these searches come first in <a href="/for-you">For you</a>.</p>
  ${FOLLOW_KINDS.map((kind) => {
    const mine = follows.filter((f) => f.kind === kind);
    return html`<h2>${KIND_LABELS[kind]}</h2>
  ${mine.length === 0 ? html`<p class="muted">None yet.</p>` : html`<ul class="follow-list">${mine.map((f) => html`<li>${kind === 'search' ? html`<a href="/search?q=${encodeURIComponent(f.value)}">${f.value}</a>` : kind === 'category' ? html`<a href="/categories/${encodeURIComponent(f.value)}">${f.value}</a>` : f.value} <form class="inline" method="post" action="/follows/${f.id}/delete">${csrf}<button class="button small" type="submit">Unfollow<span class="visually-hidden"> ${f.value}</span></button></form></li>`)}</ul>`}`;
  })}
  <h2>Follow something new</h2>
  <form method="post" action="/follows">
    ${csrf}
    <label for="follow-kind">What</label>
    <select id="follow-kind" name="kind">${FOLLOW_KINDS.map((k) => html`<option value="${k}">${k}</option>`)}</select>
    <label for="follow-value">Author name, category code (cs.LG) or search (<code>diffusion cat:cs.CV -survey</code>)</label>
    <input id="follow-value" name="value" required maxlength="300" autocomplete="off">
    <button class="button primary" type="submit">Follow</button>
  </form>
</section>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: 'Following', viewer: user, noindex: true }, body).value);
  });

  app.post<{ Body: { kind?: string; value?: string; next?: string } }>('/follows', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const body = req.body ?? {};
    const kind = body.kind as FollowKind;
    if (!FOLLOW_KINDS.includes(kind)) throw new HttpError(400, 'bad_parameter', `kind: must be one of ${FOLLOW_KINDS.join(', ')}.`);
    const checked = checkFollowValue(kind, typeof body.value === 'string' ? body.value : '');
    if (!checked.ok) throw new HttpError(400, 'bad_parameter', `value: ${checked.message}`);
    await limitWrites(deps, req, user);
    const outcome = await addFollow(deps.db, user.id, kind, checked.value, checked.key, deps.now());
    if (!outcome.ok) throw new HttpError(409, 'too_many', 'You follow as many things as one account may; unfollow some first.');
    return reply.redirect(safeNext(body.next, '/follows'), 303);
  });

  app.post<{ Params: { id: string } }>('/follows/:id/delete', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1) throw new HttpError(400, 'bad_parameter', 'id: must be a follow id.');
    await limitWrites(deps, req, user);
    if (!(await removeFollow(deps.db, user.id, id))) throw new HttpError(404, 'not_found', 'You do not follow that.');
    return reply.redirect('/follows', 303);
  });
}

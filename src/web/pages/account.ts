// /account — the signed-in user's page: display name, sessions, submissions, API tokens.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type HtmlValue } from '../../lib/html.ts';
import { type AppDeps, HttpError } from '../../http/index.ts';
import { checkDisplayName, countUserSessions, createApiToken, listApiTokens, revokeApiToken, setDisplayName, type User } from '../../accounts/index.ts';
import { listUserSubmissions } from '../../community/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { paperHref } from '../views/paper-card.ts';
import { texHtml } from '../../lib/tex.ts';
import { limitWrites, requireViewer } from '../session.ts';
import { privateFeedsSection } from './personal-feeds.ts';
import { countOf } from '../../lib/words.ts';

/** The account's API tokens: list, create, revoke. */
async function apiTokensSection(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, user: User): Promise<HtmlValue> {
  const tokens = await listApiTokens(deps.db, user.id);
  const csrf = csrfField(req, reply, deps.secret);
  return html`<section class="api-tokens" id="api-tokens">
  <h2>API tokens</h2>
  <p>Tokens let scripts use the <a href="/api/docs">JSON API</a> as you: send <code>Authorization: Bearer pb_…</code>.</p>
  ${tokens.length === 0 ? html`<p>No tokens yet.</p>` : html`<ul>${tokens.map((t) => html`<li><strong>${t.name}</strong> <code>${t.prefix}…</code> · created ${t.createdAt.slice(0, 10)}${t.lastUsedAt ? html` · last used ${t.lastUsedAt.slice(0, 10)}` : ''}${t.revokedAt ? html` · <span class="muted">revoked</span>` : html` <form class="inline" method="post" action="/account/tokens/revoke">${csrf}<input type="hidden" name="id" value="${t.id}"><button class="button" type="submit">Revoke</button></form>`}</li>`)}</ul>`}
  <form method="post" action="/account/tokens">
    ${csrf}
    <label for="token_name">New token name</label>
    <input id="token_name" name="name" maxlength="100" required placeholder="e.g. my reading-list script">
    <button class="button" type="submit">Create token</button>
  </form>
</section>`;
}

export function registerAccountRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { welcome?: string } }>('/account', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const [sessions, submissions] = await Promise.all([countUserSessions(deps.db, user.id, deps.now()), listUserSubmissions(deps.db, user.id)]);
    const csrf = csrfField(req, reply, deps.secret);
    const body = html`<section class="community-form account">
  <h1>Your account</h1>
  <p><a href="/account/profile">Your public profile and reply notifications →</a></p>
  ${req.query.welcome ? html`<p class="notice">Welcome to paperboy! Choose the name others see next to your submissions.</p>` : ''}
  <p>Signed in as <strong>${user.email}</strong>${user.role !== 'member' ? html` · <span class="cat">${user.role}</span>` : ''}.</p>
  <form method="post" action="/account/name">
    ${csrf}
    <label for="display_name">Display name</label>
    <input id="display_name" name="display_name" maxlength="40" required value="${user.hasDisplayName ? user.displayName : ''}" placeholder="${user.displayName}">
    <button class="button" type="submit">Save</button>
  </form>
  <h2>Sessions</h2>
  <p>You are signed in on ${countOf(sessions, 'device')} or browser${sessions === 1 ? '' : 's'}.</p>
  <div class="actions">
    <form method="post" action="/signout">${csrf}<button class="button" type="submit">Sign out</button></form>
    <form method="post" action="/signout/everywhere">${csrf}<button class="button" type="submit">Sign out everywhere</button></form>
  </div>
  <h2>Your submissions</h2>
  ${submissions.length === 0
    ? html`<p>None yet. <a href="/submit">Submit a paper</a>.</p>`
    : html`<ul>${submissions.map((s) => html`<li><a href="${paperHref(s.arxivId)}">${texHtml(s.title)}</a> · listed ${s.listedOn}</li>`)}</ul>`}
  ${await privateFeedsSection(deps, req, reply, user)}
  ${await apiTokensSection(deps, req, reply, user)}
</section>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: 'Your account', viewer: user }, body).value);
  });

  app.post<{ Body: { name?: string } }>('/account/tokens', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    const name = typeof req.body?.name === 'string' ? req.body.name.trim() : '';
    if (!name) throw new HttpError(400, 'bad_parameter', 'name: give the token a name so you can tell it apart later.');
    const { token, apiToken } = await createApiToken(deps.db, user.id, name, deps.now());
    const body = html`<section class="community-form">
  <h1>Your new API token</h1>
  <p>Copy it now: it is shown only this once (we keep only its hash).</p>
  <p><code class="token">${token}</code></p>
  <p>Name: <strong>${apiToken.name}</strong>. <a href="/account#api-tokens">Back to your account</a></p>
</section>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: 'New API token', viewer: user }, body).value);
  });

  app.post<{ Body: { id?: string } }>('/account/tokens/revoke', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    const id = Number(req.body?.id);
    if (!Number.isInteger(id) || id < 1) throw new HttpError(400, 'bad_parameter', 'id: which token to revoke.');
    if (!(await revokeApiToken(deps.db, user.id, id, deps.now()))) throw new HttpError(404, 'not_found', 'id: you have no active token with that id.');
    return reply.redirect('/account#api-tokens', 303);
  });

  app.post<{ Body: { display_name?: string } }>('/account/name', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    const checked = checkDisplayName(typeof req.body?.display_name === 'string' ? req.body.display_name : '');
    if (!checked.ok) throw new HttpError(400, 'bad_parameter', `display_name: ${checked.message}`);
    await setDisplayName(deps.db, user.id, checked.name);
    return reply.redirect('/account', 303);
  });
}

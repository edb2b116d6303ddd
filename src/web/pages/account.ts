// /account — the signed-in user's page: display name, sessions, submissions, API tokens.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type HtmlValue } from '../../lib/html.ts';
import { HttpError } from '../../lib/http-error.ts';
import { checkDisplayName, countUserSessions, setDisplayName, type User } from '../../accounts/index.ts';
import { listUserSubmissions } from '../../community/index.ts';
import type { AppDeps } from '../app.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { paperHref } from '../views/paper-card.ts';
import { limitWrites, requireViewer } from '../session.ts';

/**
 * SLOT for API tokens (issue 6): render the list/create/revoke forms here with
 * createApiToken / revokeApiToken / listApiTokens from src/api/tokens.ts.
 */
async function apiTokensSection(_deps: AppDeps, _req: FastifyRequest, _reply: FastifyReply, _user: User): Promise<HtmlValue> {
  return '';
}

export function registerAccountRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { welcome?: string } }>('/account', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const [sessions, submissions] = await Promise.all([countUserSessions(deps.db, user.id, deps.now()), listUserSubmissions(deps.db, user.id)]);
    const csrf = csrfField(req, reply, deps.secret);
    const body = html`<section class="community-form account">
  <h1>Your account</h1>
  ${req.query.welcome ? html`<p class="notice">Welcome to paperboy! Choose the name others see next to your submissions.</p>` : ''}
  <p>Signed in as <strong>${user.email}</strong>${user.role !== 'member' ? html` · <span class="cat">${user.role}</span>` : ''}.</p>
  <form method="post" action="/account/name">
    ${csrf}
    <label for="display_name">Display name</label>
    <input id="display_name" name="display_name" maxlength="40" required value="${user.hasDisplayName ? user.displayName : ''}" placeholder="${user.displayName}">
    <button class="button" type="submit">Save</button>
  </form>
  <h2>Sessions</h2>
  <p>You are signed in on ${sessions} device${sessions === 1 ? '' : 's'} or browser${sessions === 1 ? '' : 's'}.</p>
  <div class="actions">
    <form method="post" action="/signout">${csrf}<button class="button" type="submit">Sign out</button></form>
    <form method="post" action="/signout/everywhere">${csrf}<button class="button" type="submit">Sign out everywhere</button></form>
  </div>
  <h2>Your submissions</h2>
  ${submissions.length === 0
    ? html`<p>None yet. <a href="/submit">Submit a paper</a>.</p>`
    : html`<ul>${submissions.map((s) => html`<li><a href="${paperHref(s.arxivId)}">${s.title}</a> · listed ${s.listedOn}</li>`)}</ul>`}
  ${await apiTokensSection(deps, req, reply, user)}
</section>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: 'Your account', viewer: user }, body).value);
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

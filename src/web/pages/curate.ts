// /curate — the curators' dashboard: act on papers and users, and read the audit log.
// Every action needs a reason; it is recorded with who and when (community/audit.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type RawHtml } from '../../lib/html.ts';
import { type AppDeps, HttpError } from '../../http/index.ts';
import { findUserByEmail, isCurator, listApiTokens, listStaff, normalizeEmail, revokeApiToken, type User } from '../../accounts/index.ts';
import {
  listAudit, listModeratedPapers, listPins, listSuspended, pinPaper, setPaperHidden, setUserRole, setUserSuspended,
  setVotesLocked, unpinPaper, type Actor,
} from '../../community/index.ts';
import { findPaperByArxivId, isoDay, parseArxivId, parseDay } from '../../papers/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { paperHref } from '../views/paper-card.ts';
import { limitWrites, requireViewer, safeNext } from '../session.ts';

const PAPER_ACTIONS = ['hide', 'unhide', 'lock', 'unlock', 'pin', 'unpin'] as const;
const USER_ACTIONS = ['suspend', 'unsuspend', 'grant-curator', 'grant-admin', 'revoke'] as const;

async function requireCurator(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<User | undefined> {
  const user = await requireViewer(deps, req, reply);
  if (user && !isCurator(user)) throw new HttpError(403, 'forbidden', 'Only curators can see this page.');
  return user;
}

function readReason(raw: unknown): string {
  const reason = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
  if (!reason) throw new HttpError(400, 'bad_parameter', 'reason: say why — it is recorded in the audit log.');
  if (reason.length > 500) throw new HttpError(400, 'bad_parameter', 'reason: keep it under 500 characters.');
  return reason;
}

/** The curator tools shown on a paper's own page. */
export function paperCuratorPanel(req: FastifyRequest, reply: FastifyReply, deps: AppDeps, arxivId: string, hidden: boolean, locked: boolean): RawHtml {
  return html`<details class="curator-panel">
  <summary>Curator actions</summary>
  <form method="post" action="/curate/paper">
    ${csrfField(req, reply, deps.secret)}
    <input type="hidden" name="paper" value="${arxivId}"><input type="hidden" name="next" value="${req.url}">
    <label for="cp-action">Action</label>
    <select id="cp-action" name="action">
      <option value="${hidden ? 'unhide' : 'hide'}">${hidden ? 'Unhide' : 'Hide (spam, off-topic)'}</option>
      <option value="${locked ? 'unlock' : 'lock'}">${locked ? 'Unlock voting' : 'Lock voting'}</option>
      <option value="pin">Pin to a day</option>
      <option value="unpin">Unpin from a day</option>
    </select>
    <label for="cp-day">Day (pin/unpin)</label>
    <input id="cp-day" name="day" type="date" value="${isoDay(deps.now())}">
    <label for="cp-reason">Reason (audit log)</label>
    <input id="cp-reason" name="reason" required maxlength="500">
    <button class="button" type="submit">Apply</button>
  </form>
</details>`;
}

export function registerCurateRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/curate', async (req, reply) => {
    const user = await requireCurator(deps, req, reply);
    if (!user) return reply;
    const [audit, pins, moderated, suspended, staff] = await Promise.all([
      listAudit(deps.db, { limit: 100 }), listPins(deps.db), listModeratedPapers(deps.db), listSuspended(deps.db), listStaff(deps.db),
    ]);
    const csrf = csrfField(req, reply, deps.secret);
    const admin = user.role === 'admin';
    const body = html`<section class="curate">
  <h1>Curate</h1>
  <p><a href="/curate/discussion">Reported comments, comments waiting for review and authorship claims →</a></p>
  <div class="curate-forms">
    <form method="post" action="/curate/paper" class="community-form">
      <h2>A paper</h2>
      ${csrf}
      <label for="c-paper">arXiv id or URL</label><input id="c-paper" name="paper" required maxlength="300">
      <label for="c-action">Action</label>
      <select id="c-action" name="action">
        <option value="pin">Pin (feature) on a day</option><option value="unpin">Unpin from a day</option>
        <option value="hide">Hide (spam, off-topic)</option><option value="unhide">Unhide</option>
        <option value="lock">Lock voting</option><option value="unlock">Unlock voting</option>
      </select>
      <label for="c-day">Day (pin/unpin)</label><input id="c-day" name="day" type="date" value="${isoDay(deps.now())}">
      <label for="c-reason">Reason</label><input id="c-reason" name="reason" required maxlength="500">
      <button class="button primary" type="submit">Apply</button>
    </form>
    <form method="post" action="/curate/user" class="community-form">
      <h2>A user</h2>
      ${csrf}
      <label for="u-email">Email address</label><input id="u-email" name="email" type="email" required maxlength="254">
      <label for="u-action">Action</label>
      <select id="u-action" name="action">
        <option value="suspend">Suspend</option><option value="unsuspend">Lift suspension</option>
        ${admin ? html`<option value="grant-curator">Make curator</option><option value="grant-admin">Make admin</option><option value="revoke">Make ordinary member</option>` : ''}
      </select>
      <label for="u-reason">Reason</label><input id="u-reason" name="reason" required maxlength="500">
      <button class="button primary" type="submit">Apply</button>
    </form>
  </div>
  <h2>Audit log</h2>
  ${audit.length === 0 ? html`<p class="empty">No curator actions yet.</p>` : html`<table class="audit">
    <thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">On</th><th scope="col">Why</th></tr></thead>
    <tbody>${audit.map((a) => html`<tr><td>${a.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${a.actor}</td><td>${a.action.replace(/_/g, ' ')}</td><td>${targetLink(a.target)}</td><td>${a.reason}</td></tr>`)}</tbody>
  </table>`}
  <h2>Pinned</h2>
  ${pins.length === 0 ? html`<p class="empty">Nothing pinned.</p>` : html`<ul>${pins.map((p) => html`<li>${p.day}: <a href="${paperHref(p.arxivId)}">${p.title}</a></li>`)}</ul>`}
  <h2>Hidden or locked papers</h2>
  ${moderated.length === 0 ? html`<p class="empty">None.</p>` : html`<ul>${moderated.map((p) => html`<li><a href="${paperHref(p.arxivId)}">${p.title}</a> — ${[p.hidden ? 'hidden' : '', p.votesLocked ? 'voting locked' : ''].filter(Boolean).join(', ')}</li>`)}</ul>`}
  <h2>Suspended users</h2>
  ${suspended.length === 0 ? html`<p class="empty">None.</p>` : html`<ul>${suspended.map((s) => html`<li>${s.email} since ${s.since.slice(0, 10)}: ${s.reason ?? ''}</li>`)}</ul>`}
  <h2>Curators and admins</h2>
  <ul>${staff.map((s) => html`<li>${s.displayName} &lt;${s.email}&gt; · ${s.role}</li>`)}</ul>
</section>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: 'Curate', viewer: user }, body).value);
  });

  app.post<{ Body: Record<string, string | undefined> }>('/curate/paper', async (req, reply) => {
    const user = await requireCurator(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    const b = req.body ?? {};
    const action = PAPER_ACTIONS.find((a) => a === b.action);
    if (!action) throw new HttpError(400, 'bad_parameter', `action: one of ${PAPER_ACTIONS.join(', ')}.`);
    const parsed = typeof b.paper === 'string' ? parseArxivId(b.paper) : undefined;
    if (!parsed) throw new HttpError(400, 'bad_parameter', 'paper: give an arXiv id such as 2503.01234.');
    const paper = await findPaperByArxivId(deps.db, parsed.id);
    if (!paper) throw new HttpError(404, 'not_found', `paper: we have no paper ${parsed.id}.`);
    const reason = readReason(b.reason);
    const actor: Actor = { id: user.id, label: user.email };
    const now = deps.now();
    const ref = { id: paper.id, arxivId: paper.arxivId };
    if (action === 'pin' || action === 'unpin') {
      const day = typeof b.day === 'string' && parseDay(b.day) ? b.day : undefined;
      if (!day) throw new HttpError(400, 'bad_parameter', 'day: give the day as YYYY-MM-DD.');
      if (action === 'pin') await pinPaper(deps.db, actor, ref, day, reason, now);
      else if (!(await unpinPaper(deps.db, actor, ref, day, reason, now))) throw new HttpError(404, 'not_found', `day: ${paper.arxivId} is not pinned on ${day}.`);
    } else if (action === 'hide' || action === 'unhide') {
      await setPaperHidden(deps.db, actor, ref, action === 'hide', reason, now);
    } else {
      await setVotesLocked(deps.db, actor, ref, action === 'lock', reason, now);
    }
    deps.log.info('curator_action', { action, arxiv_id: paper.arxivId, user_id: user.id });
    return reply.redirect(safeNext(b.next, '/curate'), 303);
  });

  app.post<{ Body: Record<string, string | undefined> }>('/curate/user', async (req, reply) => {
    const user = await requireCurator(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    const b = req.body ?? {};
    const action = USER_ACTIONS.find((a) => a === b.action);
    if (!action) throw new HttpError(400, 'bad_parameter', `action: one of ${USER_ACTIONS.join(', ')}.`);
    const email = typeof b.email === 'string' ? normalizeEmail(b.email) : undefined;
    if (!email) throw new HttpError(400, 'bad_parameter', 'email: give the email address of the user.');
    const target = await findUserByEmail(deps.db, email);
    if (!target) throw new HttpError(404, 'not_found', `email: nobody has signed in as ${email}.`);
    const reason = readReason(b.reason);
    if (target.id === user.id) throw new HttpError(403, 'forbidden', 'You cannot change your own account from here.');
    const roleAction = action.startsWith('grant') || action === 'revoke';
    // Curators act on members; changing roles, or acting on other staff, needs an admin.
    if ((roleAction || target.role !== 'member') && user.role !== 'admin') throw new HttpError(403, 'forbidden', 'Only admins can change roles or act on curators.');
    const actor: Actor = { id: user.id, label: user.email };
    const now = deps.now();
    if (action === 'suspend' || action === 'unsuspend') await setUserSuspended(deps.db, actor, target, action === 'suspend', reason, now);
    else await setUserRole(deps.db, actor, target, action === 'grant-curator' ? 'curator' : action === 'grant-admin' ? 'admin' : 'member', reason, now);
    deps.log.info('curator_action', { action, target_user_id: target.id, user_id: user.id });
    return reply.redirect('/curate', 303);
  });
}

function targetLink(target: string): RawHtml {
  const [kind, id] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
  return kind === 'paper' ? html`<a href="${paperHref(id)}">${id}</a>` : html`${id}`;
}

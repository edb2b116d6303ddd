// /curate/discussion — the curators' queues for discussions and people: reported comments, comments
// held for review, and authorship claims. Each action posts to its own route and is audited there.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, raw, type RawHtml } from '../../lib/html.ts';
import { isCurator } from '../../accounts/index.ts';
import { listHeldComments, listReportedComments, renderCommentMarkdown, type QueuedComment } from '../../comments/index.ts';
import { listPendingClaims } from '../../people/index.ts';
import { HttpError, type AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { requireViewer } from '../session.ts';
import { paperHref } from '../views/paper-card.ts';
import { countOf } from '../../lib/words.ts';

function queued(c: QueuedComment, csrf: RawHtml, held: boolean): RawHtml {
  return html`<li class="queue-item" id="queued-${c.id}">
  <p><a href="${paperHref(c.arxivId)}#comment-${c.id}">${c.paperTitle}</a> — <strong>${c.authorName}</strong> <span class="muted">${c.createdAt.slice(0, 16).replace('T', ' ')}${c.hidden ? ' · hidden' : ''}</span></p>
  <div class="comment-body">${raw(renderCommentMarkdown(c.body))}</div>
  ${c.reports.length > 0 ? html`<p class="muted">${countOf(c.reports.length, 'report')}: ${c.reports.map((r, i) => html`${i > 0 ? '; ' : ''}“${r}”`)}</p>` : ''}
  <div class="queue-actions">
    ${held ? html`<form method="post" action="/comments/${c.id}/approve" class="inline">${csrf}<input type="hidden" name="next" value="/curate/discussion"><button class="button small primary" type="submit">Approve</button></form>` : ''}
    ${c.hidden ? '' : html`<form method="post" action="/comments/${c.id}/hide" class="inline">${csrf}<input type="hidden" name="next" value="/curate/discussion"><label class="visually-hidden" for="hide-${c.id}">Reason</label><input id="hide-${c.id}" name="reason" required maxlength="500" placeholder="reason (audited)"><button class="button small" type="submit">Hide</button></form>`}
  </div>
</li>`;
}

export function registerCurateDiscussionRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/curate/discussion', async (req: FastifyRequest, reply: FastifyReply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    if (!isCurator(user)) throw new HttpError(403, 'forbidden', 'Only curators can see this page.');
    const [reported, held, claims] = await Promise.all([listReportedComments(deps.db), listHeldComments(deps.db), listPendingClaims(deps.db)]);
    const csrf = csrfField(req, reply, deps.secret);
    const body = html`<section class="curate">
  <h1>Discussions and people</h1>
  <p><a href="/curate">← Curate papers and users</a></p>
  <h2>Reported comments <span class="count">${reported.length}</span></h2>
  ${reported.length > 0 ? html`<ol class="queue">${reported.map((c) => queued(c, csrf, false))}</ol>` : html`<p class="muted">No open reports.</p>`}
  <h2>Waiting for review <span class="count">${held.length}</span></h2>
  ${held.length > 0 ? html`<ol class="queue">${held.map((c) => queued(c, csrf, true))}</ol>` : html`<p class="muted">Nothing held${deps.config.comments.holdFirst === 0 ? ' (COMMENT_HOLD_FIRST is 0: new accounts post at once)' : ''}.</p>`}
  <h2>Authorship claims <span class="count">${claims.length}</span></h2>
  ${claims.length > 0 ? html`<ol class="queue">${claims.map((c) => html`<li class="queue-item" id="claim-${c.id}">
    <p><a href="/users/${encodeURIComponent(c.handle)}">${c.displayName} (@${c.handle})</a> says they are <strong>${c.authorName}</strong> on <a href="${paperHref(c.arxivId)}">${c.title}</a> <span class="muted">${c.createdAt.slice(0, 10)}</span></p>
    <form method="post" action="/claims/${c.id}/decide" class="inline">${csrf}<label class="visually-hidden" for="claim-reason-${c.id}">Reason</label><input id="claim-reason-${c.id}" name="reason" maxlength="500" placeholder="evidence or reason (audited)">
      <button class="button small primary" type="submit" name="decision" value="approve">Approve</button> <button class="button small" type="submit" name="decision" value="reject">Reject</button></form>
  </li>`)}</ol>` : html`<p class="muted">No claims waiting.</p>`}
</section>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: 'Curate discussions', viewer: user, noindex: true }, body).value);
  });
}

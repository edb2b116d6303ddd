// /submit — a signed-in user brings a paper to today's list by arXiv id or URL.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type HtmlValue } from '../../lib/html.ts';
import { ARXIV_ID_HELP, parseArxivId } from '../../papers/index.ts';
import { submitPaper } from '../../community/index.ts';
import type { User } from '../../accounts/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { paperHref } from '../views/paper-card.ts';
import { limitWrites, requireViewer } from '../session.ts';

function submitPage(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, user: User, value: string, message?: { kind: 'error' | 'ok'; body: HtmlValue }, status = 200) {
  const body = html`<section class="community-form">
  <h1>Submit a paper</h1>
  <p>Paste an arXiv id or link. The paper joins today's list with your name on it; up to ${deps.config.submitDailyLimit} a day.</p>
  ${message ? html`<div class="${message.kind === 'error' ? 'field-error' : 'notice'}" role="${message.kind === 'error' ? 'alert' : 'status'}">${message.body}</div>` : ''}
  <form method="post" action="/submit" data-busy="Fetching from arXiv…">
    ${csrfField(req, reply, deps.secret)}
    <label for="paper">arXiv id or URL</label>
    <input id="paper" name="paper" required maxlength="300" value="${value}" placeholder="2503.01234 or https://arxiv.org/abs/2503.01234" ${message?.kind === 'error' ? html`aria-invalid="true"` : ''}>
    <button class="button primary" type="submit">Submit</button>
  </form>
</section>`;
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: 'Submit a paper', viewer: user }, body).value);
}

export function registerSubmitRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { paper?: unknown } }>('/submit', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    // ?paper= prefills the field (the "we have no paper … yet" page links here); anything odd is ignored.
    const prefill = typeof req.query.paper === 'string' ? req.query.paper.slice(0, 300) : '';
    return submitPage(deps, req, reply, user, prefill);
  });

  app.post<{ Body: { paper?: string } }>('/submit', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    const raw = typeof req.body?.paper === 'string' ? req.body.paper : '';
    const parsed = parseArxivId(raw);
    if (!parsed) return submitPage(deps, req, reply, user, raw, { kind: 'error', body: html`paper: that is not an arXiv id — ${ARXIV_ID_HELP}.` }, 400);
    const outcome = await submitPaper({ db: deps.db, config: deps.config, log: deps.log, fetchPapers: deps.fetchPapers }, user, parsed.id, deps.now());
    if (outcome.ok) return reply.redirect(`${paperHref(outcome.paper.arxivId)}?submitted=1`, 303);
    switch (outcome.reason) {
      case 'duplicate':
        return submitPage(deps, req, reply, user, '', {
          kind: 'error',
          body: html`Thanks — <a href="${paperHref(outcome.paper.arxivId)}">${outcome.paper.title}</a> is already here: ${outcome.submittedBy} submitted it on ${outcome.listedOn}. You can upvote it instead.`,
        }, 409);
      case 'limit':
        return submitPage(deps, req, reply, user, raw, { kind: 'error', body: html`You have submitted ${outcome.limit} papers today, the daily limit. Please come back tomorrow (UTC).` }, 429);
      case 'not_found':
        return submitPage(deps, req, reply, user, raw, { kind: 'error', body: html`arXiv has no paper ${parsed.id}. Check the id and try again.` }, 404);
      case 'unreachable':
        return submitPage(deps, req, reply, user, raw, { kind: 'error', body: html`arXiv could not be reached just now, so nothing was saved. Please try again in a few minutes.` }, 503);
      case 'bad_response':
        return submitPage(deps, req, reply, user, raw, { kind: 'error', body: html`arXiv sent an answer we could not read, so nothing was saved. Please try again later.` }, 502);
    }
  });
}

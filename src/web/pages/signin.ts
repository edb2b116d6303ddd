// Sign-in by emailed link: /signin asks for an address, the email links to /signin/verify, which
// asks for one click (mail scanners that prefetch links must not use up the single-use token).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type HtmlValue } from '../../lib/html.ts';
import { type AppDeps, HttpError } from '../../http/index.ts';
import {
  consumeLoginToken, createSession, deleteSession, deleteUserSessions, normalizeEmail, peekLoginToken, queueSignInLink, type SignInIntent,
} from '../../accounts/index.ts';
import { findPaperByArxivId, parseArxivId } from '../../papers/index.ts';
import { setVote } from '../../community/index.ts';
import { savePaper } from '../../library/index.ts';
import { setFlash, type FlashAction } from '../flash.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { clearSessionCookie, limitSignIn, limitWrites, safeNext, SESSION_COOKIE, setSessionCookie, viewerOf } from '../session.ts';

interface SignInFields {
  email?: string;
  next?: string;
  vote?: string;
  save?: string;
}

function page(reply: FastifyReply, title: string, body: HtmlValue, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title, viewer: null }, html`<section class="community-form">${body}</section>`).value);
}

async function signInForm(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, f: SignInFields, error?: string) {
  const [vote, save] = [f.vote, f.save].map((id) => (typeof id === 'string' ? parseArxivId(id)?.id : undefined));
  const wanted = vote ?? save;
  const paper = wanted ? await findPaperByArxivId(deps.db, wanted) : undefined;
  const doing = vote ? 'upvote' : 'save';
  return page(
    reply,
    'Sign in',
    html`<h1>Sign in</h1>
  ${paper ? html`<p class="notice">Sign in to ${doing} <strong>${paper.title}</strong>. ${vote ? 'Your vote is counted' : 'It goes into your library'} as soon as you are in.</p>` : ''}
  <p>We email you a link that signs you in — no password. New here? The same link creates your account.</p>
  <form method="post" action="/signin">
    ${csrfField(req, reply, deps.secret)}
    <input type="hidden" name="next" value="${safeNext(f.next)}">
    ${paper ? html`<input type="hidden" name="${vote ? 'vote' : 'save'}" value="${paper.arxivId}">` : ''}
    <label for="email">Email address</label>
    <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${f.email ?? ''}" ${error ? html`aria-invalid="true" aria-describedby="email-error"` : ''}>
    ${error ? html`<p class="field-error" id="email-error">${error}</p>` : ''}
    <button class="button primary" type="submit">Email me a sign-in link</button>
  </form>`,
    error ? 400 : 200,
  );
}

export function registerSignInRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: SignInFields }>('/signin', async (req, reply) => {
    if (await viewerOf(deps, req)) return reply.redirect(safeNext(req.query.next), 303);
    return signInForm(deps, req, reply, req.query);
  });

  app.post<{ Body: SignInFields }>('/signin', async (req, reply) => {
    const f = req.body ?? {};
    const email = typeof f.email === 'string' ? normalizeEmail(f.email) : undefined;
    if (!email) return signInForm(deps, req, reply, f, 'email: enter an email address such as ada@example.org.');
    await limitSignIn(deps, req, email);
    const now = deps.now();
    const vote = typeof f.vote === 'string' ? parseArxivId(f.vote)?.id : undefined;
    const save = typeof f.save === 'string' && !vote ? parseArxivId(f.save)?.id : undefined;
    try {
      await queueSignInLink(deps.db, email, { next: safeNext(f.next), vote, save }, { baseUrl: deps.config.baseUrl, now });
    } catch (err) {
      deps.log.error('signin_mail_not_queued', { error: err });
      throw new HttpError(503, 'mail_failed', 'We could not send the email just now. Please try again in a few minutes.');
    }
    deps.mail.kick();
    deps.log.info('signin_link_queued', {});
    // The same page whether or not the address has an account.
    return page(
      reply,
      'Check your email',
      html`<h1>Check your email</h1>
  <p>If <strong>${email}</strong> can receive mail, a sign-in link is on its way. It works once and expires in 15 minutes.</p>
  <p>Nothing arrived after a few minutes? Look in your spam folder, or <a href="/signin">ask for another link</a>.</p>`,
    );
  });

  app.get<{ Querystring: { token?: string } }>('/signin/verify', async (req, reply) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const email = /^[\w-]{20,100}$/.test(token) ? await peekLoginToken(deps.db, token, deps.now()) : undefined;
    if (!email) return expiredLink(reply);
    return page(
      reply,
      'Sign in',
      html`<h1>Sign in</h1>
  <form method="post" action="/signin/verify">
    ${csrfField(req, reply, deps.secret)}
    <input type="hidden" name="token" value="${token}">
    <p>Continue as <strong>${email}</strong>?</p>
    <button class="button primary" type="submit">Sign in</button>
  </form>`,
    );
  });

  app.post<{ Body: { token?: string } }>('/signin/verify', async (req, reply) => {
    await limitWrites(deps, req, undefined);
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const now = deps.now();
    const outcome = /^[\w-]{20,100}$/.test(token) ? await consumeLoginToken(deps.db, token, now) : ({ ok: false, reason: 'invalid' } as const);
    if (!outcome.ok) {
      if (outcome.reason === 'suspended') throw new HttpError(403, 'suspended', 'This account has been suspended by the curators.');
      return expiredLink(reply);
    }
    const old = req.cookies[SESSION_COOKIE];
    if (old) await deleteSession(deps.db, old);
    setSessionCookie(deps, reply, await createSession(deps.db, outcome.user.id, deps.config.sessionDays, now));
    deps.log.info('signed_in', { user_id: outcome.user.id, new_account: outcome.created });
    const { intent } = outcome;
    const action = await completeIntent(deps, outcome.user.id, intent, now);
    // Back to where the visitor was (and the vote they clicked); a plain first sign-in goes to the
    // welcome page, which says who is signed in by itself.
    const back = action || (intent.next && intent.next !== '/') ? intent.next : undefined;
    if (!back && outcome.created) return reply.redirect('/account?welcome=1', 303);
    setFlash(deps, reply, { signedIn: true, action });
    return reply.redirect(safeNext(back, '/'), 303);
  });

  app.post('/signout', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await deleteSession(deps.db, token);
    clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });

  app.post('/signout/everywhere', async (req, reply) => {
    const user = await viewerOf(deps, req);
    if (user) {
      const ended = await deleteUserSessions(deps.db, user.id);
      deps.log.info('signed_out_everywhere', { user_id: user.id, sessions: ended });
    }
    clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });
}

/** The upvote or save clicked while signed out, done now; what happened goes into the flash. */
async function completeIntent(deps: AppDeps, userId: number, intent: SignInIntent, now: Date): Promise<FlashAction | undefined> {
  const arxivId = intent.vote ?? intent.save;
  if (!arxivId) return undefined;
  const paper = await findPaperByArxivId(deps.db, arxivId);
  if (intent.vote) {
    if (!paper) return { kind: 'vote', arxivId, outcome: 'missing' };
    const voted = await setVote(deps.db, userId, paper.id, true, now);
    return { kind: 'vote', arxivId, outcome: voted.ok ? 'counted' : voted.reason };
  }
  if (!paper) return { kind: 'save', arxivId, outcome: 'missing' };
  await savePaper(deps.db, userId, paper.id, {}, now);
  return { kind: 'save', arxivId, outcome: 'saved' };
}

function expiredLink(reply: FastifyReply) {
  return page(
    reply,
    'Link expired',
    html`<h1>This sign-in link no longer works</h1>
  <p>Each link works once and only for 15 minutes. <a href="/signin">Ask for a new one</a>.</p>`,
    400,
  );
}

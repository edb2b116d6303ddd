// Digest pages: subscribe (/digest), confirm, and the browser preview of a period's digest.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { html, type HtmlValue } from '../../lib/html.ts';
import { type AppDeps, HttpError } from '../../http/index.ts';
import { parseDay } from '../../papers/index.ts';
import {
  confirmSubscription, describeTopics, peekConfirmation, digestPeriod, manageUrl, MAX_PAPERS, NO_TOPICS, parseSubscribeInput, personalizeDigest,
  pickDigestPapers, compileTopics, rankPapersForDigest, renderDigestContent, subscribe, type Preferences,
} from '../../digest/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { registerDigestManageRoutes } from './digest-manage.ts';
import { viewerOf, viewerOrNull } from '../session.ts';

type FormBody = Record<string, string | undefined>;

const EXPIRED_CONFIRMATION = 'This confirmation link has expired or was already used. Subscribe again to get a fresh one.';

/** The preferences fields shared by the subscribe and manage forms. */
export function preferenceFields(prefs: Preferences): HtmlValue {
  const t = prefs.topics;
  return html`<fieldset class="digest-frequency">
  <legend>How often</legend>
  <label><input type="radio" name="frequency" value="daily" ${prefs.frequency === 'daily' ? 'checked' : ''}> Daily — each day's papers</label>
  <label><input type="radio" name="frequency" value="weekly" ${prefs.frequency === 'weekly' ? 'checked' : ''}> Weekly — the best of the week, on Mondays</label>
</fieldset>
<fieldset>
  <legend>Topics <span class="hint">(optional: leave all empty for every topic; a paper matching any of them is included)</span></legend>
  <label for="d-categories">Categories</label>
  <input id="d-categories" name="topics.categories" value="${t.categories.join(', ')}" placeholder="cs.CL, cs.LG, stat">
  <label for="d-keywords">Keywords</label>
  <input id="d-keywords" name="topics.keywords" value="${t.keywords.join(', ')}" placeholder="retrieval, diffusion models">
  <label for="d-authors">Authors</label>
  <input id="d-authors" name="topics.authors" value="${t.authors.join(', ')}" placeholder="Hinton, Fei-Fei Li">
  <label for="d-min">Minimum upvotes</label>
  <input id="d-min" name="minUpvotes" type="number" min="0" max="100000" inputmode="numeric" value="${prefs.minUpvotes}">
</fieldset>`;
}

/** A form body (topics.* fields, comma-separated) in the shape the API accepts. */
export function formToInput(body: FormBody, email?: string): Record<string, unknown> {
  return {
    email: email ?? body.email,
    frequency: body.frequency,
    topics: { categories: body['topics.categories'] ?? '', keywords: body['topics.keywords'] ?? '', authors: body['topics.authors'] ?? '' },
    minUpvotes: body.minUpvotes,
  };
}

async function subscribePage(req: FastifyRequest, reply: FastifyReply, deps: AppDeps, values: { email?: string; prefs?: Preferences; error?: string }): Promise<string> {
  const viewer = (await viewerOf(deps, req)) ?? null;
  const prefs = values.prefs ?? { frequency: 'daily', topics: NO_TOPICS, minUpvotes: 0 };
  return layout({ title: 'Email digest', viewer }, html`<section class="digest-page">
  <h1>Trending papers in your inbox</h1>
  <p>A short email with the community's top papers: every day, or once a week. No account needed; we send a confirmation link first and nothing else until you follow it. Every mail has a one-click unsubscribe.</p>
  ${values.error ? html`<p class="form-error" role="alert">${values.error}</p>` : ''}
  <form class="digest-form" method="post" action="/digest">
    ${csrfField(req, reply, deps.secret)}
    <label for="d-email">Email address</label>
    <input id="d-email" name="email" type="email" required autocomplete="email" value="${values.email ?? ''}">
    ${preferenceFields(prefs)}
    <button class="button primary" type="submit">Subscribe</button>
  </form>
  <p class="hint"><a href="/digest/preview">Preview today's digest</a></p>
</section>`).value;
}

export async function registerDigestRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/digest', async (req, reply) => reply.type('text/html; charset=utf-8').send(await subscribePage(req, reply, deps, {})));

  await app.register(async (scope) => {
    await scope.register(rateLimit, { max: 30, timeWindow: 60_000 });
    scope.post<{ Body: FormBody }>('/digest', async (req, reply) => {
      const input = formToInput(req.body ?? {});
      const parsed = parseSubscribeInput(input);
      if (!parsed.ok) {
        const frequency = input.frequency === 'weekly' ? 'weekly' : 'daily';
        const raw = input.topics as Record<string, string>;
        const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
        const prefs: Preferences = { frequency, topics: { categories: split(raw.categories!), keywords: split(raw.keywords!), authors: split(raw.authors!) }, minUpvotes: Number(input.minUpvotes) || 0 };
        return reply.code(400).type('text/html; charset=utf-8').send(await subscribePage(req, reply, deps, { email: String(input.email ?? ''), prefs, error: parsed.message }));
      }
      if (await subscribe(deps.db, parsed.value, { baseUrl: deps.config.baseUrl, now: deps.now(), log: deps.log })) deps.mail.kick();
      return reply.type('text/html; charset=utf-8').send(layout({ title: 'Check your inbox', viewer: await viewerOrNull(deps, req) }, html`<section class="digest-page">
  <h1>Check your inbox</h1>
  <p>If <strong>${parsed.value.email}</strong> can receive mail, a confirmation link is on its way. Nothing is sent until you follow it; the link works for a week.</p>
</section>`).value);
    });
  });

  // Two steps, like sign-in: mail scanners that prefetch links must not confirm subscriptions nobody asked for.
  app.get<{ Querystring: { token?: string } }>('/digest/confirm', async (req, reply) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const pending = await peekConfirmation(deps.db, token, deps.now());
    if (!pending) throw new HttpError(404, 'invalid_token', EXPIRED_CONFIRMATION);
    const p = pending.preferences;
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(layout({ title: 'Confirm subscription', viewer: await viewerOrNull(deps, req) }, html`<section class="digest-page">
  <h1>Confirm your subscription</h1>
  <p>Send the ${p.frequency} digest (${describeTopics(p.topics)}${p.minUpvotes > 0 ? `, at least ${p.minUpvotes} upvotes` : ''}) to <strong>${pending.email}</strong>?</p>
  <form method="post" action="/digest/confirm">
    ${csrfField(req, reply, deps.secret)}
    <input type="hidden" name="token" value="${token}">
    <button class="button primary" type="submit">Confirm subscription</button>
  </form>
</section>`).value);
  });

  app.post<{ Body: { token?: unknown } }>('/digest/confirm', async (req, reply) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const sub = await confirmSubscription(deps.db, token, deps.now());
    if (!sub) throw new HttpError(404, 'invalid_token', EXPIRED_CONFIRMATION);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(layout({ title: 'Subscribed', viewer: await viewerOrNull(deps, req) }, html`<section class="digest-page">
  <h1>You're subscribed</h1>
  <p>The ${sub.frequency} digest (${describeTopics(sub.topics)}) will come to <strong>${sub.email}</strong>. Every mail has a link to change this or unsubscribe.</p>
  <p><a class="button" href="${manageUrl('', deps.secret, sub)}">Manage preferences</a></p>
</section>`).value);
  });

  app.get<{ Querystring: { frequency?: string; date?: string; format?: string } }>('/digest/preview', async (req, reply) => {
    const q = req.query;
    const frequency = q.frequency ?? 'daily';
    if (frequency !== 'daily' && frequency !== 'weekly') throw new HttpError(400, 'bad_parameter', 'frequency must be daily or weekly');
    if (q.date !== undefined && !parseDay(q.date)) throw new HttpError(400, 'bad_parameter', `date must be a calendar day YYYY-MM-DD, got "${q.date.slice(0, 40)}"`);
    if (q.format !== undefined && q.format !== 'html' && q.format !== 'text') throw new HttpError(400, 'bad_parameter', 'format must be html or text');
    const period = await digestPeriod(deps.db, frequency, q.date, deps.now());
    if (!period) throw new HttpError(404, 'not_found', 'No papers yet, so there is no digest to preview.');
    const ranked = await rankPapersForDigest(deps.db, period, deps.now());
    const papers = pickDigestPapers(ranked, { matcher: compileTopics(NO_TOPICS), minUpvotes: 0, received: new Set(), limit: MAX_PAPERS[frequency] });
    const content = renderDigestContent({ frequency, period, papers, baseUrl: deps.config.baseUrl });
    const body = personalizeDigest(content, { email: 'you@example.org', manageUrl: `${deps.config.baseUrl}/digest`, unsubscribeUrl: `${deps.config.baseUrl}/digest`, reason: `the ${frequency} paperboy digest (all topics)` });
    reply.header('cache-control', 'no-store');
    if (q.format === 'text') return reply.type('text/plain; charset=utf-8').send(`Subject: ${content.subject}\n\n${body.text}`);
    // A mail body is all inline styles; scripts stay forbidden.
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    return reply.type('text/html; charset=utf-8').send(body.html);
  });

  await registerDigestManageRoutes(app, deps);
}

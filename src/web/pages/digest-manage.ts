// Links from digest mail: manage preferences, and the RFC 8058 one-click unsubscribe.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../../lib/html.ts';
import { type AppDeps, HttpError } from '../../http/index.ts';
import { findSubscriptionByToken, parseSubscribeInput, unsubscribe, unsubscribeUrl, updatePreferences, type Subscription } from '../../digest/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { viewerOrNull } from '../session.ts';
import { formToInput, preferenceFields } from './digest.ts';

const BAD_LINK = 'This link is not valid. Use the link from your most recent digest.';

export async function registerDigestManageRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const load = async (purpose: 'manage' | 'unsubscribe', token: string | undefined): Promise<Subscription> => {
    const sub = token ? await findSubscriptionByToken(deps.db, deps.secret, purpose, token) : undefined;
    if (!sub) throw new HttpError(404, 'invalid_token', BAD_LINK);
    return sub;
  };

  app.get<{ Querystring: { token?: string; saved?: string } }>('/digest/manage', async (req, reply) => {
    const sub = await load('manage', req.query.token);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send((await managePage(deps, req, reply, sub, req.query.token!, req.query.saved === '1' ? 'Your preferences are saved.' : undefined)).value);
  });

  app.post<{ Body: Record<string, string | undefined> }>('/digest/manage', async (req, reply) => {
    const token = req.body?.token;
    const sub = await load('manage', token);
    const parsed = parseSubscribeInput(formToInput(req.body ?? {}, sub.email));
    if (!parsed.ok) return reply.code(400).type('text/html; charset=utf-8').send((await managePage(deps, req, reply, sub, token!, undefined, parsed.message)).value);
    await updatePreferences(deps.db, sub.id, { frequency: parsed.value.frequency, topics: parsed.value.topics, minUpvotes: parsed.value.minUpvotes }, deps.now());
    return reply.redirect(`/digest/manage?token=${encodeURIComponent(token!)}&saved=1`, 303);
  });

  app.get<{ Params: { token: string } }>('/digest/unsubscribe/:token', async (req, reply) => {
    const sub = await load('unsubscribe', req.params.token);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(layout({ title: 'Unsubscribe', viewer: await viewerOrNull(deps, req) }, html`<section class="digest-page">
  <h1>Unsubscribe ${sub.email}?</h1>
  ${sub.status === 'unsubscribed' ? html`<p>This address is already unsubscribed: it receives no digests.</p>` : html`<p>You will receive no more paperboy digests.</p>
  <form method="post" action="/digest/unsubscribe/${req.params.token}">
    <input type="hidden" name="List-Unsubscribe" value="One-Click">
    <button class="button primary" type="submit">Unsubscribe</button>
  </form>`}
</section>`).value);
  });

  // RFC 8058: mail providers POST "List-Unsubscribe=One-Click" here with no cookies; the signed token is the authority.
  // Receivers SHOULD send it as multipart/form-data (urlencoded also occurs): both are accepted. The body's one
  // field says nothing the token does not, so a multipart body is read (within a small limit) and dropped.
  await app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 16_384 }, (_req, _body, done) => done(null, {}));
    scope.post<{ Params: { token: string } }>('/digest/unsubscribe/:token', { config: { csrf: false } }, (req, reply) => oneClickUnsubscribe(req, reply));
  });

  async function oneClickUnsubscribe(req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) {
    const sub = await load('unsubscribe', req.params.token);
    if (sub.status !== 'unsubscribed') {
      await unsubscribe(deps.db, sub.id, deps.now());
      deps.log.info('digest_unsubscribed', { subscription_id: sub.id });
    }
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(layout({ title: 'Unsubscribed', viewer: await viewerOrNull(deps, req) }, html`<section class="digest-page">
  <h1>You're unsubscribed</h1>
  <p><strong>${sub.email}</strong> will receive no more paperboy digests. Changed your mind? <a href="/digest">Subscribe again</a>.</p>
</section>`).value);
  }
}

async function managePage(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, sub: Subscription, token: string, notice?: string, error?: string) {
  return layout({ title: 'Digest preferences', viewer: await viewerOrNull(deps, req) }, html`<section class="digest-page">
  <h1>Digest preferences</h1>
  <p>For <strong>${sub.email}</strong> · status: ${statusText(sub)}</p>
  ${notice ? html`<p class="form-notice" role="status">${notice}</p>` : ''}
  ${error ? html`<p class="form-error" role="alert">${error}</p>` : ''}
  <form class="digest-form" method="post" action="/digest/manage">
    ${csrfField(req, reply, deps.secret)}
    <input type="hidden" name="token" value="${token}">
    ${preferenceFields(sub)}
    <button class="button primary" type="submit">Save preferences</button>
  </form>
  ${sub.status === 'unsubscribed' ? '' : html`<p><a href="${unsubscribeUrl('', deps.secret, sub)}">Unsubscribe from all digests</a></p>`}
</section>`);
}

function statusText(sub: Subscription): string {
  switch (sub.status) {
    case 'active': return 'receiving digests';
    case 'pending': return 'waiting for the confirmation link to be followed';
    case 'unsubscribed': return 'unsubscribed — subscribe again to receive digests';
    default: return 'paused because mail to this address bounced — subscribe again to resume';
  }
}

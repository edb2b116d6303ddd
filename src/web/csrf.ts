// CSRF protection for every state-changing form: a signed double-submit token. The browser holds a
// random value in an HttpOnly cookie; forms carry HMAC(secret, value) in a hidden `_csrf` field.
// A cross-site form cannot read the cookie, so it cannot produce the field.
// Every non-GET request outside /api/ is checked unless its route sets `config: { csrf: false }`
// (only the RFC 8058 one-click unsubscribe POST, which carries its own signed token).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type RawHtml } from '../lib/html.ts';
import { HttpError, markPersonal } from '../http/index.ts';

const COOKIE = 'pb_csrf';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false to skip the CSRF check on this route. */
    csrf?: boolean;
  }
}

function sign(secret: string, value: string): string {
  return createHmac('sha256', secret).update(`csrf:${value}`).digest('base64url');
}

/** The token for this browser, setting the cookie on first use. Call it when rendering a form. */
export function csrfToken(req: FastifyRequest, reply: FastifyReply, secret: string): string {
  markPersonal(req); // the token is this browser's: the page must not be shared
  let value = req.cookies[COOKIE];
  if (!value || !/^[\w-]{20,}$/.test(value)) {
    value = (reply.getHeader('x-pb-csrf-pending') as string | undefined) ?? randomBytes(18).toString('base64url');
    reply.header('x-pb-csrf-pending', value); // reuse within one response, never sent: removed onSend
    reply.setCookie(COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax' }); // Secure: see app.ts
  }
  return sign(secret, value);
}

/** The hidden input every state-changing form includes. */
export function csrfField(req: FastifyRequest, reply: FastifyReply, secret: string): RawHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfToken(req, reply, secret)}">`;
}

export function verifyCsrf(req: FastifyRequest, secret: string): boolean {
  const value = req.cookies[COOKIE];
  const body = req.body as Record<string, unknown> | undefined;
  const given = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? (req.headers['x-csrf-token'] as string | undefined);
  if (!value || !given) return false;
  const expected = Buffer.from(sign(secret, value));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function registerCsrf(app: FastifyInstance, secret: string): void {
  app.addHook('preHandler', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (req.is404) return; // no route: the not-found handler answers 404 or 405, there is nothing to protect
    if (req.url.startsWith('/api/')) return; // the API authenticates with bearer tokens, not cookies
    if (req.routeOptions.config?.csrf === false) return;
    if (!verifyCsrf(req, secret)) {
      throw new HttpError(403, 'csrf', 'This form has expired or did not come from this site. Go back, reload the page and try again.');
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.removeHeader('x-pb-csrf-pending');
  });
}

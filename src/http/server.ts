// The HTTP shell every surface shares: fastify with security headers, compression, forms, cookies,
// rate limiting, CORS for the public API and feeds, fingerprinted static assets, /healthz, request
// logs and the one error handler. Surfaces (web, api, feeds) add their routes to what this returns.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import helmet from 'helmet';
import formbody from '@fastify/formbody';
import compress from '@fastify/compress';
import { constants as zlibConstants } from 'node:zlib';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { AppDeps } from './deps.ts';
import { registerCors } from './cors.ts';
import { registerSearchCharges } from './limits.ts';
import { HttpError, wantsJson, type ErrorAction } from './errors.ts';
import { SearchBusyError } from '../search/index.ts';
import { registerStatic } from './static.ts';
import { registerFormFieldCheck } from './form-fields.ts';
import { registerPageCache } from './page-cache.ts';

export interface RegisteredRoute {
  method: string;
  url: string;
}

const registries = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route of a server built here, as fastify registered it (for tests that visit them all). */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return [...(registries.get(app) ?? [])];
}

/** Renders an HTML error page; `req` lets the surface show who is signed in. */
export type ErrorPage = (req: FastifyRequest, status: number, message: string, opts: { retryAfterSeconds?: number | undefined; action?: ErrorAction | undefined }) => Promise<string>;

/** A surface's own error format for the requests it owns (feeds answer as feeds), or undefined for the rest. */
export type ErrorDocument = (req: FastifyRequest, status: number, message: string) => { contentType: string; body: string } | undefined;

/**
 * The shell. Errors are JSON under /api/, else the first of `errorDocuments` that claims the request,
 * else `errorPage`'s HTML. `sessionCookie` names the cookie of a signed-in browser, whose pages are
 * never shared (page-cache.ts).
 */
export async function createServer(deps: AppDeps, errorPage: ErrorPage, errorDocuments: ErrorDocument[], opts: { sessionCookie: string }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    // Off unless TRUST_PROXY says which proxy to believe: otherwise any client could pick the address
    // that per-IP rate limits count, with a made-up X-Forwarded-For.
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: 300 },
  });
  const routes: RegisteredRoute[] = [];
  registries.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  // Security headers from helmet, its middleware built once: @fastify/helmet rebuilt it (parsing the
  // options, serialising the policy) on every request, about 20 µs, a tenth of a cached page's CPU.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
    hsts: deps.config.baseUrl.startsWith('https:'),
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, () => done()));
  // Pages, JSON and feeds leave compressed (brotli at the plugin's fast default quality, else gzip);
  // static assets are compressed once at start-up (static.ts) and skipped here.
  // Bodies up to 64 KB (a search's JSON is ~45 KB) are compressed in one synchronous call instead of
  // through a zlib stream: the plugin's default on two cores streams anything over 8 KB, which cost a
  // cached API search 2.0 ms of CPU against 1.4 ms this way (measured with autocannon, /proc CPU).
  // The fastest levels for these per-request bodies: a 48 KB search answer compresses to 15.6 KB in
  // 0.21 ms with brotli 1 against 13.9 KB in 0.69 ms at the plugin's default (4); gzip 1 gives 15.5 KB
  // in 0.32 ms against 13.9 KB in 0.71 ms at 6; zlib's largest hash table (memLevel 9) takes 8 % off
  // level 1's time (0.39 against 0.42 ms a 48 KB answer) for the same size. Kept pages are compressed once, harder, off the
  // event loop (page-entry.ts); static files once at start at 11 (static.ts).
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    syncThreshold: 65_536,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1, [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT } },
    zlibOptions: { level: 1, memLevel: 9 },
  });
  await app.register(formbody);
  // Every cookie is Secure when BASE_URL is https (a TLS-terminating proxy in front, trusted or not),
  // else when this request came over https ('auto': the socket's TLS, or X-Forwarded-Proto from a
  // TRUST_PROXY peer). Routes set cookies without a `secure` option of their own.
  await app.register(cookie, { parseOptions: { secure: deps.config.baseUrl.startsWith('https:') ? true : 'auto' } });
  // Off by default; routes opt in with `config: { rateLimit: {...} }` (API writes, see api-auth.ts).
  await app.register(rateLimit, { global: false });

  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500) deps.log.error('request_failed', { method: req.method, url: req.url, status: reply.statusCode });
    else deps.log.debug('request', { method: req.method, url: req.url, status: reply.statusCode, duration_ms: Math.round(reply.elapsedTime) });
  });
  // Every route under /api/ is declared with apiRoute, so the OpenAPI document lists them all; a
  // route added another way stops the server at start-up rather than going undocumented.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.method !== 'OPTIONS' && route.config?.documented !== true) {
      throw new Error(`${String(route.method)} ${route.url}: declare routes under /api/ with apiRoute (src/http/route.ts) so the OpenAPI document lists them`);
    }
  });
  const renderers = { errorPage, errorDocuments };
  app.setErrorHandler((err, req, reply) => handleError(deps, renderers, err, req, reply));
  app.setNotFoundHandler((req, reply) => handleError(deps, renderers, notFoundOrWrongMethod(app, req), req, reply));

  registerCors(app);
  registerSearchCharges(app, deps);
  registerFormFieldCheck(app);
  registerStatic(app);
  app.get('/healthz', async (_req, reply) => {
    await deps.db.selectFrom('paper').select('id').limit(1).execute();
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });
  // Last among the onRequest hooks: a cached page is sent with the headers they set.
  await registerPageCache(app, deps, { sessionCookie: opts.sessionCookie });
  return app;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** 405 with Allow when the path exists under other methods (PUT on a page), else 404. */
function notFoundOrWrongMethod(app: FastifyInstance, req: FastifyRequest): HttpError {
  const path = req.url.split('?')[0]!;
  const allowed = METHODS.filter((method) => method !== req.method && app.findRoute({ method, url: path }) !== null);
  if (allowed.length === 0) return new HttpError(404, 'not_found', `Nothing lives at ${path}`);
  return new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allowed.join(' or ')}.`, { allow: allowed.join(', ') });
}

async function handleError(deps: AppDeps, { errorPage, errorDocuments }: { errorPage: ErrorPage; errorDocuments: ErrorDocument[] }, err: unknown, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  let status = 500;
  let action: ErrorAction | undefined;
  let code = 'internal';
  let message = 'Something went wrong on our side. It has been logged; please try again.';
  if (err instanceof HttpError) {
    ({ status, code, message, action } = err);
    reply.headers(err.headers);
  } else if (err instanceof SearchBusyError) {
    ({ statusCode: status, message } = err);
    code = 'busy';
    reply.header('retry-after', String(err.retryAfterSeconds));
  } else if (typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
    // fastify's own client errors: bad JSON body, body too large, rate limit.
    status = err.statusCode;
    code = status === 429 ? 'rate_limited' : 'bad_request';
    message = (err as unknown as Error).message;
  } else {
    deps.log.error('unhandled_error', { method: req.method, url: req.url, error: err });
  }
  reply.code(status);
  if (wantsJson(req)) return reply.type('application/json; charset=utf-8').send({ error: { code, message } });
  for (const render of errorDocuments) {
    const doc = render(req, status, message);
    if (doc) return reply.type(doc.contentType).send(doc.body);
  }
  const retryAfter = Number(reply.getHeader('retry-after'));
  const page = await errorPage(req, status, message, { retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined, action });
  return reply.type('text/html; charset=utf-8').send(page);
}

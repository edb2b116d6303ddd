// Builds the fastify app: security headers, static assets, error pages, and every route.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import formbody from '@fastify/formbody';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { Config, Dialect } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { SemanticSearch } from '../search/semantic.ts';
import type { JobQueue } from '../jobs/index.ts';
import { HttpError } from '../lib/http-error.ts';
import { SearchBusyError } from '../search/index.ts';
import { limitSearches } from './session.ts';
import { registerStatic } from './static.ts';
import { errorPage } from './pages/error.ts';
import { registerHomeRoutes } from './pages/home.ts';
import { registerPaperRoutes } from './pages/paper.ts';
import { registerCategoryRoutes } from './pages/categories.ts';
import { registerApiRoutes } from '../api/index.ts';
import { registerFeedRoutes } from '../feeds/index.ts';
import { registerCsrf } from './csrf.ts';
import { registerCommunityRoutes } from './pages/community.ts';
import type { FetchPapers } from '../community/index.ts';
import { registerStatusRoutes } from './pages/status.ts';
import { registerThumbnailRoutes } from './pages/thumbnails.ts';
import { registerSearchApiRoutes } from '../api/search.ts';
import { registerSearchRoutes } from './pages/search.ts';
import { registerDigestRoutes } from './pages/digest.ts';
import { registerSubscriptionApiRoutes } from '../api/subscriptions.ts';
import { createMailer, MailSender, type Mailer } from '../mail/index.ts';

export interface RegisteredRoute {
  method: string;
  url: string;
}

const registries = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route of an app built by buildApp, as fastify registered it (for tests that visit them all). */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return [...(registries.get(app) ?? [])];
}

/** What routes need; passed in, never global. */
export interface AppDeps {
  config: Config;
  log: Logger;
  db: Db;
  dialect: Dialect;
  now: () => Date;
  /** Semantic search when EMBEDDINGS resolves to a provider; similar papers fall back to keywords without it. */
  semantic?: SemanticSearch | undefined;
  /** Background jobs, for routes that enqueue work (absent in some tests). */
  jobs?: JobQueue;
  /** Signs tokens in URLs and forms: PAPERBOY_SECRET or the one kept in the store (see instanceSecret). */
  secret: string;
  /** Community (issue 4): fetches arXiv metadata for submissions; defaults to harvest's fetchArxivPapers. */
  fetchPapers?: FetchPapers;
  /** Sends mail; created from config when absent. */
  mailer?: Mailer;
  /** Sends the mail outbox (sign-in links, digest confirmations) after a route queues one; created when absent. */
  mail?: MailSender;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
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
  await app.register(helmet, {
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
  // Pages, JSON and feeds leave compressed (brotli at the plugin's fast default quality, else gzip);
  // static assets are compressed once at start-up (static.ts) and skipped here.
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024 });
  await app.register(formbody);
  // Every cookie is Secure when BASE_URL is https (a TLS-terminating proxy in front, trusted or not),
  // else when this request came over https ('auto': the socket's TLS, or X-Forwarded-Proto from a
  // TRUST_PROXY peer). Routes set cookies without a `secure` option of their own.
  await app.register(cookie, { parseOptions: { secure: deps.config.baseUrl.startsWith('https:') ? true : 'auto' } });
  // Off by default; routes opt in with `config: { rateLimit: {...} }` (API writes, see api/auth.ts).
  await app.register(rateLimit, { global: false });

  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500) deps.log.error('request_failed', { method: req.method, url: req.url, status: reply.statusCode });
    else deps.log.debug('request', { method: req.method, url: req.url, status: reply.statusCode, duration_ms: Math.round(reply.elapsedTime) });
  });
  app.setErrorHandler((err, req, reply) => handleError(deps, err, req, reply));
  app.setNotFoundHandler((req, reply) => handleError(deps, notFoundOrWrongMethod(app, req), req, reply));

  registerCsrf(app, deps.secret);
  // Searches cost far more than pages: each client gets SEARCH_LIMIT_PER_MINUTE of them, shared by every process.
  app.addHook('preHandler', async (req) => {
    // The bare /search page (help, no query) costs nothing and is not counted.
    if (req.routeOptions.url !== undefined && SEARCH_ROUTES.has(req.routeOptions.url) && req.url.includes('?')) await limitSearches(deps, req);
  });
  registerStatic(app);
  app.get('/healthz', async (_req, reply) => {
    await deps.db.selectFrom('paper').select('id').limit(1).execute();
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });
  const mailer = deps.mailer ?? createMailer(deps.config, deps.log);
  if (!deps.mailer) app.addHook('onClose', () => mailer.close());
  const mail = deps.mail ?? new MailSender(deps.db, mailer, deps.log.child({ module: 'mail' }), { now: deps.now });
  if (!deps.mail) app.addHook('onClose', () => mail.close());
  registerHomeRoutes(app, deps);
  registerPaperRoutes(app, deps);
  registerCategoryRoutes(app, deps);
  registerSearchApiRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerApiRoutes(app, deps);
  registerCommunityRoutes(app, deps, mail);
  registerFeedRoutes(app, deps);
  registerStatusRoutes(app, deps);
  registerThumbnailRoutes(app, deps);
  await registerDigestRoutes(app, deps, mail);
  await registerSubscriptionApiRoutes(app, deps, mail);
  return app;
}

const SEARCH_ROUTES = new Set(['/search', '/api/papers/search', '/feeds/search.:format']);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** 405 with Allow when the path exists under other methods (PUT on a page), else 404. */
function notFoundOrWrongMethod(app: FastifyInstance, req: FastifyRequest): HttpError {
  const path = req.url.split('?')[0]!;
  const allowed = METHODS.filter((method) => method !== req.method && app.findRoute({ method, url: path }) !== null);
  if (allowed.length === 0) return new HttpError(404, 'not_found', `Nothing lives at ${path}`);
  return new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allowed.join(' or ')}.`, { allow: allowed.join(', ') });
}

/** JSON for API-ish paths, an HTML page everywhere else. */
export function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || req.url === '/api';
}

function handleError(deps: AppDeps, err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status = 500;
  let code = 'internal';
  let message = 'Something went wrong on our side. It has been logged; please try again.';
  if (err instanceof HttpError) {
    ({ status, code, message } = err);
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
  const retryAfter = Number(reply.getHeader('retry-after'));
  return reply.type('text/html; charset=utf-8').send(errorPage(status, message, { retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined }).value);
}

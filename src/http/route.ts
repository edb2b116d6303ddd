// One way to declare an HTTP route with zod schemas: the same schemas validate the request (400
// naming the parameter) and describe the route in /api/openapi.json.
//
// Any module may register its API routes through this helper, e.g. search:
//
//   import { apiRoute } from '../http/index.ts';
//   apiRoute(app, deps, {
//     method: 'GET', path: '/api/papers/search', operationId: 'searchPapers', tags: ['papers'],
//     summary: 'Keyword search',
//     query: z.object({ q: z.string().min(1).describe('the search text') }),
//     responses: { 200: { description: 'Matching papers', schema: z.array(PaperSchema) } },
//     cache: { maxAge: 60 },                 // optional: ETag + conditional GET + Cache-Control
//     auth: 'token',                         // optional: requires Authorization: Bearer pb_…, rate-limited
//     rateLimit: { max: 30, timeWindow: 60_000 }, // optional: per client address (token routes have their own)
//     handler: async ({ query }) => …,       // return JSON, or a `Representation` for other types
//   });
//
// `path` is written the OpenAPI way (`{id}`); `restParam: true` lets the last parameter span
// slashes (old-style arXiv ids such as hep-th/9901001). Routes are recorded per server, so the
// OpenAPI document is built from whatever was registered when it is first requested.
import type { Server } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { representation, sendRepresentation, type Representation } from './cache.ts';
import { requireApiToken, writeRateLimit } from './api-auth.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by apiRoute: the route is described in the OpenAPI document. */
    documented?: boolean;
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface ResponseSpec {
  description: string;
  /** The JSON body; omit for empty responses or non-JSON bodies (then give contentType). */
  schema?: z.ZodType;
  /** Non-JSON media types, e.g. ['application/rss+xml']; described as text. */
  contentTypes?: string[];
}

export interface RouteInput<Q extends AnyObject, P extends AnyObject, B extends z.ZodType> {
  query: z.output<Q>;
  params: z.output<P>;
  body: z.output<B>;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<Q extends AnyObject = AnyObject, P extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  query?: Q;
  params?: P;
  body?: B;
  restParam?: boolean;
  auth?: 'token';
  /** Requests per client address in a time window (ms); routes with auth: 'token' are limited per token instead. */
  rateLimit?: { max: number; timeWindow: number };
  /**
   * Reads: answer with ETag/Last-Modified, 304 on a matching conditional GET, and this max-age.
   * `untilChange` also keeps anonymous responses in the page cache until the pages' data changes.
   */
  cache?: { maxAge: number; untilChange?: boolean };
  /** Leave the route out of the OpenAPI document (the document itself, the docs page). */
  hidden?: boolean;
  responses: Record<number, ResponseSpec>;
  /** Returns a JSON value, or a Representation (body + content type + Last-Modified). */
  handler: (input: RouteInput<Q, P, B>) => Promise<unknown>;
}

export type RecordedRoute = RouteSpec<AnyObject, AnyObject, z.ZodType>;

const registries = new WeakMap<Server, RecordedRoute[]>();

/** The routes registered through apiRoute on this app (any encapsulation context). */
export function recordedRoutes(app: FastifyInstance): RecordedRoute[] {
  let routes = registries.get(app.server);
  if (!routes) registries.set(app.server, (routes = []));
  return routes;
}

/** Registers a route with fastify and records it for the OpenAPI document. */
export function apiRoute<Q extends AnyObject = z.ZodObject<{}>, P extends AnyObject = z.ZodObject<{}>, B extends z.ZodType = z.ZodUndefined>(
  app: FastifyInstance,
  deps: AppDeps,
  spec: RouteSpec<Q, P, B>,
): void {
  const params = spec.path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? [];
  let url = spec.path.replace(/\{(\w+)\}/g, ':$1');
  const restName = spec.restParam ? params[params.length - 1] : undefined;
  if (restName) {
    if (!spec.path.endsWith(`{${restName}}`)) throw new Error(`${spec.path}: restParam must be the last segment`);
    url = url.slice(0, -(restName.length + 1)) + '*';
  }
  recordedRoutes(app).push(spec as unknown as RecordedRoute);
  app.route({
    method: spec.method,
    url,
    config: {
      documented: true,
      ...(spec.method === 'GET' && spec.cache?.untilChange && !spec.auth ? { pageCache: { params: Object.keys(spec.query?.shape ?? {}), maxAge: spec.cache.maxAge } } : {}),
      ...(spec.auth === 'token' ? { rateLimit: writeRateLimit(deps) } : spec.rateLimit ? { rateLimit: spec.rateLimit } : {}),
    },
    preHandler: spec.auth === 'token' ? requireApiToken(deps) : undefined,
    handler: async (req, reply) => {
      const rawParams = { ...(req.params as Record<string, string>) };
      if (restName) {
        rawParams[restName] = rawParams['*']!;
        delete rawParams['*'];
      }
      // JSON only: a cross-site form can post urlencoded or text bodies without CORS asking, JSON it cannot.
      // No body at all is allowed where the body schema accepts none (PUT /api/library/{id}).
      if (spec.body && req.body !== undefined && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        throw new HttpError(415, 'unsupported_media_type', 'body: send JSON with Content-Type: application/json');
      }
      const input = {
        query: parseInput(spec.query, req.query, 'bad_parameter', ''),
        params: parseInput(spec.params, rawParams, 'bad_parameter', ''),
        body: spec.body ? parseInput(spec.body, req.body, 'bad_request', 'body') : undefined,
        req,
        reply,
      } as RouteInput<Q, P, B>;
      const result = await spec.handler(input);
      if (reply.sent) return reply;
      if (isRepresentation(result)) return sendRepresentation(req, reply, result, spec.cache);
      if (result === undefined) return reply.code(reply.statusCode === 200 ? 204 : reply.statusCode).send();
      return sendRepresentation(req, reply, representation(JSON.stringify(result), 'application/json; charset=utf-8'), spec.cache);
    },
  });
}

function isRepresentation(v: unknown): v is Representation {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'representation';
}

/**
 * Validates with a schema; a failure is a 400 naming the first field at fault (topics.categories,
 * not topics.categories.3: the field is what a person fixes).
 */
function parseInput(schema: z.ZodType | undefined, value: unknown, code: string, whole: string): any {
  if (!schema) return {};
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const name = issue.path.filter((p) => typeof p !== 'number').join('.') || whole;
  throw new HttpError(400, code, name ? `${name}: ${issue.message}` : issue.message);
}

// ── reusable parameter schemas ──────────────────────────────────────────

/** A whole-number query parameter; values above `cap` are capped rather than rejected. */
export function intParam(opts: { min: number; cap?: number; fallback: number; description: string }) {
  const cap = opts.cap;
  return z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(opts.min, `must be at least ${opts.min}`)
    .transform((n) => (cap !== undefined ? Math.min(n, cap) : n))
    .optional()
    .transform((n) => n ?? opts.fallback)
    .meta({
      // Larger values are served as the cap rather than refused, as HF-style clients send big limits;
      // the schema says so instead of declaring a maximum a validator would enforce.
      description: `${opts.description} (default ${opts.fallback}${cap !== undefined ? `; larger values are treated as ${cap}` : ''})`,
    });
}

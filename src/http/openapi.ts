// Builds the OpenAPI 3.1 document from the routes recorded by apiRoute: their zod schemas become
// parameters, request bodies and responses. Schemas with a `.meta({ id })` become shared
// components. Nothing here is kept by hand, so the document cannot drift from the validation.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiErrorSchema } from './errors.ts';
import { recordedRoutes, type RecordedRoute, type ResponseSpec } from './route.ts';

type Json = Record<string, any>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
  serverUrl: string;
}

/** The paperboy API's document: every route registered through apiRoute on this app so far. */
export function describeApi(app: FastifyInstance, serverUrl: string): Json {
  return buildOpenApi(recordedRoutes(app), {
    title: 'paperboy API',
    version: '1',
    serverUrl,
    description:
      'Trending arXiv papers as JSON, with a Hugging Face daily_papers-compatible listing. Reads need no ' +
      'authentication and allow any origin (CORS). Write endpoints need a personal API token sent as ' +
      '"Authorization: Bearer pb_…" and are rate-limited. Errors are {"error": {"code", "message"}}.',
  });
}

export function buildOpenApi(routes: RecordedRoute[], info: OpenApiInfo): Json {
  const components: Record<string, Json> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => toComponentSchema(schema, io, components);
  const paths: Record<string, Json> = {};
  const tags = new Set<string>();
  for (const route of routes) {
    if (route.hidden) continue;
    for (const t of route.tags ?? []) tags.add(t);
    const op: Json = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.tags ? { tags: route.tags } : {}),
    };
    const parameters = [...objectParameters(route.params, 'path', convert), ...objectParameters(route.query, 'query', convert)];
    if (parameters.length > 0) op.parameters = parameters;
    if (route.body) op.requestBody = { required: true, content: { 'application/json': { schema: convert(route.body, 'input') } } };
    if (route.auth === 'token') op.security = [{ bearerToken: [] }];
    op.responses = {};
    for (const [status, spec] of Object.entries(route.responses)) op.responses[status] = responseObject(spec, convert);
    if (route.cache) op.responses['304'] = { description: 'Not modified: the ETag in If-None-Match (or the If-Modified-Since time) is current' };
    if (route.body) op.responses['415'] ??= { description: 'The body was not sent as application/json', content: { 'application/json': { schema: convert(ApiErrorSchema, 'output') } } };
    if (route.auth === 'token') {
      op.responses['401'] ??= { description: 'Missing, invalid or revoked API token', content: { 'application/json': { schema: convert(ApiErrorSchema, 'output') } } };
      op.responses['429'] ??= { description: 'Too many write requests; retry after the Retry-After header', content: { 'application/json': { schema: convert(ApiErrorSchema, 'output') } } };
    }
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal API token (pb_…) from your account page' } },
    },
  };
}

function responseObject(spec: ResponseSpec, convert: (s: z.ZodType, io: 'input' | 'output') => Json): Json {
  const content: Json = {};
  if (spec.schema) content['application/json'] = { schema: convert(spec.schema, 'output') };
  for (const type of spec.contentTypes ?? []) content[type] = { schema: { type: 'string' } };
  return { description: spec.description, ...(Object.keys(content).length > 0 ? { content } : {}) };
}

function objectParameters(schema: z.ZodObject<z.ZodRawShape> | undefined, where: 'path' | 'query', convert: (s: z.ZodType, io: 'input' | 'output') => Json): Json[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const json = convert(field as z.ZodType, 'input');
    const { description, ...rest } = json;
    const optional = (field as z.ZodType).safeParse(undefined).success;
    return { name, in: where, required: where === 'path' || !optional, ...(description ? { description } : {}), schema: rest };
  });
}

/** JSON Schema for a zod schema with id'd sub-schemas lifted into components.schemas. */
function toComponentSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, Json>): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  for (const [id, def] of Object.entries(defs)) addComponent(components, id, rewriteRefs(def));
  return rewriteRefs(json);
}

function addComponent(components: Record<string, Json>, id: string, schema: Json): void {
  const existing = components[id];
  if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
    throw new Error(`OpenAPI: two different schemas are both called "${id}" (an input and an output form?); give one another id`);
  }
  components[id] = schema;
}

function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rewriteRefs) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : rewriteRefs(v);
  }
  return out as T;
}

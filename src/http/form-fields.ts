// The first check every page and form gets, as the API's zod schemas give the JSON routes: each
// query and form field is one piece of text, without control characters (tabs and line breaks
// excepted). A repeated field, a bracketed one (name[]=…), a JSON body on a form route, NUL or an
// escape character answers 400 naming the field, before any route code reads it. Routes then parse
// their own fields (ids, dates, numbers) into typed values. A route whose field may repeat (search's
// category) declares it with `config: { listFields: ['category'] }`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Query or form fields of a page route that may be given several times. */
    listFields?: readonly string[];
  }
}

const text = z.string().regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'contains a control character');
const oneValue = z.union([text, z.array(z.unknown())], { error: 'expected text' }).refine((v) => !Array.isArray(v), 'give one value, not several');
const list = z.union([text, z.array(text, { error: 'expected text' })], { error: 'expected text' });

function check(where: 'query' | 'body' | 'params', fields: unknown, lists: readonly string[]): void {
  if (fields === undefined || fields === null) return;
  if (typeof fields !== 'object' || Array.isArray(fields)) throw new HttpError(400, 'bad_request', `${where}: send the fields of a form`);
  for (const [name, value] of Object.entries(fields)) {
    const field = name.replace(/[^\x20-\x7e]/g, '?').slice(0, 60);
    if (/[[\]]/.test(name)) throw new HttpError(400, 'bad_parameter', `${field}: no such field (brackets are not read)`);
    const parsed = (lists.includes(name) ? list : oneValue).safeParse(value);
    if (!parsed.success) throw new HttpError(400, 'bad_parameter', `${field}: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
  }
}

/** Checks path parameters everywhere, and query and form fields outside /api/ (which has its own schemas), before handlers run. */
export function registerFormFieldCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (req.is404) return;
    // Path parameters on every route, the API's too: PostgreSQL refuses a NUL in text outright.
    check('params', req.params, []);
    if (req.url.startsWith('/api/')) return;
    const lists = req.routeOptions.config?.listFields ?? [];
    check('query', req.query, lists);
    if (req.method !== 'GET' && req.method !== 'HEAD' && typeof req.body !== 'string' && !Buffer.isBuffer(req.body)) check('body', req.body, lists);
  });
}

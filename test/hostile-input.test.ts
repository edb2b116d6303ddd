// Nothing a client sends gets a 5xx: every registered route (enumerated from the app, so new routes
// are covered without editing this file) receives hostile path parameters, query strings and bodies
// (wrong types, arrays, objects, NUL, control and non-Latin-1 characters, bad %-escapes, huge
// strings), as a visitor and as a signed-in curator with a valid CSRF token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, ensureUser } from '../src/accounts/index.ts';
import { registeredRoutes } from '../src/http/server.ts';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

/** Raw (already URL-encoded where it matters) hostile pieces for paths and query strings. */
const RAW_VALUES = [
  '%ZZ', '%00', '%0d%0aSet-Cookie:%20x=1', '%EF%BD%85', 'https://arxiv.org/abs/%25ZZ', '%2F%2Fevil.example', '-1', '1e309',
  '', '%E0%A4%A', '..%2F..%2Fetc%2Fpasswd', '%3Cscript%3E', 'x'.repeat(5000), '2401.00001', 'hep-th%2F9901001',
];

const QUERY_NAMES = ['q', 'next', 'vote', 'token', 'limit', 'offset', 'sort', 'category', 'since', 'date', 'format', 'view', 'page', 'frequency', 'email'];

/** Values for form fields and JSON properties: every JSON type and the strings above, decoded. */
const FIELD_VALUES: unknown[] = ['', 'nul\u0000@x.test', '\u0007\u001b[31m', '\uff45', 'x'.repeat(5000), '%ZZ', 'https://arxiv.org/abs/%ZZ', '-1', 1e309, ['a', 'b'], { a: 'b' }];

const FORM_NAMES = ['email', 'next', 'vote', 'token', 'paper', 'id', 'url', 'frequency', 'topics.categories', 'topics.keywords', 'minUpvotes', 'name', 'reason', 'action', 'user', 'role', 'body', 'parent'];

const JSON_BODIES: unknown[] = [
  null, [], 'text', 123, {}, { email: 1 }, { email: ['a@x.test', 'b@x.test'] }, { email: 'nul\u0000@x.test', frequency: 'daily' },
  { email: 'a@x.test', frequency: ['daily'] }, { email: 'a@x.test', frequency: 'daily', topics: 'x' }, { email: 'a@x.test', frequency: 'daily', topics: { categories: 5 } },
  { email: 'a@x.test', frequency: 'daily', topics: { categories: [1, {}] } }, { email: 'a@x.test', frequency: 'daily', minUpvotes: 'many' }, { vote: {}, paper: [] },
  { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } },
];

interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | FormData;
}

function concretePaths(url: string): string[] {
  if (!/[:*]/.test(url)) return [url];
  return RAW_VALUES.map((v) => url.replace(/:[A-Za-z_]+|\*/g, v || 'x'));
}

function formBody(fields: Array<[string, unknown]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of fields) {
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else if (v !== null && typeof v === 'object') for (const [sub, item] of Object.entries(v)) params.append(`${k}[${sub}]`, String(item));
    else params.append(k, String(v));
  }
  return params.toString();
}

function probesFor(method: string, url: string): Probe[] {
  const probes: Probe[] = [];
  for (const path of concretePaths(url)) probes.push({ method, path });
  const base = url.replace(/:[A-Za-z_]+|\*/g, 'x');
  if (method === 'GET') {
    for (const name of QUERY_NAMES) {
      for (const v of RAW_VALUES.slice(0, 8)) probes.push({ method, path: `${base}?${name}=${v}` });
      probes.push({ method, path: `${base}?${name}=a&${name}=b` }, { method, path: `${base}?${name}[]=a` });
    }
    return probes;
  }
  for (const name of FORM_NAMES) {
    for (const v of FIELD_VALUES) probes.push({ method, path: base, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formBody([[name, v]]) });
    probes.push({ method, path: base, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${name}=%ZZ&${name}=%00` });
  }
  for (const b of JSON_BODIES) probes.push({ method, path: base, headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
  probes.push(
    { method, path: base, headers: { 'content-type': 'application/json' }, body: '{"email": "a@x.test",' },
    { method, path: base, headers: { 'content-type': 'application/json' }, body: '\u0000' },
    { method, path: base, headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: '--zz\r\nContent-Disposition: form-data; name="x"\r\n\r\n\u0000\r\n--zz--' },
    { method, path: base, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '%%%&&&===' },
    { method, path: base, headers: { 'content-type': 'text/plain' }, body: 'hello' },
    { method, path: base, headers: { 'content-type': 'application/xml' }, body: '<a/>' },
  );
  return probes;
}

describe.each(testDialects())('hostile input on every route on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  let ip = 0;
  beforeAll(async () => {
    store = await createTestStore(dialect, { WRITE_LIMIT_PER_MINUTE: '100000', SIGNIN_LIMIT_PER_HOUR: '100000', SUBMIT_DAILY_LIMIT: '100000' });
    await createPaper(store, { arxivId: '2401.00001', title: 'A paper to aim at' });
    t = await startTestApp(store, { fetchPapers: async () => ({ ok: false, reason: 'unreachable', message: 'no network in tests' }) });
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  async function visitor(): Promise<Record<string, string>> {
    const page = await fetch(`${t.url}/signin`, { headers: { 'x-forwarded-for': '10.200.0.1' } });
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    return { cookie, 'x-csrf-token': csrf, csrf };
  }

  async function run(who: Record<string, string>, session?: string): Promise<string[]> {
    const failures: string[] = [];
    // Signed in, the forms are what changes: pages are visited with their hostile paths only.
    const routes = registeredRoutes(t.app).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThan(30);
    const probes = routes.flatMap((r): Probe[] => (session && r.method === 'GET' ? concretePaths(r.url).map((path) => ({ method: 'GET', path })) : probesFor(r.method, r.url)));
    const cookie = [who.cookie, session ? `pb_session=${session}` : ''].filter(Boolean).join('; ');
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < probes.length) {
          const p = probes[next++]!;
          let body = p.body;
          // Forms carry the CSRF token too, so the route's own parsing is what gets tested.
          if (typeof body === 'string' && p.headers?.['content-type']?.startsWith('application/x-www-form-urlencoded')) body = `_csrf=${encodeURIComponent(who.csrf!)}&${body}`;
          const res = await fetch(`${t.url}${p.path}`, {
            method: p.method,
            headers: { ...p.headers, cookie, 'x-csrf-token': who.csrf!, 'x-forwarded-for': `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip++ & 255}` },
            body: p.method === 'GET' ? undefined : body,
            redirect: 'manual',
          }).catch((err: Error) => ({ status: 599, text: async () => err.message }));
          if (res.status >= 500) failures.push(`${p.method} ${p.path.slice(0, 120)} ${typeof body === 'string' ? body.slice(0, 120) : ''} → ${res.status}`);
          else await res.text();
        }
      }),
    );
    return failures;
  }

  it('answers a visitor without a 5xx', { timeout: 600_000 }, async () => {
    expect(await run(await visitor())).toEqual([]);
  });

  it('answers a signed-in curator without a 5xx', { timeout: 600_000 }, async () => {
    const user = await ensureUser(store.db, 'curator@example.org', new Date());
    await store.db.updateTable('user_account').set({ role: 'admin' }).where('id', '=', user.id).execute();
    const session = await createSession(store.db, user.id, 1, new Date());
    expect(await run(await visitor(), session)).toEqual([]);
  });
});

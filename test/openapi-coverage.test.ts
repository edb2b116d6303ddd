// Every response the OpenAPI document promises, produced by the real app and checked against the
// document: each documented status of each route, success and failure. A route or status added
// without a request here fails the last test, so the document and the server cannot drift apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, ensureUser } from '../src/accounts/index.ts';
import { buildOwnApp } from '../src/app.ts';
import { setPaperHidden, setVotesLocked } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { OpenApiChecker } from './openapi-check.ts';

const WRITES_PER_MINUTE = 3;

describe.each(testDialects())('the OpenAPI document against the app on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  let api: OpenApiChecker;

  /** Sends a request, checks the answer against the document, and returns its status. */
  const call = async (path: string, init: RequestInit = {}): Promise<number> => {
    const res = await fetch(`${t.url}${path}`, init);
    await api.check(init.method ?? 'GET', `${t.url}${path}`, res);
    return res.status;
  };
  /** A GET, then the same GET with the ETag it returned: 200, then 304. */
  const getTwice = async (path: string): Promise<number[]> => {
    const first = await fetch(`${t.url}${path}`);
    const etag = first.headers.get('etag');
    await api.check('GET', `${t.url}${path}`, first);
    expect(etag, path).toBeTruthy();
    return [first.status, await call(path, { headers: { 'if-none-match': etag! } })];
  };
  const newToken = async (name: string) => {
    const user = await ensureUser(store.db, `${name}@example.org`, new Date());
    return `Bearer ${(await createApiToken(store.db, user.id, name)).token}`;
  };
  /** Spends a token's budget on one route, then expects the documented 429. */
  const exhaust = async (path: string, method: string, auth: string): Promise<number> => {
    for (let i = 0; i < WRITES_PER_MINUTE; i++) await fetch(`${t.url}${path}`, { method, headers: { authorization: auth } }).then((r) => r.arrayBuffer());
    return call(path, { method, headers: { authorization: auth } });
  };

  beforeAll(async () => {
    store = await createTestStore(dialect, { API_WRITE_RATE_LIMIT: String(WRITES_PER_MINUTE) });
    await createPaper(store, { arxivId: '2606.00301', title: 'Listed paper', categories: ['cs.CL'], announcedOn: '2026-06-30', hfUpvotes: 4 });
    await createPaper(store, { arxivId: '2606.00302', title: 'Locked paper', categories: ['cs.CL'], announcedOn: '2026-06-30' });
    await createPaper(store, { arxivId: '2606.00303', title: 'Hidden paper', categories: ['cs.CL'], announcedOn: '2026-06-30' });
    const curator = { id: null, label: 'test curator' };
    const locked = (await findPaperByArxivId(store.db, '2606.00302'))!;
    await setVotesLocked(store.db, curator, { id: locked.id, arxivId: locked.arxivId }, true, 'brigading', new Date());
    const hidden = (await findPaperByArxivId(store.db, '2606.00303'))!;
    await setPaperHidden(store.db, curator, { id: hidden.id, arxivId: hidden.arxivId }, true, 'spam', new Date());
    t = await startTestApp(store);
    api = new OpenApiChecker((await (await fetch(`${t.url}/api/openapi.json`)).json()) as Record<string, any>);
  });
  afterAll(async () => {
    await t?.close();
    await store?.cleanup();
  });

  it('answers reads in their documented shapes, and 304 to a current ETag', async () => {
    expect(await getTwice('/api/daily_papers?date=2026-06-30')).toEqual([200, 304]);
    expect(await call('/api/daily_papers?date=2026-13-01')).toBe(400);
    expect(await getTwice('/api/papers/2606.00301')).toEqual([200, 304]);
    expect(await call('/api/papers/2606.99999')).toBe(404);
    expect(await getTwice('/papers/2606.00301/bibtex')).toEqual([200, 304]);
    expect(await call('/papers/2606.99999/bibtex')).toBe(404);
    expect(await getTwice('/api/openapi.json')).toEqual([200, 304]);
    expect(await getTwice('/api/docs')).toEqual([200, 304]);
  });

  it('answers searches and their bad parameters', async () => {
    expect(await call('/api/papers/search?q=listed')).toBe(200);
    expect(await call('/api/papers/search?q=listed&category=cs.CL&category=cs.LG&sort=newest&limit=5')).toBe(200);
    expect(await call('/api/papers/search?q=listed&limit=0')).toBe(400);
    expect(await call('/api/papers/search')).toBe(400);
  });

  it('serves every feed, and names a bad parameter', async () => {
    for (const name of ['daily', 'weekly', 'monthly']) {
      expect(await getTwice(`/feeds/${name}.rss`)).toEqual([200, 304]);
      expect(await call(`/feeds/${name}.txt`)).toBe(400);
    }
    expect(await getTwice('/feeds/category/cs.CL.atom')).toEqual([200, 304]);
    expect(await call('/feeds/category/<b>.atom')).toBe(400);
    expect(await getTwice('/feeds/search.json?q=listed')).toEqual([200, 304]);
    expect(await call('/feeds/search.json?q=')).toBe(400);
  });

  it('answers token routes: the owner, votes, refusals, 401 and 429', async () => {
    const auth = await newToken('reader');
    expect(await call('/api/me', { headers: { authorization: auth } })).toBe(200);
    expect(await call('/api/me')).toBe(401);
    for (const method of ['PUT', 'DELETE']) {
      expect(await call('/api/papers/2606.00301/vote', { method, headers: { authorization: auth } })).toBe(200);
      expect(await call('/api/papers/2606.00302/vote', { method, headers: { authorization: auth } })).toBe(403);
      expect(await call('/api/papers/2606.00303/vote', { method, headers: { authorization: auth } })).toBe(404);
      expect(await call('/api/papers/2606.00301/vote', { method })).toBe(401);
      expect(await exhaust('/api/papers/2606.00301/vote', method, await newToken(`voter-${method.toLowerCase()}`))).toBe(429);
    }
    expect(await exhaust('/api/me', 'GET', await newToken('busy'))).toBe(429);
    expect(await call('/api/tokens/current', { method: 'DELETE' })).toBe(401);
    expect(await call('/api/tokens/current', { method: 'DELETE', headers: { authorization: await newToken('done') } })).toBe(204);
    // The budget counts requests per token, revoked or not: one revocation, then 401s, then 429.
    expect(await exhaust('/api/tokens/current', 'DELETE', await newToken('revoker'))).toBe(429);
  });

  it('takes digest subscriptions as JSON only, names a bad field, and limits each address', async () => {
    const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(await call('/api/subscriptions', post({ email: 'reader@example.org', frequency: 'weekly', topics: { categories: ['cs.CL'] } }))).toBe(202);
    expect(await call('/api/subscriptions', post({ email: 'not-an-address', frequency: 'weekly' }))).toBe(400);
    expect(await call('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40example.org&frequency=weekly' })).toBe(415);
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) status = await call('/api/subscriptions', post({ email: 'x', frequency: 'weekly' }));
    expect(status).toBe(429);
  });

  it('has checked every documented response of every route', () => {
    expect(api.documented().length).toBeGreaterThan(40);
    expect(api.unchecked()).toEqual([]);
  });

  it('refuses, at start-up, an /api/ route declared without apiRoute', async () => {
    const { app } = await buildOwnApp({ ...t.deps });
    try {
      expect(() => app.get('/api/undocumented', async () => 'hidden')).toThrow(/apiRoute/);
    } finally {
      await app.close();
    }
  });
});

// Every response the OpenAPI document promises, produced by the real app and checked against the
// document: each documented status of each route, success and failure. A route or status added
// without a request here fails the last test, so the document and the server cannot drift apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, ensureUser } from '../src/accounts/index.ts';
import { buildOwnApp } from '../src/app.ts';
import { setPaperHidden, setUserSuspended, setVotesLocked } from '../src/community/index.ts';
import { setDiscussionLocked } from '../src/comments/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { addFollow, checkFollowValue, MAX_FOLLOWS } from '../src/follows/index.ts';
import { feedTokenFor, findTagByName, savePaper, updateTag } from '../src/library/index.ts';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { OpenApiChecker } from './openapi-check.ts';

const WRITES_PER_MINUTE = 3;
/**
 * Documented responses no request below produces yet (routes added before their coverage). The list
 * may only shrink: covering one fails the last test until it is removed here, and a new route or
 * status that is neither covered nor listed fails it too.
 */
const NOT_YET_COVERED: string[] = [];
const SEARCHES_PER_MINUTE = 20;

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
    store = await createTestStore(dialect, { API_WRITE_RATE_LIMIT: String(WRITES_PER_MINUTE), SEARCH_LIMIT_PER_MINUTE: String(SEARCHES_PER_MINUTE) });
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
    expect(await call('/collections/abc/feed.atom')).toBe(400);
    expect(await call(`/feeds/private/${'t'.repeat(101)}/for-you.atom`)).toBe(400);
    expect(await call(`/feeds/private/${'t'.repeat(101)}/tags/reading.atom`)).toBe(400);
  });

  it('limits searches per address, through the API and the feed', async () => {
    // Each search path gets its own client address (the test app trusts X-Forwarded-For from loopback).
    // Answers from the result cache are not charged, so every request asks something new.
    for (const [path, ip] of [['/api/papers/search?q=listed', '192.0.2.1'], ['/feeds/search.rss?q=listed', '192.0.2.2']] as const) {
      const headers = { 'x-forwarded-for': ip };
      for (let i = 0; i < SEARCHES_PER_MINUTE; i++) expect(await call(`${path}+word${i}`, { headers }), `${path} #${i + 1}`).toBe(200);
      expect(await call(`${path}+word${SEARCHES_PER_MINUTE}`, { headers })).toBe(429);
    }
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

  it('answers the comment routes: each documented success and refusal', async () => {
    const json = (method: string, auth: string | undefined, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });
    const author = await newToken('commenter');
    const other = await newToken('bystander');
    expect(await call('/api/papers/2606.00301/comments')).toBe(200);
    expect(await call('/api/papers/2606.00301/comments?order=sideways')).toBe(400);
    expect(await call('/api/papers/2606.99999/comments')).toBe(404);
    const res = await fetch(`${t.url}/api/papers/2606.00301/comments`, json('POST', author, { body: 'first!' }));
    const made = (await api.check('POST', `${t.url}/api/papers/2606.00301/comments`, res)) as { id: number };
    expect(res.status).toBe(201);
    expect(await call('/api/papers/2606.00301/comments', json('POST', author, { body: '' }))).toBe(400);
    expect(await call('/api/papers/2606.00301/comments', json('POST', undefined, { body: 'x' }))).toBe(401);
    expect(await call('/api/papers/2606.99999/comments', json('POST', other, { body: 'x' }))).toBe(404);
    expect(await exhaust('/api/papers/2606.00301/comments', 'POST', await newToken('flooder'))).toBe(429);
    expect(await call(`/api/comments/${made.id}`, json('PATCH', author, { body: 'edited' }))).toBe(200);
    expect(await call(`/api/comments/${made.id}`, json('PATCH', author, { body: 7 }))).toBe(400);
    expect(await call(`/api/comments/${made.id}`, json('PATCH', undefined, { body: 'x' }))).toBe(401);
    expect(await call(`/api/comments/${made.id}`, json('PATCH', other, { body: 'x' }))).toBe(403);
    expect(await call('/api/comments/999999', json('PATCH', other, { body: 'x' }))).toBe(404);
    const curator = { id: null, label: 'test curator' };
    const paper = (await findPaperByArxivId(store.db, '2606.00301'))!;
    await setDiscussionLocked(store.db, curator, paper, true, 'heated', new Date());
    expect(await call('/api/papers/2606.00301/comments', json('POST', await newToken('late'), { body: 'x' }))).toBe(409);
    expect(await call(`/api/comments/${made.id}`, json('PATCH', author, { body: 'x' }))).toBe(409);
    await setDiscussionLocked(store.db, curator, paper, false, 'calm', new Date());
    const suspended = await ensureUser(store.db, 'suspended@example.org', new Date());
    const suspendedAuth = `Bearer ${(await createApiToken(store.db, suspended.id, 'x')).token}`;
    await setUserSuspended(store.db, curator, suspended, true, 'spam', new Date());
    expect(await call('/api/papers/2606.00301/comments', json('POST', suspendedAuth, { body: 'x' }))).toBe(401);
    expect(await call(`/api/comments/${made.id}`, { method: 'DELETE' })).toBe(401);
    expect(await call(`/api/comments/${made.id}`, { method: 'DELETE', headers: { authorization: other } })).toBe(403);
    expect(await call(`/api/comments/${made.id}`, { method: 'DELETE', headers: { authorization: author } })).toBe(204);
    expect(await call(`/api/comments/${made.id}`, { method: 'DELETE', headers: { authorization: author } })).toBe(404);
    expect(await getTwice('/feeds/author.atom?name=Ada%20Lovelace')).toEqual([200, 304]);
    expect(await call('/feeds/author.atom?name=')).toBe(400);
    const form = (method: string, auth: string): RequestInit => ({ method, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth }, body: 'body=x' });
    expect(await call('/api/papers/2606.00301/comments', form('POST', other))).toBe(415);
    expect(await call('/api/comments/1', form('PATCH', other))).toBe(415);
    expect(await exhaust('/api/comments/1', 'PATCH', await newToken('patcher'))).toBe(429);
    expect(await exhaust('/api/comments/1', 'DELETE', await newToken('deleter'))).toBe(429);
  });

  it('answers the library, follow and recommendation routes: each documented success and refusal', async () => {
    const json = (method: string, auth: string | undefined, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });
    // The write budget counts per token: each request gets a fresh token of the same reader.
    const reader = async () => newToken('librarian');
    expect(await call('/api/library/2606.00301', json('PUT', await reader(), { tags: ['reading'], note: 'good' }))).toBe(200);
    expect(await call('/api/library/2606.00301', json('PUT', await reader(), { tags: 'not a list' }))).toBe(400);
    expect(await call('/api/library/2606.00301', json('PUT', undefined, {}))).toBe(401);
    expect(await call('/api/library/2606.99999', json('PUT', await reader(), {}))).toBe(404);
    expect(await call('/api/library/2606.00301', { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: await reader() }, body: 'note=x' })).toBe(415);
    expect(await exhaust('/api/library/2606.00301', 'PUT', await newToken('saver'))).toBe(429);
    expect(await call('/api/library', { headers: { authorization: await reader() } })).toBe(200);
    expect(await call('/api/library?sort=sideways', { headers: { authorization: await reader() } })).toBe(400);
    expect(await call('/api/library')).toBe(401);
    expect(await exhaust('/api/library', 'GET', await newToken('lister'))).toBe(429);
    expect(await call('/api/recommendations?limit=5', { headers: { authorization: await reader() } })).toBe(200);
    expect(await call('/api/recommendations?limit=0', { headers: { authorization: await reader() } })).toBe(400);
    expect(await call('/api/recommendations')).toBe(401);
    expect(await exhaust('/api/recommendations', 'GET', await newToken('recommended'))).toBe(429);
    expect(await call('/api/library/2606.00301', { method: 'DELETE', headers: { authorization: await reader() } })).toBe(200);
    expect(await call('/api/library/2606.00301', { method: 'DELETE' })).toBe(401);
    expect(await call('/api/library/2606.99999', { method: 'DELETE', headers: { authorization: await reader() } })).toBe(404);
    expect(await exhaust('/api/library/2606.00301', 'DELETE', await newToken('unsaver'))).toBe(429);

    const res = await fetch(`${t.url}/api/follows`, json('POST', await reader(), { kind: 'category', value: 'cs.CL' }));
    const follow = (await api.check('POST', `${t.url}/api/follows`, res)) as { id: number };
    expect(res.status).toBe(200);
    expect(await call('/api/follows', json('POST', await reader(), { kind: 'planet', value: 'x' }))).toBe(400);
    expect(await call('/api/follows', json('POST', undefined, { kind: 'category', value: 'cs.CL' }))).toBe(401);
    expect(await call('/api/follows', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: await reader() }, body: 'kind=category' })).toBe(415);
    expect(await exhaust('/api/follows', 'POST', await newToken('follower'))).toBe(429);
    const full = await ensureUser(store.db, 'follows-everything@example.org', new Date());
    for (let i = 0; i < MAX_FOLLOWS; i++) {
      const checked = checkFollowValue('search', `topic ${i}`);
      if (!checked.ok) throw new Error(checked.message);
      await addFollow(store.db, full.id, 'search', checked.value, checked.key, new Date());
    }
    const fullAuth = `Bearer ${(await createApiToken(store.db, full.id, 'full')).token}`;
    expect(await call('/api/follows', json('POST', fullAuth, { kind: 'search', value: 'one more' }))).toBe(409);
    expect(await call('/api/follows', { headers: { authorization: await reader() } })).toBe(200);
    expect(await call('/api/follows')).toBe(401);
    expect(await exhaust('/api/follows', 'GET', await newToken('follow-lister'))).toBe(429);
    expect(await call(`/api/follows/${follow.id}`, { method: 'DELETE', headers: { authorization: await reader() } })).toBe(204);
    expect(await call(`/api/follows/${follow.id}`, { method: 'DELETE', headers: { authorization: await reader() } })).toBe(404);
    expect(await call('/api/follows/zero', { method: 'DELETE', headers: { authorization: await reader() } })).toBe(400);
    expect(await call(`/api/follows/${follow.id}`, { method: 'DELETE' })).toBe(401);
    expect(await exhaust(`/api/follows/${follow.id}`, 'DELETE', await newToken('unfollower'))).toBe(429);
  });

  it('serves similar papers, public collections and private feeds, and 404s what is not there', async () => {
    expect(await getTwice('/api/papers/2606.00301/similar?limit=3')).toEqual([200, 304]);
    expect(await call('/api/papers/2606.99999/similar')).toBe(404);
    const owner = await ensureUser(store.db, 'collector@example.org', new Date());
    const paper = (await findPaperByArxivId(store.db, '2606.00301'))!;
    await savePaper(store.db, owner.id, paper.id, { tags: ['shelf', 'secret'] }, new Date());
    const shelf = (await findTagByName(store.db, owner.id, 'shelf'))!;
    const secret = (await findTagByName(store.db, owner.id, 'secret'))!;
    expect((await updateTag(store.db, owner.id, shelf.id, { public: true }, new Date())).ok).toBe(true);
    expect(await getTwice(`/collections/${shelf.id}/feed.atom`)).toEqual([200, 304]);
    expect(await call(`/collections/${secret.id}/feed.atom`)).toBe(404);
    const token = await feedTokenFor(store.db, t.deps.secret, owner.id, new Date());
    expect(await call(`/feeds/private/${token}/for-you.atom`)).toBe(200);
    expect(await call(`/feeds/private/${'x'.repeat(43)}/for-you.atom`)).toBe(404);
    expect(await call(`/feeds/private/${token}/tags/shelf.atom`)).toBe(200);
    expect(await call(`/feeds/private/${token}/tags/nothing-here.atom`)).toBe(404);
  });

  it('has checked every documented response of every route', () => {
    expect(api.documented().length).toBeGreaterThan(40);
    expect(api.unchecked()).toEqual(NOT_YET_COVERED);
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

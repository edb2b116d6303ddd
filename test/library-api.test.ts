import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { createApiToken, ensureUser } from '../src/accounts/index.ts';
import { OpenApiChecker } from './openapi-check.ts';

describe.each(testDialects())('library API on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  let api: OpenApiChecker;
  let token: string;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2603.50001', announcedOn: '2026-03-02', title: 'Reinforcement learning with sparse rewards', abstract: 'Policy gradient agents and sparse rewards.', categories: ['cs.LG'] });
    await createPaper(store, { arxivId: '2606.50002', announcedOn: '2026-06-30', title: 'Sparse rewards for policy gradient agents', abstract: 'Reinforcement learning agents with sparse rewards and policy gradients.', categories: ['cs.LG'] });
    await createPaper(store, { arxivId: '2606.50003', announcedOn: '2026-06-29', title: 'Cluster lensing', abstract: 'Galaxy clusters.', categories: ['astro-ph.CO'], authors: ['Vera Rubin'] });
    await createPaper(store, { arxivId: 'hep-th/9901003', announcedOn: '1999-01-04', title: 'Old strings', categories: ['hep-th'] });
    t = await startTestApp(store);
    api = new OpenApiChecker((await (await fetch(`${t.url}/api/openapi.json`)).json()) as Record<string, any>);
    const user = await ensureUser(store.db, 'api-reader@example.org', new Date());
    token = (await createApiToken(store.db, user.id, 'reader')).token;
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  const call = async (method: string, path: string, body?: unknown, auth: string | undefined = `Bearer ${token}`) => {
    const headers: Record<string, string> = {};
    if (auth) headers.authorization = auth;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${t.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await api.check(method, `${t.url}${path}`, res)) as any };
  };

  it('saves, tags, lists and removes papers idempotently, in the documented shapes', async () => {
    const put = await call('PUT', '/api/library/2603.50001', { tags: ['RL', 'reading'], note: 'good baseline' });
    expect(put).toMatchObject({ status: 200, body: { id: '2603.50001', tags: ['reading', 'rl'], note: 'good baseline', read: false } });
    expect((await call('PUT', '/api/library/arXiv:2603.50001v1', { read: true })).body).toMatchObject({ tags: ['reading', 'rl'], note: 'good baseline', read: true });
    expect((await call('PUT', '/api/library/hep-th%2F9901003')).body).toMatchObject({ id: 'hep-th/9901003', tags: [] });
    const list = await call('GET', '/api/library?tag=rl');
    expect(list).toMatchObject({ status: 200, body: { total: 1, papers: [{ id: '2603.50001' }] } });
    expect((await call('GET', '/api/library')).body.total).toBe(2);
    expect(await call('DELETE', '/api/library/hep-th%2F9901003')).toEqual({ status: 200, body: { paper: 'hep-th/9901003', saved: false } });
    expect((await call('DELETE', '/api/library/hep-th%2F9901003')).status).toBe(200);
    expect((await call('GET', '/api/library')).body.total).toBe(1);
  });

  it('answers 400 naming the field, 401 without a token, 404 for unknown papers', async () => {
    expect(await call('PUT', '/api/library/2603.50001', { tags: 'rl' })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^tags: /) } } });
    expect(await call('PUT', '/api/library/2603.50001', { tags: ['a,b'] })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^tags: /) } } });
    expect(await call('PUT', '/api/library/2603.50001', { note: 'x'.repeat(4001) })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^note: /) } } });
    expect(await call('PUT', '/api/library/2603.50001', { stars: 5 })).toMatchObject({ status: 400 });
    expect(await call('GET', '/api/library?sort=best')).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^sort: /) } } });
    expect(await call('GET', '/api/recommendations?limit=0')).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^limit: /) } } });
    expect((await call('GET', '/api/recommendations', undefined, '')).status).toBe(401);
    expect((await call('GET', '/api/library', undefined, '')).status).toBe(401);
    expect((await call('PUT', '/api/library/2612.99999')).status).toBe(404);
    expect(await call('POST', '/api/follows', { kind: 'planet', value: 'Mars' })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^kind: /) } } });
    expect(await call('POST', '/api/follows', { kind: 'category', value: 'not a category' })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^value: /) } } });
    expect(await call('DELETE', '/api/follows/abc')).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^id: /) } } });
  });

  it('recommends new papers with reasons, and follows drive them too', async () => {
    await call('PUT', '/api/library/2603.50001', { tags: ['rl'] });
    const recs = await call('GET', '/api/recommendations?limit=5');
    expect(recs.status).toBe(200);
    expect(recs.body.results[0]).toMatchObject({ id: '2606.50002', reason: 'like a paper you saved in rl' });
    const follow = await call('POST', '/api/follows', { kind: 'author', value: 'Vera Rubin' });
    expect(follow).toMatchObject({ status: 200, body: { kind: 'author', value: 'Vera Rubin' } });
    expect((await call('POST', '/api/follows', { kind: 'author', value: 'vera  rubin' })).body.id).toBe(follow.body.id);
    expect((await call('GET', '/api/follows')).body.follows).toHaveLength(1);
    const withFollow = await call('GET', '/api/recommendations');
    expect(withFollow.body.results.find((r: any) => r.id === '2606.50003')?.reason).toBe('by Vera Rubin, whom you follow');
    expect((await call('DELETE', `/api/follows/${follow.body.id}`)).status).toBe(204);
    expect((await call('DELETE', `/api/follows/${follow.body.id}`)).status).toBe(404);
  });
});

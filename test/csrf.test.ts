import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfField } from '../src/web/csrf.ts';
import { createTestStore, testDialects, startTestApp, type TestApp, type TestStore } from './helpers.ts';

describe.each(testDialects())('CSRF protection on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  beforeAll(async () => {
    store = await createTestStore(dialect);
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  it('rejects a form POST without a valid token and accepts one with it', async () => {
    const { buildApp } = await import('../src/app.ts');
    const app = await buildApp(t.deps);
    app.get('/form', async (req, reply) => reply.type('text/html').send(`<form method="post">${csrfField(req, reply, t.deps.secret).value}</form>`));
    app.post('/form', async () => 'done');
    app.post('/open', { config: { csrf: false } }, async () => 'open');
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const page = await fetch(`${url}/form`);
      const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
      expect(cookie).toMatch(/^pb_csrf=/);
      expect(page.headers.get('set-cookie')).toMatch(/HttpOnly/i);
      const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${url}/form`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
      expect((await post('a=1')).status).toBe(403);
      expect((await post(`_csrf=${token}`)).status).toBe(403); // no cookie: a cross-site form
      expect((await post(`_csrf=${token}x`, { cookie })).status).toBe(403);
      const ok = await post(`_csrf=${encodeURIComponent(token)}`, { cookie });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('done');
      expect((await fetch(`${url}/open`, { method: 'POST' })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers a method a page does not take with 405 and Allow, not a CSRF error', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${t.url}/`, { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(await res.text()).toContain(`${method} is not allowed here`);
    }
    const signin = await fetch(`${t.url}/signin`, { method: 'DELETE' });
    expect(signin.status).toBe(405);
    expect(signin.headers.get('allow')).toBe('GET, HEAD, POST');
    const api = await fetch(`${t.url}/api/papers/search`, { method: 'DELETE' });
    expect(api.status).toBe(405);
    expect(((await api.json()) as any).error.code).toBe('method_not_allowed');
    expect((await fetch(`${t.url}/no-such-page`, { method: 'PUT' })).status).toBe(404);
  });
});

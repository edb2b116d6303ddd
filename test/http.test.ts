import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

describe.each(testDialects())('pages and JSON over HTTP on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  beforeAll(async () => {
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2606.00100', title: 'Older paper', announcedOn: '2026-06-29' });
    await createPaper(store, {
      arxivId: '2606.00101',
      title: 'Attention <script>alert(1)</script> is all you need',
      abstract: 'We test $x^2$ escaping "quotes" & <img src=x onerror=alert(1)>. Code: https://github.com/a/b',
      authors: ['Eve <b>Hacker</b>', 'Bob'],
      announcedOn: '2026-06-30',
      hfUpvotes: 12,
    });
    await createPaper(store, { arxivId: 'hep-th/9901001', title: 'Old style', announcedOn: '2026-06-30', categories: ['hep-th'] });
    await createPaper(store, { arxivId: '2606.00102', title: 'A July paper', announcedOn: '2026-07-01', categories: ['cs.CV'] });
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  it('home lists the latest day with papers, each linking to its page', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const body = await res.text();
    expect(body).toContain('href="/papers/2606.00102"');
    expect(body).not.toContain('2606.00101');
    expect(body).toContain('href="/?date=2026-06-30"'); // previous day with papers
  });

  it('shows day, week and month views with navigation', async () => {
    const day = await (await fetch(`${t.url}/?date=2026-06-30`)).text();
    expect(day).toContain('href="/papers/2606.00101"');
    expect(day).toContain('href="/papers/hep-th/9901001"');
    expect(day).not.toContain('href="/papers/2606.00100"');
    const week = await (await fetch(`${t.url}/?week=2026-W27`)).text();
    for (const id of ['2606.00100', '2606.00101', '2606.00102']) expect(week).toContain(`href="/papers/${id}"`);
    expect(week).toContain('href="/?week=2026-W26"');
    const month = await (await fetch(`${t.url}/?month=2026-06`)).text();
    expect(month).toContain('href="/papers/2606.00100"');
    expect(month).not.toContain('href="/papers/2606.00102"');
    expect(month).toContain('href="/?month=2026-07"');
    const filtered = await (await fetch(`${t.url}/?month=2026-06&category=hep-th`)).text();
    expect(filtered).toContain('hep-th/9901001');
    expect(filtered).not.toContain('2606.00101');
  });

  it('escapes hostile titles, abstracts and authors', async () => {
    const body = await (await fetch(`${t.url}/papers/2606.00101`)).text();
    expect(body).not.toContain('<script>alert(1)</script>');
    expect(body).not.toContain('<img src=x');
    expect(body).not.toContain('<b>Hacker</b>');
    expect(body).toContain('Attention &lt;script&gt;alert(1)&lt;/script&gt; is all you need');
    expect(body).toContain('$x^2$ escaping &quot;quotes&quot; &amp; &lt;img');
    expect(body).toContain('href="https://github.com/a/b"');
  });

  it('sends security headers', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('strict-transport-security')).toBeNull(); // BASE_URL is http here
    // The public API and feeds may be fetched from anywhere; they keep the other headers.
    for (const path of ['/api/daily_papers', '/feeds/daily.rss', '/api/papers/2606.99999']) {
      const api = await fetch(`${t.url}${path}`);
      expect(api.headers.get('cross-origin-resource-policy'), path).toBe('cross-origin');
      expect(api.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('serves old-style ids and redirects versioned ids to the canonical page', async () => {
    expect((await fetch(`${t.url}/papers/hep-th/9901001`)).status).toBe(200);
    const res = await fetch(`${t.url}/papers/2606.00101v3`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/papers/2606.00101');
  });

  it('answers unknown and malformed ids with a 404 page', async () => {
    for (const path of ['/papers/2606.99999', '/papers/not-an-id', '/papers/%3Cscript%3E', '/nowhere']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status, path).toBe(404);
      const body = await res.text();
      expect(body).toContain('Page not found');
      expect(body).not.toContain('<script>');
    }
  });

  it('serves a paper as JSON and 404s in the error shape', async () => {
    const res = await fetch(`${t.url}/api/papers/2606.00101`);
    expect(res.status).toBe(200);
    const json = (await res.json()) as Record<string, any>;
    expect(json).toMatchObject({ id: '2606.00101', authors: ['Eve <b>Hacker</b>', 'Bob'], announcedOn: '2026-06-30', upvotes: { hf: 12 }, links: [{ kind: 'code', url: 'https://github.com/a/b' }] });
    const missing = await fetch(`${t.url}/api/papers/2606.99999`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'no paper 2606.99999' } });
  });

  it('rejects a bad period with 400 and a named parameter', async () => {
    const res = await fetch(`${t.url}/?date=2026-02-30`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('date must be a calendar day');
  });

  it('answers /healthz and serves fingerprinted CSS with long caching', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const home = await (await fetch(`${t.url}/`)).text();
    const css = /href="(\/static\/style\.[0-9a-f]{10}\.css)"/.exec(home)![1]!;
    const res = await fetch(`${t.url}${css}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
  });
});

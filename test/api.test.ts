import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, listApiTokens, revokeApiToken } from '../src/accounts/index.ts';
import { recordFromHf } from '../src/import/index.ts';
import { upsertPapers, type PaperInput } from '../src/papers/index.ts';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { OpenApiChecker } from './openapi-check.ts';

describe.each(testDialects())('JSON API on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  let api: OpenApiChecker;
  /** GET (or another method) and check the response against the OpenAPI document. */
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${t.url}${path}`, init);
    const headers = res.headers;
    const body = await api.check(init.method ?? 'GET', `${t.url}${path}`, res);
    return { status: res.status, headers, body: body as any };
  };

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2606.00100', title: 'Older paper', announcedOn: '2026-06-29', hfUpvotes: 50 });
    await createPaper(store, {
      arxivId: '2606.00101',
      title: 'Attention <script>alert(1)</script> is all you need',
      abstract: 'We test escaping. Code: https://github.com/a/b and https://example.org/project',
      authors: ['Eve <b>Hacker</b>', 'Bob'],
      announcedOn: '2026-06-30',
      submittedAt: '2026-06-28T10:00:00.000Z',
      hfUpvotes: 12,
    });
    await createPaper(store, { arxivId: 'hep-th/9901001', title: 'Old style', announcedOn: '2026-06-30', categories: ['hep-th'], hfUpvotes: 3 });
    await createPaper(store, { arxivId: '2606.00102', title: 'A July paper', announcedOn: '2026-07-01', categories: ['cs.CV'] });
    // 120 papers on one day, to exercise the limit cap and paging.
    const many: PaperInput[] = Array.from({ length: 120 }, (_, i) => ({
      arxivId: `2605.${String(20000 + i)}`,
      title: `Bulk paper ${i}`,
      abstract: 'bulk',
      authors: ['A. Author'],
      categories: ['cs.LG'],
      announcedOn: '2026-05-15',
      hfUpvotes: i,
    }));
    await upsertPapers(store.db, many);
    t = await startTestApp(store);
    api = new OpenApiChecker((await (await fetch(`${t.url}/api/openapi.json`)).json()) as Record<string, any>);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  describe('daily_papers, read the way a Hugging Face client reads it', () => {
    it('answers for the most recent day with papers when no period is given', async () => {
      const { status, body, headers } = await call('/api/daily_papers');
      expect(status).toBe(200);
      expect(headers.get('x-total-count')).toBe('1');
      expect(body.map((item: any) => item.paper.id)).toEqual(['2606.00102']);
    });

    it('gives every field HF clients use, with HF names and types', async () => {
      const { body } = await call('/api/daily_papers?date=2026-06-30');
      expect(Array.isArray(body)).toBe(true);
      // Like huggingface_hub's PaperInfo and the common scripts: item.paper.{id,title,summary,authors[].name,upvotes}.
      const [first, second] = body;
      expect(first.paper.id).toBe('2606.00101');
      expect(first.paper.title).toBe('Attention <script>alert(1)</script> is all you need');
      expect(first.paper.summary).toContain('We test escaping');
      expect(first.paper.authors.map((a: { name: string }) => a.name)).toEqual(['Eve <b>Hacker</b>', 'Bob']);
      expect(first.paper.authors[0]).toMatchObject({ _id: expect.any(String), hidden: false });
      expect(first.paper.upvotes).toBe(12);
      expect(first.paper.discussionId).toEqual(expect.any(String));
      expect(new Date(first.paper.publishedAt).toISOString()).toBe('2026-06-28T10:00:00.000Z');
      expect(new Date(first.publishedAt).toISOString()).toBe('2026-06-30T00:00:00.000Z');
      expect(first.title).toBe(first.paper.title);
      expect(first.summary).toBe(first.paper.summary);
      expect(first.numComments).toBe(0);
      expect(first.isAuthorParticipating).toBe(false);
      expect(first.thumbnail).toMatch(/^http:\/\/paperboy\.test\/static\//);
      expect(first.submittedBy).toMatchObject({ _id: expect.any(String), name: expect.any(String), fullname: expect.any(String), avatarUrl: expect.any(String), isPro: false, type: 'user' });
      expect(first.paper.githubRepo).toBe('https://github.com/a/b');
      expect(first.paper.projectPage).toBe('https://example.org/project');
      expect(first.paperboy).toMatchObject({ url: 'http://paperboy.test/papers/2606.00101', upvotes: { local: 0, hf: 12 } });
      expect(second.paper.id).toBe('hep-th/9901001');
    });

    it('round-trips through paperboy import as a Hugging Face file', async () => {
      const { body } = await call('/api/daily_papers?date=2026-06-30');
      const back = body.map((item: unknown) => recordFromHf(item));
      expect(back.every((r: { ok: boolean }) => r.ok)).toBe(true);
      expect(back[0].paper).toMatchObject({ arxivId: '2606.00101', announcedOn: '2026-06-30', hfUpvotes: 12, authors: ['Eve <b>Hacker</b>', 'Bob'] });
    });

    it('takes week and month periods and sorts by trending or publishedAt', async () => {
      const week = await call('/api/daily_papers?week=2026-W27');
      expect(week.body.map((i: any) => i.paper.id)).toEqual(['2606.00100', '2606.00101', 'hep-th/9901001', '2606.00102']);
      const month = await call('/api/daily_papers?month=2026-06&sort=publishedAt');
      expect(month.body.map((i: any) => i.paper.id)).toEqual(['2606.00101', 'hep-th/9901001', '2606.00100']);
    });

    it('pages with limit and p, capping limit at 100', async () => {
      const capped = await call('/api/daily_papers?date=2026-05-15&limit=500');
      expect(capped.body).toHaveLength(100);
      expect(capped.headers.get('x-total-count')).toBe('120');
      // The OpenAPI document says so, rather than declaring a maximum that 500 would break.
      const limitParam = (await call('/api/openapi.json')).body.paths['/api/daily_papers'].get.parameters.find((p: any) => p.name === 'limit');
      expect(limitParam.schema.maximum).not.toBe(100);
      expect(limitParam.description ?? limitParam.schema.description).toContain('larger values are treated as 100');
      expect(capped.body[0].paper.upvotes).toBe(119);
      const page = await call('/api/daily_papers?date=2026-05-15&limit=50&p=2');
      expect(page.body.map((i: any) => i.paper.upvotes)).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
      const empty = await call('/api/daily_papers?date=2020-01-01');
      expect(empty.body).toEqual([]);
    });
  });

  it('rejects bad parameters with 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['/api/daily_papers?date=not-a-date', 'date: '],
      ['/api/daily_papers?date=2026-02-30', 'date: '],
      ['/api/daily_papers?week=2026-27', 'week: '],
      ['/api/daily_papers?month=June', 'month: '],
      ['/api/daily_papers?limit=ten', 'limit: '],
      ['/api/daily_papers?limit=0', 'limit: '],
      ['/api/daily_papers?p=-1', 'p: '],
      ['/api/daily_papers?sort=random', 'sort: '],
      ['/api/daily_papers?date=2026-06-30&month=2026-06', 'month: '],
    ];
    for (const [path, prefix] of cases) {
      const { status, body } = await call(path);
      expect(status, path).toBe(400);
      expect(body.error.code, path).toBe('bad_parameter');
      expect(body.error.message.startsWith(prefix), `${path}: ${body.error.message}`).toBe(true);
    }
  });

  describe('papers', () => {
    it('serves a paper in every id form, old style included', async () => {
      const { status, body } = await call('/api/papers/2606.00101');
      expect(status).toBe(200);
      expect(body).toMatchObject({ id: '2606.00101', upvotes: { local: 0, hf: 12, total: 12 }, urls: { bibtex: 'http://paperboy.test/papers/2606.00101/bibtex' } });
      expect((await call('/api/papers/hep-th/9901001')).body.id).toBe('hep-th/9901001');
      expect((await call('/api/papers/hep-th%2F9901001')).body.id).toBe('hep-th/9901001');
      expect((await call('/api/papers/arXiv:2606.00101v2')).body.id).toBe('2606.00101');
    });

    it('answers unknown and malformed ids with 404 in the error shape', async () => {
      const missing = await call('/api/papers/2606.99999');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: { code: 'not_found', message: 'no paper 2606.99999' } });
      const bad = await call('/api/papers/not-an-id');
      expect(bad.status).toBe(404);
      expect(bad.body.error.message).toMatch(/^id: "not-an-id" is not an arXiv id/);
      const nowhere = await fetch(`${t.url}/api/nothing-here`);
      expect(nowhere.status).toBe(404);
      expect(((await nowhere.json()) as any).error.code).toBe('not_found');
    });

    it('serves BibTeX for new- and old-style ids', async () => {
      const res = await fetch(`${t.url}/papers/2606.00101/bibtex`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const bib = await res.text();
      expect(bib).toMatch(/^@misc\{bhackerb2026attention,\n/); // key from the (hostile) first author, year, first title word
      expect(bib).toContain('eprint = {2606.00101}');
      expect(bib).toContain('archivePrefix = {arXiv}');
      expect(bib).toContain('primaryClass = {cs.CL}');
      expect(bib).toContain('author = {Eve <b>Hacker</b> and Bob}');
      const old = await (await fetch(`${t.url}/papers/hep-th/9901001/bibtex`)).text();
      expect(old).toContain('eprint = {hep-th/9901001}');
      expect((await fetch(`${t.url}/papers/2606.99999/bibtex`)).status).toBe(404);
      // The page route still answers for the paper itself.
      expect((await fetch(`${t.url}/papers/hep-th/9901001`)).status).toBe(200);
    });
  });

  describe('conditional GET', () => {
    it('answers 304 for a matching ETag and sends cache headers', async () => {
      const first = await fetch(`${t.url}/api/papers/2606.00100`);
      await first.arrayBuffer();
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^W\/".+"$/);
      expect(first.headers.get('cache-control')).toBe('public, max-age=300, s-maxage=1, stale-while-revalidate=30');
      expect(first.headers.get('last-modified')).toMatch(/GMT$/);
      const again = await fetch(`${t.url}/api/papers/2606.00100`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      const other = await fetch(`${t.url}/api/papers/2606.00100`, { headers: { 'if-none-match': 'W/"something-else"' } });
      expect(other.status).toBe(200);
    });

    it('answers 304 for If-Modified-Since at or after Last-Modified, 200 before', async () => {
      const first = await fetch(`${t.url}/api/daily_papers?date=2026-06-30`);
      await first.arrayBuffer();
      const lastModified = first.headers.get('last-modified')!;
      expect((await fetch(`${t.url}/api/daily_papers?date=2026-06-30`, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
      const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
      expect((await fetch(`${t.url}/api/daily_papers?date=2026-06-30`, { headers: { 'if-modified-since': earlier } })).status).toBe(200);
    });

    it('changes the ETag when the data changes', async () => {
      const before = await fetch(`${t.url}/api/papers/2606.00102`);
      await before.arrayBuffer();
      await createPaper(store, { arxivId: '2606.00102', title: 'A July paper, revised', announcedOn: '2026-07-01', categories: ['cs.CV'], version: 2 });
      const after = await fetch(`${t.url}/api/papers/2606.00102`, { headers: { 'if-none-match': before.headers.get('etag')! } });
      expect(after.status).toBe(200);
      expect(((await after.json()) as any).title).toBe('A July paper, revised');
    });
  });

  it('allows any origin to read, with preflight', async () => {
    const res = await fetch(`${t.url}/api/daily_papers`, { headers: { origin: 'https://elsewhere.example' } });
    await res.arrayBuffer();
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
    const pre = await fetch(`${t.url}/api/papers/2606.00101`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('GET');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    // Pages are not opened up.
    const page = await fetch(`${t.url}/`);
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
  });

  describe('OpenAPI document', () => {
    it('describes every route with its parameters, generated from the validating schemas', async () => {
      const doc = api.doc;
      expect(doc.openapi).toBe('3.1.0');
      for (const path of ['/api/daily_papers', '/api/papers/{id}', '/api/me', '/api/tokens/current', '/api/openapi.json', '/papers/{id}/bibtex', '/feeds/daily.{format}', '/feeds/category/{category}.{format}', '/feeds/search.{format}']) {
        expect(doc.paths[path], path).toBeDefined();
      }
      const params = doc.paths['/api/daily_papers'].get.parameters.map((p: any) => p.name);
      expect(params).toEqual(['date', 'week', 'month', 'limit', 'p', 'sort', 'submitter']);
      const limit = doc.paths['/api/daily_papers'].get.parameters.find((p: any) => p.name === 'limit');
      expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1 });
      const ids = Object.values(doc.paths).flatMap((item: any) => Object.values(item).map((op: any) => op.operationId));
      expect(new Set(ids).size).toBe(ids.length);
      // Every $ref resolves.
      for (const ref of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(doc.components.schemas[ref[1]!], ref[1]).toBeDefined();
      // Every templated path parameter is declared.
      for (const [path, item] of Object.entries(doc.paths as Record<string, any>)) {
        for (const op of Object.values(item) as any[]) {
          for (const name of path.match(/\{(\w+)\}/g) ?? []) expect(op.parameters?.some((p: any) => p.in === 'path' && `{${p.name}}` === name), `${path} ${name}`).toBe(true);
        }
      }
    });

    it('is valid for its own schema check and for conditional GET', async () => {
      await call('/api/openapi.json');
      const first = await fetch(`${t.url}/api/openapi.json`);
      await first.arrayBuffer();
      expect((await fetch(`${t.url}/api/openapi.json`, { headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(304);
    });

    it('catches a response that does not match (the checker can fail)', async () => {
      const fake = new Response(JSON.stringify([{ paper: { id: 1 } }]), { status: 200, headers: { 'content-type': 'application/json' } });
      await expect(api.check('GET', `${t.url}/api/daily_papers`, fake)).rejects.toThrow(/does not match/);
    });

    it('renders a readable docs page without scripts', async () => {
      const res = await fetch(`${t.url}/api/docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      // Only the layout's optional progressive scripts (theme, copy buttons); no inline or docs script.
      for (const tag of html.match(/<script[^>]*>/gi) ?? []) expect(tag).toMatch(/^<script src="\/static\/(theme|app|post-in-place|save)\.[0-9a-f]{10}\.js"( defer)?>$/);
      expect(html).toContain('GET /api/daily_papers');
      expect(html).toContain('<code>limit</code>');
      expect(html).toContain('id="schema-HfDailyPaper"');
      expect(html).toContain('needs an API token');
    });
  });

  describe('API tokens', () => {
    it('stores only a hash and shows the token once', async () => {
      const { token, apiToken } = await createApiToken(store.db, 7, '  laptop script ');
      expect(token).toMatch(/^pb_[A-Za-z0-9_-]{43}$/);
      expect(apiToken).toMatchObject({ userId: 7, name: 'laptop script', prefix: token.slice(0, 7), revokedAt: null });
      const rows = await store.db.selectFrom('api_token').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
      expect((await listApiTokens(store.db, 7)).map((x) => x.id)).toContain(apiToken.id);
    });

    it('requires a valid, unrevoked bearer token on token endpoints', async () => {
      const { token, apiToken } = await createApiToken(store.db, 8, 'ci');
      const anon = await call('/api/me');
      expect(anon.status).toBe(401);
      expect(anon.headers.get('www-authenticate')).toContain('Bearer');
      expect(anon.body.error.code).toBe('unauthorized');
      expect((await call('/api/me', { headers: { authorization: 'Bearer pb_' + 'x'.repeat(43) } })).status).toBe(401);
      expect((await call('/api/me', { headers: { authorization: `Basic ${token}` } })).status).toBe(401);
      const me = await call('/api/me', { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ userId: 8, tokenId: apiToken.id });
      const [listed] = await listApiTokens(store.db, 8);
      expect(listed!.lastUsedAt).not.toBeNull();

      expect(await revokeApiToken(store.db, 9, apiToken.id)).toBe(false); // someone else's token
      const revoke = await call('/api/tokens/current', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
      expect(revoke.status).toBe(204);
      expect((await call('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
      expect((await listApiTokens(store.db, 8))[0]!.revokedAt).not.toBeNull();
    });
  });
});

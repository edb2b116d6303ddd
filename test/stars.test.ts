// GitHub stars end to end: the github-stars job against a loopback GitHub API (ETags, 404, rate
// limits, 5xx), then the listing's code filter and stars order, the paper page and the API.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { refreshStars } from '../src/repos/index.ts';
import { createPaper, createTestStore, startTestApp, testConfig, testDialects, type TestApp, type TestStore } from './helpers.ts';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

async function startGithub(routes: Record<string, Route>) {
  const hits: Array<{ path: string; auth: string | undefined; etag: string | undefined }> = [];
  const server = createServer((req, res) => {
    hits.push({ path: req.url!, auth: req.headers.authorization, etag: req.headers['if-none-match'] as string | undefined });
    (routes[req.url!] ?? ((_q, r) => r.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}')))(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const repo = (fullName: string, stars: number) => (req: IncomingMessage, res: ServerResponse) => {
  const etag = `"${fullName}-${stars}"`;
  if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag, 'x-ratelimit-remaining': '55' }).end();
  res.writeHead(200, { 'content-type': 'application/json', etag, 'x-ratelimit-remaining': '55' }).end(JSON.stringify({ full_name: fullName, stargazers_count: stars, pushed_at: '2026-06-01T10:00:00Z' }));
};

describe.each(testDialects())('GitHub stars on %s', (dialect) => {
  let gh: Awaited<ReturnType<typeof startGithub>>;
  let store: TestStore;
  let t: TestApp;
  let broken = 0;

  beforeAll(async () => {
    gh = await startGithub({
      '/repos/alpha/one': repo('Alpha/one', 1234),
      '/repos/beta/two': repo('beta/two', 56),
      '/repos/gamma/three': (_q, res) => (++broken <= 3 ? res.writeHead(502).end('bad gateway') : repo('gamma/three', 7)(_q, res)),
    });
    store = await createTestStore(dialect, { GITHUB_STARS: 'on', GITHUB_API_URL: gh.url });
    const day = '2026-06-30';
    await createPaper(store, { arxivId: '2606.00401', title: 'Few stars', abstract: 'Code: https://github.com/beta/two and https://github.com/alpha/one', announcedOn: day, hfUpvotes: 9 });
    await createPaper(store, { arxivId: '2606.00402', title: 'Many stars', abstract: 'Code at https://github.com/alpha/one.', announcedOn: day });
    await createPaper(store, { arxivId: '2606.00403', title: 'Gone repo', abstract: 'Code at https://github.com/deleted/repo.', announcedOn: day, hfUpvotes: 3 });
    await createPaper(store, { arxivId: '2606.00404', title: 'Flaky host', abstract: 'Code at https://github.com/gamma/three.', announcedOn: day });
    await createPaper(store, { arxivId: '2606.00405', title: 'No code', abstract: 'Nothing to run.', announcedOn: day, hfUpvotes: 50 });
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await gh.close();
  });

  const run = (env: Record<string, string> = {}, now = new Date()) =>
    refreshStars({ db: store.db, around: testConfig({ GITHUB_STARS: 'on', GITHUB_API_URL: gh.url, ...env }).around, log: silentLogger, now: () => now, retryBaseMs: 5 });

  it('fetches each paper\'s own repository once, with the token, and records what is missing or failing', async () => {
    const r = await run({ GITHUB_TOKEN: 'ghp_test' });
    expect(r).toMatchObject({ fetched: 2, missing: 1, failed: 1, rateLimitedUntil: undefined });
    expect(gh.hits.map((h) => h.path).sort()).toEqual(['/repos/alpha/one', '/repos/beta/two', '/repos/deleted/repo', '/repos/gamma/three', '/repos/gamma/three', '/repos/gamma/three']);
    expect(gh.hits.every((h) => h.auth === 'Bearer ghp_test')).toBe(true);
    const rows = await store.db.selectFrom('code_repo').select(['url', 'full_name', 'status', 'stars']).orderBy('url').execute();
    expect(rows).toEqual([
      { url: 'https://github.com/alpha/one', full_name: 'Alpha/one', status: 'ok', stars: 1234 },
      { url: 'https://github.com/beta/two', full_name: 'beta/two', status: 'ok', stars: 56 },
      { url: 'https://github.com/deleted/repo', full_name: 'deleted/repo', status: 'missing', stars: null },
      { url: 'https://github.com/gamma/three', full_name: 'gamma/three', status: 'failed', stars: null },
    ]);
  });

  it('asks again only when stale, with the ETag, and retries a failure after its wait', async () => {
    gh.hits.length = 0;
    expect(await run()).toMatchObject({ fetched: 0, unchanged: 0, failed: 0 });
    expect(gh.hits).toHaveLength(0);
    const dayLater = new Date(Date.now() + 25 * 3_600_000);
    const r = await run({}, dayLater);
    expect(r).toMatchObject({ fetched: 1, unchanged: 2, missing: 1 });
    expect(gh.hits.find((h) => h.path === '/repos/alpha/one')!.etag).toBe('"Alpha/one-1234"');
    expect(gh.hits.every((h) => h.auth === undefined)).toBe(true); // anonymous without GITHUB_TOKEN
  });

  it('stops at GitHub\'s rate limit and asks nothing before the reset', async () => {
    const later = new Date(Date.now() + 4 * 24 * 3_600_000);
    const reset = Math.floor(later.getTime() / 1000) + 3600;
    const rl = await startGithub(Object.fromEntries(['alpha/one', 'beta/two', 'deleted/repo', 'gamma/three'].map((n) => [`/repos/${n}`, (_q: IncomingMessage, res: ServerResponse) => res.writeHead(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }).end('{"message":"API rate limit exceeded"}')])));
    const r = await refreshStars({ db: store.db, around: testConfig({ GITHUB_STARS: 'on', GITHUB_API_URL: rl.url }).around, log: silentLogger, now: () => later, retryBaseMs: 5 });
    expect(r.rateLimitedUntil).toBe(new Date(reset * 1000).toISOString());
    expect(rl.hits).toHaveLength(1);
    const again = await refreshStars({ db: store.db, around: testConfig({ GITHUB_STARS: 'on', GITHUB_API_URL: rl.url }).around, log: silentLogger, now: () => later, retryBaseMs: 5 });
    expect(again.rateLimitedUntil).toBeDefined();
    expect(rl.hits).toHaveLength(1);
    await rl.close();
    // Stars already known stay shown.
    const rows = await store.db.selectFrom('code_repo').select(['url', 'stars']).where('status', '=', 'ok').execute();
    expect(rows.length).toBeGreaterThan(0);
  });

  it('filters the listing to papers with code and orders them by stars', async () => {
    const order = async (q: string) => [...(await (await fetch(`${t.url}/?date=2026-06-30${q}`)).text()).matchAll(/<h2 class="card-title"><a href="\/papers\/([\d.]+)"/g)].map((m) => m[1]);
    expect(await order('')).toEqual(['2606.00405', '2606.00401', '2606.00403', '2606.00404', '2606.00402']);
    expect(await order('&code=any')).toEqual(['2606.00401', '2606.00403', '2606.00404', '2606.00402']);
    // 00401's own repository is its first link (beta/two, 56), not the 1,234-star one it also cites.
    expect(await order('&code=stars')).toEqual(['2606.00402', '2606.00401', '2606.00404', '2606.00403']);
    const bad = await fetch(`${t.url}/?date=2026-06-30&code=lots`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('code must be any');
    const home = await (await fetch(`${t.url}/?date=2026-06-30&code=stars`)).text();
    expect(home).toContain('<option value="stars" selected>Has code, most stars</option>');
    expect(home).toContain('title="1,234 stars on GitHub">★ 1.2k</span>');
  });

  it('puts githubRepo and githubStars in the HF-shaped API', async () => {
    const items = (await (await fetch(`${t.url}/api/daily_papers?date=2026-06-30`)).json()) as any[];
    const many = items.find((i) => i.paper.id === '2606.00402');
    expect(many.paper).toMatchObject({ githubRepo: 'https://github.com/alpha/one', githubStars: 1234 });
    expect(many.paperboy.githubPushedAt).toBe('2026-06-01T10:00:00Z');
    expect(items.find((i) => i.paper.id === '2606.00403').paper.githubStars).toBeUndefined();
  });
});

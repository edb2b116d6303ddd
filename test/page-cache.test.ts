import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/db.ts';
import { createSession, ensureUser } from '../src/accounts/index.ts';
import { pinPaper, setPaperHidden } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { pageCacheStats } from '../src/http/index.ts';
import { budgetFor } from '../src/lib/memory-budget.ts';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { Browser, voteCount } from './community-helpers.ts';

const CURATOR = { id: null, label: 'test' };
describe.each(testDialects())('rendered pages kept until their data changes, on %s', (dialect) => {
  let store: TestStore;
  let other: Store;
  let a: TestApp;
  let b: TestApp;
  let ip = 1;
  const clock = () => new Date();

  /** A signed-in browser on app `t`, with a session made the way sign-in makes one. */
  const signedIn = async (t: TestApp, email: string) => {
    const user = await ensureUser(store.db, email, new Date());
    const browser = new Browser(t.url, `10.9.0.${ip++}`);
    browser.cookies.set('pb_session', await createSession(store.db, user.id, 30, new Date()));
    return { browser, user };
  };
  const get = (t: TestApp, path: string, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { headers, redirect: 'manual' });
  const text = async (t: TestApp, path: string) => (await get(t, path)).text();

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2606.30001', title: 'Cached One', announcedOn: '2026-06-30', categories: ['cs.CL'] });
    await createPaper(store, { arxivId: '2606.30002', title: 'Cached Two', announcedOn: '2026-06-30', categories: ['cs.CL'] });
    await createPaper(store, { arxivId: '2606.30003', title: 'Cached Three', announcedOn: '2026-06-29', categories: ['cs.LG'] });
    a = await startTestApp(store, { now: clock });
    // A second app on its own connection to the same database stands in for another process.
    other = await openStore(store.config);
    b = await startTestApp({ ...store, ...other }, { now: clock });
  });
  afterAll(async () => {
    await b.close();
    await other.close();
    await a.close();
    await store.cleanup();
  });

  it('serves a repeated anonymous page from memory, with one ETag, 304s and shared-cache headers', async () => {
    const first = await get(a, '/?date=2026-06-30');
    const body = await first.text();
    expect(first.status).toBe(200);
    expect(first.headers.getSetCookie()).toEqual([]);
    expect(body).not.toContain('name="_csrf"');
    const before = pageCacheStats(a.app)!;
    const second = await get(a, '/?date=2026-06-30');
    expect(await second.text()).toBe(body);
    expect(pageCacheStats(a.app)!.hits).toBe(before.hits! + 1);
    const etag = second.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get('etag')).toBe(etag);
    expect(second.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=1, stale-while-revalidate=30');
    expect(second.headers.get('vary')).toContain('cookie');
    expect(second.headers.get('content-security-policy')).toContain("default-src 'self'");
    const revalidated = await get(a, '/?date=2026-06-30', { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    // Compressed once per entry, and the same bytes when decompressed.
    const br = await get(a, '/?date=2026-06-30', { 'accept-encoding': 'br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(await br.text()).toBe(body);
    const stats = pageCacheStats(a.app)!;
    expect(stats.entries).toBeGreaterThan(0);
    expect(stats.bytes).toBeGreaterThan(body.length);
    expect(stats.bytes).toBeLessThanOrEqual(stats.maxBytes);
    // /status reports each cache against its share of the budget (summed over this test process's apps).
    expect(stats.maxBytes).toBe(budgetFor('rendered pages'));
    const status = await text(a, '/status');
    const row = /<li data-cache="rendered pages" data-thread="main" data-bytes="(\d+)" data-entries="(\d+)" data-max-bytes="(\d+)">/.exec(status);
    expect(Number(row?.[1])).toBeGreaterThanOrEqual(stats.bytes);
    expect(Number(row?.[2])).toBeGreaterThanOrEqual(stats.entries);
    expect(Number(row?.[3]) % stats.maxBytes).toBe(0);
    const results = Number(/<li data-cache="search results" data-thread="main" data-bytes="\d+" data-entries="\d+" data-max-bytes="(\d+)">/.exec(status)?.[1]);
    expect(results).toBeGreaterThan(0);
    expect(results % budgetFor('search results')).toBe(0);
    expect(Number(/data-rss="(\d+)"/.exec(status)?.[1])).toBeGreaterThan(stats.bytes);
  });

  it('sends the reader who renders a page and the readers after it the same compressed bytes, made once', async () => {
    /** The bytes as they came off the socket (fetch would decompress them). */
    const raw = (path: string, encoding: string) => new Promise<{ headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) => {
      request(`${a.url}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
      }).on('error', reject).end();
    });
    for (const path of ['/api/daily_papers?date=2026-06-30&limit=7', '/feeds/category/cs.CL.json', '/categories/cs.LG?date=2026-06-28']) {
      const misses = pageCacheStats(a.app)!.misses;
      const rendered = await raw(path, 'br');
      expect(pageCacheStats(a.app)!.misses, path).toBe(misses! + 1);
      const plain = await (await get(a, path, { 'accept-encoding': 'identity' })).text();
      for (const [encoding, decompress] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
        const first = encoding === 'br' ? rendered : await raw(path, encoding);
        const second = await raw(path, encoding);
        expect(first.headers['content-encoding'], path).toBe(encoding);
        expect(decompress(first.bytes).toString(), path).toBe(plain);
        expect(second.bytes.equals(first.bytes), path).toBe(true);
        expect(second.headers['etag']).toBe(first.headers['etag']);
        expect(Number(second.headers['content-length'])).toBe(second.bytes.length);
      }
      expect(pageCacheStats(a.app)!.misses, path).toBe(misses! + 1);
    }
  });

  it('keys on the normalized request and leaves unknown parameters out', async () => {
    const one = await text(a, '/?date=2026-06-30&category=cs.CL');
    const hits = pageCacheStats(a.app)!.hits;
    expect(await text(a, '/?category=cs.CL&date=2026-06-30')).toBe(one);
    expect(pageCacheStats(a.app)!.hits).toBe(hits! + 1);
    const entries = pageCacheStats(a.app)!.entries;
    for (let i = 0; i < 3; i++) expect((await get(a, `/?date=2026-06-30&junk=${i}`)).status).toBe(200);
    expect(pageCacheStats(a.app)!.entries).toBe(entries);
  });

  it('shows a vote on the process that took it within a second and on another within two', async () => {
    const paths = ['/?date=2026-06-30', '/?week=2026-W27', '/?month=2026-06', '/?view=hot', '/categories/cs.CL?date=2026-06-30', '/papers/2606.30002'];
    for (const path of paths) expect(voteCount(await text(b, path), '2606.30002')).toBe(0);
    for (const path of paths) expect(voteCount(await text(a, path), '2606.30002')).toBe(0);
    const api = async (t: TestApp) => ((await (await get(t, '/api/daily_papers?date=2026-06-30')).json()) as Array<{ paper: { id: string; upvotes: number } }>).find((p) => p.paper.id === '2606.30002')!.paper.upvotes;
    expect(await api(b)).toBe(0);

    const { browser } = await signedIn(a, 'voter@example.org');
    const page = await browser.get('/?date=2026-06-30');
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    expect((await browser.post('/votes', { _csrf: csrf, paper: '2606.30002', vote: '1', next: '/' })).status).toBe(303);

    for (const path of paths) await expect.poll(async () => voteCount(await text(a, path), '2606.30002'), { timeout: 1_000, interval: 50 }).toBe(1);
    for (const path of paths) await expect.poll(async () => voteCount(await text(b, path), '2606.30002'), { timeout: 2_000, interval: 50 }).toBe(1);
    await expect.poll(() => api(b), { timeout: 2_000, interval: 50 }).toBe(1);
    // The voter's own page says it is theirs; no anonymous page does, before or after.
    expect((await browser.get('/?date=2026-06-30')).body).toMatch(/data-vote="2606\.30002"[\s\S]*?aria-pressed="true"/);
    expect(await text(a, '/?date=2026-06-30')).not.toContain('aria-pressed="true"');
  });

  it('keeps the pages a vote does not reach: another paper\'s page and JSON, another day\'s listing', async () => {
    // The cs.LG lists of the voted paper's own day too: it is not a cs.LG paper.
    const unrelated = ['/papers/2606.30003', '/api/papers/2606.30003', '/?date=2026-06-29', '/categories/cs.LG?date=2026-06-29', '/categories/cs.LG?date=2026-06-30', '/?date=2026-06-30&category=cs.LG'];
    for (const t of [a, b]) for (const path of [...unrelated, '/papers/2606.30001']) await text(t, path);
    const { browser } = await signedIn(a, 'neighbour@example.org');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/account')).body)![1]!;
    expect((await browser.post('/votes', { _csrf: csrf, paper: '2606.30001', vote: '1', next: '/' })).status).toBe(303);
    for (const t of [a, b]) {
      // Once the voted paper's page shows the vote, this process has applied the change.
      await expect.poll(async () => voteCount(await text(t, '/papers/2606.30001'), '2606.30001'), { timeout: 2_000, interval: 50 }).toBe(1);
      const before = pageCacheStats(t.app)!;
      for (const path of unrelated) expect((await get(t, path)).status).toBe(200);
      const after = pageCacheStats(t.app)!;
      expect(after.misses).toBe(before.misses);
      expect(after.hits).toBe(before.hits! + unrelated.length);
    }
  });

  it('renders a page a vote reached once for a burst of readers, and the next reader sees the vote', async () => {
    const path = '/?date=2026-06-29';
    expect(voteCount(await text(a, path), '2606.30003')).toBe(0);
    const { browser } = await signedIn(a, 'burst@example.org');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/account')).body)![1]!;
    expect((await browser.post('/votes', { _csrf: csrf, paper: '2606.30003', vote: '1', next: '/' })).status).toBe(303);
    const before = pageCacheStats(a.app)!;
    const burst = await Promise.all(Array.from({ length: 16 }, () => text(a, path)));
    expect(pageCacheStats(a.app)!.misses).toBe(before.misses! + 1);
    expect(burst.every((body) => { const n = voteCount(body, '2606.30003'); return n === 0 || n === 1; })).toBe(true);
    await expect.poll(async () => voteCount(await text(a, path), '2606.30003'), { timeout: 1_000, interval: 50 }).toBe(1);
  });

  it('shows a new paper, a hidden paper and a pin within a second on the process that wrote it and two on another', async () => {
    // Writes through store.db are app a's own; app b is another process.
    const soon = async (path: string, needle: string, shown: boolean) => {
      await expect.poll(async () => (await text(a, path)).includes(needle), { timeout: 1_000, interval: 50 }).toBe(shown);
      await expect.poll(async () => (await text(b, path)).includes(needle), { timeout: 2_000, interval: 50 }).toBe(shown);
    };
    for (const t of [a, b]) expect(await text(t, '/?date=2026-06-30')).not.toContain('Cached Four');
    for (const t of [a, b]) expect(await text(t, '/feeds/daily.rss')).not.toContain('Cached Four');
    await createPaper(store, { arxivId: '2606.30004', title: 'Cached Four', announcedOn: '2026-06-30', categories: ['cs.CL'] });
    await soon('/?date=2026-06-30', 'Cached Four', true);
    await soon('/feeds/daily.rss', 'Cached Four', true);

    const one = (await findPaperByArxivId(store.db, '2606.30001'))!;
    for (const t of [a, b]) expect(await text(t, '/?week=2026-W27')).toContain('Cached One');
    for (const t of [a, b]) expect(await text(t, '/papers/2606.30002')).toContain('Cached One');
    await setPaperHidden(store.db, CURATOR, one, true, 'test', new Date());
    await soon('/?week=2026-W27', 'Cached One', false);
    // A hidden paper leaves the similar papers of the pages that listed it.
    await soon('/papers/2606.30002', 'Cached One', false);

    const three = (await findPaperByArxivId(store.db, '2606.30003'))!;
    for (const t of [a, b]) expect(await text(t, '/?date=2026-06-30')).not.toContain('Cached Three');
    await pinPaper(store.db, CURATOR, three, '2026-06-30', 'test', new Date());
    await soon('/?date=2026-06-30', 'Cached Three', true);
  });

  it('never stores or shares a signed-in page', async () => {
    const { browser } = await signedIn(b, 'reader@example.org');
    const before = pageCacheStats(b.app)!;
    const mine = await browser.get('/papers/2606.30002');
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    expect(mine.body).toContain('name="_csrf"');
    expect(pageCacheStats(b.app)!.entries).toBeLessThanOrEqual(before.entries);
    const anonymous = await get(b, '/papers/2606.30002');
    expect(anonymous.headers.getSetCookie()).toEqual([]);
    const body = await anonymous.text();
    expect(body).not.toContain('name="_csrf"');
    expect(body).toContain('action="/signin"');
    // A bearer token on the API is answered afresh and kept private.
    const api = await get(b, '/api/daily_papers?date=2026-06-30', { authorization: 'Bearer pb_nothing' });
    expect(api.headers.get('cache-control')).toBe('private, no-store');
  });
});

// One client cannot starve the others through search: a per-IP limit shared by the page, the API and the feed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHARGES_MAX, SearchCharges } from '../src/http/limits.ts';
import { writesThrough } from '../src/store/db.ts';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

describe.each(testDialects())('search limits on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  beforeAll(async () => {
    store = await createTestStore(dialect, { SEARCH_LIMIT_PER_MINUTE: '3' });
    await createPaper(store, { title: 'Attention over graphs', abstract: 'Graph attention networks for molecules.' });
    // One fixed instant: the limit counts per minute, and a slow run must not cross into the next.
    t = await startTestApp(store, { now: () => new Date('2026-06-30T12:00:10Z') });
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  const get = (path: string, ip: string) => fetch(`${t.url}${path}`, { headers: { 'x-forwarded-for': ip } });

  it('answers 429 with Retry-After once a client has used its searches, counting page, API and feed together', async () => {
    expect((await get('/search?q=graph', '10.5.0.1')).status).toBe(200);
    expect((await get('/api/papers/search?q=attention', '10.5.0.1')).status).toBe(200);
    expect((await get('/feeds/search.rss?q=molecules', '10.5.0.1')).status).toBe(200);
    const over = await get('/api/papers/search?q=networks', '10.5.0.1');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as any).error.code).toBe('rate_limited');
    expect((await get('/search?q=graphs', '10.5.0.1')).status).toBe(429);
    // A search the result cache answers runs nothing and is not counted.
    expect((await get('/search?q=graph', '10.5.0.1')).status).toBe(200);
    // Another client, and pages that are not searches, are untouched.
    expect((await get('/api/papers/search?q=networks', '10.5.0.2')).status).toBe(200);
    expect((await get('/', '10.5.0.1')).status).toBe(200);
  });

  it('refuses a client it saw over its limit before starting another search, counting nothing more', async () => {
    const hits = async () => Number((await store.db.selectFrom('rate_limit').select((eb) => eb.fn.sum<number>('hits').as('n')).executeTakeFirst())?.n ?? 0);
    for (const q of ['graph attention', 'attention molecules', 'graph molecules']) expect((await get(`/api/papers/search?q=${q}`, '10.5.0.4')).status).toBe(200);
    expect((await get('/api/papers/search?q=over', '10.5.0.4')).status).toBe(429);
    const counted = await hits();
    for (const q of ['graph networks', 'attention networks']) {
      const refused = await get(`/api/papers/search?q=${encodeURIComponent(q)}`, '10.5.0.4');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(await hits()).toBe(counted);
  });

  it('answers a query of 64 common words sorted by upvotes, from a bounded set of candidates', async () => {
    const words = 'the model learning data network using results method based approach neural training performance show propose paper problem deep large time models two new methods analysis also system which information used different task language tasks framework algorithm study state image function can graph via one high first set existing present these quantum such well efficient work optimization attention molecules networks over for'.split(' ');
    const res = await get(`/api/papers/search?sort=upvotes&limit=100&q=${encodeURIComponent(words.join(' '))}`, '10.5.0.3');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Array<{ id: string }>; matched: string };
    expect(body.matched).toBe('any');
    expect(body.results).toHaveLength(1);
  });
});

// Searches are counted in memory and reach the store in one write a second (or at every quarter of
// the limit): a write per search emptied the search threads' SQLite page caches.
describe.each(testDialects())('search charges on %s', (dialect) => {
  let store: TestStore;
  const opened: TestApp[] = [];
  const at = () => new Date('2026-06-30T12:00:10Z');
  beforeAll(async () => {
    store = await createTestStore(dialect, { SEARCH_LIMIT_PER_MINUTE: '1000' });
    await createPaper(store, { title: 'Attention over graphs', abstract: 'Graph attention networks for molecules and proteins.' });
  });
  // Closing an app stores what it counted: a test's counts are all in the store before the next one.
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close();
  });
  afterAll(async () => {
    await store.cleanup();
  });
  const open = async (limit: string) => {
    const t = await startTestApp(store, { now: at, config: { ...store.config, searchLimitPerMinute: Number(limit) } });
    opened.push(t);
    return t;
  };
  const stored = async (): Promise<number> =>
    Number((await store.db.selectFrom('rate_limit').select((eb) => eb.fn.sum<number>('hits').as('n')).where('bucket', 'like', 'search-ip:%').executeTakeFirst())?.n ?? 0);
  // Every query once in this file: the result cache (shared by apps on one store) answers a repeat uncounted.
  let n = 0;
  const fresh = (count: number) => Array.from({ length: count }, () => `graph attention w${++n}`);
  const search = (t: TestApp, q: string, ip: string) => fetch(`${t.url}/api/papers/search?q=${encodeURIComponent(q)}`, { headers: { 'x-forwarded-for': ip } });

  it('stores a burst of searches in one write within a second, not one write per search', async () => {
    const t = await open('1000');
    const before = await stored();
    const writes = writesThrough(store.db);
    const words = fresh(10);
    for (const q of words) expect((await search(t, q, '10.6.0.1')).status).toBe(200);
    // A flush may fall inside the burst; a write per search would be ten.
    expect(writesThrough(store.db) - writes).toBeLessThanOrEqual(2);
    await expect.poll(stored, { timeout: 5000 }).toBe(before + words.length);
  });

  it('shares the limit between apps on one store once each has stored its count', async () => {
    // Limit 8: each app stores a client's count at every second search (a quarter of the limit).
    const a = await open('8');
    const b = await open('8');
    for (const q of fresh(6)) expect((await search(a, q, '10.6.0.2')).status).toBe(200);
    // b learns a's six when it stores its own two: eight, the limit.
    for (const q of fresh(2)) expect((await search(b, q, '10.6.0.2')).status).toBe(200);
    const over = await search(b, fresh(1)[0]!, '10.6.0.2');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBe(50);
    // Another client is not affected.
    expect((await search(b, fresh(1)[0]!, '10.6.0.3')).status).toBe(200);
  });

  it('keeps at most CHARGES_MAX clients in memory, storing every search', async () => {
    const t = await open('1000000');
    const before = await stored();
    const charges = new SearchCharges(t.deps);
    const now = at().getTime();
    const clients = CHARGES_MAX + 50;
    for (let i = 0; i < clients; i++) await charges.charge(`10.7.${i >> 8}.${i & 255}`, now);
    expect(charges.size).toBeLessThanOrEqual(CHARGES_MAX);
    await charges.close();
    expect(await stored()).toBe(before + clients);
  });

  it('stores what it counted when the app closes', async () => {
    const t = await open('1000');
    const before = await stored();
    for (const q of fresh(2)) expect((await search(t, q, '10.6.0.4')).status).toBe(200);
    opened.splice(opened.indexOf(t), 1);
    await t.close();
    expect(await stored()).toBe(before + 2);
  });
});

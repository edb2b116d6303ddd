import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, testDialects, startTestApp, type TestApp, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { Browser, signInByEmail } from './community-helpers.ts';
import { ensureUser } from '../src/accounts/index.ts';
import { submitPaper } from '../src/community/index.ts';
import { silentLogger } from '../src/log.ts';

const FIXTURE = readFileSync(join(import.meta.dirname, 'fixtures', 'arxiv-api-query.xml'), 'utf8');
const EMPTY_FEED = `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title><opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:totalResults></feed>`;

/** A loopback stand-in for export.arxiv.org/api/query that answers from the recorded fixture. */
async function startArxiv(): Promise<{ url: string; hits: string[]; down: boolean; server: Server }> {
  const state = { url: '', hits: [] as string[], down: false, server: undefined as unknown as Server };
  state.server = createServer((req, res) => {
    const ids = new URL(req.url!, 'http://x').searchParams.get('id_list') ?? '';
    state.hits.push(ids);
    if (state.down) return void res.writeHead(503).end('busy');
    const known = ['2503.01234', '2502.00001', 'hep-th/9901001'].includes(ids);
    res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(known ? FIXTURE : EMPTY_FEED);
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/api/query`;
  return state;
}

describe.each(testDialects())('submitting papers on %s', (dialect) => {
  let smtp: TestSmtp;
  let arxiv: Awaited<ReturnType<typeof startArxiv>>;
  let store: TestStore;
  let t: TestApp;
  let ip = 1;
  const clock = new Date('2026-07-02T09:00:00Z');
  const counts = async () => ({
    papers: Number((await store.db.selectFrom('paper').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    submissions: Number((await store.db.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  });
  const member = async (email: string) => {
    const b = new Browser(t.url, `10.2.0.${ip++}`);
    await signInByEmail(b, smtp, email);
    return b;
  };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    arxiv = await startArxiv();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url, ARXIV_API_URL: arxiv.url, SUBMIT_DAILY_LIMIT: '2' });
    await createPaper(store, { arxivId: '2606.40001', title: 'Already harvested', announcedOn: '2026-06-20' });
    t = await startTestApp(store, { now: () => clock });
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await smtp.close();
    arxiv.server.close();
  });

  it('fetches a paper submitted by URL and lists it today with "submitted by"', async () => {
    const b = await member('sub@example.org');
    await b.submit('/account/name', { display_name: 'Marie' });
    const res = await b.submit('/submit', { paper: 'https://arxiv.org/abs/2503.01234v2' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/papers/2503.01234?submitted=1');
    expect(arxiv.hits).toContain('2503.01234');
    const page = await b.get(res.location!);
    expect(page.body).toContain('Thanks! The paper is on <a href="/?date=2026-07-02">the list of Thursday, 2 July 2026</a>');
    expect(page.body).toContain('submitted by Marie');
    const home = await b.get('/');
    expect(home.body).toContain('Thursday, 2 July 2026');
    expect(home.body).toContain('href="/papers/2503.01234"');
    expect(home.body).toMatch(/submitted by <a class="person" href="\/users\/[\w-]+"><svg class="avatar"[^]*?<\/svg>Marie<\/a>/);
    // The API and the daily feed answer the same latest day as the home page.
    const api = (await (await fetch(`${t.url}/api/daily_papers`)).json()) as Array<{ paper: { id: string } }>;
    expect(api.map((p) => p.paper.id)).toContain('2503.01234');
    expect(await (await fetch(`${t.url}/feeds/daily.rss`)).text()).toContain('2503.01234');
  });

  it('refuses a duplicate politely with a link to the existing page', async () => {
    const b = await member('dup@example.org');
    const res = await b.submit('/submit', { paper: 'arXiv:2503.01234' });
    expect(res.status).toBe(409);
    expect(res.body).toContain('href="/papers/2503.01234"');
    expect(res.body).toContain('Marie submitted it on 2026-07-02');
  });

  it('takes metadata from the store without calling arXiv', async () => {
    const b = await member('store@example.org');
    const before = arxiv.hits.length;
    const res = await b.submit('/submit', { paper: '2606.40001' });
    expect(res.status).toBe(303);
    expect(arxiv.hits.length).toBe(before);
    expect((await b.get('/')).body).toContain('Already harvested');
  });

  it('says plainly when arXiv is unreachable and stores nothing', async () => {
    const b = await member('offline@example.org');
    const before = await counts();
    arxiv.down = true;
    const busy = await b.submit('/submit', { paper: 'hep-th/9901001' });
    arxiv.down = false;
    expect(busy.status).toBe(503);
    expect(busy.body).toContain('arXiv could not be reached just now, so nothing was saved');
    expect(await counts()).toEqual(before);

    const closed = await startTestApp(store, { now: () => clock, config: { ...store.config, arxivApiUrl: 'http://127.0.0.1:1/api/query' } });
    try {
      const c = new Browser(closed.url, '10.2.9.9');
      c.cookies.set('pb_session', b.cookies.get('pb_session')!);
      const res = await c.submit('/submit', { paper: 'hep-th/9901001' });
      expect(res.status).toBe(503);
      expect(await counts()).toEqual(before);
    } finally {
      await closed.close();
    }
  });

  it('tells the user when arXiv has no such paper, and names the field for bad input', async () => {
    const b = await member('typo@example.org');
    const missing = await b.submit('/submit', { paper: '2501.99999' });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('arXiv has no paper 2501.99999');
    const bad = await b.submit('/submit', { paper: 'not a paper' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('paper: that is not an arXiv id');
  });

  it('enforces the daily limit per user', async () => {
    await createPaper(store, { arxivId: '2606.40002', announcedOn: '2026-06-20' });
    await createPaper(store, { arxivId: '2606.40003', announcedOn: '2026-06-20' });
    const b = await member('busy@example.org');
    expect((await b.submit('/submit', { paper: '2606.40002' })).status).toBe(303);
    expect((await b.submit('/submit', { paper: '2606.40003' })).status).toBe(303);
    const before = arxiv.hits.length;
    const third = await b.submit('/submit', { paper: 'hep-th/9901001' });
    expect(third.status).toBe(429);
    expect(third.body).toContain('daily limit');
    expect(arxiv.hits.length).toBe(before);
  });

  it('accepts one of two people submitting the same paper at once', async () => {
    await createPaper(store, { arxivId: '2606.40009', announcedOn: '2026-06-20' });
    const a = await member('race1@example.org');
    const b = await member('race2@example.org');
    const [ca, cb] = await Promise.all([a.csrf(), b.csrf()]);
    const results = await Promise.all([a.post('/submit', { _csrf: ca, paper: '2606.40009' }), b.post('/submit', { _csrf: cb, paper: '2606.40009' })]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
  });

  it('keeps to the daily limit when one person submits several papers at once', async () => {
    const ids = ['2606.40011', '2606.40012', '2606.40013', '2606.40014', '2606.40015', '2606.40016', '2606.40017', '2606.40018'];
    for (const id of ids) await createPaper(store, { arxivId: id, announcedOn: '2026-06-20' });
    const user = await ensureUser(store.db, 'eager@example.org', clock);
    const deps = { db: store.db, config: store.config, log: silentLogger, fetchPapers: () => Promise.reject(new Error('stored papers need no fetch')) };
    const outcomes = await Promise.all(ids.map((id) => submitPaper(deps, user, id, clock)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'limit')).toHaveLength(ids.length - 2);
  });

  it('asks a signed-out visitor to sign in first', async () => {
    const res = await new Browser(t.url, '10.2.8.8').get('/submit');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/signin?next=%2Fsubmit');
  });
});

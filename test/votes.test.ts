import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, testDialects, startTestApp, type TestApp, type TestStore } from './helpers.ts';
import { openStore } from '../src/store/db.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { Browser, csrfOf, signInByEmail } from './community-helpers.ts';

describe.each(testDialects())('upvotes over HTTP on %s', (dialect) => {
  let smtp: TestSmtp;
  let store: TestStore;
  let t: TestApp;
  let ip = 1;
  const clock = new Date('2026-06-30T12:00:00Z');
  const browser = () => new Browser(t.url, `10.1.0.${ip++}`);
  const votesOn = async (arxivId: string) => {
    const row = await store.db
      .selectFrom('vote')
      .innerJoin('paper', 'paper.id', 'vote.paper_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('paper.arxiv_id', '=', arxivId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url, WRITE_LIMIT_PER_MINUTE: '40' });
    await createPaper(store, { arxivId: '2606.20001', title: 'Paper One', announcedOn: '2026-06-30', hfUpvotes: 3 });
    await createPaper(store, { arxivId: '2606.20002', title: 'Paper Two', announcedOn: '2026-06-30' });
    await createPaper(store, { arxivId: '2606.20003', title: 'Paper Three', announcedOn: '2026-06-30' });
    t = await startTestApp(store, { now: () => clock });
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await smtp.close();
  });

  it('leaves exactly one vote after parallel requests, and none after parallel removals', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'racer@example.org');
    const csrf = await b.csrf();
    const json = { accept: 'application/json' };
    const ups = await Promise.all(Array.from({ length: 20 }, () => b.post('/votes', { _csrf: csrf, paper: '2606.20001', vote: '1' }, json)));
    expect(ups.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await votesOn('2606.20001')).toBe(1);
    expect(JSON.parse(ups[19]!.body)).toEqual({ paper: '2606.20001', voted: true, votes: 1 });
    const downs = await Promise.all(Array.from({ length: 10 }, () => b.post('/votes', { _csrf: csrf, paper: '2606.20001', vote: '0' }, json)));
    expect(downs.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await votesOn('2606.20001')).toBe(0);
  });

  it('leaves exactly one vote when parallel requests reach two app processes with their own pools', async () => {
    const second = await openStore(store.config);
    const t2 = await startTestApp({ ...store, db: second.db }, { now: () => clock });
    try {
      const b = browser();
      await signInByEmail(b, smtp, 'two-apps@example.org');
      const csrf = await b.csrf();
      const ups = await Promise.all(
        Array.from({ length: 20 }, (_, i) => b.post(`${(i % 2 === 0 ? t : t2).url}/votes`, { _csrf: csrf, paper: '2606.20003', vote: '1' }, { accept: 'application/json' })),
      );
      expect(ups.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(await votesOn('2606.20003')).toBe(1);
      await b.post('/votes', { _csrf: csrf, paper: '2606.20003', vote: '0' }, { accept: 'application/json' });
      expect(await votesOn('2606.20003')).toBe(0);
    } finally {
      await t2.close();
      await second.close();
    }
  });

  it('toggles with a plain form and shows the count on cards, the paper page and the JSON', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'plain@example.org');
    const home = await b.get('/?date=2026-06-30');
    expect(home.body).toContain('data-vote="2606.20002"');
    const voted = await b.post('/votes', { _csrf: csrfOf(home.body), paper: '2606.20002', vote: '1', next: '/?date=2026-06-30' });
    expect(voted.status).toBe(303);
    expect(voted.location).toBe('/?date=2026-06-30');
    const after = await b.get('/?date=2026-06-30');
    const form = /<form class="vote"[^]*?data-vote="2606.20002">[^]*?<\/form>/.exec(after.body)![0];
    expect(form).toContain('name="vote" value="0"');
    expect(form).toContain('aria-pressed="true"');
    expect(form).toContain('<span class="vote-count">1</span>');
    // Voted paper ranks first on the day.
    expect(after.body.indexOf('Paper Two')).toBeLessThan(after.body.indexOf('Paper Three'));

    const page = await b.get('/papers/2606.20002');
    expect(page.body).toContain('<span class="vote-count">1</span>');
    const api = (await (await fetch(`${t.url}/api/papers/2606.20001`)).json()) as any;
    expect(api.upvotes).toMatchObject({ local: 0, hf: 3 });
    expect(((await (await fetch(`${t.url}/api/papers/2606.20002`)).json()) as any).upvotes).toMatchObject({ local: 1, hf: 0 });

    await b.post('/votes', { _csrf: csrfOf(home.body), paper: '2606.20002', vote: '0' });
    expect(await votesOn('2606.20002')).toBe(0);
  });

  it('sends a signed-out click to sign in and completes the vote afterwards', async () => {
    const b = browser();
    const home = await b.get('/?date=2026-06-30');
    // Signed out, the vote control is a form to sign-in carrying the vote, with no CSRF token: the page is the same for everyone.
    expect(home.body).not.toContain('name="_csrf"');
    const form = new RegExp('<form class="vote" method="get" action="/signin" data-vote="2606\\.20003"[^>]*>\\s*<input type="hidden" name="next" value="([^"]+)"><input type="hidden" name="vote" value="2606\\.20003">').exec(home.body);
    expect(form?.[1]).toBe('/?date=2026-06-30');
    const target = `/signin?${new URLSearchParams({ next: form![1]!, vote: '2606.20003' })}`;
    expect(target).toBe('/signin?next=%2F%3Fdate%3D2026-06-30&vote=2606.20003');
    // A vote posted by a page from before (or by a script) still leads to sign-in.
    const csrf = await b.csrf();
    const click = await b.post('/votes', { _csrf: csrf, paper: '2606.20003', vote: '1', next: '/?date=2026-06-30' });
    expect(click.status).toBe(303);
    expect(click.location).toBe(target);
    const asJson = await b.post('/votes', { _csrf: csrf, paper: '2606.20003', vote: '1' }, { accept: 'application/json' });
    expect(asJson.status).toBe(401);
    expect(JSON.parse(asJson.body).signIn).toMatch(/^\/signin\?/);
    const signInPage = await b.get(target);
    expect(signInPage.body).toContain('Sign in to upvote <strong>Paper Three</strong>');
    const done = await signInByEmail(b, smtp, 'later@example.org', click.location!.slice('/signin'.length));
    expect(done.status).toBe(303);
    expect(done.location).toBe('/?date=2026-06-30');
    expect(await votesOn('2606.20003')).toBe(1);
  });

  it('rejects a vote without the CSRF token', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'forged@example.org');
    const res = await b.post('/votes', { paper: '2606.20002', vote: '1' });
    expect(res.status).toBe(403);
    expect(await votesOn('2606.20002')).toBe(0);
  });

  it('names the bad field', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'fields@example.org');
    const bad = await b.submit('/votes', { paper: 'nonsense', vote: '1' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('paper:');
    expect((await b.submit('/votes', { paper: '2606.20002', vote: 'toggle' })).body).toContain('vote:');
  });

  it('limits writes per account with a friendly 429', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'fast@example.org');
    const csrf = await b.csrf();
    const statuses: number[] = [];
    for (let i = 0; i < 42; i++) statuses.push((await b.post('/votes', { _csrf: csrf, paper: '2606.20003', vote: i % 2 ? '0' : '1' })).status);
    expect(statuses.slice(0, 40).every((s) => s === 303)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429]);
    const page = await b.post('/votes', { _csrf: csrf, paper: '2606.20003', vote: '1' });
    expect(page.body).toContain('Slow down a little');
  });
});

// Discussion, author pages and profiles over real HTTP, once per dialect: the comment API checked
// against the OpenAPI document, the forms behind the paper page, and the pages around people.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { Browser, signInByEmail } from './community-helpers.ts';
import { OpenApiChecker } from './openapi-check.ts';
import { createApiToken, findUserByEmail } from '../src/accounts/index.ts';
import { replyUnsubscribeUrl, findProfile } from '../src/people/index.ts';

describe.each(testDialects())('discussion over HTTP on %s', (dialect) => {
  let smtp: TestSmtp;
  let store: TestStore;
  let t: TestApp;
  let api: OpenApiChecker;
  let ip = 1;
  const browser = () => new Browser(t.url, `10.7.0.${ip++}`);
  const ARXIV = '2608.00001';

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url, COMMENT_LIMIT_PER_HOUR: '6' });
    await createPaper(store, { arxivId: ARXIV, title: 'A Lively Paper', authors: ['Ada Lovelace', 'Alan Turing'], announcedOn: '2026-08-03' });
    await createPaper(store, { arxivId: '2608.00002', title: 'Another by Ada', authors: ['Ada Lovelace', 'Charles Babbage'], categories: ['cs.LG'], announcedOn: '2026-08-04' });
    t = await startTestApp(store);
    api = new OpenApiChecker((await (await fetch(`${t.url}/api/openapi.json`)).json()) as Record<string, any>);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await smtp.close();
  });

  const call = async (method: string, path: string, opts: { token?: string; body?: unknown } = {}) => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), 'x-forwarded-for': '10.9.0.1' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    return { status: res.status, headers: res.headers, body: (await api.check(method, `${t.url}${path}`, res)) as any };
  };

  it('posts, replies, edits and deletes through the API, every answer as documented', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'api-ada@example.org');
    const user = (await findUserByEmail(store.db, 'api-ada@example.org'))!;
    const { token } = await createApiToken(store.db, user.id, 'test');

    expect((await call('POST', `/api/papers/${ARXIV}/comments`, { body: { body: 'hi' } })).status).toBe(401);
    const empty = await call('POST', `/api/papers/${ARXIV}/comments`, { token, body: { body: '   ' } });
    expect(empty).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^body: /) } } });
    const wrongType = await call('POST', `/api/papers/${ARXIV}/comments`, { token, body: { body: 5 } });
    expect(wrongType.body.error.message).toMatch(/^body: /);
    const big = await call('POST', `/api/papers/${ARXIV}/comments`, { token, body: { body: 'x'.repeat(100_000) } });
    expect(big).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^body: must be at most 10,000 characters/) } } });
    const badParent = await call('POST', `/api/papers/${ARXIV}/comments`, { token, body: { body: 'x', parent: 'one' } });
    expect(badParent.body.error.message).toMatch(/^parent: /);

    const hostile = '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> $\\frac{1}{2}$';
    const made = await call('POST', `/api/papers/${ARXIV}/comments`, { token, body: { body: hostile } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ parent: null, author: { name: 'reader ' + user.id }, body: hostile, state: 'visible', edited_at: null });
    expect(made.body.body_html).not.toMatch(/<script|<img|href="javascript/);
    expect(made.body.body_html).toContain('<math');
    const reply = await call('POST', `/api/papers/${ARXIV}/comments`, { token, body: { body: 'a reply', parent: made.body.id } });
    expect(reply.body.parent).toBe(made.body.id);

    const edited = await call('PATCH', `/api/comments/${made.body.id}`, { token, body: { body: 'calmer now' } });
    expect(edited).toMatchObject({ status: 200, body: { body: 'calmer now', body_html: '<p>calmer now</p>' } });
    expect(edited.body.edited_at).not.toBeNull();
    const listed = await call('GET', `/api/papers/${ARXIV}/comments`);
    expect(listed.body.comments.map((c: any) => c.body)).toEqual(['calmer now', 'a reply']);
    expect((await call('GET', `/api/papers/${ARXIV}/comments?order=sideways`)).body.error.message).toMatch(/^order: /);

    expect((await call('DELETE', `/api/comments/${made.body.id}`, { token })).status).toBe(204);
    const after = await call('GET', `/api/papers/${ARXIV}/comments`);
    expect(after.body.comments[0]).toMatchObject({ state: 'deleted', author: null, body: '' });
    const other = await createApiToken(store.db, (await findUserByEmail(store.db, 'api-ada@example.org'))!.id + 1000, 'ghost');
    expect((await call('DELETE', `/api/comments/${reply.body.id}`, { token: other.token })).status).toBe(401);

    const paper = await call('GET', `/api/papers/${ARXIV}`);
    expect(paper.body.numComments).toBe(1);
    const daily = await call('GET', '/api/daily_papers?date=2026-08-03');
    expect(daily.body.find((d: any) => d.paper.id === ARXIV).numComments).toBe(1);
    const found = await call('GET', '/api/papers/search?q=lively');
    expect(found.body.results.find((r: any) => r.id === ARXIV).numComments).toBe(1);
  });

  it('answers 429 past the comment limit, with Retry-After', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'chatty@example.org');
    const { token } = await createApiToken(store.db, (await findUserByEmail(store.db, 'chatty@example.org'))!.id, 'test');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call('POST', `/api/papers/${ARXIV}/comments`, { token, body: { body: `note ${i}` } })).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(6);
    const limited = await call('POST', `/api/papers/${ARXIV}/comments`, { token, body: { body: 'again' } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('comments through the page form, names the field on bad input, and shows the thread', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'form-user@example.org');
    const bad = await b.submit('/comments', { paper: ARXIV, body: '' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('body: cannot be empty');
    expect((await b.submit('/comments', { paper: 'nonsense', body: 'x' })).body).toContain('paper: expected an arXiv id');
    const ok = await b.submit('/comments', { paper: ARXIV, body: 'From the **form**' });
    expect(ok.status).toBe(303);
    expect(ok.location).toMatch(new RegExp(`^/papers/${ARXIV}#comment-\\d+$`));
    const page = await b.get(`/papers/${ARXIV}`);
    expect(page.body).toContain('<strong>form</strong>');
    expect(page.body).toMatch(/Discussion <span class="count">\d+<\/span>/);
    expect(page.body).toContain(`href="/authors/Ada%20Lovelace"`);
    expect((await b.post('/comments', { paper: ARXIV, body: 'no csrf' })).status).toBe(403);
    const anon = await browser().get(`/papers/${ARXIV}`);
    expect(anon.body).toContain('Sign in to comment');
    const listing = await browser().get('/?date=2026-08-03');
    expect(listing.body).toMatch(/class="comments-link"[^>]*>\d+ comments?</);
  });

  it('serves author pages, their feed and profiles; 404 for unknown names and handles', async () => {
    const author = await browser().get('/authors/Ada%20Lovelace');
    expect(author.status).toBe(200);
    expect(author.body.indexOf('Another by Ada')).toBeLessThan(author.body.indexOf('A Lively Paper'));
    expect(author.body).toContain('href="/authors/Charles%20Babbage"');
    expect(author.body).toContain('/feeds/author.atom?name=Ada+Lovelace');
    expect((await browser().get('/authors/Nobody%20Here')).status).toBe(404);
    expect((await browser().get('/authors/Ada%20Lovelace?page=zero')).body).toContain('page: expected a whole number');
    const feed = await fetch(`${t.url}/feeds/author.atom?name=Ada%20Lovelace`);
    expect(feed.headers.get('content-type')).toMatch(/atom/);
    expect(await feed.text()).toContain('Another by Ada');

    const b = browser();
    await signInByEmail(b, smtp, 'grace@example.org');
    const saved = await b.submit('/account/profile', { display_name: 'Grace H', handle: 'grace', notify_replies: '1' });
    expect(saved.status).toBe(303);
    const taken = await browser();
    await signInByEmail(taken, smtp, 'grace2@example.org');
    const clash = await taken.submit('/account/profile', { display_name: 'Other', handle: 'grace' });
    expect(clash.status).toBe(400);
    expect(clash.body).toContain('The handle &quot;grace&quot; is taken');
    const profile = await browser().get('/users/grace');
    expect(profile.status).toBe(200);
    expect(profile.body).toContain('Grace H');
    expect(profile.body).toMatch(/<svg class="avatar"/);
    expect((await browser().get('/users/nobody-here')).status).toBe(404);
  });

  it('honours the one-click unsubscribe from reply mail, and refuses forged tokens', async () => {
    const user = (await findUserByEmail(store.db, 'grace@example.org'))!;
    expect((await findProfile(store.db, user.id))!.notifyReplies).toBe(true);
    const url = replyUnsubscribeUrl(t.url, 'test-secret-0123456789', user);
    expect((await fetch(url)).status).toBe(200);
    expect((await findProfile(store.db, user.id))!.notifyReplies).toBe(true);
    const forged = await fetch(url.replace(/.{4}$/, 'AAAA'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(forged.status).toBe(404);
    const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(post.status).toBe(200);
    expect((await findProfile(store.db, user.id))!.notifyReplies).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testDialects, startTestApp, type TestApp, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { Browser, csrfOf, linkIn, signInByEmail } from './community-helpers.ts';
import { hitRateLimit } from '../src/accounts/index.ts';

describe.each(testDialects())('magic-link sign-in and sessions on %s', (dialect) => {
  let smtp: TestSmtp;
  let store: TestStore;
  let t: TestApp;
  let clock = new Date('2026-06-30T12:00:00Z');
  let ipCounter = 10;
  const browser = () => new Browser(t.url, `10.0.0.${ipCounter++}`);

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url, SIGNIN_LIMIT_PER_HOUR: '3' });
    t = await startTestApp(store, { now: () => clock });
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await smtp.close();
  });

  it('delivers a link by SMTP that signs in once, with a hashed token and an HttpOnly SameSite=Lax cookie', async () => {
    const b = browser();
    const done = await signInByEmail(b, smtp, 'Ada@Example.org');
    expect(done.status).toBe(303);
    expect(done.location).toBe('/account?welcome=1');
    const setCookie = done.headers.getSetCookie().find((c) => c.startsWith('pb_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);
    const mail = smtp.messages.at(-1)!;
    expect(mail.to).toEqual(['ada@example.org']);
    expect(mail.parsed.subject).toBe('Your paperboy sign-in link');
    const token = new URL(linkIn(mail.parsed.text!)).searchParams.get('token')!;

    // Only hashes are stored: neither the link token nor the cookie value appears in the database.
    const tokens = await store.db.selectFrom('login_token').selectAll().execute();
    expect(tokens.map((r) => r.token_hash)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(tokens.some((r) => r.token_hash === token)).toBe(false);
    const sessions = await store.db.selectFrom('user_session').select('token_hash').execute();
    expect(sessions.map((s) => s.token_hash)).toContain(createHash('sha256').update(b.cookies.get('pb_session')!).digest('hex'));

    const account = await b.get(done.location!);
    expect(account.status).toBe(200);
    expect(account.body).toContain('ada@example.org');
    expect(account.body).toContain('Welcome to paperboy');

    // The same link a second time: refused.
    const again = await new Browser(t.url).get(`/signin/verify?token=${token}`);
    expect(again.status).toBe(400);
    expect(again.body).toContain('no longer works');
  });

  it('refuses a link after 15 minutes', async () => {
    const b = browser();
    const form = await b.get('/signin');
    const before = smtp.messages.length;
    await b.post('/signin', { _csrf: csrfOf(form.body), email: 'late@example.org' });
    const link = linkIn((await smtp.waitFor(before + 1))[before]!.parsed.text!);
    const path = link.replace(/^https?:\/\/[^/]+/, '');
    clock = new Date(clock.getTime() + 14 * 60_000);
    const confirm = await b.get(path);
    expect(confirm.status).toBe(200);
    clock = new Date(clock.getTime() + 2 * 60_000);
    const token = new URL(link).searchParams.get('token')!;
    const late = await b.post('/signin/verify', { _csrf: csrfOf(confirm.body), token });
    expect(late.status).toBe(400);
    expect(b.cookies.has('pb_session')).toBe(false);
  });

  it('answers the same whether or not the address has an account', async () => {
    const known = browser();
    await signInByEmail(known, smtp, 'known@example.org');
    const ask = async (email: string) => {
      const b = browser();
      const form = await b.get('/signin');
      const res = await b.post('/signin', { _csrf: csrfOf(form.body), email });
      return { status: res.status, body: res.body.replaceAll(email, 'EMAIL') };
    };
    const a = await ask('known@example.org');
    const u = await ask('nobody@example.org');
    expect(a.status).toBe(200);
    expect(u).toEqual(a);
  });

  it('marks the cookie Secure behind https', async () => {
    const b = browser();
    const res = await signInByEmail(b, smtp, 'secure@example.org');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('pb_session='))).not.toMatch(/Secure/i);
    const s = new Browser(t.url, '10.9.9.9');
    const form = await s.get('/signin', { 'x-forwarded-proto': 'https' });
    const before = smtp.messages.length;
    await s.post('/signin', { _csrf: csrfOf(form.body), email: 'secure@example.org' }, { 'x-forwarded-proto': 'https' });
    const link = linkIn((await smtp.waitFor(before + 1))[before]!.parsed.text!);
    const confirm = await s.get(link.replace(/^https?:\/\/[^/]+/, ''), { 'x-forwarded-proto': 'https' });
    const token = new URL(link).searchParams.get('token')!;
    const done = await s.post('/signin/verify', { _csrf: csrfOf(confirm.body), token }, { 'x-forwarded-proto': 'https' });
    expect(done.headers.getSetCookie().find((c) => c.startsWith('pb_session='))).toMatch(/;\s*Secure/i);
  });

  it('signs out here, and everywhere', async () => {
    const laptop = browser();
    const phone = browser();
    await signInByEmail(laptop, smtp, 'two@example.org');
    await signInByEmail(phone, smtp, 'two@example.org');
    expect((await laptop.get('/account')).body).toContain('signed in on 2 devices');
    const out = await laptop.submit('/signout', {});
    expect(out.status).toBe(303);
    expect((await laptop.get('/account')).status).toBe(303);
    expect((await phone.get('/account')).status).toBe(200);

    await signInByEmail(laptop, smtp, 'two@example.org');
    const everywhere = await laptop.submit('/signout/everywhere', {});
    expect(everywhere.status).toBe(303);
    expect((await phone.get('/account')).location).toMatch(/^\/signin\?next=%2Faccount/);
    expect((await laptop.get('/account')).status).toBe(303);
  });

  it('sets a display name and names the field when it is bad', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'named@example.org');
    expect((await b.submit('/account/name', { display_name: '  Grace   Hopper ' })).status).toBe(303);
    const page = await b.get('/account');
    expect(page.body).toContain('value="Grace Hopper"');
    expect(page.body).toContain('>Grace Hopper</a>'); // header
    const bad = await b.submit('/account/name', { display_name: '   ' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('display_name');
  });

  it('rejects state-changing forms without the CSRF token', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'csrf@example.org');
    expect((await b.post('/signout', {})).status).toBe(403);
    expect((await b.post('/account/name', { display_name: 'x' })).status).toBe(403);
    expect((await b.post('/signin', { email: 'csrf@example.org' })).status).toBe(403);
    expect((await b.get('/account')).status).toBe(200); // still signed in
  });

  it('limits sign-in requests per IP and per address with a friendly 429 page', async () => {
    const b = browser();
    const form = await b.get('/signin');
    const csrf = csrfOf(form.body);
    for (let i = 0; i < 3; i++) expect((await b.post('/signin', { _csrf: csrf, email: `ip${i}@example.org` })).status).toBe(200);
    const limited = await b.post('/signin', { _csrf: csrf, email: 'ip9@example.org' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.body).toContain('Slow down a little');
    expect(limited.body).toMatch(/Please wait \d+ minutes/);

    // Per address: three different IPs asking for the same address.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const other = browser();
      const f = await other.get('/signin');
      statuses.push((await other.post('/signin', { _csrf: csrfOf(f.body), email: 'target@example.org' })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('creates, shows once, and revokes API tokens from the account page', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'scripter@example.org');
    const created = await b.submit('/account/tokens', { name: 'reading list' });
    expect(created.status).toBe(200);
    const token = /<code class="token">(pb_[\w-]+)<\/code>/.exec(created.body)![1]!;
    const me = await fetch(`${t.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const account = await b.get('/account');
    expect(account.body).toContain('reading list');
    expect(account.body).not.toContain(token);
    const id = /name="id" value="(\d+)"/.exec(account.body)![1]!;
    expect((await b.submit('/account/tokens/revoke', { id })).status).toBe(303);
    expect((await fetch(`${t.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await b.submit('/account/tokens', { name: ' ' })).body).toContain('name:');
  });

  it('ends a session after SESSION_DAYS', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'expiring@example.org');
    const start = clock;
    clock = new Date(start.getTime() + 29 * 86_400_000);
    expect((await b.get('/account')).status).toBe(200);
    clock = new Date(start.getTime() + 30 * 86_400_000 + 1000);
    expect((await b.get('/account')).status).toBe(303);
    clock = start;
  });

  it('lets exactly the limit through when many requests count against one key at once', async () => {
    const rule = { name: 'signin-email', limit: 3, windowMs: 3600_000 };
    const at = new Date('2026-06-30T15:00:00Z');
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(store.db, 'test-secret-0123456789', rule, 'parallel@example.org', at)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
  });

  it('refuses to sign in a suspended account', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'bad@example.org');
    await store.db.updateTable('user_account').set({ suspended_at: clock.toISOString(), suspended_reason: 'spam' }).where('email', '=', 'bad@example.org').execute();
    expect((await b.get('/account')).status).toBe(303); // the session no longer counts
    const again = await signInByEmail(browser(), smtp, 'bad@example.org');
    expect(again.status).toBe(403);
    expect(again.body).toContain('suspended');
  });
});

// Email digests end to end over a real SMTP server on loopback: opt-in, content, headers, unsubscribe, re-runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../src/mail/index.ts';
import { silentLogger } from '../src/log.ts';
import { periodContaining } from '../src/papers/index.ts';
import { requestSubscription, runDigest, sendPendingDigests, type Frequency } from '../src/digest/index.ts';
import { startTestSmtp, type ReceivedMail, type TestSmtp } from './smtp.ts';
import { createPaper, createTestStore, testDialects, startTestApp, type TestApp, type TestStore } from './helpers.ts';
import { Browser, csrfOf } from './community-helpers.ts';

const SECRET = 'test-secret-0123456789';

async function waitUntil(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(testDialects())('email digests on %s', (dialect) => {
  let store: TestStore;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url, MAIL_FROM: 'paperboy <digest@paperboy.test>' });
    mailer = createMailer(store.config, silentLogger, { maxConnections: 3 });
    t = await startTestApp(store, { mailer, secret: SECRET });
    await createPaper(store, { arxivId: '2606.00001', title: 'Parsing <b>bold</b> claims in language models', categories: ['cs.CL'], hfUpvotes: 50, announcedOn: '2026-06-30' });
    await createPaper(store, { arxivId: '2606.00002', title: 'A vision transformer for cats', categories: ['cs.CV'], hfUpvotes: 80, announcedOn: '2026-06-30' });
    await createPaper(store, { arxivId: '2606.00003', title: 'Retrieval for everyone', categories: ['cs.IR', 'cs.CL'], hfUpvotes: 10, announcedOn: '2026-06-30' });
    await createPaper(store, { arxivId: '2607.00004', title: 'Next day language paper', categories: ['cs.CL'], hfUpvotes: 5, announcedOn: '2026-07-01' });
  });
  afterAll(async () => {
    await t.close();
    await mailer.close();
    await smtp.close();
    await store.cleanup();
  });

  const api = (body: unknown) => fetch(`${t.url}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const run = (frequency: Frequency, day: string) =>
    runDigest(store.db, mailer, { frequency, period: periodContaining(frequency === 'daily' ? 'day' : 'week', day), secret: SECRET, baseUrl: store.config.baseUrl, mailFrom: store.config.mailFrom, log: silentLogger, concurrency: 3 });
  const mailsTo = (addr: string) => smtp.messages.filter((m) => m.to.includes(addr));
  const confirmLink = (m: ReceivedMail) => /http:\/\/paperboy\.test(\/digest\/confirm\?token=[\w-]+)/.exec(m.parsed.text ?? '')![1]!;
  /** Follows a confirmation link as a person does: the page, then its button. */
  async function confirmByLink(link: string) {
    const b = new Browser(t.url);
    const page = await b.get(link);
    if (page.status !== 200) return page;
    return b.post('/digest/confirm', { _csrf: csrfOf(page.body), token: new URL(link, t.url).searchParams.get('token')! });
  }
  async function subscribeAndConfirm(email: string, body: Record<string, unknown> = {}): Promise<void> {
    const before = mailsTo(email).length;
    expect((await api({ email, frequency: 'daily', ...body })).status).toBe(202);
    await waitUntil(() => mailsTo(email).length > before);
    const mail = mailsTo(email).at(-1)!;
    expect((await confirmByLink(confirmLink(mail))).status).toBe(200);
  }

  it('takes subscriptions as JSON only, so a cross-site form cannot trigger confirmation mail', async () => {
    const form = await fetch(`${t.url}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=victim%40example.org&frequency=daily' });
    expect(form.status).toBe(415);
    expect(((await form.json()) as any).error.message).toMatch(/^body: /);
    const plain = await fetch(`${t.url}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"email":"victim@example.org","frequency":"daily"}' });
    expect(plain.status).toBe(415);
    expect(await store.db.selectFrom('subscription').select('id').where('email', '=', 'victim@example.org').execute()).toEqual([]);
  });

  it('rejects a bad address or frequency with a 400 naming the field', async () => {
    const bad = await api({ email: 'not-an-address', frequency: 'daily' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/^email: /);
    const freq = await api({ email: 'a@example.org', frequency: 'hourly' });
    expect(freq.status).toBe(400);
    expect(((await freq.json()) as any).error.message).toMatch(/^frequency: /);
    const cat = await api({ email: 'a@example.org', frequency: 'daily', topics: { categories: ['<script>'] } });
    expect(((await cat.json()) as any).error.message).toMatch(/^topics\.categories: /);
  });

  it('runs the journey: subscribe → confirm → digest → re-run → one-click unsubscribe → nothing more', async () => {
    const email = 'reader@example.org';
    const res = await api({ email, frequency: 'daily', topics: { categories: ['cs.CL'] } });
    expect(res.status).toBe(202);
    await waitUntil(() => mailsTo(email).length > 0);
    const [confirm] = mailsTo(email);
    expect(confirm!.parsed.subject).toBe('Confirm your paperboy digest subscription');

    // Nothing is sent before the link is followed.
    const early = await run('daily', '2026-06-30');
    expect(early.render.rendered).toBe(0);
    expect(mailsTo(email)).toHaveLength(1);

    // Subscribing again: same answer, no second row.
    const again = await api({ email: 'READER@example.org', frequency: 'daily', topics: { categories: ['cs.CL'] } });
    const fresh = await api({ email: 'someone-new@example.org', frequency: 'daily' });
    expect(again.status).toBe(fresh.status);
    expect(await again.json()).toEqual(await fresh.json());
    const rows = await store.db.selectFrom('subscription').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(1);

    // The link's page asks for a click (a prefetching mail scanner confirms nothing); the click confirms.
    const asked = await fetch(`${t.url}${confirmLink(confirm!)}`);
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('Confirm your subscription');
    expect((await store.db.selectFrom('subscription').select('status').where('email', '=', email).executeTakeFirstOrThrow()).status).toBe('pending');
    const page = await confirmByLink(confirmLink(confirm!));
    expect(page.status).toBe(200);
    expect(page.body).toContain("You're subscribed");
    expect((await confirmByLink(confirmLink(confirm!))).status).toBe(404); // one use

    const first = await run('daily', '2026-06-30');
    expect(first.send!.sent).toBeGreaterThanOrEqual(1);
    const digests = mailsTo(email).filter((m) => m.parsed.subject?.startsWith('paperboy daily'));
    expect(digests).toHaveLength(1);
    const d = digests[0]!;
    // Subject with date and count; only the cs.CL papers, best first.
    expect(d.parsed.subject).toBe('paperboy daily: 2 papers for Tue, 30 Jun 2026');
    const text = d.parsed.text!;
    expect(text.indexOf('Parsing <b>bold</b> claims')).toBeLessThan(text.indexOf('Retrieval for everyone'));
    expect(text).not.toContain('vision transformer');
    expect(text).toContain('http://paperboy.test/papers/2606.00001');
    // HTML part: escaped, table layout, inline CSS, no scripts or remote fonts.
    const htmlPart = d.parsed.html as string;
    expect(htmlPart).toContain('Parsing &lt;b&gt;bold&lt;/b&gt; claims');
    expect(htmlPart).toContain('<table role="presentation"');
    expect(htmlPart).not.toMatch(/<script|<link|@import|fonts\.googleapis|<!--pb:/i);
    expect(htmlPart).toContain('http://paperboy.test/digest/manage?token=');
    // MIME and headers.
    expect(d.raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(d.raw).toMatch(/^Content-Type: text\/plain; charset=utf-8/m);
    expect(d.raw).toMatch(/^Content-Type: text\/html; charset=utf-8/m);
    expect(d.raw).toMatch(/^Date: /m);
    expect(d.parsed.messageId).toMatch(/^<2026-06-30\.\d+\.[0-9a-f]{12}@paperboy\.test>$/);
    expect(d.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const line = d.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/\r?\n\s+/g, ' ');
    const m = /^List-Unsubscribe: <(http:\/\/paperboy\.test\/digest\/unsubscribe\/\d+\.[\w-]{32})>, <(mailto:digest@paperboy\.test\?subject=unsubscribe[^>]+)>$/.exec(line);
    expect(m, line).not.toBeNull();
    const listUnsub = { url: m![1]!, mail: m![2]! };

    // A re-run for the same period sends nothing new.
    const count = smtp.messages.length;
    const rerun = await run('daily', '2026-06-30');
    expect(rerun.render.rendered).toBe(0);
    expect(rerun.send!.sent).toBe(0);
    expect(smtp.messages.length).toBe(count);

    // One-click unsubscribe: the mail provider POSTs with no cookie and no CSRF token.
    const oneClick = listUnsub.url.replace('http://paperboy.test', t.url);
    expect((await fetch(oneClick.replace(/.{4}$/, 'AAAA'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(404);
    // RFC 8058 asks receivers for multipart/form-data.
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const post = await fetch(oneClick, { method: 'POST', body: form });
    expect(post.status).toBe(200);
    const sub = await store.db.selectFrom('subscription').select('status').where('email', '=', email).executeTakeFirstOrThrow();
    expect(sub.status).toBe('unsubscribed');

    // The next period brings it nothing.
    const before = mailsTo(email).length;
    await run('daily', '2026-07-01');
    expect(mailsTo(email).length).toBe(before);
  });

  it('unsubscribes from the page and lets preferences be managed with a CSRF-checked form', async () => {
    const email = 'pager@example.org';
    await subscribeAndConfirm(email);
    await run('daily', '2026-07-01');
    const digest = mailsTo(email).find((m) => m.parsed.subject?.startsWith('paperboy daily'))!;
    const manage = /(\/digest\/manage\?token=[\w.-]+)/.exec(digest.parsed.text!)![1]!;
    const page = await fetch(`${t.url}${manage}`);
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const token = /name="token" value="([^"]+)"/.exec(html)![1]!;
    const form = (extra: string) => `token=${encodeURIComponent(token)}&frequency=weekly&topics.keywords=retrieval&minUpvotes=3${extra}`;
    const forged = await fetch(`${t.url}/digest/manage`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(''), redirect: 'manual' });
    expect(forged.status).toBe(403);
    const saved = await fetch(`${t.url}/digest/manage`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: form(`&_csrf=${encodeURIComponent(csrf)}`), redirect: 'manual' });
    expect(saved.status).toBe(303);
    const row = await store.db.selectFrom('subscription').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ frequency: 'weekly', min_upvotes: 3 });
    expect(JSON.parse(row.topics).keywords).toEqual(['retrieval']);

    const unsubUrl = /Unsubscribe: http:\/\/paperboy\.test(\S+)/.exec(digest.parsed.text!)![1]!;
    const confirmPage = await fetch(`${t.url}${unsubUrl}`);
    const body = await confirmPage.text();
    expect(body).toContain(`Unsubscribe ${email}?`);
    expect(body).toMatch(/<form method="post" action="\/digest\/unsubscribe\/[\w.-]+">/);
    const click = await fetch(`${t.url}${unsubUrl}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(await click.text()).toContain("You're unsubscribed");
    const after = await store.db.selectFrom('subscription').select('status').where('email', '=', email).executeTakeFirstOrThrow();
    expect(after.status).toBe('unsubscribed');
  });

  it('never sends a paper twice when a subscriber moves from daily to weekly', async () => {
    const email = 'switcher@example.org';
    await subscribeAndConfirm(email, { topics: { categories: ['cs'] } });
    await run('daily', '2026-06-30');
    const daily = mailsTo(email).filter((m) => m.parsed.subject?.startsWith('paperboy daily'));
    expect(daily).toHaveLength(1);
    expect(daily[0]!.parsed.text).toContain('vision transformer');
    await store.db.updateTable('subscription').set({ frequency: 'weekly' }).where('email', '=', email).execute();
    await run('weekly', '2026-06-30'); // ISO week 27: 29 Jun – 5 Jul
    const weekly = mailsTo(email).filter((m) => m.parsed.subject?.startsWith('paperboy weekly'));
    expect(weekly).toHaveLength(1);
    expect(weekly[0]!.parsed.subject).toContain('1 paper for');
    expect(weekly[0]!.parsed.text).toContain('Next day language paper');
    expect(weekly[0]!.parsed.text).not.toContain('vision transformer');
  });

  it('mails one confirmation link when the same address subscribes many times at once', async () => {
    const email = 'parallel@example.org';
    const prefs = { frequency: 'daily' as const, topics: { categories: [], keywords: [], authors: [] }, minUpvotes: 0 };
    expect((await requestSubscription(store.db, email, prefs, new Date('2026-06-01T00:00:00Z'))).mail).toBe(true);
    // Each day, long past the throttle: exactly one of the parallel requests gets to send a new link.
    for (let day = 2; day <= 9; day++) {
      const later = new Date(`2026-06-0${day}T00:00:00Z`);
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => requestSubscription(store.db, email, prefs, later)));
      expect(outcomes.filter((o) => o.mail), later.toISOString()).toHaveLength(1);
    }
  });

  it('sends nothing for an empty period', async () => {
    const count = smtp.messages.length;
    const r = await run('daily', '2026-05-01');
    expect(r.render.candidates).toBe(0);
    expect(r.send!.sent).toBe(0);
    expect(smtp.messages.length).toBe(count);
  });

  it('records hard bounces, suspends after repeated ones, and retries transient failures', async () => {
    const gone = 'gone@example.org';
    const busy = 'busy@example.org';
    await subscribeAndConfirm(gone);
    await subscribeAndConfirm(busy);
    smtp.reject(gone, 550);
    smtp.reject(busy, 451);
    const opts = { secret: SECRET, baseUrl: store.config.baseUrl, mailFrom: store.config.mailFrom, log: silentLogger, concurrency: 2, retryBaseMs: 60_000, waitForRetriesMs: 0 };
    await runDigest(store.db, mailer, { ...opts, frequency: 'daily', period: periodContaining('day', '2026-06-30') });
    const states = async (email: string) =>
      store.db.selectFrom('digest_outbox as o').innerJoin('subscription as s', 's.id', 'o.subscription_id').select(['o.state', 'o.attempts', 'o.period_key', 'o.last_error', 's.status', 's.hard_bounces']).where('s.email', '=', email).orderBy('o.id').execute();
    expect(await states(gone)).toMatchObject([{ state: 'bounced', status: 'active', hard_bounces: 1 }]);
    expect((await states(gone))[0]!.last_error).toMatch(/550/);
    expect(await states(busy)).toMatchObject([{ state: 'pending', attempts: 1 }]);

    // The second hard bounce suspends the subscription.
    await runDigest(store.db, mailer, { ...opts, frequency: 'daily', period: periodContaining('day', '2026-07-01') });
    expect((await states(gone)).map((r) => r.state)).toEqual(['bounced', 'bounced']);
    expect((await states(gone))[1]).toMatchObject({ status: 'suspended', hard_bounces: 2 });

    // The transient failure is retried once its backoff has passed, and then delivered.
    smtp.reject(busy, 0);
    const later = () => new Date(Date.now() + 3600_000);
    const resumed = await sendPendingDigests(store.db, mailer, { ...opts, now: later });
    expect(resumed.sent).toBeGreaterThanOrEqual(1);
    expect((await states(busy)).map((r) => r.state)).toEqual(['sent', 'sent']);
    expect(mailsTo(busy).filter((m) => m.parsed.subject?.startsWith('paperboy daily'))).toHaveLength(2);
    // A suspended address gets nothing more.
    await runDigest(store.db, mailer, { ...opts, frequency: 'daily', period: periodContaining('day', '2026-07-01') });
    expect(await states(gone)).toHaveLength(2);
  });

  it('previews a period in the browser and validates the query', async () => {
    const res = await fetch(`${t.url}/digest/preview?frequency=daily&date=2026-06-30`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('A vision transformer for cats');
    expect(res.headers.get('content-security-policy')).not.toContain('script');
    const text = await fetch(`${t.url}/digest/preview?frequency=weekly&date=2026-06-30&format=text`);
    expect(await text.text()).toMatch(/^Subject: paperboy weekly: 4 papers/);
    expect((await fetch(`${t.url}/digest/preview?frequency=hourly`)).status).toBe(400);
    expect((await fetch(`${t.url}/digest/preview?date=2026-02-30`)).status).toBe(400);
  });

  it('subscribes from the web form with a CSRF token', async () => {
    const page = await fetch(`${t.url}/digest`);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const post = (body: string) => fetch(`${t.url}/digest`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: `${body}&_csrf=${encodeURIComponent(csrf)}` });
    const bad = await post('email=nope&frequency=daily');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('email: not a valid email address');
    const ok = await post('email=form%40example.org&frequency=weekly&topics.categories=cs.CL%2C+cs.LG');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Check your inbox');
    const row = await store.db.selectFrom('subscription').selectAll().where('email', '=', 'form@example.org').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', frequency: 'weekly' });
    expect(JSON.parse(row.topics).categories).toEqual(['cs.CL', 'cs.LG']);
  });
});

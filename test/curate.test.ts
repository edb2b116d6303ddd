import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, testDialects, startTestApp, type TestApp, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { Browser, signInByEmail } from './community-helpers.ts';
import { command as admin } from '../src/commands/admin.ts';
import { silentLogger } from '../src/log.ts';
import { listAudit } from '../src/community/index.ts';

describe.each(testDialects())('curators on %s', (dialect) => {
  let smtp: TestSmtp;
  let store: TestStore;
  let t: TestApp;
  let ip = 1;
  const clock = new Date('2026-06-30T12:00:00Z');
  const as = async (email: string) => {
    const b = new Browser(t.url, `10.3.0.${ip++}`);
    await signInByEmail(b, smtp, email);
    return b;
  };
  const runAdmin = async (...positionals: string[]) => {
    const out: string[] = [];
    const write = process.stdout.write;
    const errWrite = process.stderr.write;
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => (out.push(s), true)) as typeof process.stderr.write;
    try {
      const code = await admin.run({ config: store.config, log: silentLogger }, { values: {}, positionals });
      return { code, out: out.join('') };
    } finally {
      process.stdout.write = write;
      process.stderr.write = errWrite;
    }
  };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url });
    await createPaper(store, { arxivId: '2606.50001', title: 'Good paper', announcedOn: '2026-06-30' });
    await createPaper(store, { arxivId: '2606.50002', title: 'Spam paper', announcedOn: '2026-06-30' });
    await createPaper(store, { arxivId: '2606.50003', title: 'Classic from last week', announcedOn: '2026-06-22' });
    t = await startTestApp(store, { now: () => clock });
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await smtp.close();
  });

  it('makes the first admin from the CLI; the admin grants the curator role on the page', async () => {
    expect((await runAdmin('grant', 'nobody@example.org', 'curator')).code).toBe(1);
    expect((await runAdmin('grant', 'x@example.org', 'emperor')).code).toBe(2);
    const created = await runAdmin('create', 'Boss@Example.org');
    expect(created).toEqual({ code: 0, out: 'boss@example.org is now an admin\n' });
    const boss = await as('boss@example.org');
    await as('cora@example.org'); // Cora signs in once, as a member
    const member = await as('mo@example.org');
    expect((await member.get('/curate')).status).toBe(403);
    expect((await member.submit('/curate/paper', { paper: '2606.50002', action: 'hide', reason: 'x' })).status).toBe(403);

    const grant = await boss.submit('/curate/user', { email: 'cora@example.org', action: 'grant-curator', reason: 'runs the reading group' });
    expect(grant.status).toBe(303);
    const cora = await as('cora@example.org');
    const page = await cora.get('/curate');
    expect(page.status).toBe(200);
    expect(page.body).toContain('set role curator');
    expect(page.body).toContain('runs the reading group');
    expect(page.body).toContain('boss@example.org');
    // Curators cannot hand out roles.
    expect((await cora.submit('/curate/user', { email: 'mo@example.org', action: 'grant-admin', reason: 'pls' })).status).toBe(403);
    expect((await runAdmin('list')).out).toContain('curator  cora@example.org');
  });

  it('pins, hides and locks, each with its audit entry', async () => {
    const cora = await as('cora@example.org');
    const noReason = await cora.submit('/curate/paper', { paper: '2606.50002', action: 'hide', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('reason:');

    expect((await cora.submit('/curate/paper', { paper: '2606.50003', action: 'pin', day: '2026-06-30', reason: 'worth a second look' })).status).toBe(303);
    expect((await cora.submit('/curate/paper', { paper: 'https://arxiv.org/abs/2606.50002', action: 'hide', reason: 'spam' })).status).toBe(303);
    expect((await cora.submit('/curate/paper', { paper: '2606.50001', action: 'lock', reason: 'vote brigading' })).status).toBe(303);

    const day = await cora.get('/?date=2026-06-30');
    expect(day.body).not.toContain('Spam paper');
    expect(day.body.indexOf('Classic from last week')).toBeGreaterThan(0);
    expect(day.body.indexOf('Classic from last week')).toBeLessThan(day.body.indexOf('Good paper'));
    expect(day.body).toContain('Pinned by curators');

    const voter = await as('voter@example.org');
    const locked = await voter.submit('/votes', { paper: '2606.50001', vote: '1' });
    expect(locked.status).toBe(403);
    expect(locked.body).toContain('locked voting');

    // (the CLI's entry is stamped with the real clock, the app's with the test clock: leave it out)
    const audit = (await listAudit(store.db, { limit: 10 })).filter((a) => a.actor !== 'cli');
    expect(audit.slice(0, 3).map((a) => [a.actor, a.action, a.target, a.reason])).toEqual([
      ['cora@example.org', 'lock_votes', 'paper:2606.50001', 'vote brigading'],
      ['cora@example.org', 'hide_paper', 'paper:2606.50002', 'spam'],
      ['cora@example.org', 'pin_paper', 'paper:2606.50003', '2026-06-30: worth a second look'],
    ]);
    expect(audit[0]!.createdAt).toBe(clock.toISOString());
    const dashboard = await cora.get('/curate');
    expect(dashboard.body).toContain('vote brigading');
    expect(dashboard.body).toContain('voting locked');
  });

  it('suspends a user: sessions end, votes stop counting, sign-in is refused', async () => {
    const cora = await as('cora@example.org');
    const mo = await as('mo2@example.org');
    const token = /<code class="token">(pb_[\w-]+)<\/code>/.exec((await mo.submit('/account/tokens', { name: 'bot' })).body)![1]!;
    expect((await fetch(`${t.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await mo.submit('/votes', { paper: '2606.50003', vote: '1' })).status).toBe(303);
    expect(((await (await fetch(`${t.url}/api/papers/2606.50003`)).json()) as any).upvotes.local).toBe(1);
    const res = await cora.submit('/curate/user', { email: 'mo2@example.org', action: 'suspend', reason: 'vote ring' });
    expect(res.status).toBe(303);
    expect((await mo.get('/account')).status).toBe(303);
    expect((await fetch(`${t.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect(((await (await fetch(`${t.url}/api/papers/2606.50003`)).json()) as any).upvotes.local).toBe(0);
    expect((await signInByEmail(new Browser(t.url, '10.3.9.9'), smtp, 'mo2@example.org')).status).toBe(403);
    // Curators cannot act on other staff.
    expect((await cora.submit('/curate/user', { email: 'boss@example.org', action: 'suspend', reason: 'coup' })).status).toBe(403);
    const audit = (await listAudit(store.db, { limit: 10 })).filter((a) => a.actor !== 'cli');
    expect(audit[0]).toMatchObject({ actor: 'cora@example.org', action: 'suspend_user', target: 'user:mo2@example.org', reason: 'vote ring' });
  });
});

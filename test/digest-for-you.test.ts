import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { Browser, signInByEmail } from './community-helpers.ts';
import { dayPeriod, findPaperByArxivId } from '../src/papers/index.ts';
import { findUserByEmail } from '../src/accounts/index.ts';
import { savePaper } from '../src/library/index.ts';
import { runDigest } from '../src/digest/index.ts';
import { createMailer } from '../src/mail/index.ts';
import { silentLogger } from '../src/log.ts';

describe.each(testDialects())('personal digest on %s', (dialect) => {
  let smtp: TestSmtp;
  let store: TestStore;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url });
    await createPaper(store, { arxivId: '2603.70001', announcedOn: '2026-03-02', title: 'Policy gradients with sparse rewards', abstract: 'Reinforcement learning agents with sparse rewards.', categories: ['cs.LG'] });
    await createPaper(store, { arxivId: '2606.70002', announcedOn: '2026-06-30', title: 'Sparse reward reinforcement learning agents', abstract: 'Policy gradients for agents with sparse rewards.', categories: ['cs.LG'] });
    await createPaper(store, { arxivId: '2606.70003', announcedOn: '2026-06-30', title: 'Galaxy cluster lensing', abstract: 'Weak lensing of clusters.', categories: ['astro-ph.CO'], hfUpvotes: 50 });
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await smtp.close();
  });

  it('sends the For you papers through the outbox once, when the account page asks for them', async () => {
    const b = new Browser(t.url, '10.9.0.1');
    await signInByEmail(b, smtp, 'digest-reader@example.org');
    const at = new Date().toISOString();
    await store.db.insertInto('subscription').values({ email: 'digest-reader@example.org', frequency: 'daily', topics: '{"categories":["astro-ph.CO"],"keywords":[],"authors":[]}', status: 'active', created_at: at, updated_at: at }).execute();
    const user = (await findUserByEmail(store.db, 'digest-reader@example.org'))!;
    await savePaper(store.db, user.id, (await findPaperByArxivId(store.db, '2603.70001'))!.id, { tags: ['rl'] }, new Date());
    const account = await b.get('/account');
    expect(account.body).toContain('What your daily digest holds');
    const csrf = await b.csrf();
    expect((await b.post('/account/digest-for-you', { _csrf: csrf, for_you: 'sometimes' })).status).toBe(400);
    expect((await b.post('/account/digest-for-you', { _csrf: csrf, for_you: 'only' })).status).toBe(303);
    const before = smtp.messages.length;
    const mailer = createMailer(store.config, silentLogger);
    const opts = { frequency: 'daily' as const, period: dayPeriod('2026-06-30'), baseUrl: store.config.baseUrl, secret: 'test-secret-0123456789', mailFrom: 'paperboy <paperboy@paperboy.test>', log: silentLogger, now: () => new Date('2026-07-01T07:00:00Z') };
    await runDigest(store.db, mailer, opts);
    await runDigest(store.db, mailer, opts);
    await smtp.waitFor(before + 1);
    await mailer.close();
    const mails = smtp.messages.slice(before).filter((m) => m.to.includes('digest-reader@example.org'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.text).toContain('Sparse reward reinforcement learning agents');
    expect(mails[0]!.parsed.text).not.toContain('Galaxy cluster lensing');
    expect(mails[0]!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
  });
});

// The email digest in a real browser: subscribe on /digest (reached from the footer), confirm with
// the link from the loopback SMTP server, receive a digest, and unsubscribe through its link.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeBrowser, launchBrowser, openPage } from './browser.ts';
import { KNOWN, LATEST_DAY, startBrowserApp, type BrowserApp } from './app.ts';
import { expectNoPageErrors, gotoPath, mailLink } from './pages.ts';
import { startTestSmtp, type TestSmtp } from '../smtp.ts';
import { createMailer, type Mailer } from '../../src/mail/index.ts';
import { silentLogger } from '../../src/log.ts';
import { periodContaining } from '../../src/papers/index.ts';
import { runDigest } from '../../src/digest/index.ts';

describeBrowser('browser: email digest', () => {
  let app: BrowserApp;
  let browser: Browser;
  let smtp: TestSmtp;
  let mailer: Mailer;
  const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
  const statusOf = async (email: string) => (await app.store.db.selectFrom('subscription').select('status').where('email', '=', email).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    [app, browser] = await Promise.all([startBrowserApp({}, { SMTP_URL: smtp.url }), launchBrowser()]);
    mailer = createMailer(app.store.config, silentLogger);
  });
  afterAll(async () => {
    await browser?.close();
    await mailer?.close();
    await app?.stop();
    await smtp?.close();
  });

  it('subscribes, confirms by the emailed link, and unsubscribes through the link in a digest', async () => {
    const email = 'reader@example.org';
    const t = await openPage(browser, app.url);
    const { page } = t;
    await gotoPath(page, '/');
    await Promise.all([page.waitForURL(/\/digest$/), page.locator('footer').getByRole('link', { name: 'Email digest' }).click()]);
    await page.getByLabel('Email address').fill(email);
    expect(await page.getByRole('radio', { name: /Daily/ }).isChecked()).toBe(true);
    await page.getByLabel('Categories').fill('cs.DS');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(await page.locator('main').innerText()).toContain(email);

    // Nothing is active until the link in the confirmation mail is followed.
    await smtp.waitFor(1);
    expect(await statusOf(email)).toBe('pending');
    const confirm = mailsTo(email)[0]!;
    expect(confirm.parsed.subject).toBe('Confirm your paperboy digest subscription');
    await gotoPath(page, mailLink(confirm.parsed.text ?? '', '/digest/confirm?token='));
    expect(await page.locator('h1').innerText()).toBe('Confirm your subscription');
    expect(await statusOf(email)).toBe('pending');
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await page.getByRole('heading', { name: "You're subscribed" }).waitFor();
    expect(await page.locator('main').innerText()).toContain('cs.DS');
    expect(await statusOf(email)).toBe('active');

    // The day's digest goes out (as the scheduler would send it) and carries the maths paper.
    const run = await runDigest(app.store.db, mailer, {
      frequency: 'daily', period: periodContaining('day', LATEST_DAY), secret: app.deps.secret, baseUrl: app.store.config.baseUrl,
      mailFrom: app.store.config.mailFrom, log: silentLogger, concurrency: 1,
    });
    expect(run.send?.sent).toBe(1);
    const digest = mailsTo(email).find((m) => m.parsed.subject?.startsWith('paperboy daily'));
    expect(digest, 'a daily digest mail').toBeDefined();
    expect(digest!.parsed.text).toContain(KNOWN.maths.arxivId);

    // Its unsubscribe link asks once, then unsubscribes.
    await gotoPath(page, mailLink(digest!.parsed.text ?? '', '/digest/unsubscribe/'));
    expect(await page.locator('h1').innerText()).toBe(`Unsubscribe ${email}?`);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: "You're unsubscribed" }).waitFor();
    expect(await statusOf(email)).toBe('unsubscribed');
    // The manage link in the same mail now says so.
    await gotoPath(page, mailLink(digest!.parsed.text ?? '', '/digest/manage?token='));
    expect(await page.locator('main').innerText()).toContain('status: unsubscribed');
    expectNoPageErrors(t);
    await t.close();
  });
});

// vote.js in a real browser (Chromium through playwright-core): votes update in place without a
// reload, double clicks leave one vote, and with JavaScript off the same form still works.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser as PwBrowser } from 'playwright-core';
import { createPaper, createTestStore, startTestApp, type TestApp, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { Browser, signInByEmail } from './community-helpers.ts';

// A system Chromium (nothing is downloaded at test time); CHROMIUM_PATH points elsewhere.
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => p && existsSync(p));

describe('upvoting in a browser', () => {
  let smtp: TestSmtp;
  let store: TestStore;
  let t: TestApp;
  let browser: PwBrowser;
  const votes = async () => Number((await store.db.selectFrom('vote').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore({ SMTP_URL: smtp.url });
    await createPaper(store, { arxivId: '2606.60001', title: 'Browser paper', announcedOn: '2026-06-30' });
    t = await startTestApp(store, { now: () => new Date('2026-06-30T12:00:00Z') });
    if (!CHROMIUM) throw new Error('browser tests need Chromium: install it (apt-get install chromium) or set CHROMIUM_PATH');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await store.cleanup();
    await smtp.close();
  });

  const contextFor = async (email: string, javaScriptEnabled: boolean) => {
    const b = new Browser(t.url);
    await signInByEmail(b, smtp, email);
    const context = await browser.newContext({ javaScriptEnabled });
    await context.addCookies([...b.cookies].map(([name, value]) => ({ name, value, url: t.url })));
    return context;
  };

  it('updates the count in place and survives a double click', async () => {
    const context = await contextFor('js@example.org', true);
    const page = await context.newPage();
    await page.goto(`${t.url}/?date=2026-06-30`);
    const button = page.locator('form[data-vote="2606.60001"] button');
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('form[data-vote="2606.60001"] .vote-count').textContent()).toBe('1');
    expect(navigations).toBe(0);
    expect(await votes()).toBe(1);
    await button.dblclick();
    // The script marks the button busy while a vote is in flight and ignores clicks meanwhile.
    await expect.poll(() => button.getAttribute('aria-busy')).toBeNull();
    expect(await votes()).toBeLessThanOrEqual(1);
    // Settle on "not voted" whatever the double click did, then check the page agrees with the store.
    if ((await button.getAttribute('aria-pressed')) === 'true') await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false');
    expect(await votes()).toBe(0);
    await context.close();
  });

  it('votes and saves in place from a search result card, as on a listing', async () => {
    const context = await contextFor('search@example.org', true);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/search?q=browser+paper`);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    const vote = page.locator('.results form[data-vote="2606.60001"] button');
    await vote.click();
    await expect.poll(() => vote.getAttribute('aria-pressed')).toBe('true');
    expect(await votes()).toBe(1);
    const save = page.locator('.results form[data-save="2606.60001"] button');
    await save.click();
    await expect.poll(() => save.getAttribute('aria-pressed')).toBe('true');
    expect(Number((await store.db.selectFrom('library_paper').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(1);
    expect(navigations).toBe(0);
    // Back to no vote, so the next test starts from an empty store of votes.
    await vote.click();
    await expect.poll(() => vote.getAttribute('aria-pressed')).toBe('false');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works as a plain form with JavaScript off', async () => {
    const context = await contextFor('nojs@example.org', false);
    const page = await context.newPage();
    await page.goto(`${t.url}/?date=2026-06-30`);
    await Promise.all([page.waitForURL(/date=2026-06-30/), page.locator('form[data-vote="2606.60001"] button').click()]);
    await page.waitForLoadState();
    expect(await page.locator('form[data-vote="2606.60001"] button').getAttribute('aria-pressed')).toBe('true');
    expect(await votes()).toBe(1);
    await context.close();
  });
});

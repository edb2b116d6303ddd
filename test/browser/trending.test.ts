// Browsing the trending listing: the latest day, switching day / week / month, previous / next.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeBrowser, launchBrowser, openPage } from './browser.ts';
import { KNOWN, LATEST_DAY, startBrowserApp, type BrowserApp } from './app.ts';
import { cardTitles, expectNoPageErrors, gotoPath, switchPeriod } from './pages.ts';

describeBrowser('browser: trending listing', () => {
  let app: BrowserApp;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startBrowserApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows the latest day and switches between daily, weekly and monthly views', async () => {
    const t = await openPage(browser, app.url);
    const { page } = t;
    expect(await gotoPath(page, '/')).toBe(200);
    const daily = await cardTitles(page);
    expect(daily.length).toBe(50);
    expect(daily[0]).toContain('sorting');
    await expect.poll(() => page.locator('h1').first().innerText()).toContain('2026');

    await switchPeriod(page, 'Weekly');
    expect(page.url()).toContain('week=2026-W27');
    await switchPeriod(page, 'Monthly');
    expect(page.url()).toContain('month=2026-07');
    await switchPeriod(page, 'Daily');
    expect(page.url()).toContain(`date=${LATEST_DAY}`);

    await Promise.all([page.waitForURL(/date=2026-06-30/), page.locator('a[rel="prev"]').first().click()]);
    expect((await cardTitles(page)).join('\n')).not.toContain(KNOWN.maths.title);
    expectNoPageErrors(t);
    await t.close();
  });
});

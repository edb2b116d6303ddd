// Searching from the header box: results with highlighted words, then into a paper.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeBrowser, launchBrowser, openPage } from './browser.ts';
import { KNOWN, startBrowserApp, type BrowserApp } from './app.ts';
import { expectNoPageErrors, gotoPath, searchFromHeader } from './pages.ts';

describeBrowser('browser: search', () => {
  let app: BrowserApp;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startBrowserApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('types a query in the header, sees highlighted results and opens a paper', async () => {
    const t = await openPage(browser, app.url);
    const { page } = t;
    await gotoPath(page, '/');
    await searchFromHeader(page, 'sorting solutions');
    expect(new URL(page.url()).searchParams.get('q')).toBe('sorting solutions');
    // The query stays in both boxes; the count and the cards are there, the words marked.
    expect(await page.locator('#q').inputValue()).toBe('sorting solutions');
    expect(await page.locator('.search-page .count').innerText()).toMatch(/^1–\d+ of \d+ papers?/);
    const first = page.locator('.card.result').first();
    expect(await first.locator('.card-title').innerText()).toContain('sorting');
    const marks = await page.locator('.card.result mark').allInnerTexts();
    expect(marks.map((m) => m.toLowerCase())).toContain('sorting');
    // Hostile text in results never turns into markup.
    expect(await page.locator('.card.result img, .card.result script').count()).toBe(0);

    await Promise.all([page.waitForURL(`**/papers/${KNOWN.maths.arxivId}`), first.locator('.card-title a').click()]);
    expect(await page.locator('h1').innerText()).toContain('sorting in');
    expect(await page.locator('#q').inputValue()).toBe('');
    expectNoPageErrors(t);
    await t.close();
  });
});

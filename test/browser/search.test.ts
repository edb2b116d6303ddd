// Searching from the header box: results with highlighted words, then into a paper.
import { expect, it } from 'vitest';
import { describeBrowser, openPage } from './browser.ts';
import { KNOWN, useBrowserApp } from './app.ts';
import { expectNoPageErrors, gotoPath, searchFromHeader } from './pages.ts';

describeBrowser('browser: search', () => {
  const env = useBrowserApp();

  it('types a query in the header, sees highlighted results and opens a paper', async () => {
    const t = await openPage(env.browser, env.app.url);
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
    // Signed out, the header offers sign-in on the results page too.
    expect(await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).count()).toBe(1);
    // On a phone, long words and URLs in snippets wrap inside their cards.
    await page.setViewportSize({ width: 390, height: 844 });
    const spill = (await page.evaluate(`[...document.querySelectorAll('.card.result')].filter((c) => {
      const edge = c.getBoundingClientRect().right;
      return [...c.querySelectorAll('p, h2')].some((e) => e.scrollWidth > e.clientWidth || e.getBoundingClientRect().right > edge);
    }).length`)) as number;
    expect(spill, 'result cards whose content spills out sideways at 390 px').toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    // Hostile text in results never turns into markup.
    expect(await page.locator('.card.result img, .card.result script').count()).toBe(0);

    await Promise.all([page.waitForURL(`**/papers/${KNOWN.maths.arxivId}`), first.locator('.card-title a').click()]);
    expect(await page.locator('h1').innerText()).toContain('sorting in');
    expect(await page.locator('#q').inputValue()).toBe('');
    expectNoPageErrors(t);
    await t.close();
  });
});

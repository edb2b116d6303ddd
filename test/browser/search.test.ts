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
    const first = page.locator('.results .card').first();
    expect(await first.locator('.card-title').innerText()).toContain('sorting');
    const marks = await page.locator('.results .card mark').allInnerTexts();
    expect(marks.map((m) => m.toLowerCase())).toContain('sorting');
    // The listing card: maths rendered (no raw TeX), and the vote and save controls beside it.
    expect(await first.locator('.card-title math').count()).toBe(2);
    expect(await first.locator('.card-title').innerText()).not.toContain('$');
    expect(await first.locator('.snippet math').count()).toBeGreaterThan(0);
    expect(await first.getByRole('button', { name: /^Upvote/ }).count()).toBe(1);
    expect(await first.getByRole('button', { name: /Save/ }).count()).toBe(1);
    // Signed out, the header offers sign-in on the results page too.
    expect(await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).count()).toBe(1);
    // On a phone, long words and URLs in snippets wrap inside their cards.
    await page.setViewportSize({ width: 390, height: 844 });
    const spill = (await page.evaluate(`[...document.querySelectorAll('.results .card')].filter((c) => {
      const edge = c.getBoundingClientRect().right;
      return [...c.querySelectorAll('p, h2')].some((e) => e.scrollWidth > e.clientWidth || e.getBoundingClientRect().right > edge);
    }).length`)) as number;
    expect(spill, 'result cards whose content spills out sideways at 390 px').toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    // Hostile text in results never turns into markup.
    expect(await page.locator('.results .card script, .results .card img:not(.card-thumb)').count()).toBe(0);

    await Promise.all([page.waitForURL(`**/papers/${KNOWN.maths.arxivId}`), first.locator('.card-title a').click()]);
    expect(await page.locator('h1').innerText()).toContain('sorting in');
    expect(await page.locator('#q').inputValue()).toBe('');
    expectNoPageErrors(t);
    await t.close();
  });

  it('marks the author an au: query names, on a card linking to the author page', async () => {
    const t = await openPage(env.browser, env.app.url);
    await gotoPath(t.page, `/search?q=${encodeURIComponent('au:"grace hopper"')}`);
    const card = t.page.locator('.results .card', { hasText: 'sorting' });
    expect(await card.locator('.authors mark').allInnerTexts()).toEqual(['Grace Hopper']);
    expect(await card.locator('.authors a', { hasText: 'Grace Hopper' }).getAttribute('href')).toMatch(/^\/authors\//);
    expectNoPageErrors(t);
    await t.close();
  });
});

// Error pages in the browser: friendly words, a way back, and nothing broken on the page itself.
import { expect, it } from 'vitest';
import { describeBrowser, openPage } from './browser.ts';
import { useBrowserApp } from './app.ts';
import { expectNoPageErrors, gotoPath } from './pages.ts';

describeBrowser('browser: error pages', () => {
  const env = useBrowserApp();

  it('a missing paper gets a friendly 404 with a way back to the papers', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page } = t;
    expect(await gotoPath(page, '/papers/2606.99999')).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Page not found');
    expect(await page.locator('main').innerText()).toContain('We have no paper 2606.99999 yet.');
    await Promise.all([page.waitForURL(`${env.app.url}/`), page.getByRole('link', { name: 'Today’s papers' }).click()]);
    expect(await page.locator('.card').count()).toBe(50);
    expectNoPageErrors(t);
    await t.close();
  });

  it('a bad parameter names itself on a 400 page, and search stays usable there', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page } = t;
    expect(await gotoPath(page, '/?week=2026-W99')).toBe(400);
    expect(await page.locator('main').innerText()).toContain('week must be an ISO week YYYY-Www, got "2026-W99"');
    expect(await page.getByRole('searchbox', { name: 'Search papers' }).isVisible()).toBe(true);
    expectNoPageErrors(t);
    await t.close();
  });
});

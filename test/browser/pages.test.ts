// Every main page at phone and desktop widths: a screenshot (artifacts/screenshots), no serious or
// critical axe-core violations, no console errors (a CSP violation is one), nothing wider than the screen.
import { expect, it } from 'vitest';
import { describeBrowser, openPage, saveScreenshot, seriousA11yViolations, VIEWPORTS } from './browser.ts';
import { KNOWN, useBrowserApp } from './app.ts';
import { expectNoOverflow, expectNoPageErrors, gotoPath } from './pages.ts';

/** name → path and expected status. Features add their pages here as they land (search, sign-in, account…). */
export const MAIN_PAGES: { name: string; path: string; status: number }[] = [
  { name: 'home', path: '/', status: 200 },
  { name: 'week', path: '/?week=2026-W27', status: 200 },
  { name: 'month-filtered', path: '/?month=2026-06&category=cs.CL', status: 200 },
  { name: 'categories', path: '/categories', status: 200 },
  { name: 'category', path: '/categories/cs.CV', status: 200 },
  { name: 'paper-maths', path: `/papers/${KNOWN.maths.arxivId}`, status: 200 },
  { name: 'paper-hostile', path: `/papers/${KNOWN.hostile.arxivId}`, status: 200 },
  { name: 'status', path: '/status', status: 200 },
  { name: 'search', path: '/search?q=sorting+solutions', status: 200 },
  { name: 'search-empty', path: '/search?q=zzqxqzz', status: 200 },
  { name: 'search-author', path: '/search?q=au%3Alovelace', status: 200 },
  { name: 'signin', path: '/signin', status: 200 },
  { name: 'digest', path: '/digest', status: 200 },
  { name: 'not-found', path: '/papers/2999.99999', status: 404 },
  { name: 'bad-request', path: '/?date=2026-02-30', status: 400 },
];

describeBrowser('browser: main pages', () => {
  const env = useBrowserApp();

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`render cleanly at ${viewport.width} px (${size}): screenshots, axe, no console errors, no sideways scroll`, async () => {
      const t = await openPage(env.browser, env.app.url, viewport);
      for (const p of MAIN_PAGES) {
        expect(await gotoPath(t.page, p.path), p.path).toBe(p.status);
        await saveScreenshot(t.page, p.name);
        expect(await seriousA11yViolations(t.page), p.path).toEqual([]);
        await expectNoOverflow(t.page);
      }
      expectNoPageErrors(t);
      await t.close();
    }, 240_000); // ten pages, each with an axe run: slow on a loaded machine
  }

  it('keeps the dark theme readable too (axe colour contrast)', async () => {
    const context = await env.browser.newContext({ baseURL: env.app.url, colorScheme: 'dark', viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    for (const path of ['/', `/papers/${KNOWN.maths.arxivId}`, '/search?q=au%3Alovelace+sorting', '/nowhere']) {
      await gotoPath(page, path);
      expect(await seriousA11yViolations(page), path).toEqual([]);
      if (path.startsWith('/search')) await saveScreenshot(page, 'search-author-dark');
    }
    await saveScreenshot(page, 'home-dark');
    await context.close();
  });
});

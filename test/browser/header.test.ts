// The header and the listing head on phones and desktops: few tab stops before the first paper, the
// phone header in two rows at most (main links folded into a Menu that opens without JavaScript),
// and the listing's filter form behind a disclosure.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, openPage, saveScreenshot, VIEWPORTS } from './browser.ts';
import { KNOWN, LATEST_DAY, useBrowserApp } from './app.ts';
import { expectNoOverflow, expectNoPageErrors, gotoPath, tabTo } from './pages.ts';
import { signInContext } from './session.ts';

/** The distinct rows the header's visible parts sit in. */
async function headerRows(page: Page): Promise<number> {
  return (await page.evaluate(`(() => {
    const tops = [...document.querySelectorAll('header.site .bar > *')]
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); });
    const rows = [];
    for (const t of tops.sort((a, b) => a - b)) if (!rows.some((r) => Math.abs(r - t) < 12)) rows.push(t);
    return rows.length;
  })()`)) as number;
}


const firstPaper = (el: { href: string | null }) => el.href === `/papers/${KNOWN.maths.arxivId}`;

describeBrowser('browser: header and listing head', () => {
  const env = useBrowserApp();

  // Before the Menu, the footer's theme toggle and the filter disclosure it took 22 Tab presses on both.
  it('reaches the first paper in at most 18 Tab presses on a desktop and 14 on a phone', async () => {
    for (const [viewport, most] of [[VIEWPORTS.desktop, 18], [VIEWPORTS.phone, 14]] as const) {
      const t = await openPage(env.browser, env.app.url, viewport);
      await gotoPath(t.page, `/?date=${LATEST_DAY}`);
      expect(await tabTo(t.page, firstPaper, 40), `Tab presses at ${viewport.width} px`).toBeLessThanOrEqual(most);
      expectNoPageErrors(t);
      await t.close();
    }
  });

  it('keeps the phone header to two rows and the desktop header to one, signed out, signed in and as a curator', async () => {
    const people = [undefined, { email: 'member@example.org' }, { email: 'curator@example.org', role: 'curator' as const, displayName: 'Wilhelmina Montgomery-Smythe' }];
    for (const who of people) {
      for (const [viewport, rows] of [[VIEWPORTS.phone, 2], [VIEWPORTS.desktop, 1]] as const) {
        const t = await openPage(env.browser, env.app.url, viewport);
        if (who) await signInContext(t.context, env.app, who.email, who);
        for (const path of ['/', `/papers/${KNOWN.maths.arxivId}`]) {
          await gotoPath(t.page, path);
          expect(await headerRows(t.page), `header rows on ${path} at ${viewport.width} px (${who?.email ?? 'signed out'})`).toBeLessThanOrEqual(rows);
          await expectNoOverflow(t.page);
          // Lazy images still loading would be cancelled by the next page and count as failed requests.
          await t.page.waitForLoadState('networkidle');
        }
        if (who?.role === 'curator') await saveScreenshot(t.page, 'header-curator', { fullPage: false });
        expectNoPageErrors(t);
        await t.close();
      }
    }
  });

  it('opens the phone Menu and the filter form without JavaScript, and both work', async () => {
    const t = await openPage(env.browser, env.app.url, VIEWPORTS.phone, { javaScriptEnabled: false });
    const { page } = t;
    await gotoPath(page, '/');
    const main = page.getByRole('navigation', { name: 'Main' });
    expect(await main.isVisible()).toBe(false);
    await page.locator('details.menu > summary').click();
    expect(await main.getByRole('link').allInnerTexts()).toEqual(['Trending', 'Categories', 'Trends', 'For you', 'Submit']);
    await expectNoOverflow(page);
    await saveScreenshot(page, 'header-menu-open', { fullPage: false });
    await Promise.all([page.waitForURL(/\/trends$/), main.getByRole('link', { name: 'Trends' }).click()]);

    await gotoPath(page, '/');
    expect(await page.getByLabel('Category', { exact: true }).isVisible()).toBe(false);
    await page.getByText('Pick a day or category').click();
    await page.getByLabel('Category', { exact: true }).selectOption('cs.CL');
    await saveScreenshot(page, 'listing-filter-open', { fullPage: false });
    await Promise.all([page.waitForURL(/category=cs\.CL/), page.getByRole('button', { name: 'Show' }).click()]);
    // The closed disclosure says which filter is on.
    expect(await page.locator('details.filter-box summary').innerText()).toBe('Pick a day or category: cs.CL');
    await expectNoOverflow(page);
    expectNoPageErrors(t);
    await t.close();
  });

  it('shows the filter form as a panel on a desktop, and the theme toggle in the footer', async () => {
    const t = await openPage(env.browser, env.app.url, VIEWPORTS.desktop);
    const { page } = t;
    await gotoPath(page, '/?code=any');
    expect(await page.locator('details.filter-box summary').innerText()).toBe('Pick a day or category: Has code');
    await page.getByText('Pick a day or category').click();
    expect(await page.getByLabel('Code', { exact: true }).isVisible()).toBe(true);
    await expectNoOverflow(page);
    await saveScreenshot(page, 'listing-filter-open', { fullPage: false });
    expect(await page.locator('footer .theme-toggle').isVisible()).toBe(true);
    expect(await page.locator('header .theme-toggle').count()).toBe(0);
    expectNoPageErrors(t);
    await t.close();
  });
});

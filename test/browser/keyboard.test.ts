// The main flow with the keyboard only: skip link, period tabs, a paper, back; focus always visible.
import { expect, it } from 'vitest';
import { describeBrowser, openPage } from './browser.ts';
import { KNOWN, useBrowserApp } from './app.ts';
import { expectNoPageErrors, focusedOutline, gotoPath, tabTo } from './pages.ts';

describeBrowser('browser: keyboard only', () => {
  const env = useBrowserApp();

  it('browses, switches period and opens a paper without a mouse, with visible focus', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page } = t;
    await gotoPath(page, '/');

    // The first Tab reaches the skip link, which becomes visible and jumps to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    expect(await page.locator('.skip').first().boundingBox().then((b) => b && b.x >= 0)).toBe(true);
    expect(await focusedOutline(page)).toMatch(/^solid [1-9]/);
    // Following the skip link is asynchronous: wait for the URL to carry the fragment.
    await Promise.all([page.waitForURL((url) => url.hash === '#main', { timeout: 10_000 }), page.keyboard.press('Enter')]);

    // The second skip link jumps past the tabs and filters straight to the ranked papers.
    await gotoPath(page, '/');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to the papers');
    await Promise.all([page.waitForURL((url) => url.hash === '#papers', { timeout: 10_000 }), page.keyboard.press('Enter')]);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.closest(".card") !== null')).toBe(true);

    // "/" focuses the header's search box from anywhere but a text field.
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement.id')).toBe('q');
    await page.keyboard.type('a/b');
    expect(await page.inputValue('#q')).toBe('a/b');

    // From the content, Tab reaches the Weekly tab; Enter follows it.
    await gotoPath(page, '/');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL((url) => url.hash === '#main', { timeout: 10_000 }), page.keyboard.press('Enter')]);
    await tabTo(page, (el) => el.tag === 'a' && el.text === 'Weekly');
    expect(await focusedOutline(page)).toMatch(/^solid [1-9]/);
    await Promise.all([page.waitForURL(/week=2026-W27/), page.keyboard.press('Enter')]);

    // Then on to the maths paper's title link, and into the paper.
    await tabTo(page, (el) => el.tag === 'a' && el.href === `/papers/${KNOWN.maths.arxivId}`, 120);
    expect(await focusedOutline(page)).toMatch(/^solid [1-9]/);
    await Promise.all([page.waitForURL(/\/papers\//), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').innerText()).toContain('sorting in');

    // On the paper: the copy button and the PDF link are reachable too.
    await tabTo(page, (el) => el.tag === 'a' && el.text === 'PDF');
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Copy BibTeX');
    expect(await focusedOutline(page)).toMatch(/^solid [1-9]/);

    // Back to the paper's day through the breadcrumb, still by keyboard (Shift+Tab goes backwards).
    await page.keyboard.down('Shift');
    await tabTo(page, (el) => el.tag === 'a' && el.text.startsWith('Papers of'));
    await page.keyboard.up('Shift');
    await Promise.all([page.waitForURL(/date=2026-07-01/), page.keyboard.press('Enter')]);
    expectNoPageErrors(t);
    await t.close();
  });
});

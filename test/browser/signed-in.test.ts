// The pages only a signed-in person (or a curator) sees: same bar as the public pages — no sideways
// scroll at phone width, no console errors, screenshots to look at; and the header names the person.
import { expect, it } from 'vitest';
import { describeBrowser, openPage, saveScreenshot, VIEWPORTS } from './browser.ts';
import { useBrowserApp } from './app.ts';
import { expectNoOverflow, expectNoPageErrors, gotoPath } from './pages.ts';
import { signInContext } from './session.ts';

const SIGNED_IN_PAGES = [
  { name: 'account', path: '/account' },
  { name: 'submit', path: '/submit' },
  { name: 'curate', path: '/curate' },
];

describeBrowser('browser: signed-in pages', () => {
  const env = useBrowserApp();

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`render without sideways scroll at ${viewport.width} px (${size})`, async () => {
      const t = await openPage(env.browser, env.app.url, viewport);
      await signInContext(t.context, env.app, `curator-${size}@example.org`, { role: 'curator', displayName: 'Cora Curator' });
      for (const p of SIGNED_IN_PAGES) {
        expect(await gotoPath(t.page, p.path), p.path).toBe(200);
        await saveScreenshot(t.page, `signed-in-${p.name}`);
        await expectNoOverflow(t.page);
        expect(await t.page.getByRole('navigation', { name: 'Account' }).innerText(), p.path).toContain('Cora Curator');
      }
      expectNoPageErrors(t);
      await t.close();
    }, 120_000);
  }

  it('names who is signed in (or offers sign-in) on every page, error pages included', async () => {
    const pages = ['/categories', '/status', '/api/docs', '/digest', '/papers/2501.01234', '/nowhere'];
    const visitor = await openPage(env.browser, env.app.url);
    for (const path of pages) {
      await gotoPath(visitor.page, path);
      const nav = await visitor.page.getByRole('navigation', { name: 'Account' }).innerText();
      expect(nav, path).toContain('Sign in');
      expect(nav, path).not.toContain('Account');
    }
    // A paper we lack: the 404 offers to submit it, and the link prefills the form.
    await gotoPath(visitor.page, '/papers/2501.01234');
    expect(await visitor.page.getByRole('link', { name: 'Submit 2501.01234' }).getAttribute('href')).toBe('/submit?paper=2501.01234');
    await visitor.close();

    const member = await openPage(env.browser, env.app.url);
    await signInContext(member.context, env.app, 'reader-nav@example.org', { displayName: 'Rita Reader' });
    for (const path of pages.filter((p) => p !== '/api/docs')) {
      await gotoPath(member.page, path);
      expect(await member.page.getByRole('navigation', { name: 'Account' }).innerText(), path).toContain('Rita Reader');
    }
    await gotoPath(member.page, '/submit?paper=2501.01234');
    expect(await member.page.getByLabel('arXiv id or URL').inputValue()).toBe('2501.01234');
    await member.close();
  });
});

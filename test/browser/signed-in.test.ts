// The pages only a signed-in person (or a curator) sees: same bar as the public pages — no sideways
// scroll at phone width, no console errors, screenshots to look at; and the header names the person.
import { expect, it } from 'vitest';
import { describeBrowser, openPage, saveScreenshot, VIEWPORTS } from './browser.ts';
import { useBrowserApp } from './app.ts';
import { expectNoPageErrors, gotoPath } from './pages.ts';
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
        const overflow = (await t.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        expect(overflow, `${p.path} scrolls sideways`).toBeLessThanOrEqual(0);
        expect(await t.page.getByRole('navigation', { name: 'Account' }).innerText(), p.path).toContain('Cora Curator');
      }
      expectNoPageErrors(t);
      await t.close();
    }, 120_000);
  }
});

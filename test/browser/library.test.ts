// The personal library in a real browser: save in place from a card (keyboard), tag and note a paper,
// the library filtered by tag, a tag published as a collection, following an author, and the "for
// you" list with its reasons. Every page at phone and desktop width: screenshots, no sideways scroll,
// no console errors.
import { expect, it } from 'vitest';
import { describeBrowser, openPage, saveScreenshot, VIEWPORTS } from './browser.ts';
import { LATEST_DAY, useBrowserApp } from './app.ts';
import { expectNoOverflow, expectNoPageErrors, gotoPath } from './pages.ts';
import { signInContext } from './session.ts';

describeBrowser('browser: library, collections, follows, for you', () => {
  const env = useBrowserApp();

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`saves, tags, publishes, follows and recommends at ${viewport.width} px (${size})`, async () => {
      const t = await openPage(env.browser, env.app.url, viewport);
      const { page } = t;
      await signInContext(t.context, env.app, `reader-${size}@example.org`, { displayName: 'Rita Reader' });

      await gotoPath(page, '/for-you');
      expect(await page.locator('main').innerText()).toContain('Start your list');
      await saveScreenshot(page, `for-you-cold-${size}`);
      await expectNoOverflow(page);

      // Save the first two cards of the latest day in place, with the keyboard.
      expect(await gotoPath(page, `/?date=${LATEST_DAY}`)).toBe(200);
      const saves = page.locator('form[data-save] button');
      const ids = await page.locator('form[data-save]').evaluateAll((forms) => forms.slice(0, 2).map((f) => f.getAttribute('data-save')!));
      for (const [i, id] of ids.entries()) {
        await saves.nth(i).focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => page.locator(`form[data-save="${id}"] button`).first().getAttribute('aria-pressed')).toBe('true');
      }
      expect(new URL(page.url()).pathname).toBe('/');

      // Tag one and write a note on its page.
      await gotoPath(page, `/papers/${ids[0]}`);
      await page.getByLabel('Tags').fill('rl, reading');
      await page.getByLabel('Private note').fill('Read with the group on Friday');
      await Promise.all([page.waitForURL(/\/papers\//), page.getByRole('button', { name: 'Save changes' }).click()]);
      expect(await page.getByLabel('Tags').inputValue()).toBe('reading, rl');
      await saveScreenshot(page, `paper-saved-${size}`);
      await expectNoOverflow(page);

      // Follow its first author.
      const follow = page.locator('.follow-row button').first();
      const author = ((await follow.innerText()).replace(/^Follow /, ''));
      await Promise.all([page.waitForURL(/\/papers\//), follow.click()]);
      expect(await page.locator('.follow-row').innerText()).toContain(`Following ${author}`);

      await gotoPath(page, '/library');
      expect(await page.locator('.cards .card').count()).toBe(2);
      await page.getByRole('navigation', { name: 'Tags' }).getByRole('link', { name: /^rl/ }).click();
      await page.waitForURL(/tag=rl/);
      expect(await page.locator('.cards .card').count()).toBe(1);
      expect(await page.locator('main').innerText()).toContain('Read with the group on Friday');
      await saveScreenshot(page, `library-${size}`);
      await expectNoOverflow(page);

      // Publish the tag as a collection.
      await Promise.all([page.waitForURL(/\/library\/tags\/rl/), page.getByRole('link', { name: /publish “rl”/ }).click()]);
      await page.getByLabel('Description').fill('Reinforcement learning reading list');
      await page.getByLabel(/Public collection/).check();
      await Promise.all([page.waitForURL(/\/library\/tags\/rl/), page.getByRole('button', { name: 'Save', exact: true }).click()]);
      await saveScreenshot(page, `tag-${size}`);
      await expectNoOverflow(page);
      await Promise.all([page.waitForURL(/\/collections\/\d+$/), page.locator('main a[href^="/collections/"]').first().click()]);
      expect(await page.locator('main').innerText()).toContain('Reinforcement learning reading list');
      await saveScreenshot(page, `collection-${size}`);
      await expectNoOverflow(page);

      await gotoPath(page, '/for-you');
      const text = await page.locator('main').innerText();
      expect(text).toMatch(/you saved|whom you follow/);
      expect(await page.locator('.cards .card').count()).toBeGreaterThan(0);
      await saveScreenshot(page, `for-you-${size}`);
      await expectNoOverflow(page);

      await gotoPath(page, '/follows');
      expect(await page.locator('main').innerText()).toContain(author);
      await saveScreenshot(page, `follows-${size}`);
      await expectNoOverflow(page);
      expectNoPageErrors(t);
      await t.close();
    }, 180_000);
  }
});

// After the emailed sign-in link, the page the visitor returns to says who is signed in and what
// became of the upvote or save clicked on the way, once; with JavaScript on and off.
import { expect, it } from 'vitest';
import { describeBrowser, openPage, saveScreenshot, VIEWPORTS } from './browser.ts';
import { KNOWN, LATEST_DAY, useBrowserAppWithMail } from './app.ts';
import { expectNoOverflow, expectNoPageErrors, gotoPath, signInFresh, signInWithEmailedLink, voteButtonOf, voteCountOf } from './pages.ts';


describeBrowser('browser: the message after signing in', () => {
  const env = useBrowserAppWithMail();

  it('confirms an upvote made on the way to signing in, without JavaScript, and only once', async () => {
    const t = await openPage(env.browser, env.app.url, VIEWPORTS.phone, { javaScriptEnabled: false });
    const { page } = t;
    await gotoPath(page, `/?date=${LATEST_DAY}`);
    const before = await voteCountOf(page, KNOWN.maths.arxivId);
    await Promise.all([page.waitForURL(/\/signin\?/), voteButtonOf(page, KNOWN.maths.arxivId).click()]);
    await signInWithEmailedLink(page, env.smtp, 'flash-vote@example.org');
    expect(new URL(page.url()).searchParams.get('date')).toBe(LATEST_DAY);
    const flash = page.getByRole('status').filter({ hasText: 'Signed in as' });
    expect(await flash.innerText()).toMatch(/^Signed in as flash-vote@example\.org\. Your upvote for Bounds for .* sorting in .* is counted\.$/s);
    expect(await flash.locator(`a[href="/papers/${KNOWN.maths.arxivId}"]`).count()).toBe(1);
    expect(await voteCountOf(page, KNOWN.maths.arxivId)).toBe(before + 1);
    expect(await voteButtonOf(page, KNOWN.maths.arxivId).getAttribute('aria-pressed')).toBe('true');
    await expectNoOverflow(page);
    await saveScreenshot(page, 'signin-flash-vote');
    await page.reload();
    expect(await page.getByText('Signed in as').count()).toBe(0);
    expectNoPageErrors(t);
    await t.close();
  });

  it('confirms a save made on the way to signing in, with JavaScript', async () => {
    const t = await openPage(env.browser, env.app.url, VIEWPORTS.desktop);
    const { page } = t;
    await gotoPath(page, `/papers/${KNOWN.maths.arxivId}`);
    const save = page.locator(`form[data-save="${KNOWN.maths.arxivId}"] button`).first();
    await Promise.all([page.waitForURL(/\/signin\?/), save.click()]);
    expect(await page.locator('.notice').innerText()).toContain('Sign in to save');
    await signInWithEmailedLink(page, env.smtp, 'flash-save@example.org');
    expect(new URL(page.url()).pathname).toBe(`/papers/${KNOWN.maths.arxivId}`);
    const flash = page.getByRole('status').filter({ hasText: 'Signed in as' });
    expect(await flash.innerText()).toMatch(/^Signed in as flash-save@example\.org\. Bounds for .* is saved to your library\.$/s);
    expect(await page.locator(`form[data-save="${KNOWN.maths.arxivId}"] button`).first().getAttribute('aria-pressed')).toBe('true');
    await expectNoOverflow(page);
    await saveScreenshot(page, 'signin-flash-save');
    expectNoPageErrors(t);
    await t.close();
  });

  it('says who is signed in after a plain sign-in that returns to a page', async () => {
    const t = await openPage(env.browser, env.app.url, VIEWPORTS.phone);
    await signInFresh(t.page, env.smtp, 'flash-plain@example.org', '/categories');
    expect(new URL(t.page.url()).pathname).toBe('/categories');
    expect(await t.page.getByRole('status').filter({ hasText: 'Signed in as' }).innerText()).toBe('Signed in as flash-plain@example.org.');
    // A made-up message (no valid signature) is dropped, not shown.
    const forged = Buffer.from(JSON.stringify({ signedIn: true, action: { kind: 'vote', arxivId: KNOWN.hostile.arxivId, outcome: 'counted' } })).toString('base64url');
    await t.context.addCookies([{ name: 'pb_flash', value: `${forged}.${'A'.repeat(43)}`, url: env.app.url }]);
    await gotoPath(t.page, '/categories');
    expect(await t.page.getByText('Signed in as').count()).toBe(0);
    expect((await t.context.cookies()).some((c) => c.name === 'pb_flash')).toBe(false);
    await expectNoOverflow(t.page);
    expectNoPageErrors(t);
    await t.close();
  });
});

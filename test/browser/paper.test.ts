// Reading a paper: open it from the listing, maths rendered as MathML, copy BibTeX, copy maths as
// TeX, and hostile content that stays inert text.
import { expect, it } from 'vitest';
import { describeBrowser, openPage } from './browser.ts';
import { KNOWN, useBrowserApp } from './app.ts';
import { expectNoPageErrors, gotoPath, openPaperFromListing } from './pages.ts';

describeBrowser('browser: paper page', () => {
  const env = useBrowserApp();

  it('opens a paper from the listing and renders its maths', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page } = t;
    await gotoPath(page, '/');
    await openPaperFromListing(page, 'sorting in');
    expect(new URL(page.url()).pathname).toBe(`/papers/${KNOWN.maths.arxivId}`);
    expect(await page.locator('h1 math').count()).toBe(2);
    const mathBox = await page.locator('h1 math').first().boundingBox();
    expect(mathBox?.width, 'MathML is laid out, not hidden').toBeGreaterThan(20);
    expect(await page.locator('.abstract math[display="block"]').count()).toBe(1);
    expect(await page.locator('.abstract annotation').first().textContent()).toBe('x^2 + y^2 = z^2');
    expect(await page.locator('.links a').allInnerTexts()).toEqual(['https://github.com/example/sorting', 'https://huggingface.co/datasets/example/sorts']);
    expectNoPageErrors(t);
    await t.close();
  });

  it('copies the BibTeX with one click, and maths as its TeX source', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page, context } = t;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.app.url });
    await gotoPath(page, `/papers/${KNOWN.maths.arxivId}`);
    const copy = page.getByRole('button', { name: 'Copy BibTeX' });
    await copy.click();
    await expect.poll(() => page.locator('.copy-status').innerText()).toBe('Copied');
    const bibtex = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(bibtex).toMatch(/^@misc\{lovelace2026bounds,/);
    expect(bibtex).toContain('title = {Bounds for $\\mathcal{O}(n \\log n)$ sorting in $\\mathbb{R}^d$},');

    await page.locator('h1.paper-title').selectText();
    await page.keyboard.press('Control+C');
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(KNOWN.maths.title);
    expectNoPageErrors(t);
    await t.close();
  });

  it('shows hostile titles, abstracts and authors as inert text', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page } = t;
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    for (const path of ['/', `/papers/${KNOWN.hostile.arxivId}`]) {
      await gotoPath(page, path);
      expect(await page.locator('main img, main script, main iframe, main svg, main [onerror], main [onmouseover]').count(), path).toBe(0);
      expect(await page.locator('main a[href^="javascript:"]').count(), path).toBe(0);
    }
    expect(await page.locator('h1').innerText()).toContain('Hostile <img src=x onerror=alert(1)> title');
    expect(await page.locator('.authors').innerText()).toContain('Eve <b onmouseover=alert(7)>Hacker</b>');
    await page.locator('.authors a').hover();
    expect(dialogs).toEqual([]);
    expectNoPageErrors(t);
    await t.close();
  });
});

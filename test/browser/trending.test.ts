// Browsing the trending listing: the latest day, switching day / week / month, previous / next,
// the date picker and category filter (a plain GET form), and the theme toggle.
import { expect, it } from 'vitest';
import { describeBrowser, openPage } from './browser.ts';
import { KNOWN, LATEST_DAY, useBrowserApp } from './app.ts';
import { cardTitles, expectNoPageErrors, gotoPath, switchPeriod } from './pages.ts';

describeBrowser('browser: trending listing', () => {
  const env = useBrowserApp();

  it('shows the latest day and switches between daily, weekly and monthly views', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page } = t;
    expect(await gotoPath(page, '/')).toBe(200);
    const daily = await cardTitles(page);
    expect(daily.length).toBe(50);
    expect(daily[0]).toContain('sorting');
    expect(await page.locator('h1').innerText()).toBe('Wednesday, 1 July 2026');

    await switchPeriod(page, 'Weekly');
    expect(page.url()).toContain('week=2026-W27');
    expect(await page.locator('h1').innerText()).toMatch(/^Week 27/);
    await switchPeriod(page, 'Monthly');
    expect(page.url()).toContain('month=2026-07');
    await switchPeriod(page, 'Daily');
    expect(page.url()).toContain(`date=${LATEST_DAY}`);

    await Promise.all([page.waitForURL(/date=2026-06-30/), page.getByRole('link', { name: 'Previous day' }).click()]);
    expect((await cardTitles(page)).join('\n')).not.toContain('sorting in');
    await Promise.all([page.waitForURL(/date=2026-07-01/), page.getByRole('link', { name: 'Next day' }).click()]);
    expectNoPageErrors(t);
    await t.close();
  });

  it('picks a day, a week around a day, and a category with the filter form', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page } = t;
    await gotoPath(page, '/');
    await page.getByText('Pick a day or category').click();
    await page.getByLabel('Day', { exact: true }).fill('2026-06-23');
    await page.getByLabel('Category', { exact: true }).selectOption('cs.CL');
    await Promise.all([page.waitForURL(/date=2026-06-23/), page.getByRole('button', { name: 'Show' }).click()]);
    expect(new URL(page.url()).searchParams.get('category')).toBe('cs.CL');
    expect(await page.locator('.count').innerText()).toMatch(/papers? in cs\.CL/);
    const cats = await page.locator('.card .cat').allInnerTexts();
    expect(cats.length).toBeGreaterThan(0);

    await switchPeriod(page, 'Weekly');
    await page.getByText('Pick a day or category').click();
    await page.getByLabel('Week containing').fill('2026-06-17');
    await Promise.all([page.waitForURL(/week=2026-W25/), page.getByRole('button', { name: 'Show' }).click()]);
    expect(new URL(page.url()).searchParams.get('category')).toBe('cs.CL');
    expectNoPageErrors(t);
    await t.close();
  });

  it('opens a category page from a card and browses it by period', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page } = t;
    await gotoPath(page, '/');
    await Promise.all([page.waitForURL(/\/categories\/cs\.DS/), page.locator('.card', { hasText: KNOWN.maths.title.slice(0, 10) }).locator('a.cat').click()]);
    expect(await page.locator('h1').innerText()).toContain('Data Structures and Algorithms');
    expect((await cardTitles(page))[0]).toContain('sorting in');
    await switchPeriod(page, 'Monthly');
    expect(page.url()).toContain('/categories/cs.DS?month=2026-07');
    expectNoPageErrors(t);
    await t.close();
  });

  it('toggles the colour theme and remembers it', async () => {
    const t = await openPage(env.browser, env.app.url);
    const { page } = t;
    await gotoPath(page, '/');
    const toggle = page.locator('.theme-toggle');
    expect(await toggle.isVisible()).toBe(true);
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    const light = await background();
    await toggle.click(); // automatic → light
    await toggle.click(); // light → dark
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    const dark = await background();
    expect(dark).not.toBe(light);
    await gotoPath(page, '/categories');
    expect(await background()).toBe(dark);
    expect(await toggle.getAttribute('aria-label')).toContain('dark');
    expectNoPageErrors(t);
    await t.close();
  });
});

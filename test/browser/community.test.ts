// The community flows in a real browser: magic-link sign-in through a loopback SMTP server, upvoting
// signed in and signed out (the vote survives the detour through sign-in), submitting a paper by
// arXiv URL (fetched from a loopback arXiv API), and opening a paper and voting with the keyboard only.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeBrowser, launchBrowser, openPage } from './browser.ts';
import { KNOWN, LATEST_DAY, startBrowserApp, type BrowserApp } from './app.ts';
import { cardTitles, expectNoPageErrors, focusedOutline, gotoPath, signInFresh, signInWithEmailedLink, tabTo, voteButtonOf, voteCountOf } from './pages.ts';
import { startTestSmtp, type TestSmtp } from '../smtp.ts';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'arxiv-api-query.xml'), 'utf8');
/** The app's clock: the day after the sample's latest day, so a submission makes "today" its own list. */
const NOW = new Date('2026-07-02T09:00:00Z');

/** A loopback stand-in for export.arxiv.org/api/query answering from the recorded fixture. */
async function startArxiv(): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(new URL(req.url!, 'http://x').searchParams.get('id_list') ?? '');
    res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(FIXTURE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/query`, hits, server };
}

describeBrowser('browser: sign in, vote, submit', () => {
  let app: BrowserApp;
  let browser: Browser;
  let smtp: TestSmtp;
  let arxiv: Awaited<ReturnType<typeof startArxiv>>;
  const votesOn = async (arxivId: string) =>
    Number(
      (await app.store.db.selectFrom('vote').innerJoin('paper', 'paper.id', 'vote.paper_id').where('paper.arxiv_id', '=', arxivId)
        .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    );

  beforeAll(async () => {
    [smtp, arxiv] = await Promise.all([startTestSmtp(), startArxiv()]);
    [app, browser] = await Promise.all([startBrowserApp({ now: () => NOW }, { SMTP_URL: smtp.url, ARXIV_API_URL: arxiv.url }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await smtp?.close();
    arxiv?.server.close();
  });

  it('signs in with the magic link from the email and lands signed in', async () => {
    const t = await openPage(browser, app.url);
    const { page } = t;
    await gotoPath(page, `/?date=${LATEST_DAY}`);
    await Promise.all([page.waitForURL(/\/signin/), page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).click()]);
    expect(await page.locator('h1').innerText()).toBe('Sign in');
    await signInWithEmailedLink(page, smtp, 'Ada@Example.org');
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(await page.locator('h1').innerText()).toBe('Your account');
    expect(await page.locator('main').innerText()).toContain('Signed in as ada@example.org');
    expect(await page.locator('main').innerText()).toContain('Welcome to paperboy');
    // The header now offers the account instead of "Sign in", on every page.
    await gotoPath(page, '/categories');
    const account = page.getByRole('navigation', { name: 'Account' });
    expect(await account.getByRole('link', { name: 'Sign in' }).count()).toBe(0);
    expect(await account.locator('a[href="/account"]').count()).toBe(1);
    // The cookie is HttpOnly: page scripts cannot read the session.
    expect(await page.evaluate('document.cookie')).not.toContain('pb_session');
    expectNoPageErrors(t);
    await t.close();
  });

  it('upvotes signed in (the count changes and stays), and signed out the vote waits for sign-in', async () => {
    // Signed in: on the paper page, the count goes up in place and is still there after a reload.
    const member = await openPage(browser, app.url);
    await signInFresh(member.page, smtp, 'voter@example.org', `/papers/${KNOWN.maths.arxivId}`);
    const { page } = member;
    expect(new URL(page.url()).pathname).toBe(`/papers/${KNOWN.maths.arxivId}`);
    const button = voteButtonOf(page, KNOWN.maths.arxivId);
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    const before = await voteCountOf(page, KNOWN.maths.arxivId);
    await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
    expect(await voteCountOf(page, KNOWN.maths.arxivId)).toBe(before + 1);
    expect(await votesOn(KNOWN.maths.arxivId)).toBe(1);
    await page.reload();
    expect(await voteButtonOf(page, KNOWN.maths.arxivId).getAttribute('aria-pressed')).toBe('true');
    expect(await voteCountOf(page, KNOWN.maths.arxivId)).toBe(before + 1);
    expectNoPageErrors(member);
    await member.close();

    // Signed out: the vote button leads to sign-in, which names the paper; afterwards the vote is in.
    const visitor = await openPage(browser, app.url);
    const v = visitor.page;
    await gotoPath(v, `/?date=${LATEST_DAY}`);
    const count = await voteCountOf(v, KNOWN.maths.arxivId);
    await Promise.all([v.waitForURL(/\/signin\?/), voteButtonOf(v, KNOWN.maths.arxivId).click()]);
    expect(await v.locator('.notice').innerText()).toContain('Sign in to upvote');
    expect(await v.locator('.notice').innerText()).toContain('sorting in');
    await signInWithEmailedLink(v, smtp, 'later@example.org');
    // Back on the listing it came from, with its vote counted.
    expect(new URL(v.url()).searchParams.get('date')).toBe(LATEST_DAY);
    expect(await voteButtonOf(v, KNOWN.maths.arxivId).getAttribute('aria-pressed')).toBe('true');
    expect(await voteCountOf(v, KNOWN.maths.arxivId)).toBe(count + 1);
    expect(await votesOn(KNOWN.maths.arxivId)).toBe(2);
    expectNoPageErrors(visitor);
    await visitor.close();
  });

  it('submits a paper by arXiv URL and finds it on today\'s list with "submitted by"', async () => {
    const t = await openPage(browser, app.url);
    const { page } = t;
    await signInFresh(page, smtp, 'marie@example.org', '/account');
    await page.getByLabel('Display name').fill('Marie Curie');
    await Promise.all([page.waitForURL(/\/account/, { waitUntil: 'load' }), page.getByRole('button', { name: 'Save' }).click()]);
    expect(await page.getByRole('navigation', { name: 'Account' }).innerText()).toContain('Marie Curie');

    await Promise.all([page.waitForURL(/\/submit$/), page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Submit' }).click()]);
    await page.getByLabel('arXiv id or URL').fill('https://arxiv.org/abs/2503.01234v2');
    // While the server fetches the paper from arXiv, the button says so and cannot be clicked twice.
    // A listener added after app.js's records the state its submit handler left (kept across the navigation).
    await page.evaluate(`document.querySelector('form[data-busy]').addEventListener('submit', (e) => {
      const b = e.target.querySelector('button[type="submit"]');
      sessionStorage.setItem('busy', JSON.stringify([b.disabled, b.textContent]));
    })`);
    await Promise.all([page.waitForURL(/\/papers\/2503\.01234\?submitted=1/), page.getByRole('button', { name: 'Submit', exact: true }).click()]);
    expect(JSON.parse((await page.evaluate(`sessionStorage.getItem('busy')`)) as string)).toEqual([true, 'Fetching from arXiv…']);
    expect(arxiv.hits).toContain('2503.01234');
    expect(await page.locator('h1').innerText()).toContain('Sparse Attention');
    expect(await page.locator('main').innerText()).toContain('Thanks! The paper is on the list of Thursday, 2 July 2026');
    expect(await page.locator('main').innerText()).toContain('submitted by Marie Curie');

    // Today's list (the home page) carries it, with the submitter's name on the card.
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trending' }).click()]);
    expect(await page.locator('h1').innerText()).toBe('Thursday, 2 July 2026');
    expect((await cardTitles(page)).join('\n')).toContain('Sparse Attention');
    const card = page.locator('.card', { hasText: 'Sparse Attention' });
    expect(await card.innerText()).toContain('submitted by Marie Curie');
    expectNoPageErrors(t);
    await t.close();
  });

  it('opens a paper and upvotes it with the keyboard only', async () => {
    const t = await openPage(browser, app.url);
    const { page } = t;
    await signInFresh(page, smtp, 'keys@example.org', `/?date=${LATEST_DAY}`);
    const id = KNOWN.hostile.arxivId; // not voted on by anyone yet
    // From the top of the listing, Tab to the paper's title link and follow it.
    await page.locator('body').focus();
    await tabTo(page, (el) => el.tag === 'a' && el.href === `/papers/${id}`, 150);
    expect(await focusedOutline(page)).toMatch(/^solid [1-9]/);
    await Promise.all([page.waitForURL(`**/papers/${id}`), page.keyboard.press('Enter')]);
    // On the paper, Tab to the upvote button and press Space.
    const button = voteButtonOf(page, id);
    const before = await voteCountOf(page, id);
    await tabTo(page, (el) => el.tag === 'button' && el.text.startsWith('Upvote'));
    expect(await focusedOutline(page)).toMatch(/^solid [1-9]/);
    await page.keyboard.press('Space');
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
    expect(await voteCountOf(page, id)).toBe(before + 1);
    expect(await votesOn(id)).toBe(1);
    // Focus stays on the button, so Enter takes the vote back.
    await page.keyboard.press('Enter');
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false');
    expect(await votesOn(id)).toBe(0);
    expectNoPageErrors(t);
    await t.close();
  });
});

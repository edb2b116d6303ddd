// Small page helpers the browser flows share: say what the user does, hide the selectors.
// Add a helper here when a feature lands (signIn, upvote, submit, subscribe…) and one test per flow.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { TrackedPage } from './browser.ts';
import type { TestSmtp } from '../smtp.ts';

export async function gotoPath(page: Page, path: string): Promise<number> {
  const res = await page.goto(path, { waitUntil: 'load' });
  return res?.status() ?? 0;
}

/** The titles of the paper cards on a listing, in order. */
export async function cardTitles(page: Page): Promise<string[]> {
  return page.locator('.card-title').allInnerTexts();
}

/** Clicks a period tab ("Daily", "Weekly", "Monthly", "Hot") and waits for the new listing. */
export async function switchPeriod(page: Page, label: string): Promise<void> {
  await Promise.all([page.waitForURL(() => true, { waitUntil: 'load' }), page.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: label }).click()]);
}

/** Opens a paper from the listing by clicking its title. */
export async function openPaperFromListing(page: Page, title: string | RegExp): Promise<void> {
  await Promise.all([page.waitForURL(/\/papers\//), page.locator('.card-title a', { hasText: title }).first().click()]);
}

/** Presses Tab until the focused element matches the predicate; returns how many presses it took. */
export async function tabTo(page: Page, matches: (el: { tag: string; text: string; href: string | null }) => boolean, max = 60): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    const el = (await page.evaluate(`(() => {
      const a = document.activeElement;
      return { tag: a ? a.tagName.toLowerCase() : '', text: ((a && a.textContent) || '').trim(), href: a ? a.getAttribute('href') : null };
    })()`)) as { tag: string; text: string; href: string | null };
    if (matches(el)) return i;
  }
  throw new Error(`nothing matching was reached within ${max} Tab presses`);
}

/** The computed outline of the focused element: focus must be visible. */
export async function focusedOutline(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const s = getComputedStyle(document.activeElement || document.body);
    return s.outlineStyle + ' ' + s.outlineWidth;
  })()`);
}

/** The page does not scroll sideways (a layout wider than the viewport). */
export async function expectNoOverflow(page: Page): Promise<void> {
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  expect(overflow, `${page.url()} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
}

export function expectNoPageErrors(t: TrackedPage): void {
  expect(t.errors, 'console errors, page errors or failed requests').toEqual([]);
}

/** Types into the header search box and submits with Enter; waits for the results page. */
export async function searchFromHeader(page: Page, query: string): Promise<void> {
  const box = page.getByRole('search').first().getByRole('searchbox', { name: 'Search papers' });
  await box.click();
  await box.fill(query);
  await Promise.all([page.waitForURL(/\/search\?/), box.press('Enter')]);
}

/** The path and query of an absolute link from a mail (which points at BASE_URL, not the test server). */
export function pathOf(link: string): string {
  const u = new URL(link);
  return `${u.pathname}${u.search}`;
}

/** The first link in a mail's text part whose path starts with `prefix`. */
export function mailLink(text: string, prefix: string): string {
  const m = new RegExp(`https?://\\S+?${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\S*`).exec(text);
  if (!m) throw new Error(`no ${prefix} link in the mail:\n${text}`);
  return pathOf(m[0]);
}

/**
 * On the sign-in page: asks for a link, takes it from the loopback SMTP server, follows it and
 * confirms. Returns with the page wherever the app sends the newly signed-in visitor.
 */
export async function signInWithEmailedLink(page: Page, smtp: TestSmtp, email: string): Promise<void> {
  const before = smtp.messages.length;
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await smtp.waitFor(before + 1);
  const mail = smtp.messages.slice(before).find((m) => m.to.includes(email.toLowerCase()));
  if (!mail) throw new Error(`no sign-in mail reached ${email}`);
  expect(mail.parsed.subject).toBe('Your paperboy sign-in link');
  await gotoPath(page, mailLink(mail.parsed.text ?? '', '/signin/verify?token='));
  expect(await page.locator('main').innerText()).toContain(`Continue as ${email.toLowerCase()}?`);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/signin'), { waitUntil: 'load' }), page.locator('main').getByRole('button', { name: 'Sign in' }).click()]);
}

/** Signs in from the header's "Sign in" link and comes back to `path`. */
export async function signInFresh(page: Page, smtp: TestSmtp, email: string, path = '/'): Promise<void> {
  await gotoPath(page, `/signin?next=${encodeURIComponent(path)}`);
  await signInWithEmailedLink(page, smtp, email);
}

/** The upvote button of a paper on the current page. */
export function voteButtonOf(page: Page, arxivId: string) {
  return page.locator(`form[data-vote="${arxivId}"] button`).first();
}

export async function voteCountOf(page: Page, arxivId: string): Promise<number> {
  return Number(await page.locator(`form[data-vote="${arxivId}"] .vote-count`).first().innerText());
}

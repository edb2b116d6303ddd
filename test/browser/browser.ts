// The browser harness: Debian's Chromium driven by playwright-core, with console-error capture,
// axe-core checks and screenshots. Flows live in test/browser/*.test.ts, page helpers in pages.ts.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM_PATH);
/** Where screenshots go; gitignored, kept by CI as test artifacts. */
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', 'artifacts', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * describe() for browser suites. Without Chromium the suite is skipped and says so loudly;
 * with PAPERBOY_REQUIRE_BROWSER=1 (set by .ci/run) a missing Chromium fails the run instead.
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (browserAvailable) {
    describe(name, fn);
    return;
  }
  const message = `Chromium not found at ${CHROMIUM_PATH}: browser suite "${name}" was SKIPPED. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`;
  if (process.env.PAPERBOY_REQUIRE_BROWSER === '1') throw new Error(message);
  process.stderr.write(`\n${'!'.repeat(100)}\n!!! ${message}\n${'!'.repeat(100)}\n\n`);
  describe.skip(`${name} [SKIPPED: no Chromium]`, fn);
}

/**
 * Launches Chromium. Playwright gives every launch a fresh temporary --user-data-dir, so no state
 * survives between runs; each test opens its own context (cookies, storage) on top.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions and failed requests seen so far (CSP violations show here). */
  errors: string[];
  close(): Promise<void>;
}

/** A page in a fresh context that records every console error, page error and failed request. */
export async function openPage(browser: Browser, baseURL: string, viewport = { width: 1280, height: 900 }, opts: { javaScriptEnabled?: boolean } = {}): Promise<TrackedPage> {
  const context = await browser.newContext({ baseURL, viewport, reducedMotion: 'reduce', ...opts });
  context.setDefaultTimeout(10_000); // fail with the locator in the message, before vitest's 30 s
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // An error page's own status (404, 429…) is logged as a failed load of the document: expected.
    if (msg.text().startsWith('Failed to load resource') && msg.location().url === page.url()) return;
    errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? '';
    // Leaving a page cancels what it was still loading (its favicon, say): Chromium reports that as
    // ERR_ABORTED. A resource that really fails says so otherwise (refused, reset, or a console
    // "Failed to load resource" for an error status), and an aborted navigation still counts.
    if (reason === 'net::ERR_ABORTED' && !req.isNavigationRequest()) return;
    errors.push(`requestfailed: ${req.url()} ${reason}`);
  });
  return { page, context, errors, close: () => context.close() };
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page and returns serious and critical violations. The script is evaluated
 * over the DevTools protocol, so the page's CSP (no inline scripts) stays in force.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // In-page code is a string: this project type-checks against Node's lib, not the DOM's.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

/** Saves a screenshot (the full page unless `fullPage: false`) as artifacts/screenshots/NAME-WIDTH.png. */
export async function saveScreenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(ARTIFACTS_DIR, `${name}-${width}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? true });
  return path;
}

// The app the browser suites run against: a fresh SQLite store holding the shipped sample of real
// arXiv papers (plenty of $TeX$) plus a few papers made to order, served on 127.0.0.1:0.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { importFile } from '../../src/import/index.ts';
import { SAMPLE_FILE } from '../../src/commands/serve.ts';
import type { AppDeps } from '../../src/http/index.ts';
import { createPaper, createTestStore, startTestApp, type TestApp, type TestStore } from '../helpers.ts';
import { startTestSmtp, type TestSmtp } from '../smtp.ts';

/** The latest announced day in the sample; the home page shows it. */
export const LATEST_DAY = '2026-07-01';

export const KNOWN = {
  /** Maths in title and abstract, code and dataset links, imported upvotes: the richest card. */
  maths: { arxivId: '2607.00001', title: 'Bounds for $\\mathcal{O}(n \\log n)$ sorting in $\\mathbb{R}^d$' },
  /** Every field hostile. */
  hostile: { arxivId: '2607.00002', title: 'Hostile <img src=x onerror=alert(1)> title $<script>alert(2)</script>$' },
} as const;

export interface BrowserApp extends TestApp {
  store: TestStore;
  stop(): Promise<void>;
}

/** `config` overrides the test configuration (SMTP_URL, ARXIV_API_URL…); `extra` the app's deps. */
export async function startBrowserApp(extra: Partial<AppDeps> = {}, config: Record<string, string> = {}): Promise<BrowserApp> {
  const store = await createTestStore(config);
  await importFile(store.db, SAMPLE_FILE);
  await createPaper(store, {
    arxivId: KNOWN.maths.arxivId,
    title: KNOWN.maths.title,
    abstract: 'We prove that $x^2 + y^2 = z^2$ has many solutions and that $$\\sum_{i=1}^n i = \\frac{n(n+1)}{2}.$$ Code: https://github.com/example/sorting and data at https://huggingface.co/datasets/example/sorts',
    authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
    categories: ['cs.DS', 'math.CO'],
    announcedOn: LATEST_DAY,
    hfUpvotes: 420,
  });
  await createPaper(store, {
    arxivId: KNOWN.hostile.arxivId,
    title: KNOWN.hostile.title,
    abstract: 'Hostile $<img src=x onerror=alert(3)>$ and $\\href{javascript:alert(4)}{click}$ and <a href="javascript:alert(5)">link</a>. See javascript:alert(6)',
    authors: ['Eve <b onmouseover=alert(7)>Hacker</b>'],
    comment: '<script>alert(8)</script>',
    categories: ['cs.CR'],
    announcedOn: LATEST_DAY,
    hfUpvotes: 419,
  });
  const t = await startTestApp(store, extra);
  return {
    ...t,
    store,
    stop: async () => {
      await t.close();
      await store.cleanup();
    },
  };
}

/**
 * Starts the app and Chromium once for the enclosing describe block and closes both after it;
 * tests read `env.app` and `env.browser`.
 */
export function useBrowserApp(): { readonly app: BrowserApp; readonly browser: Browser } {
  const env = {} as { app: BrowserApp; browser: Browser };
  beforeAll(async () => {
    [env.app, env.browser] = await Promise.all([startBrowserApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.app?.stop();
  });
  return env;
}

/** useBrowserApp with mail: the app sends through a loopback SMTP server that tests read as `env.smtp`. */
export function useBrowserAppWithMail(): { readonly app: BrowserApp; readonly browser: Browser; readonly smtp: TestSmtp } {
  const env = {} as { app: BrowserApp; browser: Browser; smtp: TestSmtp };
  beforeAll(async () => {
    env.smtp = await startTestSmtp();
    [env.app, env.browser] = await Promise.all([startBrowserApp({}, { SMTP_URL: env.smtp.url }), launchBrowser()]);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.app?.stop();
    await env.smtp?.close();
  });
  return env;
}

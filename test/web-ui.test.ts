// The web UI over HTTP: safety headers, no inline script or style, hostile content, maths, category
// pages, the date-picker redirect, compression and the error pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPage } from '../src/web/pages/error.ts';
import { createPaper, createTestStore, testDialects, startTestApp, type TestApp, type TestStore } from './helpers.ts';

/** Tags in a page that carry markup we never emit: inline handlers, inline styles, foreign scripts. */
function dangerousMarkup(body: string): string[] {
  const found: string[] = [];
  for (const m of body.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const tag = m[0];
    const names = tag.replace(/"[^"]*"/g, '""'); // attribute names only: escaped values are text
    if (/\son[a-z]+\s*=/i.test(names)) found.push(tag);
    if (/\sstyle\s*=/i.test(names)) found.push(tag);
    if (/(href|src|action)\s*=\s*"\s*javascript:/i.test(tag)) found.push(tag);
    if (/^<(img|iframe|object|embed|svg(?![^>]*class="logo")|style|base|form(?![^>]*action="\/))/i.test(tag)) found.push(tag);
    if (/^<script/i.test(tag) && !/^<script src="\/static\/[a-z]+(-[a-z]+)*\.[0-9a-f]{10}\.js"( defer)?>$/.test(tag)) found.push(tag);
  }
  return found;
}

describe.each(testDialects())('web UI over HTTP on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  beforeAll(async () => {
    store = await createTestStore(dialect);
    await createPaper(store, {
      arxivId: '2606.00201',
      title: 'Sorting in $\\mathcal{O}(n \\log n)$ time',
      abstract: 'We show $x^2 + y^2 = z^2$ and $$\\sum_{i=1}^n i$$ with \\$5 to spare. Code: https://github.com/a/b',
      authors: ['Ada Lovelace'],
      categories: ['cs.DS', 'math.CO'],
      announcedOn: '2026-06-30',
      hfUpvotes: 7,
    });
    await createPaper(store, {
      arxivId: '2606.00202',
      title: 'Hostile <img src=x onerror=alert(1)> $<script>alert(2)</script>$ title',
      abstract: 'See $<img src=x onerror=alert(3)>$, $\\href{javascript:alert(4)}{click}$, <a href="javascript:alert(5)">x</a> and $\\textcolor{red}{x}$.',
      authors: ['Eve <b onmouseover=alert(6)>Hacker</b>'],
      comment: '<script>alert(7)</script> $<svg onload=alert(8)>$',
      categories: ['cs.CR'],
      announcedOn: '2026-06-30',
    });
    for (let i = 0; i < 60; i++) await createPaper(store, { title: `Filler paper ${i} about $\\alpha_${i}$`, categories: ['cs.CL'], announcedOn: '2026-06-29' });
    await createPaper(store, { title: 'A learning paper cross-listed in computation and language', categories: ['cs.LG', 'cs.CL'], announcedOn: '2026-06-29' });
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  const PAGES = ['/', '/?date=2026-06-29', '/?week=2026-W27', '/categories', '/categories/cs.DS', '/papers/2606.00201', '/papers/2606.00202', '/papers/2999.00001', '/?date=nope'];

  it('sends a strict CSP and the other safety headers on every page, error pages and assets included', async () => {
    const home = await (await fetch(`${t.url}/`)).text();
    const css = home.match(/href="(\/static\/style\.[0-9a-f]+\.css)"/)![1]!;
    for (const path of [...PAGES, css]) {
      const res = await fetch(`${t.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/(^|;)\s*script-src 'self'(;|$)/);
      expect(csp, path).toMatch(/(^|;)\s*style-src 'self'(;|$)/);
      expect(csp, path).toMatch(/default-src 'self'/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).toMatch(/object-src 'none'/);
      expect(csp, path).toMatch(/base-uri 'none'/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
    }
  });

  it('has no inline script, inline style or hostile markup on any page', async () => {
    for (const path of PAGES) {
      const body = await (await fetch(`${t.url}${path}`)).text();
      expect(dangerousMarkup(body), path).toEqual([]);
    }
  });

  it('renders hostile titles, abstracts, authors and comments as text', async () => {
    const body = await (await fetch(`${t.url}/papers/2606.00202`)).text();
    expect(body).toContain('Hostile &lt;img src=x onerror=alert(1)&gt;');
    expect(body).toContain('Eve &lt;b onmouseover=alert(6)&gt;Hacker&lt;/b&gt;');
    expect(body).toContain('&lt;script&gt;alert(7)&lt;/script&gt;');
    expect(body).toContain('$\\href{javascript:alert(4)}{click}$'); // not renderable: shown as its TeX
    expect(body).not.toMatch(/<a [^>]*href="javascript:/);
    const listing = await (await fetch(`${t.url}/?date=2026-06-30`)).text();
    expect(dangerousMarkup(listing)).toEqual([]);
    expect(listing).toContain('Hostile &lt;img');
  });

  it('renders maths as MathML with the TeX kept for copying and search', async () => {
    const body = await (await fetch(`${t.url}/papers/2606.00201`)).text();
    expect(body).toContain('<annotation encoding="application/x-tex">\\mathcal{O}(n \\log n)</annotation>');
    expect(body).toContain('<annotation encoding="application/x-tex">x^2 + y^2 = z^2</annotation>');
    expect(body).toMatch(/<math display="block"[^>]*>.*\\sum_\{i=1\}\^n i<\/annotation>/s);
    expect(body).toContain('with $5 to spare');
    expect(body).toContain('<title>Sorting in $\\mathcal{O}(n \\log n)$ time · paperboy</title>');
    expect(body).toContain('title = {Sorting in $\\mathcal{O}(n \\log n)$ time},');
    const listing = await (await fetch(`${t.url}/?date=2026-06-30`)).text();
    expect(listing).toMatch(/<h2 class="card-title"><a href="\/papers\/2606.00201">Sorting in <math>/);
  });

  it('lists categories and gives each a page with period views', async () => {
    const index = await (await fetch(`${t.url}/categories`)).text();
    expect(index).toContain('href="/categories/cs.CL"');
    expect(index).toContain('Computation and Language');
    const page = await fetch(`${t.url}/categories/cs.DS?week=2026-W27`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('cs.DS · Data Structures and Algorithms');
    expect(body).toContain('href="/papers/2606.00201"');
    expect(body).not.toContain('href="/papers/2606.00202"');
    expect(body).toContain('href="/categories/cs.DS?month=2026-06"');
    expect(body).toContain('<link rel="alternate" type="application/atom+xml"');
    expect((await fetch(`${t.url}/categories/not%20a%20category`)).status).toBe(404);
  });

  it('turns the date picker form into the canonical period URL', async () => {
    const week = await fetch(`${t.url}/?view=week&date=2026-06-30&category=cs.CL`, { redirect: 'manual' });
    expect(week.status).toBe(303);
    expect(week.headers.get('location')).toBe('/?week=2026-W27&category=cs.CL');
    const month = await fetch(`${t.url}/categories/cs.DS?view=month&date=2026-06-30`, { redirect: 'manual' });
    expect(month.headers.get('location')).toBe('/categories/cs.DS?month=2026-06');
    // Without a date (the form's empty field, or a hand-typed URL) the latest listed day's period.
    const undated = await fetch(`${t.url}/?view=week`, { redirect: 'manual' });
    expect(undated.status).toBe(303);
    expect(undated.headers.get('location')).toMatch(/^\/\?week=\d{4}-W\d\d$/);
    expect((await fetch(`${t.url}/?view=month&date=`, { redirect: 'manual' })).headers.get('location')).toMatch(/^\/\?month=\d{4}-\d\d$/);
    const bad = await fetch(`${t.url}/?view=year&date=2026-06-30`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('view must be day, week or month');
    expect((await fetch(`${t.url}/?category=%3Cb%3E`)).status).toBe(400);
  });

  it('offers the categories of the period in the filter, and pages through long lists', async () => {
    const body = await (await fetch(`${t.url}/?date=2026-06-29`)).text();
    // The filter's count is the listing's count: cross-lists included in both.
    const offered = Number(/<option value="cs.CL">cs.CL \((\d+)\)<\/option>/.exec(body)?.[1]);
    expect(offered).toBe(61);
    const listing = await (await fetch(`${t.url}/?date=2026-06-29&category=cs.CL`)).text();
    expect(listing).toMatch(new RegExp(`\\b${offered} papers\\b`));
    expect(body).toContain('href="/?date=2026-06-29&amp;page=2"');
    const page2 = await (await fetch(`${t.url}/?date=2026-06-29&page=2`)).text();
    expect((page2.match(/class="card"/g) ?? []).length).toBe(11);
  });

  it('compresses pages (brotli or gzip) and serves precompressed, immutable assets', async () => {
    const br = await fetch(`${t.url}/`, { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    const body = await br.text();
    expect(body).toContain('<!doctype html>');
    const gz = await fetch(`${t.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const plain = await fetch(`${t.url}/`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    for (const asset of body.matchAll(/(?:href|src)="(\/static\/[^"]+\.(?:css|js))"/g)) {
      const res = await fetch(`${t.url}${asset[1]}`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers a broken store with a friendly 500 page that leaks nothing', async () => {
    const broken = await createTestStore(dialect);
    const app = await startTestApp(broken);
    await broken.db.destroy();
    try {
      const res = await fetch(`${app.url}/`);
      expect(res.status).toBe(500);
      const body = await res.text();
      expect(body).toContain('Something broke');
      expect(body).toContain('href="/"');
      expect(body).not.toMatch(/sqlite|postgres|pool|stack|Error:|at .*\.ts/i);
    } finally {
      await app.close();
      await broken.cleanup().catch(() => undefined);
    }
  });
});

describe('error pages', () => {
  it('tells a rate-limited reader how long to wait', () => {
    const page = errorPage(429, 'Too many sign-in requests from this address.', { retryAfterSeconds: 30 }).value;
    expect(page).toContain('<h1 id="error-h">Slow down a little</h1>');
    expect(page).toContain('try again in 30 seconds');
    expect(errorPage(429, 'x', { retryAfterSeconds: 600 }).value).toContain('try again in 10 minutes');
    expect(page).toContain('<meta name="robots" content="noindex">');
  });

  it('escapes the message', () => {
    expect(errorPage(404, '<script>x</script>').value).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});

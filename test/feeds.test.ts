import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Parser from 'rss-parser';
import { XMLParser } from 'fast-xml-parser';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { OpenApiChecker } from './openapi-check.ts';

const HOSTILE = 'Attention <script>alert(1)</script> & "quotes" \u0007 is all you need';
const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const rss = new Parser({ customFields: { item: [['dc:creator', 'creator']] } });

describe.each(testDialects())('feeds on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  let api: OpenApiChecker;
  const get = async (path: string) => {
    const res = await fetch(`${t.url}${path}`);
    const headers = res.headers;
    const status = res.status;
    const body = (await api.check('GET', `${t.url}${path}`, res)) as string;
    return { status, headers, body };
  };

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2606.00100', title: 'Older paper', announcedOn: '2026-06-24', categories: ['cs.CL'], hfUpvotes: 1 });
    await createPaper(store, { arxivId: '2606.00101', title: HOSTILE, abstract: 'Abstract with <img src=x onerror=alert(1)> & ampersands about transformers.', authors: ['Eve <b>Hacker</b>', 'Bob'], announcedOn: '2026-06-30', categories: ['cs.CL', 'cs.LG'], hfUpvotes: 9 });
    await createPaper(store, { arxivId: 'hep-th/9901001', title: 'Strings, old style', announcedOn: '2026-06-30', categories: ['hep-th'], hfUpvotes: 2 });
    await createPaper(store, { arxivId: '2606.00102', title: 'A July transformers paper', announcedOn: '2026-07-01', categories: ['cs.CV'] });
    t = await startTestApp(store);
    api = new OpenApiChecker((await (await fetch(`${t.url}/api/openapi.json`)).json()) as Record<string, any>);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  it('serves RSS 2.0 that a real parser reads, with the required elements', async () => {
    const { status, headers, body } = await get('/feeds/weekly.rss');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const feed = await rss.parseString(body);
    expect(feed.title).toBe('paperboy: weekly trending papers');
    expect(feed.link).toBe('http://paperboy.test/?week=2026-W27');
    expect(feed.description).toContain('Week 27');
    expect(feed.items.map((i) => i.guid)).toEqual(['http://paperboy.test/papers/2606.00101', 'http://paperboy.test/papers/hep-th/9901001', 'http://paperboy.test/papers/2606.00102']);
    const first = feed.items[0]!;
    expect(first.title).toBe(HOSTILE.replace('\u0007', ''));
    expect(first.link).toBe('http://paperboy.test/papers/2606.00101');
    expect(first.isoDate).toBe('2026-06-30T00:00:00.000Z');
    expect(first.content).toContain('<img src=x'); // the text, escaped once, read back as text
    expect((first as any).creator).toBe('Eve <b>Hacker</b>, Bob');
    expect(first.categories).toEqual(['cs.CL', 'cs.LG']);
    // Raw checks a parser would forgive: escaping, the self link, RFC 822 dates.
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script&gt;');
    const doc = xmlParser.parse(body);
    expect(doc.rss['@version']).toBe('2.0');
    expect(doc.rss.channel['atom:link']).toMatchObject({ '@rel': 'self', '@href': 'http://paperboy.test/feeds/weekly.rss', '@type': 'application/rss+xml' });
    expect(doc.rss.channel.lastBuildDate).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    for (const item of doc.rss.channel.item) expect(item.guid['@isPermaLink']).toBe('true');
  });

  it('serves Atom 1.0 with ids, dates, authors and a self link', async () => {
    const { headers, body } = await get('/feeds/daily.atom');
    expect(headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = await rss.parseString(body);
    expect(feed.items.map((i: any) => i.id)).toEqual(['http://paperboy.test/papers/2606.00102']);
    const doc = xmlParser.parse(body).feed;
    expect(doc['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(doc.id).toBe('http://paperboy.test/feeds/daily');
    expect(doc.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(doc.link).toEqual(expect.arrayContaining([expect.objectContaining({ '@rel': 'self', '@href': 'http://paperboy.test/feeds/daily.atom' })]));
    expect(doc.author.name).toBe('paperboy');
    const entry = doc.entry;
    expect(entry.id).toBe('http://paperboy.test/papers/2606.00102');
    expect(entry.title['#text']).toBe('A July transformers paper');
    expect(entry.updated).toBe('2026-07-01T00:00:00Z');
    expect(entry.published).toBe('2026-07-01T00:00:00Z');
    expect(entry.summary['@type']).toBe('text');
  });

  it('serves JSON Feed 1.1', async () => {
    const { headers, body } = await get('/feeds/monthly.json');
    expect(headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = JSON.parse(body);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('paperboy: monthly trending papers');
    expect(feed.feed_url).toBe('http://paperboy.test/feeds/monthly.json');
    expect(feed.home_page_url).toBe('http://paperboy.test/?month=2026-07');
    expect(feed.items).toHaveLength(1);
    const item = feed.items[0];
    // JSON Feed 1.1: id is a string, each item has content_html or content_text, dates are RFC 3339.
    expect(typeof item.id).toBe('string');
    expect(item.content_text).toEqual(expect.any(String));
    expect(item.date_published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(item.authors).toEqual([{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }]);
    expect(item.external_url).toBe('https://arxiv.org/abs/2606.00102');
  });

  it('serves category feeds for the last 7 days in any format', async () => {
    const feed = await rss.parseString((await get('/feeds/category/cs.CL.atom')).body);
    // 2606.00100 (announced 2026-06-24) is 8 days before the latest day, 2026-07-01: outside the window.
    expect(feed.items.map((i: any) => i.id)).toEqual(['http://paperboy.test/papers/2606.00101']);
    const old = JSON.parse((await get('/feeds/category/hep-th.json')).body);
    expect(old.items.map((i: any) => i.id)).toEqual(['http://paperboy.test/papers/hep-th/9901001']);
    const none = await rss.parseString((await get('/feeds/category/math.GT.rss')).body);
    expect(none.items).toEqual([]);
  });

  it('serves a feed for any search', async () => {
    const { body } = await get('/feeds/search.rss?q=transformers');
    const feed = await rss.parseString(body);
    expect(feed.title).toBe('paperboy search: transformers');
    expect(feed.link).toBe('http://paperboy.test/search?q=transformers');
    expect(feed.items.map((i) => i.guid)).toEqual(['http://paperboy.test/papers/2606.00102', 'http://paperboy.test/papers/2606.00101']);
    const doc = xmlParser.parse(body);
    expect(doc.rss.channel['atom:link']['@href']).toBe('http://paperboy.test/feeds/search.rss?q=transformers');
    const json = JSON.parse((await get('/feeds/search.json?q=100%25_x')).body);
    expect(json.items).toEqual([]); // no paper has both words; % and _ are not syntax
    const byAuthor = JSON.parse((await get('/feeds/search.json?q=HACKER')).body);
    expect(byAuthor.items.map((i: any) => i.url)).toEqual(['http://paperboy.test/papers/2606.00101']);
  });

  it('rejects bad feed parameters and unknown feeds', async () => {
    expect((await fetch(`${t.url}/feeds/search.rss`)).status).toBe(400);
    const empty = await fetch(`${t.url}/feeds/search.rss?q=%20`);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('q: must not be empty');
    expect((await fetch(`${t.url}/feeds/daily.xml`)).status).toBe(400);
    expect((await fetch(`${t.url}/feeds/category/not%20a%20cat.rss`)).status).toBe(400);
    expect((await fetch(`${t.url}/feeds/yearly.rss`)).status).toBe(404);
  });

  it('answers errors in the feed\'s own format, naming the parameter, never as an HTML page', async () => {
    // RSS: a real parser reads it; the description names the field.
    const rssError = await get('/feeds/search.rss?q=%20');
    expect(rssError.status).toBe(400);
    expect(rssError.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const parsed = await rss.parseString(rssError.body);
    expect(parsed.title).toBe('paperboy: feed error 400');
    expect(parsed.description).toBe('q: must not be empty');
    expect(parsed.items).toEqual([]);
    // Atom: the subtitle carries the message.
    const atomError = await get('/feeds/category/not%20a%20cat.atom');
    expect(atomError.status).toBe(400);
    expect(atomError.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const atom = xmlParser.parse(atomError.body).feed;
    expect(atom['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(atom.subtitle['#text']).toMatch(/^category: must be an arXiv category/);
    expect(atom.entry).toBeUndefined();
    // JSON Feed: valid JSON Feed 1.1, the message as description and under _error.
    const jsonError = await get('/feeds/author.json');
    expect(jsonError.status).toBe(400);
    expect(jsonError.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const json = JSON.parse(jsonError.body);
    expect(json).toMatchObject({ version: 'https://jsonfeed.org/version/1.1', items: [], _error: { status: 400 } });
    expect(json.description).toMatch(/^name: /);
    expect(json._error.message).toBe(json.description);
    // No format we know: plain text naming the field.
    const unknown = await get('/feeds/daily.xml');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(unknown.body).toMatch(/^400: format: /);
    const missing = await fetch(`${t.url}/feeds/yearly.rss`);
    expect(missing.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(await missing.text()).toContain('No feed at /feeds/yearly.rss');
    const nowhere = await fetch(`${t.url}/feeds/nothing`);
    expect([nowhere.status, nowhere.headers.get('content-type')]).toEqual([404, 'text/plain; charset=utf-8']);
    // A private feed's error does not echo its secret token.
    const revoked = await fetch(`${t.url}/feeds/private/${'s'.repeat(40)}/for-you.atom`);
    expect(revoked.status).toBe(404);
    expect(revoked.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(await revoked.text()).not.toContain('s'.repeat(40));
    const collection = await get('/collections/abc/feed.atom');
    expect([collection.status, collection.headers.get('content-type')]).toEqual([400, 'application/atom+xml; charset=utf-8']);
    expect(collection.body).toContain('id: must be a collection id');
    // Wrong method on a feed: 405 in the feed's format, with Allow.
    const post = await fetch(`${t.url}/feeds/daily.atom`, { method: 'POST' });
    expect([post.status, post.headers.get('content-type'), post.headers.get('allow')]).toEqual([405, 'application/atom+xml; charset=utf-8', 'GET, HEAD']);
    // Pages keep the HTML error page.
    const page = await fetch(`${t.url}/?date=nope`);
    expect([page.status, page.headers.get('content-type')]).toEqual([400, 'text/html; charset=utf-8']);
  });

  it('supports conditional GET and CORS', async () => {
    const first = await fetch(`${t.url}/feeds/daily.rss`);
    await first.arrayBuffer();
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(first.headers.get('cache-control')).toBe('public, max-age=900, s-maxage=1, stale-while-revalidate=30');
    const again = await fetch(`${t.url}/feeds/daily.rss`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('announces feeds on pages for autodiscovery', async () => {
    const home = await (await fetch(`${t.url}/`)).text();
    expect(home).toContain('<link rel="alternate" type="application/rss+xml" title="paperboy daily trending papers (RSS)" href="/feeds/daily.rss">');
    expect(home).toContain('type="application/atom+xml"');
    expect(home).toContain('type="application/feed+json"');
    const week = await (await fetch(`${t.url}/?week=2026-W27&category=cs.CL`)).text();
    expect(week).toContain('href="/feeds/weekly.rss"');
    expect(week).toContain('href="/feeds/category/cs.CL.atom"');
    const paper = await (await fetch(`${t.url}/papers/2606.00101`)).text();
    expect(paper).toContain('href="/feeds/category/cs.CL.rss"');
  });

  it('gives an empty store valid, empty feeds', async () => {
    const empty = await createTestStore(dialect);
    const app = await startTestApp(empty);
    try {
      for (const format of ['rss', 'atom']) {
        const res = await fetch(`${app.url}/feeds/daily.${format}`);
        expect(res.status).toBe(200);
        expect((await rss.parseString(await res.text())).items).toEqual([]);
      }
      expect(JSON.parse(await (await fetch(`${app.url}/feeds/weekly.json`)).text()).items).toEqual([]);
    } finally {
      await app.close();
      await empty.cleanup();
    }
  });
});

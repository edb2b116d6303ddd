// Rising topics end to end: weekly counts from stored key phrases and categories, the burst score,
// the /trends pages with SVG charts and tables, and the digest's "rising this week".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, periodContaining, type PaperInput, upsertPapers } from '../src/papers/index.ts';
import { findTrends } from '../src/trends/index.ts';
import { rankPapersForDigest, renderDigestContent } from '../src/digest/index.ts';
import { createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

const LATEST = '2026-06-30'; // a Tuesday: its ISO week is 2026-W27

describe.each(testDialects())('rising topics on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    const papers: Array<PaperInput & { phrases: string[] }> = [];
    let n = 0;
    const add = (day: string, category: string, phrases: string[]) =>
      papers.push({ arxivId: `2606.${String(20000 + ++n)}`, title: `Paper ${n}`, abstract: 'An abstract.', authors: ['A. Author'], categories: [category], announcedOn: day, phrases });
    // Six earlier weeks: 10 papers a week in cs.CV about image models, one in cs.CL about graphs.
    for (let w = 6; w >= 1; w--) {
      for (let i = 0; i < 10; i++) add(addDays(LATEST, -7 * w), 'cs.CV', ['image models', `topic ${w}-${i}`]);
      add(addDays(LATEST, -7 * w), 'cs.CL', ['graph search']);
    }
    // This week: the same 10 image papers, and 6 cs.CL papers about retrieval heads.
    for (let i = 0; i < 10; i++) add(LATEST, 'cs.CV', ['image models']);
    for (let i = 0; i < 6; i++) add(LATEST, 'cs.CL', ['Retrieval Heads', 'graph search']);
    // Phrases with SQL wildcards, a quote and letters SQL's lower() does not fold.
    add(addDays(LATEST, -7 * 6), 'cs.CV', ['50%_rate "quoted"', 'Ångström Maps']);
    await upsertPapers(store.db, papers.map(({ phrases: _p, ...p }) => p));
    const ids = await store.db.selectFrom('paper').select(['id', 'arxiv_id', 'content_hash']).execute();
    const byArxiv = new Map(ids.map((r) => [r.arxiv_id, r]));
    await store.db.insertInto('paper_summary').values(papers.map((p) => ({ paper_id: byArxiv.get(p.arxivId)!.id, key_phrases: JSON.stringify(p.phrases), tldr: '', source_hash: byArxiv.get(p.arxivId)!.content_hash, computed_at: '2026-07-01T00:00:00.000Z' }))).execute();
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  it('finds the phrase and the category that rose this week, not the steady ones', async () => {
    const trends = (await findTrends(store.db))!;
    expect(trends.asOf).toBe(LATEST);
    expect(trends.weeks.at(-1)).toBe('2026-W27');
    expect(trends.totals.at(-1)).toBe(16);
    expect(trends.phrases.map((p) => p.topic)).toEqual(['Retrieval Heads', 'graph search']);
    expect(trends.phrases[0]!.series.counts.at(-1)).toBe(6);
    expect(trends.categories.map((c) => c.topic)).toEqual(['cs.CL']);
  });

  it('renders /trends with an SVG chart and a table for each rising topic, linking to the topic page', async () => {
    const res = await fetch(`${t.url}/trends`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<a id="phrase-0" class="trend-name" href="/trends/topic?phrase=Retrieval+Heads">Retrieval Heads</a>');
    expect(page).toMatch(/<svg class="chart" viewBox="0 0 168 40" width="168" height="40" role="img" aria-label="Retrieval Heads: papers \(bars\) and votes \(line\) per week\. [^"]*2026-W27: 6 papers, 0 votes"/);
    expect(page).toContain('<th scope="row">2026-W27</th><td>6</td>');
    expect(page).not.toMatch(/style=|<script>/); // nothing the CSP would block
    expect(page).toContain('Rising categories');
    const inCategory = await (await fetch(`${t.url}/trends?category=cs.CV`)).text();
    expect(inCategory).toContain('No key phrase is rising this week.');
    const bad = await fetch(`${t.url}/trends?category=not%20a%20category`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('category must be an arXiv category');
  });

  it('shows a topic over the weeks with its papers, and 404s an unknown phrase', async () => {
    const page = await (await fetch(`${t.url}/trends/topic?phrase=retrieval%20heads`)).text();
    expect(page).toContain('<h1>Retrieval Heads</h1>');
    expect(page).toContain('viewBox="0 0 640 180"');
    expect(page.match(/<article class="card">/g)).toHaveLength(6);
    expect((await fetch(`${t.url}/trends/topic?phrase=nothing%20like%20this`)).status).toBe(404);
    expect((await (await fetch(`${t.url}/trends/topic?phrase=GRAPH%20search`)).text()).match(/<article class="card">/g)).toHaveLength(12);
    for (const wildcard of ['%25', '_', '%25_rate', 'graph%25']) expect((await fetch(`${t.url}/trends/topic?phrase=${wildcard}`)).status).toBe(404);
    for (const odd of ['50%_rate "quoted"', 'ångström maps']) {
      const res = await fetch(`${t.url}/trends/topic?${new URLSearchParams({ phrase: odd })}`);
      expect(res.status).toBe(200);
      expect((await res.text()).match(/<article class="card">/g)).toHaveLength(1);
    }
    expect((await fetch(`${t.url}/trends/topic`)).status).toBe(400);
  });

  it('puts the rising phrases in the digest', async () => {
    const period = periodContaining('day', LATEST);
    const papers = await rankPapersForDigest(store.db, period);
    const rising = (await findTrends(store.db))!.phrases.map((p) => p.topic);
    const content = renderDigestContent({ frequency: 'daily', period, papers, baseUrl: 'https://pb.example', rising });
    expect(content.text).toContain('Rising this week: Retrieval Heads · graph search');
    expect(content.html).toContain('https://pb.example/trends/topic?phrase=Retrieval+Heads');
  });
});

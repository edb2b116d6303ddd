// Screenshots of what the around-the-paper jobs add (a listing with thumbnails and chips, a paper
// page, /trends) on the shipped sample, with PDFs and GitHub answers from loopback servers (PDFs
// made by src/bench/fixture-pdf.ts, stars derived from the repository name): no network.
// Usage: npx tsx scripts/around-screenshots.ts OUT_DIR
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { openStore } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { importFile } from '../src/import/index.ts';
import { runSummaries } from '../src/summary/index.ts';
import { makeThumbnails } from '../src/thumbnails/index.ts';
import { refreshStars } from '../src/repos/index.ts';
import { latestAnnouncedOn } from '../src/papers/index.ts';
import { samplePaperPdf } from '../src/bench/fixture-pdf.ts';
import { buildOwnApp } from '../src/app.ts';

const out = process.argv[2] ?? 'artifacts/around';
const dir = mkdtempSync(join(tmpdir(), 'around-shots-'));
const listen = async (handler: Parameters<typeof createServer>[1]) => {
  const s = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, close: () => s.close() };
};
const pdfs = await listen((req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(samplePaperPdf(`arXiv ${req.url!.split('/').pop()}`)));
const gh = await listen((req, res) => {
  const name = req.url!.replace('/repos/', '');
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ full_name: name, stargazers_count: h % 5000, pushed_at: '2026-07-01T00:00:00Z' }));
});
const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, DATA_DIR: dir, PAPERBOY_SAMPLE: 'off', LOG_LEVEL: 'silent', EMBEDDINGS: 'off', ARXIV_MIN_INTERVAL_MS: '0', ARXIV_PDF_URL: `${pdfs.url}/pdf/`, THUMBNAIL_DAYS: '0', GITHUB_API_URL: gh.url, BASE_URL: 'http://localhost:3000' });
const store = await openStore(config);
await migrateToLatest(store.db);
await importFile(store.db, 'sample/arxiv-sample.jsonl.gz', {});
const latest = (await latestAnnouncedOn(store.db))!;
// Throughput is measured by `paperboy bench around`; here the jobs only fill the pages.
await runSummaries({ db: store.db, log: silentLogger, now: () => new Date(), around: config.around });
await makeThumbnails({ db: store.db, config, log: silentLogger, now: () => new Date(`${latest}T12:00:00Z`) });
await refreshStars({ db: store.db, around: config.around, log: silentLogger, now: () => new Date() });
const { app } = await buildOwnApp({ config, log: silentLogger, db: store.db, now: () => new Date(), secret: 'screenshot-secret-0123456789' });
const url = await app.listen({ port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const firstPaper = /href="\/papers\/([^"]+)"/.exec(await (await fetch(`${url}/?date=${latest}`)).text())![1];
for (const width of [390, 1280]) {
  const page = await browser.newPage({ viewport: { width, height: width === 390 ? 844 : 900 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  for (const [name, path] of [['listing', `/?date=${latest}`], ['paper', `/papers/${firstPaper}`], ['trends', '/trends']] as const) {
    await page.goto(`${url}${path}`, { waitUntil: 'networkidle' });
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    await page.screenshot({ path: join(out, `${name}-${width}.png`) });
    console.log(`${name}-${width}.png overflow=${overflow} console_errors=${errors.length}`);
  }
  await page.close();
}
await browser.close();
await app.close();
await store.close();
pdfs.close();
gh.close();

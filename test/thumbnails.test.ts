// Thumbnails end to end: the thumbnails job against a loopback "arXiv" serving a PDF made here,
// real pdftoppm, files under DATA_DIR, the image route, cards, the paper page and the API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { addDays, isoDay, upsertPapers } from '../src/papers/index.ts';
import { makeThumbnails, pngSize } from '../src/thumbnails/index.ts';
import { samplePaperPdf } from '../src/bench/fixture-pdf.ts';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

/** A loopback arXiv PDF server: what each path answers, and when each request arrived. */
async function startPdfServer(routes: Record<string, (res: import('node:http').ServerResponse) => void>) {
  const hits: Array<{ path: string; at: number }> = [];
  const server: Server = createServer((req, res) => {
    hits.push({ path: req.url!, at: Date.now() });
    const route = routes[req.url!];
    if (route) route(res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pdf/`, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(testDialects())('thumbnails on %s', (dialect) => {
  const today = isoDay(new Date());
  const pdf = samplePaperPdf('Thumbnails of First Pages');
  let pdfServer: Awaited<ReturnType<typeof startPdfServer>>;
  let store: TestStore;
  let t: TestApp;
  let flaky = 0;

  beforeAll(async () => {
    pdfServer = await startPdfServer({
      '/pdf/2612.00001v1': (res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf),
      '/pdf/2612.00001v2': (res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(samplePaperPdf('Second Version', 2)),
      '/pdf/2612.00003v1': (res) => res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(50 * 1_048_576) }).end(),
      '/pdf/2612.00004v1': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captcha</html>'),
      '/pdf/2612.00005v1': (res) => (++flaky <= 3 ? res.writeHead(500).end('oops') : res.writeHead(200).end(pdf)),
    });
    store = await createTestStore(dialect, { THUMBNAILS: 'on', ARXIV_PDF_URL: pdfServer.url, ARXIV_MIN_INTERVAL_MS: '40', THUMBNAIL_MAX_PDF_MB: '1', THUMBNAIL_WIDTH: '200' });
    for (const n of [1, 2, 3, 4, 5]) await createPaper(store, { arxivId: `2612.0000${n}`, title: `Recent paper ${n}`, announcedOn: today });
    await createPaper(store, { arxivId: '2601.00009', title: 'Old paper', announcedOn: addDays(today, -40) });
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await pdfServer.close();
  });

  const run = (now = new Date()) => makeThumbnails({ db: store.db, config: store.config, log: silentLogger, now: () => now });

  it('renders recent papers\' first pages politely, and records what could not be had', async () => {
    const counts = await run();
    expect(counts).toEqual({ ready: 1, unavailable: 3, failed: 1 });
    const paths = pdfServer.hits.map((h) => h.path);
    expect(paths).not.toContain('/pdf/2601.00009v1'); // older than THUMBNAIL_DAYS
    // One request at a time, ARXIV_MIN_INTERVAL_MS apart (the harvester's client).
    for (let i = 1; i < pdfServer.hits.length; i++) expect(pdfServer.hits[i]!.at - pdfServer.hits[i - 1]!.at).toBeGreaterThanOrEqual(35);
    const rows = await store.db.selectFrom('paper_thumbnail').innerJoin('paper', 'paper.id', 'paper_thumbnail.paper_id').select(['arxiv_id', 'status', 'file', 'width', 'height', 'error']).orderBy('arxiv_id').execute();
    expect(rows.map((r) => [r.arxiv_id, r.status])).toEqual([
      ['2612.00001', 'ready'],
      ['2612.00002', 'unavailable'],
      ['2612.00003', 'unavailable'],
      ['2612.00004', 'unavailable'],
      ['2612.00005', 'failed'],
    ]);
    expect(rows[0]).toMatchObject({ width: 200, height: 259 });
    expect(rows[2]!.error).toContain('larger than 1 MB');
    expect(existsSync(join(store.config.dataDir, 'thumbnails', rows[0]!.file!))).toBe(true);
  });

  it('asks for nothing again until a failure\'s wait is over, then retries it', async () => {
    const before = pdfServer.hits.length;
    expect(await run()).toEqual({ ready: 0, unavailable: 0, failed: 0 });
    expect(pdfServer.hits.length).toBe(before);
    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(await run(later)).toEqual({ ready: 1, unavailable: 0, failed: 0 });
  });

  it('renders a new version again', async () => {
    await upsertPapers(store.db, [{ arxivId: '2612.00001', version: 2, title: 'Recent paper 1', abstract: 'v2', authors: ['Ada Lovelace'], categories: ['cs.CL'], announcedOn: today }]);
    expect((await run()).ready).toBe(1);
    expect(pdfServer.hits.at(-1)!.path).toBe('/pdf/2612.00001v2');
  });

  it('serves the image with its size on cards, the paper page and in the HF-shaped API', async () => {
    const home = await (await fetch(`${t.url}/?date=${today}`)).text();
    const row = await store.db.selectFrom('paper_thumbnail').innerJoin('paper', 'paper.id', 'paper_thumbnail.paper_id').select('file').where('arxiv_id', '=', '2612.00001').executeTakeFirstOrThrow();
    const img = ['', `/thumbnails/${row.file}`];
    expect(home).toContain(`<img class="card-thumb" src="${img[1]}" width="200" height="259" loading="lazy" decoding="async" alt="First page of the paper">`);
    const res = await fetch(`${t.url}${img![1]}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(pngSize(Buffer.from(await res.arrayBuffer()))).toEqual({ width: 200, height: 259 });
    const page = await (await fetch(`${t.url}/papers/2612.00001`)).text();
    expect(page).toContain(`<img class="paper-thumb" src="${img![1]}"`);
    const api = (await (await fetch(`${t.url}/api/daily_papers?date=${today}`)).json()) as any[];
    const withThumb = api.find((i) => i.paper.id === '2612.00001');
    expect(withThumb.thumbnail).toBe(`http://paperboy.test${img![1]}`);
    expect(withThumb.paper.mediaUrls).toEqual([`http://paperboy.test${img![1]}`]);
    const without = api.find((i) => i.paper.id === '2612.00002');
    expect(without.thumbnail).toMatch(/favicon/);
    expect(without.paper.mediaUrls).toBeUndefined();
    // A card without a thumbnail has no image at all.
    expect(home.match(/class="card-thumb"/g)).toHaveLength(2);
  });

  it('answers 404 for names that are not thumbnails', async () => {
    expect((await fetch(`${t.url}/thumbnails/..%2Ftest.db`)).status).toBe(404);
    expect((await fetch(`${t.url}/thumbnails/${'0'.repeat(32)}.png`)).status).toBe(404);
  });
});

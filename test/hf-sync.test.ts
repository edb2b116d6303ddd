// Hugging Face's daily papers as a prior: hf-sync against a loopback server replaying a saved
// response, the import keeping what HF JSON carries, and re-importing an HF paper's own export.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { syncHfDailyPapers } from '../src/huggingface/index.ts';
import { importFile } from '../src/import/index.ts';
import { ensureUser } from '../src/accounts/index.ts';
import { setVote } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { createPaper, createTestStore, startTestApp, testConfig, testDialects, type TestApp, type TestStore } from './helpers.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'hf-daily-papers.json');

describe.each(testDialects())('Hugging Face sync on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  let server: ReturnType<typeof createServer>;
  let url: string;
  const asked: string[] = [];
  let failures = 0;

  beforeAll(async () => {
    const saved = readFileSync(FIXTURE, 'utf8');
    server = createServer((req, res) => {
      asked.push(req.url!);
      const day = new URL(req.url!, 'http://x').searchParams.get('date');
      if (day === '2025-06-12' && ++failures <= 1) return res.writeHead(503, { 'retry-after': '0' }).end('busy');
      res.writeHead(200, { 'content-type': 'application/json' }).end(day === '2025-06-13' ? saved : '[]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/daily_papers`;
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2506.11111', title: 'Compilers That Explain Themselves', authors: ['Grace Hopper', 'Edsger Dijkstra'], announcedOn: '2025-06-13', hfUpvotes: 1 });
    const voter = await ensureUser(store.db, 'voter@example.org', new Date());
    const paper = (await findPaperByArxivId(store.db, '2506.11111'))!;
    await setVote(store.db, voter.id, paper.id, true, new Date());
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('records HF upvotes, comments, submitter and GitHub link for papers it has, and leaves local votes alone', async () => {
    const around = testConfig({ HF_DAILY_PAPERS_URL: url, HF_SYNC_DAYS: '2' }).around;
    const r = await syncHfDailyPapers({ db: store.db, around, log: silentLogger, now: () => new Date('2025-06-13T12:00:00Z'), retryBaseMs: 5 });
    expect(r).toEqual({ days: 2, items: 3, recorded: 1, skipped: 2, failedDays: [] });
    expect(asked.filter((a) => a.includes('date=2025-06-12'))).toHaveLength(2); // the 503 was retried
    const items = (await (await fetch(`${t.url}/api/daily_papers?date=2025-06-13`)).json()) as any[];
    expect(items).toHaveLength(1);
    expect(items[0].paper.upvotes).toBe(43); // 42 from HF + 1 local vote
    expect(items[0].paperboy.upvotes).toEqual({ local: 1, hf: 42 });
    expect(items[0].numComments).toBe(3);
    expect(items[0].submittedBy).toMatchObject({ name: 'akhaliq', fullname: 'AK' });
    expect(await store.db.selectFrom('vote').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 1 });
  });

  it('filters /api/daily_papers by HF submitter', async () => {
    const mine = (await (await fetch(`${t.url}/api/daily_papers?date=2025-06-13&submitter=akhaliq`)).json()) as any[];
    expect(mine.map((i) => i.paper.id)).toEqual(['2506.11111']);
    const none = await fetch(`${t.url}/api/daily_papers?date=2025-06-13&submitter=someone-else`);
    expect(none.headers.get('x-total-count')).toBe('0');
    expect((await fetch(`${t.url}/api/daily_papers?submitter=`)).status).toBe(400);
  });

  it('keeps hidden authors from an HF import, and an HF paper re-imports from its own export', async () => {
    const hfFile = join(store.dir, 'hf.json');
    writeFileSync(hfFile, JSON.stringify([{ paper: { id: '2506.33333', title: 'Hidden Helpers', summary: 'An abstract.', upvotes: 5, authors: [{ name: 'Shown Author', hidden: false }, { name: 'Quiet Author', hidden: true }] }, publishedAt: '2025-06-14T00:00:00.000Z', numComments: 2, submittedBy: { name: 'someone', fullname: 'Some One' } }]));
    const first = await importFile(store.db, hfFile, {});
    expect(first.new).toBe(1);
    const items = (await (await fetch(`${t.url}/api/daily_papers?date=2025-06-14`)).json()) as any[];
    expect(items[0].paper.authors.map((a: any) => a.hidden)).toEqual([false, true]);
    expect(items[0].submittedBy.name).toBe('someone');
    // Its canonical export has no categories (HF gives none); importing it must work and change nothing.
    const p = (await findPaperByArxivId(store.db, '2506.33333'))!;
    const exported = join(store.dir, 'export.jsonl');
    writeFileSync(exported, `${JSON.stringify({ arxiv_id: p.arxivId, version: p.version, title: p.title, abstract: p.abstract, authors: p.authors, categories: p.categories, announced_on: p.announcedOn, hf_upvotes: p.hfUpvotes })}\n`);
    expect(p.categories).toEqual([]);
    const again = await importFile(store.db, exported, {});
    expect(again).toMatchObject({ rejected: 0, unchanged: 1 });
  });
});

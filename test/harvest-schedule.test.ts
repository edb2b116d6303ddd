import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { harvestArxiv, harvestIsDue, harvestStatus, nextHarvestTimes } from '../src/harvest/index.ts';
import { createMailer } from '../src/mail/index.ts';
import { startJobQueue, type JobQueue } from '../src/jobs/index.ts';
import { silentLogger } from '../src/log.ts';
import { loadConfig } from '../src/config.ts';
import { createTestStore, spawnServe, startTestApp, tempDir, type TestStore } from './helpers.ts';
import { oaiPages, startReplayServer, type ReplayServer } from './oai-server.ts';

let server: ReplayServer | undefined;
let store: TestStore | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await store?.cleanup();
  store = undefined;
});

describe('harvest schedule', () => {
  it('defaults to 20:00 US Eastern, Sunday to Thursday, across daylight saving', () => {
    const times = nextHarvestTimes('0 20 * * 0-4', 6, new Date('2025-03-06T12:00:00Z')).map((d) => d.toISOString());
    // Thu 6 Mar (EST, 01:00 UTC), skip Fri/Sat, Sun 9 Mar is the first EDT day (00:00 UTC).
    expect(times).toEqual([
      '2025-03-07T01:00:00.000Z', '2025-03-10T00:00:00.000Z', '2025-03-11T00:00:00.000Z',
      '2025-03-12T00:00:00.000Z', '2025-03-13T00:00:00.000Z', '2025-03-14T00:00:00.000Z',
    ]);
    expect(nextHarvestTimes('off', 3)).toEqual([]);
    expect(() => loadConfig({ HARVEST_CRON: 'every day' })).toThrow(/HARVEST_CRON: expected a cron pattern/);
    expect(loadConfig({ HARVEST_CRON: 'OFF' }).harvestCron).toBe('off');
  });

  it('runs harvests as queue jobs on the schedule without overlapping ticks, and stops cleanly', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    server = await startReplayServer((url) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => inFlight--, 700);
      return { ...oaiPages(url), delayMs: 700 };
    });
    store = await createTestStore({ ARXIV_OAI_URL: server.url, HARVEST_CRON: '* * * * * *', DIGEST_DAILY_CRON: 'off', DIGEST_WEEKLY_CRON: 'off' });
    const mailer = createMailer(store.config, silentLogger);
    let queue: JobQueue | undefined;
    try {
      queue = await startJobQueue({ config: store.config, log: silentLogger, db: store.db, now: () => new Date(), secret: 's'.repeat(32), mailer }, { work: true });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && !(await harvestStatus(store.db)).runs.some((r) => r.status === 'succeeded')) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await queue?.stop();
      await mailer.close();
    }
    const status = await harvestStatus(store.db);
    expect(status.runs.some((r) => r.status === 'succeeded' && r.trigger === 'schedule' && r.new === 6)).toBe(true);
    expect(maxInFlight).toBe(1);
    expect(status.running).toBeUndefined();
    expect(status.runs.every((r) => r.status !== 'running')).toBe(true);
  });

  it('is due after a scheduled time passed since the last harvest began, never on a fresh instance', async () => {
    store = await createTestStore();
    const cron = '0 20 * * 0-4';
    // Thu 5 Mar 2026 21:00 New York: the 20:00 run is past.
    const at = new Date('2026-03-06T02:00:00Z');
    expect(await harvestIsDue(store.db, cron, at)).toBe(false);
    await store.db.insertInto('harvest_run').values({ trigger: 'schedule', status: 'succeeded', sets: 'cs', from_day: null, until_day: null, started_at: '2026-03-05T01:00:00.000Z', finished_at: null, pages: 0, fetched: 0, new: 0, updated: 0, unchanged: 0, withdrawn: 0, skipped: 0, error: null, problems: '[]' }).execute();
    expect(await harvestIsDue(store.db, cron, at)).toBe(true);
    expect(await harvestIsDue(store.db, 'off', at)).toBe(false);
    // Started after 20:00 New York (01:00 UTC the next day): nothing missed.
    expect(await harvestIsDue(store.db, cron, new Date('2026-03-05T03:00:00Z'))).toBe(false);
  });

  it('says where the papers came from before any harvest, and explains a failed run in words', async () => {
    store = await createTestStore();
    await store.db.insertInto('harvest_run').values({ trigger: 'schedule', status: 'failed', sets: 'cs', from_day: null, until_day: null, started_at: '2026-03-05T01:00:00.000Z', finished_at: '2026-03-05T01:00:03.000Z', pages: 0, fetched: 0, new: 0, updated: 0, unchanged: 0, withdrawn: 0, skipped: 0, error: 'TypeError: fetch failed (getaddrinfo ENOTFOUND export.arxiv.org)', problems: '[]' }).execute();
    const app = await startTestApp(store);
    try {
      const page = await (await fetch(`${app.url}/status`)).text();
      expect(page).toContain('Nothing harvested from arXiv yet');
      expect(page).toContain('arXiv could not be reached (network or DNS)');
      expect(page).toContain('<pre>TypeError: fetch failed (getaddrinfo ENOTFOUND export.arxiv.org)</pre>');
      expect(page).toContain('5 Mar 2026, 01:00 UTC');
    } finally {
      await app.close();
    }
  });

  it('shows runs, counts and escaped problems on /status', async () => {
    server = await startReplayServer(oaiPages);
    store = await createTestStore({ ARXIV_OAI_URL: server.url });
    await harvestArxiv(store.db, store.config, { from: '2025-03-03', trigger: 'cli', log: silentLogger });
    const app = await startTestApp(store);
    try {
      const res = await fetch(`${app.url}/status`);
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain('<h1>Harvest status</h1>');
      expect(page).toMatch(/<td>cli<\/td><td>cs<\/td><td class="run-succeeded">succeeded<\/td><td>3<\/td><td>8<\/td><td>6<\/td><td>0<\/td><td>0<\/td><td>1<\/td>/);
      expect(page).toContain('2503.01777: empty &lt;title&gt;');
      expect(page).toContain('<code>0 20 * * 0-4</code> (America/New_York)');
      expect(page).toMatch(/<td>cs<\/td><td>2025-03-05<\/td><td>—<\/td>/);
      expect(page).toMatch(/<strong>6<\/strong> papers in the store, the newest announced on <time datetime="2025-03-\d\d">\d+ Mar 2025<\/time>/);
      // Times read as people write them, machine-readable in datetime.
      expect(page).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d+ \w{3} \d{4}, \d\d:\d\d UTC<\/time>/);
    } finally {
      await app.close();
    }
  });
});

describe('paperboy serve', () => {
  it('harvests on HARVEST_CRON inside serve and shows the run on /status', { timeout: 90_000 }, async () => {
    server = await startReplayServer(oaiPages);
    const { dir, cleanup } = tempDir();
    const serve = await spawnServe({
      PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'p.db')}`, DATA_DIR: dir, LOG_LEVEL: 'warn',
      PAPERBOY_SAMPLE: 'off', ARXIV_OAI_URL: server.url, ARXIV_MIN_INTERVAL_MS: '0', HARVEST_CRON: '*/2 * * * * *',
    });
    const url = serve.url;
    try {
      let page = '';
      for (let i = 0; i < 100 && !page.includes('run-succeeded'); i++) {
        await new Promise((r) => setTimeout(r, 200));
        page = await (await fetch(`${url}/status`)).text();
      }
      expect(page).toMatch(/<td>schedule<\/td><td>cs<\/td><td class="run-succeeded">succeeded<\/td><td>3<\/td><td>8<\/td><td>6<\/td>/);
      expect(server.requests[0]!.url.searchParams.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    } finally {
      await serve.stop();
      cleanup();
    }
  });
});

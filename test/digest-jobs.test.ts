// Digests as queue jobs: rendered on their cron, sent by digest-send, each message once however many
// processes run jobs; and the cron settings.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createMailer, type Mailer } from '../src/mail/index.ts';
import { createLogger, silentLogger } from '../src/log.ts';
import { digestIsDue, DIGEST_RENDER_JOBS } from '../src/digest/index.ts';
import { startJobQueue, type JobQueue } from '../src/jobs/index.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const SECRET = 'digest-jobs-secret-0123456789abcdef';

async function subscribe(store: TestStore, email: string, frequency = 'daily') {
  const at = new Date().toISOString();
  await store.db.insertInto('subscription').values({ email, frequency, topics: '{"categories":[],"keywords":[],"authors":[]}', status: 'active', created_at: at, updated_at: at }).execute();
}

describe.each(testDialects())('digest jobs on %s', (dialect) => {
  let smtp: TestSmtp | undefined;
  let store: TestStore | undefined;
  const queues: JobQueue[] = [];
  const mailers: Mailer[] = [];
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop(5_000);
    for (const m of mailers.splice(0)) await m.close();
    await smtp?.close();
    await store?.cleanup();
    smtp = undefined;
    store = undefined;
  });

  const worker = async (s: TestStore, work = true) => {
    const mailer = createMailer(s.config, silentLogger);
    mailers.push(mailer);
    const q = await startJobQueue({ config: s.config, log: silentLogger, db: s.db, now: () => new Date(), secret: SECRET, mailer }, { work, pollingIntervalSeconds: 0.5 });
    queues.push(q);
    return q;
  };

  it('a digest-daily job enqueued by a web process is rendered and sent once, though two workers run jobs', async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url, DIGEST_DAILY_CRON: 'off', DIGEST_WEEKLY_CRON: 'off', HARVEST_CRON: 'off', EMBEDDINGS: 'off' });
    await createPaper(store, { title: 'Queued paper', announcedOn: '2026-06-30' });
    for (let i = 0; i < 12; i++) await subscribe(store, `reader${i}@example.org`);
    // On SQLite jobs run in the process that enqueues; on PostgreSQL any worker takes them.
    const workers = dialect === 'postgres' ? [await worker(store), await worker(store)] : [await worker(store)];
    const web = dialect === 'postgres' ? await worker(store, false) : workers[0]!;
    expect(await web.enqueue(DIGEST_RENDER_JOBS.daily, {})).toEqual(expect.any(String));
    await smtp.waitFor(12, 30_000);
    for (const w of workers) await w.drain(30_000);
    // Render and send again: the outbox already holds every row, nothing goes twice.
    await web.enqueue(DIGEST_RENDER_JOBS.daily, {});
    await web.enqueue('digest-send', {});
    for (const w of workers) await w.drain(30_000);
    await new Promise((r) => setTimeout(r, 500));
    const to = smtp.messages.map((m) => m.to[0]).sort();
    expect(to).toEqual([...Array(12).keys()].map((i) => `reader${i}@example.org`).sort());
    expect(smtp.messages[0]!.parsed.subject).toBe('paperboy daily: 1 paper for Tue, 30 Jun 2026');
    const rows = await store.db.selectFrom('digest_outbox').select(['state']).execute();
    expect(rows.map((r) => r.state)).toEqual(Array(12).fill('sent'));
  });

  it('is due after the cron fired since the last run began, never before a first run', async () => {
    store = await createTestStore(dialect);
    const cron = '0 7 * * *';
    const at = new Date('2026-07-02T09:00:00Z');
    expect(await digestIsDue(store.db, 'daily', cron, at)).toBe(false);
    await store.db.insertInto('digest_run').values({ frequency: 'daily', period_key: '2026-06-30', started_at: '2026-07-01T07:00:01.000Z', rendered_at: '2026-07-01T07:00:02.000Z' }).execute();
    expect(await digestIsDue(store.db, 'daily', cron, at)).toBe(true);
    expect(await digestIsDue(store.db, 'daily', cron, new Date('2026-07-01T20:00:00Z'))).toBe(false);
    expect(await digestIsDue(store.db, 'weekly', cron, at)).toBe(false);
    expect(await digestIsDue(store.db, 'daily', 'off', at)).toBe(false);
  });
});

describe('digest schedule in-process (SQLite)', () => {
  it('sends the daily digest on its cron, once, and stops cleanly', async () => {
    const smtp = await startTestSmtp();
    const store = await createTestStore({ SMTP_URL: smtp.url, DIGEST_DAILY_CRON: '* * * * * *', DIGEST_WEEKLY_CRON: 'off', HARVEST_CRON: 'off', EMBEDDINGS: 'off' });
    const mailer = createMailer(store.config, silentLogger);
    let queue: JobQueue | undefined;
    try {
      await createPaper(store, { title: 'Scheduled paper', announcedOn: '2026-06-30' });
      await subscribe(store, 'cron@example.org');
      const rendersDone: unknown[] = [];
      const log = createLogger('info', (line) => {
        const e = JSON.parse(line) as { event: string; job?: string };
        if (e.event === 'job_done' && e.job === DIGEST_RENDER_JOBS.daily) rendersDone.push(e);
      });
      queue = await startJobQueue({ config: store.config, log, db: store.db, now: () => new Date(), secret: SECRET, mailer }, { work: true });
      const [m] = await smtp.waitFor(1, 15_000);
      expect(m!.parsed.subject).toBe('paperboy daily: 1 paper for Tue, 30 Jun 2026');
      await expect.poll(() => rendersDone.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      await queue.stop();
      queue = undefined;
      expect(smtp.messages).toHaveLength(1); // later ticks render the same period: nothing new to send
    } finally {
      await queue?.stop();
      await mailer.close();
      await smtp.close();
      await store.cleanup();
    }
  });

  it('accepts cron expressions or off, and reports a bad one', () => {
    expect(loadConfig({ DIGEST_DAILY_CRON: 'off', DIGEST_WEEKLY_CRON: '30 6 * * 1' })).toMatchObject({ digestDailyCron: 'off', digestWeeklyCron: '30 6 * * 1' });
    expect(() => loadConfig({ DIGEST_DAILY_CRON: 'at seven', SMTP_MAX_CONNECTIONS: '0' })).toThrow(ConfigError);
    try {
      loadConfig({ DIGEST_DAILY_CRON: 'at seven', SMTP_MAX_CONNECTIONS: '0' });
    } catch (err) {
      expect((err as ConfigError).problems.join('\n')).toMatch(/DIGEST_DAILY_CRON: expected a cron expression[\s\S]*SMTP_MAX_CONNECTIONS: expected an integer/);
    }
  });
});

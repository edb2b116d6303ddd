import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createMailer } from '../src/mail/index.ts';
import { silentLogger } from '../src/log.ts';
import { DigestScheduler } from '../src/digest/index.ts';
import { startTestSmtp } from './smtp.ts';
import { createPaper, createTestStore } from './helpers.ts';

describe('digest scheduler', () => {
  it('sends the daily digest on its cron and stops cleanly', async () => {
    const smtp = await startTestSmtp();
    const store = await createTestStore({ SMTP_URL: smtp.url });
    const mailer = createMailer(store.config, silentLogger);
    try {
      await createPaper(store, { title: 'Scheduled paper', announcedOn: '2026-06-30' });
      const at = new Date().toISOString();
      await store.db.insertInto('subscription').values({ email: 'cron@example.org', frequency: 'daily', topics: '{"categories":[],"keywords":[],"authors":[]}', status: 'active', created_at: at, updated_at: at }).execute();
      const scheduler = new DigestScheduler(store.db, mailer, {
        dailyCron: '* * * * * *', weeklyCron: 'off', secret: 'sched-secret-0123456789', baseUrl: store.config.baseUrl, mailFrom: store.config.mailFrom, log: silentLogger,
      });
      scheduler.start();
      const [m] = await smtp.waitFor(1, 15_000);
      await scheduler.stop();
      expect(m!.parsed.subject).toBe('paperboy daily: 1 paper for Tue, 30 Jun 2026');
      await new Promise((r) => setTimeout(r, 1500));
      expect(smtp.messages).toHaveLength(1); // later ticks find nothing new, and stop() stopped them
    } finally {
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

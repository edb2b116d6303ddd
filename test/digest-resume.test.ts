// kill -9 in the middle of `paperboy digest send`, then run it again: nobody skipped, no digest twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
const SUBSCRIBERS = 600;

describe.each(testDialects())('digest send after kill -9 on %s', (dialect) => {
  let smtp: TestSmtp;
  let store: TestStore;
  let env: Record<string, string>;

  beforeAll(async () => {
    smtp = await startTestSmtp({ delayMs: 10 });
    store = await createTestStore(dialect);
    env = {
      PATH: process.env.PATH!, DATABASE_URL: store.config.databaseUrl, DATA_DIR: store.dir, SMTP_URL: smtp.url,
      BASE_URL: 'http://paperboy.test', PAPERBOY_SECRET: 'resume-secret-0123456789', LOG_LEVEL: 'error', PAPERBOY_SAMPLE: 'off',
    };
    for (let i = 0; i < 3; i++) await createPaper(store, { announcedOn: '2026-06-30', hfUpvotes: i });
    const at = new Date().toISOString();
    const rows = Array.from({ length: SUBSCRIBERS }, (_, i) => ({
      email: `reader${i}@example.org`, frequency: 'daily', topics: '{"categories":[],"keywords":[],"authors":[]}', status: 'active', created_at: at, updated_at: at, confirmed_at: at,
    }));
    for (let i = 0; i < rows.length; i += 200) await store.db.insertInto('subscription').values(rows.slice(i, i + 200)).execute();
  });
  afterAll(async () => {
    await smtp.close();
    await store.cleanup();
  });

  function send(killAfter?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'digest', 'send', '--frequency', 'daily', '--date', '2026-06-30', '--concurrency', '4'], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      let timer: NodeJS.Timeout | undefined;
      if (killAfter !== undefined) {
        timer = setInterval(() => {
          if (smtp.messages.length >= killAfter) {
            clearInterval(timer);
            child.kill('SIGKILL');
          }
        }, 2);
      }
      child.on('exit', (code, signal) => {
        clearInterval(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  const states = async () => {
    const rows = await store.db.selectFrom('digest_outbox').select(['state']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('state').execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  };

  it('resumes without skipping anyone or sending anyone a second digest', { timeout: 180_000 }, async () => {
    const killed = await send(150);
    expect(killed.signal).toBe('SIGKILL');
    const atKill = await states();
    expect(atKill.sent ?? 0).toBeLessThan(SUBSCRIBERS); // really interrupted mid-send
    const inFlight = atKill.sending ?? 0; // handed to SMTP, answer never recorded
    expect(inFlight).toBeLessThanOrEqual(4);

    const resumed = await send();
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/recovered \d+/);
    expect(await states()).toEqual({ sent: SUBSCRIBERS });

    const ids = new Map<string, Set<string>>();
    for (const m of smtp.messages) {
      const set = ids.get(m.to[0]!) ?? new Set<string>();
      set.add(m.parsed.messageId!);
      ids.set(m.to[0]!, set);
    }
    // Everyone got exactly one digest (one Message-ID) …
    expect(ids.size).toBe(SUBSCRIBERS);
    for (const [, set] of ids) expect(set.size).toBe(1);
    // … and a copy arrived twice only for a send that was in flight at the kill, with its original Message-ID.
    expect(smtp.messages.length - SUBSCRIBERS).toBeLessThanOrEqual(inFlight);
    const flagged = await store.db.selectFrom('digest_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('ambiguous', '=', 1).executeTakeFirstOrThrow();
    expect(Number(flagged.n)).toBe(inFlight);

    // A third run sends nothing at all.
    const count = smtp.messages.length;
    const again = await send();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/sent 0,/);
    expect(smtp.messages.length).toBe(count);
  });
});

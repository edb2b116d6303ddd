// The public URL a server runs with is kept in the store, so mail sent by another process of the
// instance (`paperboy digest send` from cron, a worker) links to it even without BASE_URL.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../src/commands/command.ts';
import { loadConfig } from '../src/config.ts';
import { confirmSubscription, NO_TOPICS, requestSubscription } from '../src/digest/index.ts';
import { importFile } from '../src/import/index.ts';
import { SAMPLE_FILE } from '../src/commands/serve.ts';
import { createLogger } from '../src/log.ts';
import { spawnServe, tempDir } from './helpers.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('public URL', () => {
  it('mails links to the URL the server ran with when the CLI has no BASE_URL, and warns when a loopback URL shadows it', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const env = { DATABASE_URL: `sqlite:${join(t.dir, 'p.db')}`, DATA_DIR: t.dir, PAPERBOY_SAMPLE: 'off', LOG_LEVEL: 'info' };
    const serve = await spawnServe({ ...env, PORT: '0', BASE_URL: 'https://papers.example.org' });
    await serve.stop();

    // A confirmed subscriber and papers to send, written by the test into the same store.
    const lines: string[] = [];
    const log = createLogger('info', (line) => lines.push(line));
    const ctx = { config: loadConfig(env), log };
    const store = await openMigratedStore(ctx);
    try {
      expect(ctx.config.baseUrl).toBe('https://papers.example.org');
      await importFile(store.db, SAMPLE_FILE);
      const sub = await requestSubscription(store.db, 'reader@example.org', { frequency: 'daily', topics: NO_TOPICS, minUpvotes: 0 }, new Date());
      if (!sub.mail) throw new Error('subscription was throttled');
      await confirmSubscription(store.db, sub.token, new Date());
    } finally {
      await store.close();
    }

    const sent = await run(process.execPath, [BIN, 'digest', 'send', '--frequency', 'daily', '--date', '2026-07-01'], { env: { PATH: process.env.PATH!, ...env } });
    expect(sent.stdout + sent.stderr).toContain('public_url');
    const outbox = join(t.dir, 'outbox');
    const mails = readdirSync(outbox).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(join(outbox, f), 'utf8'));
    const digest = mails.find((m) => m.includes('List-Unsubscribe'));
    expect(digest, 'a digest in the outbox').toBeDefined();
    expect(digest).toContain('https://papers.example.org/');
    expect(digest).not.toMatch(/https?:\/\/localhost/);

    // BASE_URL set to a loopback address on an instance that has served a public one: a loud warning.
    const loop = { config: loadConfig({ ...env, BASE_URL: 'http://localhost:3000' }), log };
    await (await openMigratedStore(loop)).close();
    expect(loop.config.baseUrl).toBe('http://localhost:3000');
    expect(lines.some((l) => l.includes('public_url_loopback') && l.includes('https://papers.example.org'))).toBe(true);
  });
});

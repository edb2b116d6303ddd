// No acknowledged mail is lost: a real `paperboy serve` acknowledges subscriptions and sign-in
// requests while SMTP is down, is killed with SIGKILL, and after a restart (with SMTP back) every
// acknowledged address gets its mail exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createTestStore, spawnServe, testDialects, type ServeProcess, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let store: TestStore | undefined;
let smtp: TestSmtp | undefined;
let serve: ServeProcess | undefined;
afterEach(async () => {
  await serve?.stop();
  await smtp?.close();
  await store?.cleanup();
  serve = smtp = store = undefined;
});

describe.each(testDialects())('mail across a crash on %s', (dialect) => {
  it('delivers every acknowledged confirmation and sign-in link after SMTP was down and the process was killed', { timeout: 120_000 }, async () => {
    store = await createTestStore(dialect);
    const port = await freePort(); // nothing listens there yet: SMTP is down
    const env = {
      DATABASE_URL: store.config.databaseUrl, DATA_DIR: store.dir, PORT: '0', BASE_URL: 'http://paperboy.test', SMTP_URL: `smtp://127.0.0.1:${port}`,
      PAPERBOY_SAMPLE: 'off', HARVEST_CRON: 'off', DIGEST_DAILY_CRON: 'off', DIGEST_WEEKLY_CRON: 'off', EMBEDDINGS: 'off', LOG_LEVEL: 'error', TRUST_PROXY: 'on',
    };
    serve = await spawnServe(env);
    const acknowledged: string[] = [];
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const email = `sub${i}@example.org`;
        const res = await fetch(`${serve!.url}/api/subscriptions`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.0.${i}` }, body: JSON.stringify({ email, frequency: 'daily' }),
        });
        if (res.status === 202) acknowledged.push(email);
      }),
    );
    for (let i = 0; i < 10; i++) {
      const email = `signin${i}@example.org`;
      const ip = `10.9.1.${i}`;
      const form = await fetch(`${serve.url}/signin`, { headers: { 'x-forwarded-for': ip } });
      const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const res = await fetch(`${serve.url}/signin`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': ip }, body: new URLSearchParams({ _csrf: csrf, email }), redirect: 'manual',
      });
      if (res.status === 200) acknowledged.push(email);
    }
    expect(acknowledged).toHaveLength(40);
    // Let the first attempts fail against the closed port, then crash.
    await expect.poll(async () => Number((await store!.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll().as('n')).where('attempts', '>', 0).executeTakeFirstOrThrow()).n), { timeout: 20_000 }).toBeGreaterThan(0);
    await serve.kill('SIGKILL');
    serve = undefined;

    smtp = await startTestSmtp({ port });
    serve = await spawnServe(env);
    const arrived = await smtp.waitFor(40, 30_000);
    const recipients = arrived.flatMap((m) => m.to).sort();
    expect(recipients).toEqual([...acknowledged].sort());
    for (const m of arrived) {
      const text = m.parsed.text ?? '';
      expect(text).toMatch(m.to[0]!.startsWith('sub') ? /\/digest\/confirm\?token=[\w-]+/ : /\/signin\/verify\?token=[\w-]+/);
    }
    // The server has each mail; the sender records it right after.
    await expect.poll(async () => (await store!.db.selectFrom('mail_outbox').select('state').distinct().execute()).map((s) => s.state), { timeout: 10_000 }).toEqual(['sent']);
  });
});

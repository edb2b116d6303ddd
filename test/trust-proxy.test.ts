// TRUST_PROXY: whose X-Forwarded-For and X-Forwarded-Proto the app believes. Off (the default), the
// client is the socket's address, so a made-up header cannot escape a per-IP rate limit.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { Browser, csrfOf } from './community-helpers.ts';
import { createTestStore, startTestApp, type TestApp, type TestStore } from './helpers.ts';

describe('TRUST_PROXY', () => {
  let store: TestStore | undefined;
  let t: TestApp | undefined;
  async function stop(): Promise<void> {
    await t?.close();
    await store?.cleanup();
    t = undefined;
    store = undefined;
  }
  afterEach(stop);

  /** A fresh store and app with these settings (the previous ones stopped). */
  async function start(overrides: Record<string, string>): Promise<TestApp> {
    await stop();
    // No SMTP_URL: sign-in mail is written to DATA_DIR/outbox, which is all these tests need.
    store = await createTestStore({ SIGNIN_LIMIT_PER_HOUR: '2', ...overrides });
    t = await startTestApp(store);
    return t;
  }

  /** Sign-in requests from one loopback socket, each claiming a different client address. */
  async function signInStatuses(app: TestApp, forwardedFor: (i: number) => string): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const b = new Browser(app.url, forwardedFor(i));
      const form = await b.get('/signin');
      statuses.push((await b.post('/signin', { _csrf: csrfOf(form.body), email: `reader${i}@example.org` })).status);
    }
    return statuses;
  }

  it('off: rate limits key on the socket address, whatever X-Forwarded-For claims', async () => {
    const app = await start({ TRUST_PROXY: 'off' });
    expect(await signInStatuses(app, (i) => `203.0.113.${i + 1}`)).toEqual([200, 200, 429, 429]);
  });

  it('on: rate limits key on the client address the proxy reports', async () => {
    const app = await start({ TRUST_PROXY: 'on' });
    expect(await signInStatuses(app, (i) => `203.0.113.${i + 1}`)).toEqual([200, 200, 200, 200]);
  });

  it('a list: believes X-Forwarded-For only from a listed proxy', async () => {
    const listed = await start({ TRUST_PROXY: '127.0.0.1,10.0.0.0/8' });
    expect(await signInStatuses(listed, (i) => `203.0.113.${i + 1}`)).toEqual([200, 200, 200, 200]);
    // The header may carry the whole chain: the client is the last address not a trusted proxy.
    expect(await signInStatuses(listed, (i) => `198.51.100.7, 10.1.2.${i + 1}`)).toEqual([200, 200, 429, 429]);
    const elsewhere = await start({ TRUST_PROXY: '10.0.0.0/8' });
    expect(await signInStatuses(elsewhere, (i) => `203.0.113.${i + 1}`)).toEqual([200, 200, 429, 429]);
  });

  it('marks cookies Secure for https: by BASE_URL always, by X-Forwarded-Proto only from a trusted proxy', async () => {
    const csrfCookie = async (app: TestApp) => (await new Browser(app.url).get('/signin', { 'x-forwarded-proto': 'https' })).headers.getSetCookie().find((c) => c.startsWith('pb_csrf='));
    const untrusted = await start({ TRUST_PROXY: 'off' });
    expect(await csrfCookie(untrusted)).toBeDefined();
    expect(await csrfCookie(untrusted)).not.toMatch(/;\s*Secure/i);
    const trusted = await start({ TRUST_PROXY: 'on' });
    expect(await csrfCookie(trusted)).toMatch(/;\s*Secure/i);
    const httpsBase = await start({ TRUST_PROXY: 'off', BASE_URL: 'https://paperboy.example' });
    expect(await csrfCookie(httpsBase)).toMatch(/;\s*Secure/i);
    // Behind https, browsers are told to keep to it (HSTS); over plain http they are not (see http.test.ts).
    expect((await fetch(`${httpsBase.url}/healthz`)).headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('rejects a bad value naming the variable and what it accepts', () => {
    for (const bad of ['2', 'yes', '10.0.0.0/33', '10.0.0.1,proxy.internal']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY: expected off, on, or the proxies' comma-separated addresses or CIDR ranges/);
    }
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
  });
});

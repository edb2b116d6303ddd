import { afterEach, describe, expect, it } from 'vitest';
import { createArxivClient, parseRetryAfter } from '../src/harvest/arxiv-client.ts';
import { ArxivUnavailableError } from '../src/harvest/index.ts';
import { silentLogger } from '../src/log.ts';
import { startReplayServer, type ReplayServer } from './oai-server.ts';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('arXiv client politeness', () => {
  it('sends one request at a time, at least the minimum interval apart, even for concurrent callers', async () => {
    server = await startReplayServer(() => ({ body: '<ok/>', delayMs: 20 }));
    const client = createArxivClient({ minIntervalMs: 150, timeoutMs: 2000, log: silentLogger });
    await Promise.all([1, 2, 3, 4].map((i) => client.get(`${server!.url}?n=${i}`)));
    const gaps = server.requests.slice(1).map((r, i) => r.at - server!.requests[i]!.at);
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(145);
  });

  it('waits out 503 + Retry-After (seconds or HTTP-date) without counting a failure', async () => {
    let n = 0;
    server = await startReplayServer(() => (++n <= 3 ? { status: 503, headers: { 'retry-after': n === 2 ? new Date(Date.now() + 1000).toUTCString() : '0' } } : { body: '<ok/>' }));
    const client = createArxivClient({ minIntervalMs: 0, timeoutMs: 2000, log: silentLogger, maxAttempts: 1 });
    const res = await client.get(server.url);
    expect(res).toEqual({ status: 200, text: '<ok/>' });
    expect(server.requests).toHaveLength(4);
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z'))).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  it('gives up after repeated failures with a message that says what to do; 404 is returned, not retried', async () => {
    server = await startReplayServer((url) => (url.searchParams.has('missing') ? { status: 404, body: 'no' } : { status: 500, body: 'x' }));
    const client = createArxivClient({ minIntervalMs: 0, timeoutMs: 2000, log: silentLogger, maxAttempts: 3, baseDelayMs: 5 });
    const err = await client.get(server.url).catch((e) => e);
    expect(err).toBeInstanceOf(ArxivUnavailableError);
    expect(err.message).toMatch(/failed 3 times in a row \(last: HTTP 500\)\. Check the network/);
    expect(server.requests).toHaveLength(3);
    expect((await client.get(`${server.url}?missing=1`)).status).toBe(404);
    expect(server.requests).toHaveLength(4);
  });

  it('stops waiting when the caller aborts', async () => {
    server = await startReplayServer(() => ({ status: 503, headers: { 'retry-after': '30' } }));
    const client = createArxivClient({ minIntervalMs: 0, timeoutMs: 2000, log: silentLogger });
    const started = Date.now();
    const err = await client.get(server.url, { signal: AbortSignal.timeout(200) }).catch((e) => e);
    expect(err.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

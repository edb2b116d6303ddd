import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAiEmbedder, embeddingsEndpoint, parseRetryAfter } from './openai.ts';

type Handler = (body: { model: string; input: string[] }, req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server speaking the /v1/embeddings protocol; each request is answered by the next scripted handler. */
async function startServer(script: Handler[], fallback: Handler = answerVectors) {
  const requests: Array<{ body: { model: string; input: string[] }; auth: string | undefined; url: string }> = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as { model: string; input: string[] };
      requests.push({ body, auth: req.headers.authorization, url: req.url! });
      (script.shift() ?? fallback)(body, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  servers.push(server);
  return { url, requests };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

/** Deterministic 4-d vectors from the text length and first char, returned in reverse order with indexes. */
function answerVectors(body: { input: string[] }, _req: IncomingMessage, res: ServerResponse): void {
  const data = body.input.map((t, index) => ({ object: 'embedding', index, embedding: [t.length, t.charCodeAt(0), 1, 0] }));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: data.reverse(), model: 'm' }));
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_b, _q, res) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const noSleep = { sleep: async () => {}, baseBackoffMs: 1 };

describe('openai-compatible embedder', () => {
  it('batches inputs, sends the model and key, and returns unit vectors in input order', async () => {
    const { url, requests } = await startServer([]);
    const e = createOpenAiEmbedder({ url, apiKey: 'sk-test', model: 'text-embedding-3-small', batchSize: 2 });
    const vs = await e.embedDocuments(['a', 'bb', 'ccc']);
    expect(requests.map((r) => r.body.input)).toEqual([['a', 'bb'], ['ccc']]);
    expect(requests[0]!.auth).toBe('Bearer sk-test');
    expect(requests[0]!.url).toBe('/v1/embeddings');
    expect(requests[0]!.body.model).toBe('text-embedding-3-small');
    expect(vs).toHaveLength(3);
    const expected = [3, 'c'.charCodeAt(0), 1, 0];
    const norm = Math.hypot(...expected);
    expect(Array.from(vs[2]!)).toEqual(expected.map((x) => Math.fround(x / norm)));
    expect(e.dimension()).toBe(4);
  });

  it('prefixes queries with the model query instruction (bge)', async () => {
    const { url, requests } = await startServer([]);
    const e = createOpenAiEmbedder({ url, model: 'BAAI/bge-small-en-v1.5' });
    await e.embedQuery('graph neural networks');
    expect(requests[0]!.body.input).toEqual(['Represent this sentence for searching relevant passages: graph neural networks']);
    expect(requests[0]!.auth).toBeUndefined();
  });

  it('waits as long as Retry-After asks on 429, then succeeds', async () => {
    const waits: number[] = [];
    const { url, requests } = await startServer([json(429, { error: { message: 'Rate limit reached' } }, { 'retry-after': '2' })]);
    const e = createOpenAiEmbedder({ url, model: 'm', baseBackoffMs: 1, sleep: async (ms) => void waits.push(ms) });
    expect(await e.embedDocuments(['x'])).toHaveLength(1);
    expect(requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('retries 5xx with bounded jittered backoff and gives up with a clear error', async () => {
    const waits: number[] = [];
    const fail = json(503, { error: 'model is loading' });
    const { url, requests } = await startServer([fail, fail, fail, fail]);
    const e = createOpenAiEmbedder({ url, model: 'm', maxRetries: 2, baseBackoffMs: 100, sleep: async (ms) => void waits.push(ms) });
    await expect(e.embedDocuments(['x'])).rejects.toThrow(/failed after 3 attempts: 503: model is loading/);
    expect(requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]!).toBeLessThanOrEqual(100);
    expect(waits[1]!).toBeLessThanOrEqual(200);
  });

  it('does not retry 401 and names the variable to check', async () => {
    const { url, requests } = await startServer([json(401, { error: { message: 'Incorrect API key provided' } })]);
    const e = createOpenAiEmbedder({ url, model: 'm', ...noSleep });
    await expect(e.embedDocuments(['x'])).rejects.toThrow(/answered 401: Incorrect API key provided \(check EMBEDDING_API_KEY\)/);
    expect(requests).toHaveLength(1);
  });

  it('does not retry 400 (unknown model) and reports the server message', async () => {
    const { url } = await startServer([json(400, { error: { message: "model 'nope' not found" } })]);
    const e = createOpenAiEmbedder({ url, model: 'nope', ...noSleep });
    await expect(e.embedDocuments(['x'])).rejects.toThrow(/400: model 'nope' not found/);
  });

  it('times out a silent server and retries', async () => {
    const hang: Handler = () => {};
    const { url, requests } = await startServer([hang]);
    const e = createOpenAiEmbedder({ url, model: 'm', timeoutMs: 200, ...noSleep });
    expect(await e.embedDocuments(['x'])).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });

  it('rejects an answer with the wrong number of embeddings', async () => {
    const { url } = await startServer([json(200, { data: [] })]);
    const e = createOpenAiEmbedder({ url, model: 'm', ...noSleep });
    await expect(e.embedDocuments(['x'])).rejects.toThrow(/returned 0 embeddings for 1 inputs/);
  });

  it('builds the endpoint from any base URL form', () => {
    expect(embeddingsEndpoint('http://h:11434/v1/')).toBe('http://h:11434/v1/embeddings');
    expect(embeddingsEndpoint('http://h:8080')).toBe('http://h:8080/v1/embeddings');
    expect(embeddingsEndpoint('https://api.openai.com/v1/embeddings')).toBe('https://api.openai.com/v1/embeddings');
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

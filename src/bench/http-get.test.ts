// The latency benches' plain client against a real loopback server: bodies decoded whatever the
// encoding, one kept-alive connection for every request, errors reported.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainGetter, statusGetter } from './http-get.ts';

describe('plainGetter', () => {
  const body = JSON.stringify({ results: Array.from({ length: 50 }, (_, i) => ({ id: i, title: `Paper ${i} on graphs` })) });
  let server: Server;
  let base = '';
  let connections = 0;
  const asked: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(String(req.headers['accept-encoding']));
      const encoding = new URL(req.url!, 'http://x').searchParams.get('as');
      if (encoding === 'gzip') res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(body));
      else if (encoding === 'deflate') res.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateSync(body));
      else if (encoding === 'broken') res.writeHead(200, { 'content-encoding': 'gzip' }).end(Buffer.from('not gzip'));
      else res.writeHead(encoding === 'missing' ? 404 : 200).end(body);
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('decodes gzip, deflate and plain bodies over one kept-alive connection, asking as fetch does', async () => {
    const client = plainGetter();
    try {
      for (const as of ['gzip', 'deflate', 'identity', 'gzip']) {
        const res = await client.get(`${base}/?as=${as}`);
        expect(res.status).toBe(200);
        expect(res.body.toString('utf8')).toBe(body);
      }
      expect(connections).toBe(1);
      expect(new Set(asked)).toEqual(new Set(['gzip, deflate']));
      expect((await client.get(`${base}/?as=missing`)).status).toBe(404);
      await expect(client.get(`${base}/?as=broken`)).rejects.toThrow();
    } finally {
      client.close();
    }
  });

  it('answers the same statuses through either client', async () => {
    for (const kind of ['plain', 'fetch'] as const) {
      const client = statusGetter(kind);
      try {
        expect(await client.get(`${base}/?as=gzip`)).toBe(200);
        expect(await client.get(`${base}/?as=missing`)).toBe(404);
      } finally {
        client.close();
      }
    }
  });
});

// A plain HTTP/1.1 GET for latency benches: one kept-alive connection, asking for gzip as Node's fetch
// does, the body decoded at once when it arrives. Node's fetch decodes through a zlib stream on the
// thread pool, a few hops per response: on this 2-core machine that cost a 50 KB search answer
// 0.5 ms quiet and up to 5 ms with other work running, while the same bytes decode in ~0.1 ms
// synchronously. A bench that runs its client in the server's process should time the server, not that.
import { Agent, get, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface PlainGet {
  get(url: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>;
  close(): void;
}

export function plainGetter(): PlainGet {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get: (url) =>
      new Promise((resolve, reject) => {
        get(url, { agent, headers: { 'accept-encoding': 'gzip, deflate' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            try {
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: decode(Buffer.concat(chunks), res.headers['content-encoding']) });
            } catch (err) {
              reject(err);
            }
          });
        }).on('error', reject);
      }),
    close: () => agent.destroy(),
  };
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  if (encoding === 'br') return brotliDecompressSync(body);
  return body;
}

/** How a latency bench's client sends its requests: plain (above) by default, or Node's fetch. */
export type Client = 'plain' | 'fetch';
export const CLIENTS: Client[] = ['plain', 'fetch'];

/** GETs a URL whole with the chosen client and answers its status. */
export function statusGetter(client: Client): { get(url: string): Promise<number>; close(): void } {
  if (client === 'fetch') {
    return {
      async get(url) {
        const res = await fetch(url);
        await res.arrayBuffer();
        return res.status;
      },
      close() {},
    };
  }
  const plain = plainGetter();
  return { get: async (url) => (await plain.get(url)).status, close: () => plain.close() };
}

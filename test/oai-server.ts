// A loopback HTTP server that replays recorded arXiv responses (test/fixtures/oai, arxiv-api-query.xml)
// according to a script, and records every request it gets.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Send this many bytes of the body, then hang (a slow or stalled page). */
  stallAfterBytes?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Drop the connection without an answer. */
  destroy?: boolean;
}

/** Reads a raw HTTP response fixture (status line, headers, blank line, body). */
export function httpFixture(name: string): Reply {
  const raw = fixture(name);
  const split = raw.indexOf('\r\n\r\n');
  const [statusLine, ...headerLines] = raw.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body: raw.slice(split + 4) };
}

export interface RecordedRequest {
  url: URL;
  at: number;
}

export interface ReplayServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** `respond` sees each request (and how many came before) and says what to answer. */
export async function startReplayServer(respond: (url: URL, index: number) => Reply): Promise<ReplayServer> {
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const index = requests.length;
    requests.push({ url, at: Date.now() });
    const reply = respond(url, index);
    open.add(res);
    res.on('close', () => open.delete(res));
    const send = () => {
      if (reply.destroy) return void req.socket.destroy();
      const body = Buffer.from(reply.body ?? '', 'utf8');
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/xml; charset=utf-8', ...reply.headers, ...(reply.stallAfterBytes === undefined ? { 'content-length': String(body.length) } : {}) });
      if (reply.stallAfterBytes !== undefined) res.write(body.subarray(0, reply.stallAfterBytes));
      else res.end(body);
    };
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oai`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.socket?.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The three-page ListRecords conversation, keyed by resumption token. */
export function oaiPages(url: URL): Reply {
  const token = url.searchParams.get('resumptionToken');
  if (token === null) return { body: fixture('oai/list-records-1.xml') };
  if (token === '7123456|1001') return { body: fixture('oai/list-records-2.xml') };
  if (token === '7123456|2001') return { body: fixture('oai/list-records-3.xml') };
  return { body: fixture('oai/bad-resumption-token.xml') };
}

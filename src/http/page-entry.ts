// One rendered response kept by the page cache (page-cache.ts): its bytes, the headers every copy
// carries, and its compressed variants, each made once per rendering and off the event loop (zlib's
// thread pool), so a page rendered anew after a vote does not stall the requests served meanwhile.
import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringBytes } from '../lib/byte-cache.ts';
import { etagMatches, etagOf } from './cache.ts';
import type { PageDeps } from './page-changes.ts';

export interface PageCacheRule {
  /** Query parameters the page reads; a request with any other is answered afresh and not stored. */
  params: readonly string[];
  /** A key part for pages that also change with the clock (the hot list decays by the minute). */
  clock?: (query: URLSearchParams) => string;
  /** Seconds a browser may reuse the response without asking (default 0: it revalidates, cheaply). */
  maxAge?: number;
}

export type Encoding = 'br' | 'gzip';

export interface Entry {
  /** The version applied when its rendering began. */
  version: number;
  deps: PageDeps;
  /** When a change reaching it was seen; unset while it is current. */
  staleSince?: number;
  body: Buffer;
  etag: string;
  lastModified: string | undefined;
  headers: Record<string, string>;
  br?: Buffer;
  gzip?: Buffer;
  /** Compressions under way, so a burst of readers waits for one. */
  compressing?: Partial<Record<Encoding, Promise<Buffer>>>;
}

// Shared caches (a CDN, Caddy, nginx) may keep a response one second, so they keep the freshness
// promise, and serve it while they fetch a newer one (docs/operating.md).
const SHARED_MAX_AGE_S = 1;
const STALE_WHILE_REVALIDATE_S = 30;
const COMPRESS_MIN_BYTES = 1024;
// Headers that describe one response, not the representation.
const PER_RESPONSE = new Set(['content-length', 'content-encoding', 'date', 'connection', 'transfer-encoding', 'set-cookie', 'keep-alive', 'x-pb-csrf-pending']);
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export function makeEntry(version: number, deps: PageDeps, payload: string | Buffer, reply: FastifyReply, rule: PageCacheRule): Entry {
  const body = ownBytes(typeof payload === 'string' ? Buffer.from(payload) : payload);
  const given = reply.getHeader('etag');
  const etag = typeof given === 'string' ? given : etagOf(body.toString());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined || PER_RESPONSE.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const html = /^text\/html/.test(headers['content-type'] ?? '');
  const maxAge = rule.maxAge ?? 0;
  headers['etag'] = etag;
  headers['cache-control'] = `public, max-age=${maxAge}, s-maxage=${SHARED_MAX_AGE_S}, stale-while-revalidate=${STALE_WHILE_REVALIDATE_S}`;
  // Pages differ for a signed-in browser: a shared cache must not hand the anonymous one to it.
  headers['vary'] = html ? 'accept-encoding, cookie' : 'accept-encoding';
  const lastModified = headers['last-modified'];
  return { version, deps, body, etag, lastModified, headers };
}

/** The bytes this entry holds in memory. */
export function entryBytes(e: Entry): number {
  let headers = 0;
  for (const [k, v] of Object.entries(e.headers)) headers += stringBytes(k) + stringBytes(v) + 32;
  // What the page shows: a Set slot per paper, a small object per range of days.
  const deps = 16 * e.deps.papers.size + 96 * e.deps.ranges.length;
  return e.body.length + (e.br?.length ?? 0) + (e.gzip?.length ?? 0) + headers + deps + 128;
}

/** The encoding to send this entry in for this request; undefined for the plain bytes. */
export function encodingFor(req: FastifyRequest, entry: Entry): Encoding | undefined {
  return entry.body.length >= COMPRESS_MIN_BYTES ? pickEncoding(req.headers['accept-encoding']) : undefined;
}

/**
 * The entry's body in `encoding`, compressed on first use (`added` runs then, so the cache can count
 * the new bytes). Brotli at quality 5: nearly quality 9's size at a fraction of its time, as a page
 * a vote reached is compressed anew within the second.
 */
export async function variantOf(entry: Entry, encoding: Encoding, added: () => void): Promise<Buffer> {
  const ready = entry[encoding];
  if (ready) return ready;
  entry.compressing ??= {};
  let running = entry.compressing[encoding];
  if (!running) {
    running = (encoding === 'br'
      ? brotliAsync(entry.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: entry.body.length } })
      : gzipAsync(entry.body, { level: 6 })
    ).then(
      (bytes) => {
        const own = ownBytes(bytes);
        entry[encoding] = own;
        delete entry.compressing![encoding];
        added();
        return own;
      },
      (err: unknown) => {
        delete entry.compressing![encoding];
        throw err;
      },
    );
    entry.compressing[encoding] = running;
  }
  return running;
}

/** True when the request's validators say the client holds this entry already. */
export function isFresh(req: FastifyRequest, entry: Entry): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, entry.etag);
  const since = req.headers['if-modified-since'];
  if (!since || !entry.lastModified) return false;
  const t = Date.parse(since);
  return !Number.isNaN(t) && Date.parse(entry.lastModified) <= t;
}

/** br when the client takes it, else gzip, else none (a q=0 refuses an encoding). */
function pickEncoding(header: string | string[] | undefined): Encoding | undefined {
  const accepted = new Set<string>();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}

/**
 * The bytes in memory of their own. A small Buffer.from() is a view into a shared 8 KB slab, and a
 * compressed body a view into zlib's output chunk: kept in the cache, the view would hold the
 * whole block alive while the byte count saw only the view.
 */
function ownBytes(b: Buffer): Buffer {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return b;
  const own = Buffer.allocUnsafeSlow(b.length);
  b.copy(own);
  return own;
}

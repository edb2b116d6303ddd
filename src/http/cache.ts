// Conditional GET for reads: a weak ETag over the exact bytes sent, Last-Modified from the papers'
// modification times, Cache-Control, and 304 when the client already has this representation.
// ETag covers everything in the body (votes included); Last-Modified only tracks paper metadata,
// so If-None-Match wins when both are sent (RFC 9110 §13.2.2).
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Representation {
  kind: 'representation';
  body: string;
  contentType: string;
  /** ISO timestamp of the newest data in the body, when known. */
  lastModified?: string | undefined;
}

export function representation(body: string, contentType: string, lastModified?: string): Representation {
  return { kind: 'representation', body, contentType, lastModified };
}

export function etagOf(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** True when an If-None-Match list names this ETag (weak comparison) or is "*". */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

/** HTTP dates have whole seconds: compare at that precision. */
function notModifiedSince(header: string | undefined, lastModified: string | undefined): boolean {
  if (!header || !lastModified) return false;
  const since = Date.parse(header);
  if (Number.isNaN(since)) return false;
  return Math.floor(Date.parse(lastModified) / 1000) * 1000 <= since;
}

export function sendRepresentation(req: FastifyRequest, reply: FastifyReply, rep: Representation, cache?: { maxAge: number }): FastifyReply {
  reply.type(rep.contentType);
  if (!cache || reply.statusCode !== 200 || (req.method !== 'GET' && req.method !== 'HEAD')) {
    if (!cache) reply.header('cache-control', 'no-store');
    return reply.send(rep.body);
  }
  const etag = etagOf(rep.body);
  reply.header('etag', etag).header('cache-control', `public, max-age=${cache.maxAge}`).header('vary', 'accept-encoding');
  if (rep.lastModified) reply.header('last-modified', new Date(rep.lastModified).toUTCString());
  const ifNoneMatch = req.headers['if-none-match'];
  const fresh = ifNoneMatch !== undefined ? etagMatches(ifNoneMatch, etag) : notModifiedSince(req.headers['if-modified-since'], rep.lastModified);
  if (fresh) return reply.code(304).send();
  return reply.send(rep.body);
}

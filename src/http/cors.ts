// CORS for the public API and feeds: any origin may read them. No cookies are involved (write
// endpoints take a bearer token, which a browser never attaches on its own), so `*` is safe.
import type { FastifyInstance } from 'fastify';

const PREFIXES = ['/api/', '/feeds/'];
const ALLOW_HEADERS = 'Authorization, Content-Type, If-None-Match, If-Modified-Since';
const EXPOSE_HEADERS = 'ETag, Last-Modified, X-Total-Count, Retry-After';

function isPublic(url: string): boolean {
  return PREFIXES.some((p) => url.startsWith(p));
}

export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!isPublic(req.url)) return;
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', EXPOSE_HEADERS);
    // helmet defaults to same-origin; these resources are meant to be embedded and fetched anywhere.
    reply.header('cross-origin-resource-policy', 'cross-origin');
  });
  // Preflight for any public path. Answered here, before routing, so it never meets auth.
  for (const prefix of PREFIXES) {
    app.options(`${prefix}*`, async (_req, reply) => {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')
        .header('access-control-allow-headers', ALLOW_HEADERS)
        .header('access-control-max-age', '86400')
        .send();
    });
  }
}

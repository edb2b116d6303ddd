// Bearer-token authentication and rate limiting for API write endpoints. The settings (db, limit)
// are attached per server by configureApiAuth and read at request time, so routes may be
// registered through apiRoute before or after registerApiRoutes runs.
import type { Server } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../lib/http-error.ts';
import type { Db } from '../store/db.ts';
import { authenticateToken, hashToken, type AuthenticatedToken } from './tokens.ts';

interface AuthSettings {
  db: Db;
  now: () => Date;
  writesPerMinute: number;
}

const settings = new WeakMap<Server, AuthSettings>();
const authenticated = new WeakMap<FastifyRequest, AuthenticatedToken>();

export function configureApiAuth(app: FastifyInstance, s: AuthSettings): void {
  settings.set(app.server, s);
}

function settingsOf(req: FastifyRequest): AuthSettings {
  const s = settings.get(req.server.server);
  if (!s) throw new Error('API auth is not configured: registerApiRoutes must run on this app');
  return s;
}

/** preHandler: 401 unless the request carries an active token; remembers who it was. */
export async function requireApiToken(req: FastifyRequest): Promise<void> {
  const s = settingsOf(req);
  const header = req.headers.authorization;
  const token = await authenticateToken(s.db, header, s.now());
  if (!token) {
    const message = header
      ? 'the API token is not valid or has been revoked; create a new one on your account page'
      : 'this endpoint needs an API token: send "Authorization: Bearer pb_…" (create one on your account page)';
    throw new HttpError(401, 'unauthorized', message, { 'www-authenticate': 'Bearer realm="paperboy"' });
  }
  authenticated.set(req, token);
}

/** The token a requireApiToken route was called with. */
export function tokenOf(req: FastifyRequest): AuthenticatedToken {
  const t = authenticated.get(req);
  if (!t) throw new Error('tokenOf called on a route without auth: "token"');
  return t;
}

/**
 * Per-route options for @fastify/rate-limit: counted per token (hashed; a token cannot be guessed,
 * so rotating made-up tokens gains nothing) or per address for requests without one.
 */
export function writeRateLimit(_app: FastifyInstance) {
  return {
    max: (req: FastifyRequest) => settingsOf(req).writesPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => {
      const auth = req.headers.authorization;
      return auth ? `token:${hashToken(auth).slice(0, 32)}` : `ip:${req.ip}`;
    },
  };
}

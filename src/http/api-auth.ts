// Bearer-token authentication and rate limiting for API routes declared with auth: 'token'.
import type { FastifyRequest } from 'fastify';
import { authenticateToken, hashToken, type AuthenticatedToken } from '../accounts/index.ts';
import type { AppDeps } from './deps.ts';
import { HttpError } from './errors.ts';

const authenticated = new WeakMap<FastifyRequest, AuthenticatedToken>();

/** A preHandler: 401 unless the request carries an active token; remembers who it was. */
export function requireApiToken(deps: AppDeps) {
  return async (req: FastifyRequest): Promise<void> => {
    const header = req.headers.authorization;
    const token = await authenticateToken(deps.db, header, deps.now());
    if (!token) {
      const message = header
        ? 'the API token is not valid or has been revoked; create a new one on your account page'
        : 'this endpoint needs an API token: send "Authorization: Bearer pb_…" (create one on your account page)';
      throw new HttpError(401, 'unauthorized', message, { 'www-authenticate': 'Bearer realm="paperboy"' });
    }
    authenticated.set(req, token);
  };
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
export function writeRateLimit(deps: AppDeps) {
  return {
    max: deps.config.apiWriteRateLimit,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => {
      const auth = req.headers.authorization;
      return auth ? `token:${hashToken(auth).slice(0, 32)}` : `ip:${req.ip}`;
    },
  };
}

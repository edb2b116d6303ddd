// Errors a route throws on purpose, and which form an error answer takes for a request.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

/** An error a route throws on purpose; the server renders it (HTML page or JSON {error:{code,message}}). */
/** A next step an error page offers as a button (e.g. "Submit it" when we lack a paper). */
export interface ErrorAction {
  href: string;
  label: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly action?: ErrorAction,
  ) {
    super(message);
  }
}

/** The JSON body of every error answered under /api/. */
export const ApiErrorSchema = z
  .object({ error: z.object({ code: z.string().describe('machine-readable, e.g. bad_parameter, not_found'), message: z.string().describe('what went wrong, naming the parameter') }) })
  .meta({ id: 'Error' });

/** JSON for API paths, an HTML page everywhere else. */
export function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || req.url === '/api';
}

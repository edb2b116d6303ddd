// Who is signing in and out of the web pages: the session cookie, the signed-in viewer, and the
// rate limits on sign-in requests and writes (per IP and per account).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findSessionUser, type User } from '../accounts/index.ts';
import { enforceLimit, markPersonal, type AppDeps } from '../http/index.ts';

export const SESSION_COOKIE = 'pb_session';
const HOUR = 3_600_000;
const MINUTE = 60_000;

const viewers = new WeakMap<FastifyRequest, User | null>();

/** The signed-in user, or undefined; looked up once per request. */
export async function viewerOf(deps: AppDeps, req: FastifyRequest): Promise<User | undefined> {
  const cached = viewers.get(req);
  if (cached !== undefined) return cached ?? undefined;
  const token = req.cookies[SESSION_COOKIE];
  const user = token && /^[\w-]{20,100}$/.test(token) ? await findSessionUser(deps.db, token, deps.now()) : undefined;
  viewers.set(req, user ?? null);
  if (user) markPersonal(req);
  return user;
}

/** The signed-in user for the header, or null; a store too broken to say counts as nobody. */
export async function viewerOrNull(deps: AppDeps, req: FastifyRequest): Promise<User | null> {
  return (await viewerOf(deps, req).catch(() => undefined)) ?? null;
}

export function setSessionCookie(deps: AppDeps, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    maxAge: deps.config.sessionDays * 86_400,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
}

/**
 * A same-site path to return to; anything else (absolute URLs, //host, backslashes) becomes "/".
 * Printable ASCII only: a Location header cannot carry control or non-Latin-1 characters (Node
 * refuses to send it), and a browser sends non-ASCII paths percent-encoded anyway.
 */
export function safeNext(raw: unknown, fallback = '/'): string {
  if (typeof raw !== 'string' || raw.length > 500) return fallback;
  return /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(raw) ? raw : fallback;
}

/** The sign-in page, coming back to `next`; `vote` or `save` (arXiv ids) are done once signed in. */
export function signInHref(next: string, intent: { vote?: string | undefined; save?: string | undefined } = {}): string {
  const params = new URLSearchParams({ next });
  if (intent.vote) params.set('vote', intent.vote);
  if (intent.save) params.set('save', intent.save);
  return `/signin?${params}`;
}

/** Sign-in requests: SIGNIN_LIMIT_PER_HOUR per IP and per email address. */
export async function limitSignIn(deps: AppDeps, req: FastifyRequest, email: string): Promise<void> {
  const limit = deps.config.signinLimitPerHour;
  const msg = (wait: string) => `That is a lot of sign-in links in one hour. Please wait ${wait} and try again — and check your inbox (and spam folder) for the links already sent.`;
  await enforceLimit(deps, { name: 'signin-ip', limit, windowMs: HOUR }, req.ip, msg);
  await enforceLimit(deps, { name: 'signin-email', limit, windowMs: HOUR }, email, msg);
}

/** Writes (votes, submissions, settings, curator actions): WRITE_LIMIT_PER_MINUTE per account, three times that per IP. */
export async function limitWrites(deps: AppDeps, req: FastifyRequest, user: User | undefined): Promise<void> {
  const limit = deps.config.writeLimitPerMinute;
  const msg = (wait: string) => `You are going faster than we can keep up with. Please wait ${wait} and try again.`;
  await enforceLimit(deps, { name: 'write-ip', limit: limit * 3, windowMs: MINUTE }, req.ip, msg);
  if (user) await enforceLimit(deps, { name: 'write-user', limit, windowMs: MINUTE }, String(user.id), msg);
}

/** The viewer, or a redirect to sign in and come back. */
export async function requireViewer(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<User | undefined> {
  const user = await viewerOf(deps, req);
  if (!user) {
    await reply.redirect(signInHref(req.method === 'GET' ? req.url : '/'), 303);
    return undefined;
  }
  return user;
}

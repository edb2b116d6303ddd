// A one-time message on the page a redirect lands on ("Signed in as Ada. Your upvote for … is
// counted."): the handler that redirects sets a short-lived signed cookie, and the next HTML page
// shows the message at the top of <main> and clears the cookie. Server-rendered, so it works without
// JavaScript, on whichever page the visitor returns to.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type RawHtml } from '../lib/html.ts';
import { texHtml } from '../lib/tex.ts';
import type { AppDeps } from '../http/index.ts';
import { findPaperByArxivId, parseArxivId } from '../papers/index.ts';
import { paperHref } from './views/paper-card.ts';
import { MAIN_OPEN } from './layout.ts';
import { viewerOf } from './session.ts';

const COOKIE = 'pb_flash';
const MAX_AGE_SECONDS = 600;

/** What happened on the way to sign-in, and how it went. */
export type FlashAction = { kind: 'vote'; arxivId: string; outcome: 'counted' | 'locked' | 'hidden' | 'missing' } | { kind: 'save'; arxivId: string; outcome: 'saved' | 'missing' };

export interface Flash {
  signedIn: true;
  action?: FlashAction | undefined;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`flash:${payload}`).digest('base64url');
}

/** Shows `flash` on the next HTML page this browser loads. */
export function setFlash(deps: AppDeps, reply: FastifyReply, flash: Flash): void {
  const payload = Buffer.from(JSON.stringify(flash)).toString('base64url');
  reply.setCookie(COOKIE, `${payload}.${sign(deps.secret, payload)}`, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: MAX_AGE_SECONDS });
}

/** The flash this request carries, if its signature holds and its shape is one we write. */
export function readFlash(secret: string, cookie: string | undefined): Flash | undefined {
  const m = /^([\w-]{1,400})\.([\w-]{43})$/.exec(cookie ?? '');
  if (!m) return undefined;
  const expected = Buffer.from(sign(secret, m[1]!));
  if (!timingSafeEqual(expected, Buffer.from(m[2]!))) return undefined;
  try {
    const flash = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as Flash;
    const action = flash.action;
    if (flash.signedIn !== true) return undefined;
    if (action && (!['vote', 'save'].includes(action.kind) || !parseArxivId(action.arxivId))) return undefined;
    return flash;
  } catch {
    return undefined;
  }
}

async function flashHtml(deps: AppDeps, req: FastifyRequest, flash: Flash): Promise<RawHtml | undefined> {
  const viewer = await viewerOf(deps, req);
  if (!viewer) return undefined; // signed out again meanwhile: "Signed in as" would be untrue
  const action = flash.action;
  const paper = action ? await findPaperByArxivId(deps.db, action.arxivId) : undefined;
  const link = paper ? html`<a href="${paperHref(paper.arxivId)}">${texHtml(paper.title)}</a>` : html`${action?.arxivId ?? ''}`;
  let done: RawHtml | string = '';
  if (action?.kind === 'vote') {
    done =
      action.outcome === 'counted' ? html` Your upvote for ${link} is counted.`
      : action.outcome === 'locked' ? html` Curators have locked voting on ${link}, so your upvote was not counted.`
      : html` The paper you upvoted (${action.arxivId}) is no longer listed, so there was no upvote to count.`;
  } else if (action?.kind === 'save') {
    done = action.outcome === 'saved' ? html` ${link} is saved to <a href="/library">your library</a>.` : html` The paper you saved (${action.arxivId}) is no longer here, so nothing was saved.`;
  }
  // The address until a name is chosen: "reader 12" would not tell anyone which account this is.
  const who = viewer.hasDisplayName ? viewer.displayName : viewer.email;
  return html`<p class="notice success flash" role="status">Signed in as <strong>${who}</strong>.${done}</p>`;
}

/** Puts a pending flash into the first full HTML page answered 200, then forgets it. */
export function registerFlash(app: FastifyInstance, deps: AppDeps): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const cookie = req.cookies[COOKIE];
    if (cookie === undefined || req.method !== 'GET' || reply.statusCode !== 200) return payload;
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    const at = payload.indexOf(MAIN_OPEN);
    if (at < 0) return payload;
    reply.clearCookie(COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
    const flash = readFlash(deps.secret, cookie);
    const message = flash ? await flashHtml(deps, req, flash) : undefined;
    if (!message) return payload;
    // A page carrying one person's message must not be cached or revalidated as the page everyone gets.
    reply.header('cache-control', 'no-store').removeHeader('etag').removeHeader('last-modified');
    const end = at + MAIN_OPEN.length;
    return `${payload.slice(0, end)}\n${message.value}${payload.slice(end)}`;
  });
}

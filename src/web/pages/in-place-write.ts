// The front of the small state-setting writes behind a card's controls (upvote, Save): one form field
// says the state asked for (1 or 0), so a repeat is harmless. A plain form gets a redirect back;
// post-in-place.js asks for JSON. Signed out, the click leads to sign-in, which completes it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppDeps, HttpError } from '../../http/index.ts';
import { ARXIV_ID_HELP, findPaperByArxivId, parseArxivId, type Paper } from '../../papers/index.ts';
import type { User } from '../../accounts/index.ts';
import { limitWrites, safeNext, signInHref, viewerOf } from '../session.ts';

export interface InPlaceWrite {
  user: User;
  paper: Paper;
  /** The state asked for: 1 (vote, save) or 0 (take it back). */
  on: boolean;
  /** Whether to answer JSON rather than redirect to `next`. */
  json: boolean;
  next: string;
}

/**
 * Parses `paper`, the `field` (1 or 0) and `next`; signed out, answers itself (401 JSON or a redirect
 * to sign-in carrying the intent) and returns undefined. `doing` reads "upvote", "save".
 */
export async function beginInPlaceWrite(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, field: 'vote' | 'save', help: { doing: string; undo: string }): Promise<InPlaceWrite | undefined> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const parsed = typeof body.paper === 'string' ? parseArxivId(body.paper) : undefined;
  if (!parsed) throw new HttpError(400, 'bad_parameter', `paper: give the arXiv id of the paper to ${help.doing}; ${ARXIV_ID_HELP}.`);
  if (body[field] !== '1' && body[field] !== '0') throw new HttpError(400, 'bad_parameter', `${field}: must be 1 (${help.doing}) or 0 (${help.undo}).`);
  const on = body[field] === '1';
  const next = safeNext(body.next, `/papers/${parsed.id}`);
  const json = /application\/json/.test(String(req.headers.accept ?? ''));
  const user = await viewerOf(deps, req);
  if (!user) {
    const href = signInHref(next, { [field]: on ? parsed.id : undefined });
    if (json) await reply.code(401).send({ error: { code: 'sign_in', message: `Sign in to ${help.doing}.` }, signIn: href });
    else await reply.redirect(href, 303);
    return undefined;
  }
  await limitWrites(deps, req, user);
  const paper = await findPaperByArxivId(deps.db, parsed.id);
  if (!paper) throw new HttpError(404, 'not_found', `We have no paper ${parsed.id}.`);
  return { user, paper, on, json, next };
}

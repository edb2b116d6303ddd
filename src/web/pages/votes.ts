// POST /votes — set or remove the viewer's upvote. A plain form gets a redirect back; vote.js asks
// for JSON. Signed out, the click leads to sign-in and the vote is completed afterwards.
import type { FastifyInstance } from 'fastify';
import { type AppDeps, HttpError } from '../../http/index.ts';
import { findPaperByArxivId, parseArxivId } from '../../papers/index.ts';
import { setVote } from '../../community/index.ts';
import { limitWrites, safeNext, signInHref, viewerOf } from '../session.ts';

interface VoteBody {
  paper?: string;
  vote?: string;
  next?: string;
}

export function registerVoteRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post<{ Body: VoteBody }>('/votes', async (req, reply) => {
    const body = req.body ?? {};
    const parsed = typeof body.paper === 'string' ? parseArxivId(body.paper) : undefined;
    if (!parsed) throw new HttpError(400, 'bad_parameter', 'paper: give the arXiv id of the paper to upvote.');
    if (body.vote !== '1' && body.vote !== '0') throw new HttpError(400, 'bad_parameter', 'vote: must be 1 (upvote) or 0 (remove your upvote).');
    const next = safeNext(body.next, `/papers/${parsed.id}`);
    const json = /application\/json/.test(String(req.headers.accept ?? ''));
    const user = await viewerOf(deps, req);
    if (!user) {
      const href = signInHref(next, { vote: body.vote === '1' ? parsed.id : undefined });
      if (json) return reply.code(401).send({ error: { code: 'sign_in', message: 'Sign in to upvote.' }, signIn: href });
      return reply.redirect(href, 303);
    }
    await limitWrites(deps, req, user);
    const paper = await findPaperByArxivId(deps.db, parsed.id);
    if (!paper) throw new HttpError(404, 'not_found', `We have no paper ${parsed.id}.`);
    const outcome = await setVote(deps.db, user.id, paper.id, body.vote === '1', deps.now());
    if (!outcome.ok) {
      throw outcome.reason === 'locked'
        ? new HttpError(403, 'votes_locked', 'Curators have locked voting on this paper; its votes stay as they are.')
        : new HttpError(404, 'not_found', 'This paper has been hidden by curators.');
    }
    if (json) return reply.send({ paper: paper.arxivId, voted: outcome.voted, votes: outcome.votes });
    return reply.redirect(next, 303);
  });
}

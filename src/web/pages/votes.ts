// POST /votes — set or remove the viewer's upvote. A plain form gets a redirect back; post-in-place.js asks
// for JSON. Signed out, the click leads to sign-in and the vote is completed afterwards.
import type { FastifyInstance } from 'fastify';
import { type AppDeps, HttpError } from '../../http/index.ts';
import { setVote } from '../../community/index.ts';
import { beginInPlaceWrite } from './in-place-write.ts';

export function registerVoteRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/votes', async (req, reply) => {
    const w = await beginInPlaceWrite(deps, req, reply, 'vote', { doing: 'upvote', undo: 'remove your upvote' });
    if (!w) return reply;
    const { user, paper, json, next } = w;
    const outcome = await setVote(deps.db, user.id, paper.id, w.on, deps.now());
    if (!outcome.ok) {
      throw outcome.reason === 'locked'
        ? new HttpError(403, 'votes_locked', 'Curators have locked voting on this paper; its votes stay as they are.')
        : new HttpError(404, 'not_found', 'This paper has been hidden by curators.');
    }
    if (json) return reply.send({ paper: paper.arxivId, voted: outcome.voted, votes: outcome.votes });
    return reply.redirect(next, 303);
  });
}

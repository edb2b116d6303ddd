// Community parts of paper cards: the vote control (with the viewer's state) and the submitter line. Any page that
// lists papers can use cardSlotsFor() so counts appear everywhere a paper does.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../../lib/html.ts';
import type { Paper } from '../../papers/index.ts';
import { countVotes, getModeration, votedPaperIds } from '../../community/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { viewerOf } from '../session.ts';
import { importedVotes, type CardOptions } from '../views/paper-card.ts';
import { voteButton } from '../views/vote-button.ts';

export interface CardFacts {
  votes?: number;
  submittedBy?: string | undefined;
  pinned?: boolean;
}

/** Slots for each paper, keyed by paper id. Pass facts already known (from listTrending) to save queries. */
export async function cardSlotsFor(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, papers: Paper[], facts: Map<number, CardFacts> = new Map()): Promise<Map<number, CardOptions>> {
  const ids = papers.map((p) => p.id);
  const missing = ids.filter((id) => facts.get(id)?.votes === undefined);
  const [viewer, counts, moderation] = await Promise.all([viewerOf(deps, req), countVotes(deps.db, missing), getModeration(deps.db, ids)]);
  const voted = viewer ? await votedPaperIds(deps.db, viewer.id, ids) : new Set<number>();
  const csrf = csrfField(req, reply, deps.secret);
  const next = req.url;
  const out = new Map<number, CardOptions>();
  for (const p of papers) {
    const f = facts.get(p.id) ?? {};
    const votes = f.votes ?? counts.get(p.id) ?? 0;
    out.set(p.id, {
      // The local vote control, and Hugging Face's imported upvotes beside it, shown apart.
      vote: html`${voteButton({ arxivId: p.arxivId, votes, voted: voted.has(p.id), locked: moderation.get(p.id)?.votesLocked ?? false, signedOut: !viewer }, csrf, next)}${importedVotes(p)}`,
      submitter: f.pinned || f.submittedBy ? html`${f.pinned ? html`<span class="pinned">📌 Pinned by curators</span> ` : ''}${f.submittedBy ? html`submitted by ${f.submittedBy}` : ''}` : undefined,
    });
  }
  return out;
}

// Community parts of paper cards: the vote control (with the viewer's state) and the submitter line. Any page that
// lists papers can use cardSlotsFor() so counts appear everywhere a paper does.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, raw, type HtmlValue } from '../../lib/html.ts';
import { countComments } from '../../comments/index.ts';
import { avatarSvg, submittersOf } from '../../people/index.ts';
import type { Paper } from '../../papers/index.ts';
import { countVotes, getModeration, votedPaperIds } from '../../community/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { viewerOf } from '../session.ts';
import { importedVotes, type CardOptions } from '../views/paper-card.ts';
import { voteButton } from '../views/vote-button.ts';
import { saveButton } from '../views/save-button.ts';
import { findLibraryEntries } from '../../library/index.ts';

export interface CardFacts {
  votes?: number;
  submittedBy?: string | undefined;
  pinned?: boolean;
}

/** "submitted by" with the submitter's avatar, linking to their profile (like Hugging Face's cards). */
function submitterLine(s: { name: string; handle: string } | undefined): HtmlValue {
  if (!s) return '';
  return html`submitted by <a class="person" href="/users/${encodeURIComponent(s.handle)}">${raw(avatarSvg(s.handle, 16))}${s.name}</a>`;
}

/** Slots for each paper, keyed by paper id. Pass facts already known (from listTrending) to save queries. */
export async function cardSlotsFor(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, papers: Paper[], facts: Map<number, CardFacts> = new Map()): Promise<Map<number, CardOptions>> {
  const ids = papers.map((p) => p.id);
  const missing = ids.filter((id) => facts.get(id)?.votes === undefined);
  const [viewer, counts, moderation, comments, submitters] = await Promise.all([
    viewerOf(deps, req), countVotes(deps.db, missing), getModeration(deps.db, ids), countComments(deps.db, ids), submittersOf(deps.db, ids),
  ]);
  const [voted, saved] = viewer ? await Promise.all([votedPaperIds(deps.db, viewer.id, ids), findLibraryEntries(deps.db, viewer.id, ids)]) : [new Set<number>(), new Map()];
  const csrf = viewer ? csrfField(req, reply, deps.secret) : raw('');
  const next = req.url;
  const out = new Map<number, CardOptions>();
  for (const p of papers) {
    const f = facts.get(p.id) ?? {};
    const votes = f.votes ?? counts.get(p.id) ?? 0;
    out.set(p.id, {
      // The local vote control, and Hugging Face's imported upvotes beside it, shown apart.
      vote: html`${voteButton({ arxivId: p.arxivId, votes, voted: voted.has(p.id), locked: moderation.get(p.id)?.votesLocked ?? false, signedOut: !viewer }, csrf, next)}${importedVotes(p)}${saveButton({ arxivId: p.arxivId, saved: saved.has(p.id), signedOut: !viewer }, csrf, next)}`,
      submitter: f.pinned || submitters.has(p.id) ? html`${f.pinned ? html`<span class="pinned">📌 Pinned by curators</span> ` : ''}${submitterLine(submitters.get(p.id))}` : undefined,
      comments: comments.get(p.id) ?? 0,
    });
  }
  return out;
}

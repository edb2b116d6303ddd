// The community part of a paper page: upvotes (local and Hugging Face, apart), who submitted it,
// curator notices and tools.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, raw, type HtmlValue, type RawHtml } from '../../lib/html.ts';
import { isCurator, type User } from '../../accounts/index.ts';
import { countVotes, findSubmission, getModeration, votedPaperIds } from '../../community/index.ts';
import { dayPeriod, describePeriod, type Paper } from '../../papers/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { viewerOf } from '../session.ts';
import { voteButton } from '../views/vote-button.ts';
import { importedVotes } from '../views/paper-card.ts';
import { paperCuratorPanel } from './curate.ts';
import { paperLibraryPanel } from './library-panel.ts';

/** The paper page's community slots: vote control (with HF upvotes apart), submitter, notices, curator tools. */
export async function paperCommunitySlots(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, paper: Paper): Promise<{ vote: RawHtml; submitter: HtmlValue; notices: RawHtml; viewer: User | null }> {
  const viewer = (await viewerOf(deps, req)) ?? null;
  const [votes, moderation, submission, voted] = await Promise.all([
    countVotes(deps.db, [paper.id]),
    getModeration(deps.db, [paper.id]),
    findSubmission(deps.db, paper.id),
    viewer ? votedPaperIds(deps.db, viewer.id, [paper.id]) : Promise.resolve(new Set<number>()),
  ]);
  const mod = moderation.get(paper.id) ?? { hidden: false, votesLocked: false };
  const submitted = (req.query as Record<string, unknown>).submitted !== undefined;
  const library = await paperLibraryPanel(deps, req, reply, paper, viewer);
  const vote = html`${voteButton({ arxivId: paper.arxivId, votes: votes.get(paper.id) ?? 0, voted: voted.has(paper.id), locked: mod.votesLocked || mod.hidden, signedOut: !viewer }, viewer ? csrfField(req, reply, deps.secret) : raw(''), req.url)}${importedVotes(paper)}${library.save}`;
  const notices = html`<div class="paper-community">
  ${submitted && submission ? html`<p class="notice success" role="status">Thanks! The paper is on <a href="/?date=${submission.listedOn}">the list of ${describePeriod(dayPeriod(submission.listedOn))}</a>.</p>` : ''}
  ${mod.hidden ? html`<p class="notice">Curators have hidden this paper from the lists.</p>` : ''}
  ${mod.votesLocked ? html`<p class="muted">Voting is locked on this paper.</p>` : ''}
  ${library.panel}
  ${isCurator(viewer ?? undefined) ? paperCuratorPanel(req, reply, deps, paper.arxivId, mod.hidden, mod.votesLocked) : ''}
</div>`;
  const submitter = submission ? html`<span class="submitted-by">submitted by ${submission.submittedBy} on ${submission.listedOn}</span>` : '';
  return { vote, submitter, notices, viewer };
}

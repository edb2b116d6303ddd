// The upvote control: a plain form that works without JavaScript; static/vote.js upgrades it in place.
import { html, type RawHtml } from '../../lib/html.ts';

export interface VoteState {
  arxivId: string;
  votes: number;
  voted: boolean;
  locked: boolean;
  /** Signed out, the form posts normally (to a redirect to sign-in) instead of through vote.js. */
  signedOut?: boolean;
}

/**
 * The form carries the state it asks for (vote=1 or vote=0), not "toggle": a double click sends the
 * same request twice and the result is the same.
 */
export function voteButton(s: VoteState, csrf: RawHtml, next: string): RawHtml {
  const unit = s.votes === 1 ? 'upvote' : 'upvotes';
  const title = s.locked ? 'Voting is locked on this paper' : s.voted ? 'Remove your upvote' : 'Upvote this paper';
  // The accessible name contains the visible count ("Upvote: 3 upvotes"); aria-pressed says whether it is yours.
  // Signed out, the click asks to sign in and casts the vote after: a plain link in form's clothes,
  // with no CSRF token, so the page is the same for every visitor and can be shared (page-cache.ts).
  const fields = s.signedOut
    ? html`<input type="hidden" name="next" value="${next}"><input type="hidden" name="vote" value="${s.arxivId}">`
    : html`${csrf}<input type="hidden" name="paper" value="${s.arxivId}"><input type="hidden" name="vote" value="${s.voted ? '0' : '1'}"><input type="hidden" name="next" value="${next}">`;
  return html`<form class="vote" ${s.signedOut ? html`method="get" action="/signin"` : html`method="post" action="/votes"`} data-vote="${s.arxivId}"${s.signedOut ? html` data-signed-out` : ''}>
  ${fields}
  <button type="submit" class="vote-button" aria-pressed="${s.voted ? 'true' : 'false'}" title="${title}" ${s.locked ? html`disabled` : ''}><span class="visually-hidden">Upvote: </span><span aria-hidden="true">▲</span> <span class="vote-count">${s.votes}</span><span class="visually-hidden vote-unit"> ${unit}</span></button>
</form>`;
}

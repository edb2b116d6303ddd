// The Save control beside the upvote: a plain form that works without JavaScript (it posts and comes
// back); static/save.js upgrades it in place. Like the vote, the form says the state it asks for.
import { html, type RawHtml } from '../../lib/html.ts';

export interface SaveState {
  arxivId: string;
  saved: boolean;
  signedOut?: boolean;
}

export function saveButton(s: SaveState, csrf: RawHtml, next: string): RawHtml {
  const title = s.saved ? 'Saved to your library: remove it' : 'Save to your library';
  // Signed out, the click leads to sign-in, saves the paper once signed in, and comes back; no CSRF
  // token, so the page can be shared.
  const fields = s.signedOut
    ? html`<input type="hidden" name="next" value="${next}"><input type="hidden" name="save" value="${s.arxivId}">`
    : html`${csrf}<input type="hidden" name="paper" value="${s.arxivId}"><input type="hidden" name="save" value="${s.saved ? '0' : '1'}"><input type="hidden" name="next" value="${next}">`;
  return html`<form class="save" ${s.signedOut ? html`method="get" action="/signin"` : html`method="post" action="/library/save"`} data-save="${s.arxivId}"${s.signedOut ? html` data-signed-out` : ''}>
  ${fields}
  <button type="submit" class="save-button" aria-pressed="${s.saved ? 'true' : 'false'}" title="${title}"><span aria-hidden="true" class="save-icon">${s.saved ? '★' : '☆'}</span><span class="save-label">${s.saved ? 'Saved' : 'Save'}</span></button>
</form>`;
}

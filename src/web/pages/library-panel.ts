// A paper page's personal part: the Save control, and once saved, its tags, private note and read
// mark; follow buttons for its authors and category.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, raw, type RawHtml } from '../../lib/html.ts';
import type { User } from '../../accounts/index.ts';
import type { Paper } from '../../papers/index.ts';
import { findLibraryEntries } from '../../library/index.ts';
import { authorKey, listFollows } from '../../follows/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { saveButton } from '../views/save-button.ts';

export async function paperLibraryPanel(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, paper: Paper, viewer: User | null): Promise<{ save: RawHtml; panel: RawHtml }> {
  const csrf = viewer ? csrfField(req, reply, deps.secret) : raw('');
  const next = req.url;
  const entry = viewer ? (await findLibraryEntries(deps.db, viewer.id, [paper.id])).get(paper.id) : undefined;
  const save = saveButton({ arxivId: paper.arxivId, saved: entry !== undefined, signedOut: !viewer }, csrf, next);
  if (!viewer) return { save, panel: html`<p id="save-status" class="visually-hidden" role="status"></p>` };
  const follows = await listFollows(deps.db, viewer.id);
  const followed = new Set(follows.map((f) => `${f.kind}:${f.kind === 'author' ? authorKey(f.value) : f.value}`));
  const followButton = (kind: 'author' | 'category', value: string, label: string) =>
    followed.has(`${kind}:${kind === 'author' ? authorKey(value) : value}`)
      ? html`<span class="chip followed">Following ${label}</span>`
      : html`<form class="inline" method="post" action="/follows">${csrf}<input type="hidden" name="kind" value="${kind}"><input type="hidden" name="value" value="${value}"><input type="hidden" name="next" value="${next}"><button class="button small" type="submit">Follow ${label}</button></form>`;
  const panel = html`<section class="library-panel" aria-label="Your library">
  <p id="save-status" class="visually-hidden" role="status"></p>
  ${entry
    ? html`<form class="library-edit" method="post" action="/library/papers/${paper.arxivId}">
    ${csrf}<input type="hidden" name="next" value="${next}">
    <label for="lib-tags">Tags <span class="muted">(comma-separated)</span></label>
    <input id="lib-tags" name="tags" value="${entry.tags.join(', ')}" maxlength="900" placeholder="reading, rl, to-cite" autocomplete="off">
    <label for="lib-note">Private note</label>
    <textarea id="lib-note" name="note" rows="3" maxlength="4000">${entry.note ?? ''}</textarea>
    <label class="check"><input type="checkbox" name="read" value="1"${entry.read ? html` checked` : ''}> Read</label>
    <button class="button primary" type="submit">Save changes</button>
  </form>`
    : ''}
  <div class="follow-row">${paper.authors.slice(0, 3).map((a) => followButton('author', a, a))}${followButton('category', paper.primaryCategory, paper.primaryCategory)}</div>
</section>`;
  return { save, panel };
}

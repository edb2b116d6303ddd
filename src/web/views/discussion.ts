// The discussion on a paper page: threads with their replies, and the forms to comment, reply, edit,
// delete and report. Works without JavaScript (forms and <details>). Comment bodies reach the page
// only through the comment Markdown renderer, which escapes everything it does not produce itself.
import { html, raw, type HtmlValue, type RawHtml } from '../../lib/html.ts';
import { MAX_COMMENT_LENGTH, renderCommentMarkdown, type Comment, type Thread, type ThreadOrder } from '../../comments/index.ts';
import { avatarSvg } from '../../people/index.ts';

export interface DiscussionView {
  arxivId: string;
  threads: Thread[];
  count: number;
  order: ThreadOrder;
  /** The signed-in reader: id, whether a curator, and whether they may write. */
  viewer: { id: number; curator: boolean; suspended: boolean } | undefined;
  locked: boolean;
  /** Whether curators locked it (the lock control, shown to curators only). */
  lockedByCurators: boolean;
  /** Comment ids whose edit window is still open for the viewer. */
  editable: Set<number>;
  /** Handles of the paper's verified authors: their comments carry an "author" mark. */
  authorHandles: Set<string>;
  csrf: RawHtml;
  signInHref: string;
  editMinutes: number;
}

function when(iso: string): RawHtml {
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

function commentForm(v: DiscussionView, action: string, fields: HtmlValue, label: string, value = '', id = ''): RawHtml {
  return html`<form method="post" action="${action}" class="comment-form">
  ${v.csrf}${fields}
  <label class="visually-hidden" for="${id || action}-body">${label}</label>
  <textarea id="${id || action}-body" name="body" rows="4" maxlength="${MAX_COMMENT_LENGTH}" required placeholder="Markdown and $\\TeX$ welcome">${value}</textarea>
  <button class="button primary small" type="submit">${label}</button>
</form>`;
}

function commentItem(v: DiscussionView, c: Comment, threadId: number): RawHtml {
  const mine = v.viewer !== undefined && c.author?.id === v.viewer.id;
  const canWrite = v.viewer !== undefined && !v.viewer.suspended && !v.locked;
  const head = c.author
    ? html`<a class="comment-author" href="/users/${encodeURIComponent(c.author.handle)}">${raw(avatarSvg(c.author.handle, 20))}<span>${c.author.name}</span></a>${v.authorHandles.has(c.author.handle) ? html` <span class="badge author-mark" title="Verified author of this paper">author</span>` : ''}`
    : html`<span class="muted">${c.state === 'deleted' ? '[deleted]' : '[hidden by a curator]'}</span>`;
  const flags = html`${c.state === 'held' ? html` <span class="badge held-mark">awaiting review</span>` : ''}${c.state === 'hidden' ? html` <span class="badge hidden-mark">hidden</span>` : ''}${c.editedAt ? html` <span class="muted" title="edited ${c.editedAt}">(edited)</span>` : ''}`;
  const body = c.author ? html`<div class="comment-body">${raw(renderCommentMarkdown(c.body))}</div>` : html`<p class="comment-body muted">${c.state === 'deleted' ? 'This comment was deleted.' : 'This comment was hidden by a curator.'}</p>`;
  const tools: RawHtml[] = [];
  if (c.author && c.state !== 'deleted') {
    if (mine && v.editable.has(c.id) && canWrite) tools.push(html`<details class="comment-tool"><summary>Edit</summary>${commentForm(v, `/comments/${c.id}/edit`, '', 'Save', c.body, `edit-${c.id}`)}</details>`);
    if (mine) tools.push(html`<form method="post" action="/comments/${c.id}/delete" class="inline">${v.csrf}<button class="link-button" type="submit">Delete</button></form>`);
    if (v.viewer && !mine && c.state === 'visible') {
      tools.push(html`<details class="comment-tool"><summary>Report</summary><form method="post" action="/comments/${c.id}/report" class="comment-form">${v.csrf}
<label for="report-${c.id}">What is wrong with it?</label><input id="report-${c.id}" name="reason" maxlength="500" required><button class="button small" type="submit">Report to curators</button></form></details>`);
    }
    if (v.viewer?.curator) {
      const hidden = c.state === 'hidden';
      tools.push(html`<details class="comment-tool"><summary>${hidden ? 'Restore' : 'Hide'}</summary><form method="post" action="/comments/${c.id}/${hidden ? 'restore' : 'hide'}" class="comment-form">${v.csrf}
<label for="mod-${c.id}">Reason (audited)</label><input id="mod-${c.id}" name="reason" maxlength="500" required><button class="button small" type="submit">${hidden ? 'Restore comment' : 'Hide comment'}</button></form></details>`);
      if (c.state === 'held') tools.push(html`<form method="post" action="/comments/${c.id}/approve" class="inline">${v.csrf}<button class="link-button" type="submit">Approve</button></form>`);
    }
  }
  if (c.parentId === null && canWrite && c.state !== 'held') {
    tools.push(html`<details class="comment-tool"><summary>Reply</summary>${commentForm(v, '/comments', html`<input type="hidden" name="paper" value="${v.arxivId}"><input type="hidden" name="parent" value="${threadId}">`, 'Reply', '', `reply-${c.id}`)}</details>`);
  }
  return html`<article class="comment" id="comment-${c.id}">
  <header class="comment-head">${head}${flags} <a class="muted comment-time" href="#comment-${c.id}">${when(c.createdAt)}</a></header>
  ${body}
  ${tools.length > 0 ? html`<div class="comment-tools">${tools}</div>` : ''}
</article>`;
}

export function discussionSection(v: DiscussionView): RawHtml {
  const sortLink = (order: ThreadOrder, label: string) =>
    html`<a href="?comments=${order}#discussion"${v.order === order ? raw(' aria-current="page"') : ''}>${label}</a>`;
  const writer = v.locked
    ? html`<p class="notice">This discussion is locked by curators: no new comments or replies.</p>`
    : !v.viewer
      ? html`<p><a class="button" href="${v.signInHref}">Sign in to comment</a></p>`
      : v.viewer.suspended
        ? html`<p class="muted">Your account is suspended: it cannot comment.</p>`
        : commentForm(v, '/comments', html`<input type="hidden" name="paper" value="${v.arxivId}">`, 'Comment', '', 'new-comment');
  return html`<section class="discussion" id="discussion" aria-labelledby="discussion-h">
  <div class="discussion-head">
    <h2 id="discussion-h">Discussion <span class="count">${v.count}</span></h2>
    ${v.threads.length > 1 ? html`<nav class="tabs" aria-label="Order of threads">${sortLink('activity', 'Newest activity')}${sortLink('oldest', 'Oldest first')}</nav>` : ''}
  </div>
  ${writer}
  ${v.viewer?.curator ? html`<details class="curator-panel"><summary>${v.lockedByCurators ? 'Unlock discussion' : 'Lock discussion'}</summary><form method="post" action="/discussion/lock">${v.csrf}
<input type="hidden" name="paper" value="${v.arxivId}"><input type="hidden" name="locked" value="${v.lockedByCurators ? '0' : '1'}">
<label for="lock-reason">Reason (audited)</label><input id="lock-reason" name="reason" maxlength="500" required><button class="button small" type="submit">${v.lockedByCurators ? 'Unlock' : 'Lock'}</button></form></details>` : ''}
  ${v.threads.length === 0 ? html`<p class="muted">No comments yet${v.locked ? '' : ': start the discussion'}.</p>` : ''}
  <ol class="threads">${v.threads.map((t) => html`<li class="thread">${commentItem(v, t.comment, t.comment.id)}${t.replies.length > 0 ? html`<ol class="replies">${t.replies.map((r) => html`<li>${commentItem(v, r, t.comment.id)}</li>`)}</ol>` : ''}</li>`)}</ol>
  <p class="hint">Comments take a little Markdown (*emphasis*, **strong**, \`code\`, [links](https://…), lists, &gt; quotes) and TeX between $…$. ${v.editMinutes > 0 ? `You can edit a comment for ${v.editMinutes} minutes.` : ''}</p>
</section>`;
}

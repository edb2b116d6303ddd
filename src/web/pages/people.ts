// People: author pages (/authors/{name}), profiles (/users/{handle}), profile settings, authorship
// claims and their curator queue, and the one-click unsubscribe from reply mail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, raw, type RawHtml } from '../../lib/html.ts';
import { checkDisplayName, isCurator, setDisplayName, type User } from '../../accounts/index.ts';
import {
  authorPath, avatarSvg, checkHandle, claimAuthorship, decideClaim, ensureProfile, findAuthorPapers, findUserByHandle, listPendingClaims, listUserClaims,
  MAX_AUTHOR_NAME, stopReplyMail, updateProfile, verifiedAccountsForName, verifyReplyToken,
} from '../../people/index.ts';
import { listUserSubmissions } from '../../community/index.ts';
import { listPublicCollections } from '../../library/index.ts';
import { addFollow, checkFollowValue, findFollow, removeFollow } from '../../follows/index.ts';
import { findPaperByArxivId, parseArxivId } from '../../papers/index.ts';
import { HttpError, type AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { limitWrites, requireViewer, signInHref, viewerOf } from '../session.ts';
import { categoryHref, paperCard, paperHref } from '../views/paper-card.ts';
import { cardSlotsFor } from './community-cards.ts';
import { countOf } from '../../lib/words.ts';

const PAGE_SIZE = 20;
type Form = Record<string, string | undefined>;

function page(reply: FastifyReply, body: RawHtml, opts: Parameters<typeof layout>[0]): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(layout(opts, body).value);
}

function pageParam(raw: unknown): number {
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^\d{1,5}$/.test(raw) || Number(raw) < 1) throw new HttpError(400, 'bad_parameter', 'page: expected a whole number from 1.');
  return Number(raw);
}

export function registerPeopleRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { name: string }; Querystring: Record<string, string> }>('/authors/:name', async (req, reply) => {
    const name = req.params.name;
    if (name.trim() === '' || name.length > MAX_AUTHOR_NAME) throw new HttpError(400, 'bad_parameter', `name: an author name of 1 to ${MAX_AUTHOR_NAME} characters.`);
    const n = pageParam(req.query.page);
    const [{ papers, summary }, verified, viewer] = await Promise.all([
      findAuthorPapers(deps.db, name, { limit: PAGE_SIZE, offset: (n - 1) * PAGE_SIZE }),
      verifiedAccountsForName(deps.db, name),
      viewerOf(deps, req),
    ]);
    if (summary.total === 0) throw new HttpError(404, 'not_found', `No papers by "${name.slice(0, 100)}" here. Names must match arXiv's spelling exactly; try a search instead.`);
    const slots = await cardSlotsFor(deps, req, reply, papers);
    const followKey = checkFollowValue('author', name);
    const followed = viewer && followKey.ok ? await findFollow(deps.db, viewer.id, 'author', followKey.key) : undefined;
    const feed = `/feeds/author.atom?${new URLSearchParams({ name })}`;
    const pages = Math.ceil(summary.total / PAGE_SIZE);
    const body = html`<section class="author-page">
  <div class="listing-head">
    <h1>${name}${verified.length > 0 ? html` <span class="badge verified-mark" title="A curator verified this author's account">✓ verified</span>` : ''}</h1>
    <p class="count">${countOf(summary.total, 'paper')} here${summary.firstDay && summary.latestDay ? `, ${summary.firstDay} to ${summary.latestDay}` : ''}</p>
  </div>
  <div class="author-actions">
    ${viewer
      ? html`<form method="post" action="${authorPath(name)}/follow" class="inline">${csrfField(req, reply, deps.secret)}<input type="hidden" name="follow" value="${followed ? '0' : '1'}"><button class="button${followed ? '' : ' primary'}" type="submit">${followed ? 'Following ✓' : 'Follow'}</button></form>`
      : html`<a class="button" href="${signInHref(authorPath(name))}">Sign in to follow</a>`}
    <a class="button" href="${feed}">Atom feed</a>
  </div>
  ${verified.length > 0 ? html`<p class="verified">Verified account${verified.length > 1 ? 's' : ''}: ${verified.map((v, i) => html`${i > 0 ? ', ' : ''}<a class="person" href="/users/${encodeURIComponent(v.handle)}">${raw(avatarSvg(v.handle, 20))}${v.displayName}</a>`)}</p>` : ''}
  <div class="author-facts">
    ${summary.categories.length > 0 ? html`<p><strong>Categories:</strong> ${summary.categories.map((c) => html`<a class="cat" href="${categoryHref(c.code)}">${c.code}</a> <span class="muted">${c.papers}</span> `)}</p>` : ''}
    ${summary.coAuthors.length > 0 ? html`<p><strong>Co-authors:</strong> ${summary.coAuthors.map((c, i) => html`${i > 0 ? ', ' : ''}<a href="${authorPath(c.name)}">${c.name}</a>${c.papers > 1 ? html` <span class="muted">(${c.papers})</span>` : ''}`)}</p>` : ''}
  </div>
  <ol class="cards">${papers.map((p) => html`<li>${paperCard(p, slots.get(p.id))}</li>`)}</ol>
  ${pages > 1 ? html`<nav class="pager" aria-label="Pages">${n > 1 ? html`<a href="?page=${n - 1}" rel="prev">← Newer</a>` : ''} <span>Page ${n} of ${pages}</span> ${n < pages ? html`<a href="?page=${n + 1}" rel="next">Older →</a>` : ''}</nav>` : ''}
</section>`;
    return page(reply, body, { title: `${name}: papers`, description: `Papers by ${name}`, viewer: viewer ?? null, feeds: [{ title: `Papers by ${name} (Atom)`, href: feed, type: 'application/atom+xml' }] });
  });

  app.post<{ Params: { name: string }; Body: Form }>('/authors/:name/follow', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    const checked = checkFollowValue('author', req.params.name);
    if (!checked.ok) throw new HttpError(400, 'bad_parameter', `name: ${checked.message}`);
    if (req.body.follow !== '1' && req.body.follow !== '0') throw new HttpError(400, 'bad_parameter', 'follow: expected 1 or 0.');
    const existing = await findFollow(deps.db, user.id, 'author', checked.key);
    if (req.body.follow === '1' && !existing) {
      const added = await addFollow(deps.db, user.id, 'author', checked.value, checked.key, deps.now());
      if (!added.ok) throw new HttpError(409, 'too_many', 'follow: you follow as many things as an account may; unfollow something first.');
    }
    if (req.body.follow === '0' && existing) await removeFollow(deps.db, user.id, existing.id);
    return reply.redirect(authorPath(req.params.name), 303);
  });

  app.get<{ Params: { handle: string } }>('/users/:handle', async (req, reply) => {
    const found = await findUserByHandle(deps.db, req.params.handle);
    if (!found) throw new HttpError(404, 'not_found', `No one here goes by "${req.params.handle.slice(0, 40)}".`);
    const { user, profile } = found;
    const viewer = await viewerOf(deps, req);
    const [claims, submissions, collections] = await Promise.all([
      listUserClaims(deps.db, user.id, { limit: 50 }),
      listUserSubmissions(deps.db, user.id, 20),
      listPublicCollections(deps.db, user.id),
    ]);
    const upvoted = profile.showUpvotes ? await recentUpvotes(deps, user.id) : [];
    const body = html`<section class="profile">
  <div class="profile-head">${raw(avatarSvg(profile.handle, 64, user.displayName))}<div><h1>${user.displayName}</h1><p class="muted">@${profile.handle} · joined ${user.createdAt.slice(0, 10)}${isCurator(user) ? ' · curator' : ''}</p></div></div>
  ${viewer?.id === user.id ? html`<p><a class="button small" href="/account/profile">Edit profile</a></p>` : ''}
  <h2>Papers they wrote</h2>
  ${claims.length > 0 ? html`<ul class="plain-list">${claims.map((c) => html`<li><a href="${paperHref(c.arxivId)}">${c.title}</a> <span class="muted">as <a href="${authorPath(c.authorName)}">${c.authorName}</a></span> <span class="badge verified-mark">✓ verified</span></li>`)}</ul>` : html`<p class="muted">No verified authorship yet.</p>`}
  <h2>Collections</h2>
  ${collections.length > 0 ? html`<ul class="plain-list">${collections.map((c) => html`<li><strong>${c.name}</strong> <span class="muted">${countOf(c.papers, 'paper')}</span>${c.description ? html` — ${c.description}` : ''}</li>`)}</ul>` : html`<p class="muted">No public collections.</p>`}
  <h2>Submitted papers</h2>
  ${submissions.length > 0 ? html`<ul class="plain-list">${submissions.map((s) => html`<li><a href="${paperHref(s.arxivId)}">${s.title}</a> <span class="muted">${s.listedOn}</span></li>`)}</ul>` : html`<p class="muted">No submissions.</p>`}
  ${profile.showUpvotes ? html`<h2>Upvoted</h2>${upvoted.length > 0 ? html`<ul class="plain-list">${upvoted.map((p) => html`<li><a href="${paperHref(p.arxivId)}">${p.title}</a></li>`)}</ul>` : html`<p class="muted">No upvotes yet.</p>`}` : ''}
</section>`;
    return page(reply, body, { title: `${user.displayName} (@${profile.handle})`, description: `${user.displayName} on paperboy`, viewer });
  });

  app.get('/account/profile', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(profileForm(deps, req, reply, user, await ensureProfile(deps.db, user, deps.now()), {}).value);
  });

  app.post<{ Body: Form }>('/account/profile', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    const errors: Record<string, string> = {};
    const name = checkDisplayName(req.body.display_name ?? '');
    if (!name.ok) errors.display_name = name.message;
    const handle = checkHandle(req.body.handle ?? '', user.id);
    if (!handle.ok) errors.handle = handle.message;
    if (name.ok && handle.ok) {
      const saved = await updateProfile(deps.db, user, { handle: handle.handle, showUpvotes: req.body.show_upvotes === '1', notifyReplies: req.body.notify_replies === '1' }, deps.now());
      if (!saved.ok) errors.handle = saved.message;
      else {
        await setDisplayName(deps.db, user.id, name.name);
        return reply.redirect('/account/profile?saved=1', 303);
      }
    }
    const current = { handle: req.body.handle ?? '', showUpvotes: req.body.show_upvotes === '1', notifyReplies: req.body.notify_replies === '1', userId: user.id };
    return reply.code(400).type('text/html; charset=utf-8').send(profileForm(deps, req, reply, { ...user, displayName: req.body.display_name ?? '' }, current, errors).value);
  });

  app.post<{ Body: Form }>('/claims', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    const parsed = parseArxivId(req.body.paper ?? '');
    const paper = parsed && (await findPaperByArxivId(deps.db, parsed.id));
    if (!paper) throw new HttpError(400, 'bad_parameter', 'paper: expected the arXiv id of a paper we have.');
    const outcome = await claimAuthorship(deps.db, user, paper, req.body.author ?? '', deps.now());
    if (!outcome.ok) throw new HttpError(outcome.reason === 'suspended' ? 403 : outcome.reason === 'taken' ? 409 : 400, outcome.reason, outcome.reason === 'not_an_author' ? `author: ${outcome.message}` : outcome.message);
    return reply.redirect(`${paperHref(paper.arxivId)}?claimed=1#authors`, 303);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/claims/:id/decide', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    if (!isCurator(user)) throw new HttpError(403, 'forbidden', 'Only curators can decide claims.');
    await limitWrites(deps, req, user);
    if (!/^\d{1,12}$/.test(req.params.id)) throw new HttpError(404, 'not_found', 'No such claim.');
    if (req.body.decision !== 'approve' && req.body.decision !== 'reject') throw new HttpError(400, 'bad_parameter', 'decision: expected approve or reject.');
    const reason = (req.body.reason ?? '').replace(/\s+/g, ' ').trim().slice(0, 500);
    const outcome = await decideClaim(deps.db, { id: user.id, label: user.email }, Number(req.params.id), req.body.decision === 'approve', reason, deps.now());
    if (!outcome.ok) throw new HttpError(409, 'conflict', outcome.message);
    return reply.redirect('/curate/discussion', 303);
  });

  // RFC 8058: GET shows a button (mail scanners follow links), POST turns reply mail off; the signed token is the authority.
  app.get<{ Params: { token: string } }>('/notifications/unsubscribe/:token', async (req, reply) => {
    const user = await verifyReplyToken(deps.db, deps.secret, req.params.token);
    if (!user) throw new HttpError(404, 'not_found', 'This unsubscribe link is not valid. Change notification settings on your profile page instead.');
    const body = html`<section class="digest-page"><h1>Stop reply mail?</h1><p>${user.email} will no longer get mail about replies in discussions.</p>
<form method="post" action="/notifications/unsubscribe/${req.params.token}"><button class="button primary" type="submit">Unsubscribe</button></form></section>`;
    return reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex').type('text/html; charset=utf-8').send(layout({ title: 'Unsubscribe from reply mail' }, body).value);
  });

  app.post<{ Params: { token: string } }>('/notifications/unsubscribe/:token', { config: { csrf: false } }, async (req, reply) => {
    const user = await verifyReplyToken(deps.db, deps.secret, req.params.token);
    if (!user) throw new HttpError(404, 'not_found', 'This unsubscribe link is not valid.');
    await stopReplyMail(deps.db, user.id, deps.now());
    const body = html`<section class="digest-page"><h1>Unsubscribed</h1><p>No more reply mail to ${user.email}. You can turn it back on in <a href="/account/profile">your profile settings</a>.</p></section>`;
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(layout({ title: 'Unsubscribed' }, body).value);
  });
}

async function recentUpvotes(deps: AppDeps, userId: number): Promise<Array<{ arxivId: string; title: string }>> {
  const rows = await deps.db.selectFrom('vote').innerJoin('paper', 'paper.id', 'vote.paper_id').select(['paper.arxiv_id', 'paper.title']).where('vote.user_id', '=', userId).orderBy('vote.created_at', 'desc').limit(20).execute();
  return rows.map((r) => ({ arxivId: r.arxiv_id, title: r.title }));
}

function profileForm(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, user: User, profile: { handle: string; showUpvotes: boolean; notifyReplies: boolean }, errors: Record<string, string>): RawHtml {
  const saved = (req.query as Record<string, unknown>).saved !== undefined;
  const err = (field: string) => (errors[field] ? html`<p class="field-error" id="${field}-error">${errors[field]}</p>` : '');
  const invalid = (field: string) => (errors[field] ? raw(` aria-invalid="true" aria-describedby="${field}-error"`) : '');
  const body = html`<section class="community-form">
  <h1>Your profile</h1>
  ${saved ? html`<p class="form-notice" role="status">Saved.</p>` : ''}
  <p>Your public page: <a href="/users/${encodeURIComponent(profile.handle)}">/users/${profile.handle}</a></p>
  <form method="post" action="/account/profile">
    ${csrfField(req, reply, deps.secret)}
    <label for="display_name">Display name</label>
    <input id="display_name" name="display_name" maxlength="40" required value="${user.displayName}"${invalid('display_name')}>${err('display_name')}
    <label for="handle">Handle</label>
    <input id="handle" name="handle" maxlength="30" required pattern="[a-z][a-z0-9\\-]*[a-z0-9]" value="${profile.handle}"${invalid('handle')}>${err('handle')}
    <p class="hint">Lower-case letters, digits and hyphens; it is your address at /users/….</p>
    <fieldset id="notifications"><legend>Notifications and privacy</legend>
      <label class="check"><input type="checkbox" name="notify_replies" value="1"${profile.notifyReplies ? raw(' checked') : ''}> Mail me about replies in discussions I take part in (at most one mail per thread an hour)</label>
      <label class="check"><input type="checkbox" name="show_upvotes" value="1"${profile.showUpvotes ? raw(' checked') : ''}> Show the papers I upvote on my profile</label>
    </fieldset>
    <button class="button primary" type="submit">Save</button>
  </form>
</section>`;
  return layout({ title: 'Your profile', viewer: user }, body);
}

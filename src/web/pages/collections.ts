// A tag as a list: /library/tags/:name lets its owner order it, note each paper, describe it and make
// it public; /collections/:id is a public tag's page (its Atom feed is in feeds/library.ts).
import type { FastifyInstance } from 'fastify';
import { html } from '../../lib/html.ts';
import { HttpError } from '../../http/index.ts';
import { findUserById } from '../../accounts/index.ts';
import { findPaperByArxivId, parseArxivId } from '../../papers/index.ts';
import { checkNote, checkTagName, deleteTag, findTagById, findTagByName, listTagPapers, movePaperInTag, setTagPaperNote, updateTag, MAX_DESCRIPTION_LENGTH } from '../../library/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { limitWrites, requireViewer, viewerOf } from '../session.ts';
import { cardSlotsFor } from './community-cards.ts';
import { paperCard } from '../views/paper-card.ts';
import { countOf } from '../../lib/words.ts';

export function collectionHref(tagId: number): string {
  return `/collections/${tagId}`;
}

export function registerCollectionRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { name: string } }>('/library/tags/:name', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const tag = await findTagByName(deps.db, user.id, req.params.name.toLowerCase());
    if (!tag) throw new HttpError(404, 'not_found', `You have no tag “${req.params.name.slice(0, 40)}”.`);
    const papers = await listTagPapers(deps.db, tag.id);
    const csrf = csrfField(req, reply, deps.secret);
    const action = `/library/tags/${tag.id}`;
    const body = html`<section class="tag-page community-form">
  <h1>Tag <span class="tag-name">${tag.name}</span></h1>
  <p>${tag.public ? html`Public as a collection: <a href="${collectionHref(tag.id)}">${deps.config.baseUrl}${collectionHref(tag.id)}</a> (with an <a href="${collectionHref(tag.id)}/feed.atom">Atom feed</a>).` : 'Private: only you see it.'} <a href="/library?tag=${encodeURIComponent(tag.name)}">Back to the library</a></p>
  <form method="post" action="${action}">
    ${csrf}
    <label for="tag-name">Name</label>
    <input id="tag-name" name="name" value="${tag.name}" maxlength="40" required>
    <label for="tag-description">Description</label>
    <textarea id="tag-description" name="description" rows="3" maxlength="${MAX_DESCRIPTION_LENGTH}">${tag.description}</textarea>
    <label class="check"><input type="checkbox" name="public" value="1"${tag.public ? html` checked` : ''}> Public collection (a page, a feed, listed on your profile)</label>
    <button class="button primary" type="submit">Save</button>
  </form>
  <h2>Papers, in order</h2>
  ${papers.length === 0 ? html`<p class="muted">No papers have this tag.</p>` : html`<ol class="tag-papers">${papers.map((p, i) => html`<li>
    <a href="/papers/${p.paper.arxivId}">${p.paper.title}</a>
    <div class="tag-paper-tools">
      <form class="inline" method="post" action="${action}/move">${csrf}<input type="hidden" name="paper" value="${p.paper.arxivId}"><input type="hidden" name="direction" value="up"><button class="button small" type="submit"${i === 0 ? html` disabled` : ''}>↑<span class="visually-hidden"> Move up: ${p.paper.title}</span></button></form>
      <form class="inline" method="post" action="${action}/move">${csrf}<input type="hidden" name="paper" value="${p.paper.arxivId}"><input type="hidden" name="direction" value="down"><button class="button small" type="submit"${i === papers.length - 1 ? html` disabled` : ''}>↓<span class="visually-hidden"> Move down: ${p.paper.title}</span></button></form>
      <form class="inline note-form" method="post" action="${action}/note">${csrf}<input type="hidden" name="paper" value="${p.paper.arxivId}"><label class="visually-hidden" for="note-${i}">Note on ${p.paper.title}</label><input id="note-${i}" name="note" value="${p.note ?? ''}" maxlength="1000" placeholder="Note in this list"><button class="button small" type="submit">Save note</button></form>
    </div>
  </li>`)}</ol>`}
  <form method="post" action="${action}/delete">${csrf}<button class="button" type="submit">Delete this tag</button> <span class="muted">(its papers stay in your library)</span></form>
</section>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: `Tag ${tag.name}`, viewer: user, section: 'for-you', noindex: true }, body).value);
  });

  const ownTag = async (userId: number, raw: string) => {
    const id = Number(raw);
    const tag = Number.isInteger(id) && id > 0 ? await findTagById(deps.db, id) : undefined;
    if (!tag || tag.userId !== userId) throw new HttpError(404, 'not_found', 'You have no such tag.');
    return tag;
  };
  const paperOf = async (raw: unknown) => {
    const parsed = typeof raw === 'string' ? parseArxivId(raw) : undefined;
    if (!parsed) throw new HttpError(400, 'bad_parameter', 'paper: give an arXiv id.');
    const paper = await findPaperByArxivId(deps.db, parsed.id);
    if (!paper) throw new HttpError(404, 'not_found', `We have no paper ${parsed.id}.`);
    return paper;
  };

  app.post<{ Params: { id: string }; Body: { name?: string; description?: string; public?: string } }>('/library/tags/:id', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const tag = await ownTag(user.id, req.params.id);
    const body = req.body ?? {};
    const name = checkTagName(typeof body.name === 'string' ? body.name : '');
    if (!name.ok) throw new HttpError(400, 'bad_parameter', `name: ${name.message}`);
    const description = checkNote(typeof body.description === 'string' ? body.description : '', MAX_DESCRIPTION_LENGTH);
    if (!description.ok) throw new HttpError(400, 'bad_parameter', `description: ${description.message.replace('note', 'description')}`);
    if (body.public !== undefined && body.public !== '1') throw new HttpError(400, 'bad_parameter', 'public: must be 1 when given.');
    await limitWrites(deps, req, user);
    const outcome = await updateTag(deps.db, user.id, tag.id, { name: name.value, description: description.value ?? '', public: body.public === '1' }, deps.now());
    if (!outcome.ok) throw new HttpError(outcome.reason === 'name_taken' ? 409 : 404, outcome.reason, outcome.reason === 'name_taken' ? `name: you already have a tag “${name.value}”.` : 'You have no such tag.');
    return reply.redirect(`/library/tags/${encodeURIComponent(outcome.tag.name)}`, 303);
  });

  app.post<{ Params: { id: string }; Body: { paper?: string; direction?: string } }>('/library/tags/:id/move', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const tag = await ownTag(user.id, req.params.id);
    const direction = req.body?.direction;
    if (direction !== 'up' && direction !== 'down') throw new HttpError(400, 'bad_parameter', 'direction: must be up or down.');
    const paper = await paperOf(req.body?.paper);
    await limitWrites(deps, req, user);
    await movePaperInTag(deps.db, user.id, tag.id, paper.id, direction === 'up' ? -1 : 1, deps.now());
    return reply.redirect(`/library/tags/${encodeURIComponent(tag.name)}`, 303);
  });

  app.post<{ Params: { id: string }; Body: { paper?: string; note?: string } }>('/library/tags/:id/note', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const tag = await ownTag(user.id, req.params.id);
    const note = checkNote(typeof req.body?.note === 'string' ? req.body.note : '', 1000);
    if (!note.ok) throw new HttpError(400, 'bad_parameter', `note: ${note.message}`);
    const paper = await paperOf(req.body?.paper);
    await limitWrites(deps, req, user);
    if (!(await setTagPaperNote(deps.db, user.id, tag.id, paper.id, note.value, deps.now()))) throw new HttpError(404, 'not_found', 'That paper does not have this tag.');
    return reply.redirect(`/library/tags/${encodeURIComponent(tag.name)}`, 303);
  });

  app.post<{ Params: { id: string } }>('/library/tags/:id/delete', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const tag = await ownTag(user.id, req.params.id);
    await limitWrites(deps, req, user);
    await deleteTag(deps.db, user.id, tag.id);
    return reply.redirect('/library', 303);
  });

  app.get<{ Params: { id: string } }>('/collections/:id', async (req, reply) => {
    const id = Number(req.params.id);
    const tag = Number.isInteger(id) && id > 0 ? await findTagById(deps.db, id) : undefined;
    if (!tag || !tag.public) throw new HttpError(404, 'not_found', 'No such collection (it may have been made private).');
    const [owner, papers, viewer] = await Promise.all([findUserById(deps.db, tag.userId), listTagPapers(deps.db, tag.id), viewerOf(deps, req)]);
    const slots = await cardSlotsFor(deps, req, reply, papers.map((p) => p.paper));
    const feed = `${collectionHref(tag.id)}/feed.atom`;
    const body = html`<section class="collection">
  <h1>${tag.name}</h1>
  <p class="muted">A collection by ${owner?.displayName ?? 'a reader'} · ${countOf(papers.length, 'paper')} · <a href="${feed}">Atom feed</a></p>
  ${tag.description ? html`<p class="collection-description">${tag.description}</p>` : ''}
  <div class="cards" id="papers">${papers.map((p, i) => paperCard(p.paper, { ...slots.get(p.paper.id), rank: i + 1, extra: p.note ? html`<p class="reason">${p.note}</p>` : undefined }))}</div>
</section>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(layout({ title: tag.name, description: tag.description || `A collection of ${papers.length} papers`, viewer: viewer ?? null, feeds: [{ title: `${tag.name} (Atom)`, href: feed, type: 'application/atom+xml' }] }, body).value);
  });
}

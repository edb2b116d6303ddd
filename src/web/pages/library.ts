// The personal library pages: the Save endpoint behind every Save control, /library (filter by tag,
// sort, unread, edit, export as BibTeX or JSONL, import from BibTeX or a list of ids), and editing one
// saved paper. Every form works without JavaScript; save.js only saves in place.
import type { FastifyInstance } from 'fastify';
import { html } from '../../lib/html.ts';
import { HttpError } from '../../http/index.ts';
import { findPaperByArxivId, parseArxivId, ARXIV_ID_HELP } from '../../papers/index.ts';
import {
  checkNote, importToLibrary, libraryItemToBibtex, libraryItemToJson, listLibrary, listTags, MAX_IMPORT_IDS, parseTagList, readImportList, savePaper, unsavePaper,
  type LibrarySort,
} from '../../library/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { layout } from '../layout.ts';
import { limitWrites, requireViewer, safeNext } from '../session.ts';
import { cardSlotsFor } from './community-cards.ts';
import { beginInPlaceWrite } from './in-place-write.ts';
import { paperCard } from '../views/paper-card.ts';
import { countOf } from '../../lib/words.ts';

const PAGE_SIZE = 50;

interface LibraryQuery {
  tag?: string;
  sort?: string;
  unread?: string;
  page?: string;
  imported?: string;
  missing?: string;
}

export function registerLibraryRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/library/save', async (req, reply) => {
    const w = await beginInPlaceWrite(deps, req, reply, 'save', { doing: 'save', undo: 'remove from your library' });
    if (!w) return reply;
    if (w.on) await savePaper(deps.db, w.user.id, w.paper.id, {}, deps.now());
    else await unsavePaper(deps.db, w.user.id, w.paper.id);
    if (w.json) return reply.send({ paper: w.paper.arxivId, saved: w.on });
    return reply.redirect(w.next, 303);
  });

  app.post<{ Params: { '*': string }; Body: { tags?: string; note?: string; read?: string; next?: string; remove?: string } }>('/library/papers/*', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const parsed = parseArxivId(req.params['*']);
    if (!parsed) throw new HttpError(404, 'not_found', `"${req.params['*'].slice(0, 80)}" is not an arXiv id.`);
    const body = req.body ?? {};
    const tags = parseTagList(typeof body.tags === 'string' ? body.tags : '');
    if (!tags.ok) throw new HttpError(400, 'bad_parameter', `tags: ${tags.message}`);
    const note = checkNote(typeof body.note === 'string' ? body.note : '');
    if (!note.ok) throw new HttpError(400, 'bad_parameter', `note: ${note.message}`);
    if (body.read !== undefined && body.read !== '1') throw new HttpError(400, 'bad_parameter', 'read: must be 1 when given.');
    await limitWrites(deps, req, user);
    const paper = await findPaperByArxivId(deps.db, parsed.id);
    if (!paper) throw new HttpError(404, 'not_found', `We have no paper ${parsed.id}.`);
    if (body.remove === '1') await unsavePaper(deps.db, user.id, paper.id);
    else await savePaper(deps.db, user.id, paper.id, { tags: tags.value, note: note.value, read: body.read === '1' }, deps.now());
    return reply.redirect(safeNext(body.next, '/library'), 303);
  });

  app.get<{ Querystring: LibraryQuery }>('/library', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const q = parseLibraryQuery(req.query);
    const [page, tags] = await Promise.all([
      listLibrary(deps.db, user.id, { tag: q.tag, sort: q.sort, unreadOnly: q.unread, limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE }),
      listTags(deps.db, user.id),
    ]);
    const slots = await cardSlotsFor(deps, req, reply, page.items.map((i) => i.paper));
    const csrf = csrfField(req, reply, deps.secret);
    const href = (over: Partial<{ tag: string | undefined; sort: LibrarySort; unread: boolean; page: number }>) => libraryHref({ ...q, ...over });
    const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
    const exportQuery = q.tag ? `?tag=${encodeURIComponent(q.tag)}` : '';
    const body = html`<section class="library">
  <h1>Your library${q.tag ? html` · <span class="tag-name">${q.tag}</span>` : ''}</h1>
  ${req.query.imported !== undefined ? html`<p class="notice" role="status">Imported ${req.query.imported} paper${req.query.imported === '1' ? '' : 's'}.${req.query.missing ? html` Not on this instance: ${req.query.missing}.` : ''}</p>` : ''}
  <nav class="tag-filter" aria-label="Tags">
    <a href="${href({ tag: undefined, page: 1 })}"${q.tag === undefined ? html` aria-current="page"` : ''}>All</a>
    ${tags.map((t) => html`<a href="${href({ tag: t.name, page: 1 })}"${q.tag === t.name ? html` aria-current="page"` : ''}>${t.name} <span class="muted">${t.papers}</span>${t.public ? html` <span class="chip">public</span>` : ''}</a>`)}
  </nav>
  <p class="library-tools">
    <span>${countOf(page.total, 'paper')}</span>
    <span>Sort: ${q.sort === 'saved' ? html`<strong>saved</strong>` : html`<a href="${href({ sort: 'saved', page: 1 })}">saved</a>`} · ${q.sort === 'announced' ? html`<strong>announced</strong>` : html`<a href="${href({ sort: 'announced', page: 1 })}">announced</a>`}</span>
    <a href="${href({ unread: !q.unread, page: 1 })}">${q.unread ? 'Show all' : 'Unread only'}</a>
    ${q.tag ? html`<a href="/library/tags/${encodeURIComponent(q.tag)}">Order, describe or publish “${q.tag}”</a>` : ''}
    <a href="/for-you${q.tag ? `?tag=${encodeURIComponent(q.tag)}` : ''}">Recommended${q.tag ? ` for “${q.tag}”` : ''}</a>
    <span>Export: <a href="/library/export.bib${exportQuery}" download>BibTeX</a> · <a href="/library/export.jsonl${exportQuery}" download>JSONL</a></span>
  </p>
  ${page.total === 0
    ? html`<p class="empty">${q.tag || q.unread ? 'No papers here.' : html`Nothing saved yet. Use <strong>☆ Save</strong> on any paper, or import a list below.`}</p>`
    : html`<div class="cards" id="papers">${page.items.map((i) => paperCard(i.paper, { ...slots.get(i.paper.id), extra: html`<p class="library-meta">${i.tags.map((t) => html`<a class="chip" href="${href({ tag: t, page: 1 })}">${t}</a> `)}${i.read ? html`<span class="muted">read</span>` : html`<span class="unread">unread</span>`}${i.note ? html` · <span class="note">${i.note}</span>` : ''} · <a href="/papers/${i.paper.arxivId}#lib-tags">edit</a></p>` }))}</div>`}
  ${pages > 1 ? html`<nav class="pager" aria-label="Pages">${q.page > 1 ? html`<a rel="prev" href="${href({ page: q.page - 1 })}">← Page ${q.page - 1}</a>` : html`<span></span>`}<span>Page ${q.page} of ${pages}</span>${q.page < pages ? html`<a rel="next" href="${href({ page: q.page + 1 })}">Page ${q.page + 1} →</a>` : html`<span></span>`}</nav>` : ''}
  <section class="library-import" aria-labelledby="import-h">
    <h2 id="import-h">Import</h2>
    <form method="post" action="/library/import">
      ${csrf}
      <label for="import-text">A BibTeX file’s contents, or arXiv ids and URLs (one per line)</label>
      <textarea id="import-text" name="text" rows="5" required placeholder="2503.01234&#10;https://arxiv.org/abs/2501.00001&#10;@misc{…, eprint={2502.00002}}"></textarea>
      <label for="import-file">…or choose a file <span class="muted">(read in your browser)</span></label>
      <input id="import-file" type="file" accept=".bib,.txt,text/plain" data-import-file="import-text">
      <label for="import-tags">Tag them <span class="muted">(optional, comma-separated)</span></label>
      <input id="import-tags" name="tags" maxlength="900" placeholder="reading-group" value="${q.tag ?? ''}">
      <button class="button primary" type="submit">Import</button>
    </form>
  </section>
</section>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ title: 'Your library', viewer: user, section: 'for-you', noindex: true }, body).value);
  });

  app.post<{ Body: { text?: string; tags?: string } }>('/library/import', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const body = req.body ?? {};
    if (typeof body.text !== 'string' || body.text.trim() === '') throw new HttpError(400, 'bad_parameter', 'text: paste a BibTeX file or a list of arXiv ids.');
    const tags = parseTagList(typeof body.tags === 'string' ? body.tags : '');
    if (!tags.ok) throw new HttpError(400, 'bad_parameter', `tags: ${tags.message}`);
    const list = readImportList(body.text);
    if (list.arxivIds.length === 0) throw new HttpError(400, 'bad_parameter', `text: no arXiv ids found; ${ARXIV_ID_HELP}.`);
    if (list.arxivIds.length > MAX_IMPORT_IDS) throw new HttpError(400, 'bad_parameter', `text: ${list.arxivIds.length} ids is more than one import takes (${MAX_IMPORT_IDS}); split the list.`);
    await limitWrites(deps, req, user);
    const outcome = await importToLibrary(deps.db, user.id, list.arxivIds, tags.value, deps.now());
    const missing = outcome.missing.slice(0, 20).join(', ') + (outcome.missing.length > 20 ? ` and ${outcome.missing.length - 20} more` : '');
    const q = new URLSearchParams({ imported: String(outcome.saved) });
    if (missing) q.set('missing', missing);
    if (tags.value.length === 1) q.set('tag', tags.value[0]!);
    return reply.redirect(`/library?${q}`, 303);
  });

  for (const format of ['bib', 'jsonl'] as const) {
    app.get<{ Querystring: { tag?: string } }>(`/library/export.${format}`, async (req, reply) => {
      const user = await requireViewer(deps, req, reply);
      if (!user) return reply;
      const tag = typeof req.query.tag === 'string' && req.query.tag !== '' ? req.query.tag.toLowerCase() : undefined;
      const items = [];
      for (let offset = 0; ; offset += 500) {
        const page = await listLibrary(deps.db, user.id, { tag, limit: 500, offset });
        items.push(...page.items);
        if (page.items.length < 500) break;
      }
      const text = format === 'bib' ? items.map(libraryItemToBibtex).join('\n') : items.map((i) => libraryItemToJson(i) + '\n').join('');
      const name = `paperboy-library${tag ? `-${tag.replace(/[^a-z0-9-]+/g, '-')}` : ''}.${format}`;
      return reply
        .type(format === 'bib' ? 'application/x-bibtex; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(text);
    });
  }
}

function parseLibraryQuery(raw: LibraryQuery): { tag: string | undefined; sort: LibrarySort; unread: boolean; page: number } {
  const sort = raw.sort ?? 'saved';
  if (sort !== 'saved' && sort !== 'announced') throw new HttpError(400, 'bad_parameter', 'sort: must be saved or announced.');
  const page = raw.page === undefined ? 1 : Number(raw.page);
  if (!Number.isInteger(page) || page < 1 || page > 10_000) throw new HttpError(400, 'bad_parameter', 'page: must be a whole number from 1.');
  if (raw.unread !== undefined && raw.unread !== '1') throw new HttpError(400, 'bad_parameter', 'unread: must be 1 when given.');
  const tag = typeof raw.tag === 'string' && raw.tag !== '' ? raw.tag.toLowerCase() : undefined;
  return { tag, sort, unread: raw.unread === '1', page };
}

function libraryHref(q: { tag: string | undefined; sort: LibrarySort; unread: boolean; page: number }): string {
  const p = new URLSearchParams();
  if (q.tag) p.set('tag', q.tag);
  if (q.sort !== 'saved') p.set('sort', q.sort);
  if (q.unread) p.set('unread', '1');
  if (q.page > 1) p.set('page', String(q.page));
  const s = p.toString();
  return s ? `/library?${s}` : '/library';
}

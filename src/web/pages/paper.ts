// "/papers/:arxivId" — one paper. Old-style ids contain a slash, so the route takes the rest of the path.
import type { FastifyInstance } from 'fastify';
import { html, safeUrl, type RawHtml } from '../../lib/html.ts';
import type { User } from '../../accounts/index.ts';
import { assetUrl } from '../static.ts';
import { paperCommunityBlock } from './paper-community.ts';
import { HttpError } from '../../lib/http-error.ts';
import { ARXIV_ABS_URL, ARXIV_PDF_URL, findPaperByArxivId, parseArxivId, periodContaining, type Paper } from '../../papers/index.ts';
import type { AppDeps } from '../app.ts';
import { layout } from '../layout.ts';
import { LINK_LABELS, paperHref } from '../views/paper-card.ts';
import { periodHref } from './home.ts';
import { categoryFeedLinks } from '../../feeds/index.ts';

/** Resolves the id in a path, redirecting versioned or prefixed forms to the canonical URL. */
export async function paperFromPath(deps: AppDeps, rawId: string): Promise<{ paper?: Paper; redirect?: string }> {
  const parsed = parseArxivId(rawId);
  if (!parsed) throw new HttpError(404, 'not_found', `"${rawId.slice(0, 80)}" is not an arXiv id, so there is no paper page for it.`);
  const paper = await findPaperByArxivId(deps.db, parsed.id);
  if (!paper) throw new HttpError(404, 'not_found', `We have no paper ${parsed.id} yet.`);
  return parsed.id !== rawId ? { redirect: parsed.id } : { paper };
}

export function registerPaperRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { '*': string } }>('/papers/*', async (req, reply) => {
    const { paper, redirect } = await paperFromPath(deps, req.params['*']);
    if (redirect) return reply.redirect(paperHref(redirect), 301);
    const community = await paperCommunityBlock(deps, req, reply, paper!);
    return reply.type('text/html; charset=utf-8').send(paperPage(deps, paper!, community).value);
  });
}

function paperPage(deps: AppDeps, p: Paper, community: { block: RawHtml; viewer: User | null }) {
  const day = periodContaining('day', p.announcedOn);
  const body = html`<article class="paper">
  <p class="crumbs"><a href="${periodHref(day)}">Papers of ${p.announcedOn}</a> · <a href="/?${String(new URLSearchParams({ date: p.announcedOn, category: p.primaryCategory }))}">${p.primaryCategory}</a></p>
  <h1 class="paper-title">${p.title}</h1>
  ${p.withdrawn ? html`<p class="notice">This paper has been withdrawn by its authors.</p>` : ''}
  <p class="authors">${p.authors.map((a, i) => html`${i > 0 ? ', ' : ''}<a href="/search?${String(new URLSearchParams({ q: `au:"${a}"` }))}">${a}</a>`)}</p>
  ${community.block}
  <p class="actions">
    <a class="button" href="${ARXIV_ABS_URL}${p.arxivId}" rel="noopener">arXiv:${p.arxivId}v${p.version}</a>
    <a class="button" href="${ARXIV_PDF_URL}${p.arxivId}" rel="noopener">PDF</a>
    ${p.hfUpvotes > 0 ? html`<span class="hf" title="upvotes imported from Hugging Face">▲ ${p.hfUpvotes} on Hugging Face</span>` : ''}
  </p>
  <h2 class="visually-hidden">Abstract</h2>
  <p class="abstract">${p.abstract || '(no abstract)'}</p>
  ${p.links.length > 0 ? html`<section class="links"><h2>Code and data</h2><ul>${p.links.map((l) => html`<li><span class="badge badge-${l.kind}">${LINK_LABELS[l.kind]}</span> <a href="${safeUrl(l.url)}" rel="noopener nofollow">${l.url}</a></li>`)}</ul></section>` : ''}
  <dl class="facts">
    <dt>Categories</dt><dd>${p.categories.map((c, i) => html`${i > 0 ? ' · ' : ''}<span class="cat">${c}</span>`)}</dd>
    <dt>Announced</dt><dd>${p.announcedOn}</dd>
    ${p.submittedAt ? html`<dt>Submitted</dt><dd>${p.submittedAt.slice(0, 10)}</dd>` : ''}
    ${p.updatedAt ? html`<dt>Updated</dt><dd>${p.updatedAt.slice(0, 10)}</dd>` : ''}
    ${p.comment ? html`<dt>Comment</dt><dd>${p.comment}</dd>` : ''}
    ${p.journalRef ? html`<dt>Journal ref</dt><dd>${p.journalRef}</dd>` : ''}
    ${p.doi ? html`<dt>DOI</dt><dd><a href="${safeUrl(`https://doi.org/${p.doi}`)}" rel="noopener">${p.doi}</a></dd>` : ''}
    ${p.license ? html`<dt>License</dt><dd>${p.license}</dd>` : ''}
  </dl>
</article>`;
  return layout({ title: p.title, description: p.abstract.slice(0, 200), canonical: `${deps.config.baseUrl}${paperHref(p.arxivId)}`, viewer: community.viewer, feeds: categoryFeedLinks(p.primaryCategory), head: html`<script src="${assetUrl('vote.js')}" defer></script>` }, body);
}

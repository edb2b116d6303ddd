// "/papers/:arxivId" — one paper. Old-style ids contain a slash, so the route takes the rest of the path.
import type { FastifyInstance } from 'fastify';
import { html, safeUrl, type HtmlValue, type RawHtml } from '../../lib/html.ts';
import { type AppDeps, assetUrl, categoryFeedLinks, CHANGE_LEVEL, dependsOn, HttpError } from '../../http/index.ts';
import { ARXIV_ABS_URL, ARXIV_PDF_URL, categoryName, findPaperByArxivId, parseArxivId, periodContaining, type Paper } from '../../papers/index.ts';
import { layout } from '../layout.ts';
import { paperToBibtex } from '../../export/bibtex.ts';
import { categoryHref, importedVotes, LINK_LABELS, paperHref } from '../views/paper-card.ts';
import { texHtml } from '../../lib/tex.ts';
import { phraseChips, starsFor, thumbnailImg, tldrLine } from '../views/around.ts';
import { periodHref } from './home.ts';
import { findSimilarPapers } from '../../search/similar.ts';
import { semanticStateKey } from '../../search/index.ts';
import { paperCommunitySlots } from './paper-community.ts';
import { paperDiscussion, paperPeopleSlots } from './discussion.ts';
import { authorPath } from '../../people/index.ts';

/** Resolves the id in a path, redirecting versioned or prefixed forms to the canonical URL. */
export async function paperFromPath(deps: AppDeps, rawId: string): Promise<{ paper?: Paper; redirect?: string }> {
  const parsed = parseArxivId(rawId);
  if (!parsed) throw new HttpError(404, 'not_found', `"${rawId.slice(0, 80)}" is not an arXiv id, so there is no paper page for it.`);
  const paper = await findPaperByArxivId(deps.db, parsed.id);
  if (!paper) throw new HttpError(404, 'not_found', `We have no paper ${parsed.id} yet. Submit it and it joins today's list.`, {}, { href: `/submit?paper=${encodeURIComponent(parsed.id)}`, label: `Submit ${parsed.id}` });
  return parsed.id !== rawId ? { redirect: parsed.id } : { paper };
}

export function registerPaperRoutes(app: FastifyInstance, deps: AppDeps): void {
  // ?submitted and ?claimed are notices for the signed-in reader who just acted: answered afresh.
  // The state of semantic search is part of the key: similar papers change as embeddings arrive.
  const pageCache = { params: ['comments'], clock: () => semanticStateKey(deps.semantic) };
  app.get<{ Params: { '*': string } }>('/papers/*', { config: { pageCache } }, async (req, reply) => {
    const { paper, redirect } = await paperFromPath(deps, req.params['*']);
    if (redirect) return reply.redirect(paperHref(redirect), 301);
    const similar = await findSimilarPapers(deps.db, deps.semantic, paper!, 5);
    // The paper and its neighbours' titles; neighbours found by keywords move with any paper's text.
    dependsOn(req, { papers: [paper!.id, ...similar.papers.map((p) => p.id)], level: similar.method === 'keyword' ? CHANGE_LEVEL.content : CHANGE_LEVEL.all });
    const [community, discussion, people] = await Promise.all([
      paperCommunitySlots(deps, req, reply, paper!),
      paperDiscussion(deps, req, reply, paper!),
      paperPeopleSlots(deps, req, reply, paper!),
    ]);
    return reply.type('text/html; charset=utf-8').send(paperPage(deps, paper!, { similar: similarList(similar.papers), ...community, discussion, ...people }).value);
  });
}

function similarList(papers: Paper[]): HtmlValue {
  if (papers.length === 0) return '';
  return html`<h2>Similar papers</h2><ul>${papers.map((s) => html`<li><a href="${paperHref(s.arxivId)}">${texHtml(s.title)}</a> <span class="meta">${s.primaryCategory} · ${s.announcedOn}</span></li>`)}</ul>`;
}

/** What other features put on the paper page. */
export interface PaperPageSlots {
  /** The upvote control; defaults to the imported Hugging Face count. */
  vote?: HtmlValue;
  /** "Submitted by …", for papers a reader submitted. */
  submitter?: HtmlValue;
  /** Similar papers, already rendered as a list of cards. */
  similar?: HtmlValue;
  account?: HtmlValue;
  /** Community notices and curator tools, under the actions. */
  notices?: HtmlValue;
  /** The discussion section. */
  discussion?: HtmlValue;
  /** Verified authors of the paper, by name as printed: their mark links to their profile. */
  verified?: Map<string, { handle: string; displayName: string }>;
  /** "Are you an author?": the claim form. */
  claim?: HtmlValue;
  /** The signed-in user for the header. */
  viewer?: { displayName: string; role: string } | null;
}

export function paperPage(deps: AppDeps, p: Paper, slots: PaperPageSlots = {}): RawHtml {
  const day = periodContaining('day', p.announcedOn);
  const name = categoryName(p.primaryCategory);
  const feedHref = `/feeds/category/${p.primaryCategory}.atom`;
  const body = html`<article class="paper">
  <p class="crumbs"><a href="${periodHref(day)}">Papers of ${p.announcedOn}</a><span aria-hidden="true">·</span><a class="cat" href="${categoryHref(p.primaryCategory)}"${name ? html` title="${name}"` : ''}>${p.primaryCategory}</a></p>
  <h1 class="paper-title">${texHtml(p.title)}</h1>
  ${p.withdrawn ? html`<p class="notice">This paper has been withdrawn by its authors.</p>` : ''}
  <p class="authors" id="authors">${p.authors.map((a, i) => {
    const v = slots.verified?.get(a);
    return html`${i > 0 ? ', ' : ''}<a href="${authorPath(a)}">${a}</a>${v ? html` <a class="verified-mark" href="/users/${encodeURIComponent(v.handle)}" title="Verified: ${v.displayName} (@${v.handle})">✓</a>` : ''}`;
  })}</p>
  ${slots.claim ?? ''}
  ${slots.submitter ? html`<p class="submitter">${slots.submitter}</p>` : ''}
  <div class="actions">
    ${slots.vote ?? importedVotes(p)}
    <a class="button primary" href="${ARXIV_PDF_URL}${p.arxivId}" rel="noopener">PDF</a>
    <a class="button" href="${ARXIV_ABS_URL}${p.arxivId}" rel="noopener">arXiv:${p.arxivId}v${p.version}</a>
    <a class="button" href="#cite">Cite</a>
  </div>
  ${slots.notices ?? ''}
  ${tldrLine(p)}
  <section class="abstract" aria-labelledby="abstract-h">
    <h2 id="abstract-h" class="visually-hidden">Abstract</h2>
    ${thumbnailImg(p, 'paper-thumb')}
    <p>${p.abstract ? texHtml(p.abstract) : '(no abstract)'}</p>
  </section>
  ${phraseChips(p, 8)}
  ${p.links.length > 0 ? html`<section class="links" aria-labelledby="links-h"><h2 id="links-h">Code and data</h2><ul>${p.links.map((l) => html`<li><span class="badge badge-${l.kind}">${LINK_LABELS[l.kind]}</span> <a href="${safeUrl(l.url)}" rel="noopener nofollow">${l.url}</a>${l.kind === 'code' ? starsFor(p, l.url) : ''}</li>`)}</ul></section>` : ''}
  <dl class="facts">
    <dt>Categories</dt><dd>${p.categories.map((c, i) => html`${i > 0 ? ' ' : ''}<a class="cat" href="${categoryHref(c)}">${c}</a>`)}</dd>
    <dt>Announced</dt><dd>${p.announcedOn}</dd>
    ${p.submittedAt ? html`<dt>Submitted</dt><dd>${p.submittedAt.slice(0, 10)}</dd>` : ''}
    ${p.updatedAt ? html`<dt>Updated</dt><dd>${p.updatedAt.slice(0, 10)}</dd>` : ''}
    ${p.comment ? html`<dt>Comment</dt><dd>${texHtml(p.comment)}</dd>` : ''}
    ${p.journalRef ? html`<dt>Journal ref</dt><dd>${p.journalRef}</dd>` : ''}
    ${p.doi ? html`<dt>DOI</dt><dd><a href="${safeUrl(`https://doi.org/${p.doi}`)}" rel="noopener">${p.doi}</a></dd>` : ''}
    ${p.license ? html`<dt>License</dt><dd>${p.license}</dd>` : ''}
  </dl>
  <section class="cite" id="cite" aria-labelledby="cite-h">
    <h2 id="cite-h">Cite</h2>
    <pre><code id="bibtex">${paperToBibtex(p).trimEnd()}</code></pre>
    <div class="cite-actions"><button class="button small" type="button" data-copy="bibtex" hidden>Copy BibTeX</button></div>
  </section>
  ${slots.discussion ?? ''}
  <section class="similar" aria-label="Similar papers">${slots.similar ?? ''}</section>
  <p class="feeds">Follow new papers: <a href="${feedHref}">${p.primaryCategory} feed</a> · <a href="/feeds/daily.atom">daily trending feed</a></p>
</article>`;
  return layout({
    title: p.title,
    description: p.abstract.slice(0, 200),
    canonical: `${deps.config.baseUrl}${paperHref(p.arxivId)}`,
    feeds: categoryFeedLinks(p.primaryCategory),
    account: slots.account,
    viewer: slots.viewer,
    head: html`<script src="${assetUrl('vote.js')}" defer></script>`,
  }, body);
}

// A paper as a card in any listing (trending, category, search): title, authors, category, badges,
// and slots for what other features add (the upvote control, who submitted it).
import { html, safeUrl, type HtmlValue, type RawHtml } from '../../lib/html.ts';
import type { Paper, LinkKind } from '../../papers/index.ts';
import { texHtml } from '../../lib/tex.ts';
import { authorPath } from '../../people/index.ts';
import { phraseChips, starsFor, thumbnailImg } from './around.ts';
import { countOf } from '../../lib/words.ts';

export const LINK_LABELS: Record<LinkKind, string> = {
  code: 'Code',
  project: 'Project page',
  hf_model: 'Model',
  hf_dataset: 'Dataset',
  hf_space: 'Space',
};

export function paperHref(arxivId: string): string {
  return `/papers/${arxivId}`;
}

export function categoryHref(category: string): string {
  return `/categories/${encodeURIComponent(category)}`;
}

/**
 * Author names linking to their author pages, the first `max` of them. Names in `marked` (the
 * authors a search names) are in <mark>, and one past the first `max` is still shown, after "…".
 */
export function authorLinks(authors: string[], max = 6, marked: readonly string[] = []): RawHtml {
  const link = (a: string) => html`<a href="${authorPath(a)}">${marked.includes(a) ? html`<mark>${a}</mark>` : a}</a>`;
  const shown = authors.slice(0, max).map((a, i) => html`${i > 0 ? ', ' : ''}${link(a)}`);
  const later = authors.slice(max).filter((a) => marked.includes(a));
  return html`${shown}${later.length > 0 ? html`, …${later.map((a) => html`, ${link(a)}`)}` : ''}${authors.length > max ? ` et al. (${authors.length} authors)` : ''}`;
}

/** Badges for the kinds of links a paper has: one per kind, linking to the first of that kind. */
export function linkBadges(paper: Paper): RawHtml {
  const firstOfKind = new Map<LinkKind, string>();
  for (const l of paper.links) if (!firstOfKind.has(l.kind)) firstOfKind.set(l.kind, l.url);
  return html`${[...firstOfKind].map(([kind, url]) => html`<a class="badge badge-${kind}" href="${safeUrl(url)}" rel="noopener nofollow">${LINK_LABELS[kind]}${kind === 'code' ? starsFor(paper, url) : ''}</a>`)}`;
}

/** The vote count shown when no vote control is given: Hugging Face's imported upvotes. */
export function importedVotes(paper: Paper): RawHtml {
  if (paper.hfUpvotes <= 0) return html``;
  return html`<span class="votes" title="Upvotes imported from Hugging Face"><strong>${paper.hfUpvotes}</strong><span class="label">HF ▲</span></span>`;
}

export interface CardOptions {
  /** Position in the listing (1-based), shown on wide screens. */
  rank?: number;
  /** The upvote control; defaults to the imported Hugging Face count. */
  vote?: HtmlValue;
  /** "submitted by …", for papers a reader submitted. */
  submitter?: HtmlValue;
  /** Comments in the paper's discussion. */
  comments?: number;
  /** Extra lines under the authors, e.g. a highlighted search snippet. */
  extra?: HtmlValue;
  /** The title as HTML (a search's, with the query's words marked); defaults to the title with its TeX rendered. */
  titleHtml?: RawHtml;
  /** Authors to mark (those an author search names). */
  markedAuthors?: readonly string[];
}

export function paperCard(paper: Paper, opts: CardOptions = {}): RawHtml {
  return html`<article class="card">
  ${opts.rank !== undefined ? html`<div class="rank" aria-hidden="true">${opts.rank}</div>` : ''}
  <div class="card-body">
    <h2 class="card-title"><a href="${paperHref(paper.arxivId)}">${opts.titleHtml ?? texHtml(paper.title)}</a></h2>
    <p class="authors">${authorLinks(paper.authors, 6, opts.markedAuthors)}</p>
    ${opts.extra ?? ''}
    <p class="meta">
      <a class="cat" href="${categoryHref(paper.primaryCategory)}">${paper.primaryCategory}</a>
      <span>${paper.announcedOn}</span>
      ${paper.withdrawn ? html`<span class="withdrawn">withdrawn</span>` : ''}
      ${linkBadges(paper)}
      ${opts.comments ? html`<a class="comments-link" href="${paperHref(paper.arxivId)}#discussion">${countOf(opts.comments, 'comment')}</a>` : ''}
      ${opts.submitter ? html`<span class="submitter">${opts.submitter}</span>` : ''}
    </p>
    ${phraseChips(paper, 3)}
  </div>
  ${thumbnailImg(paper, 'card-thumb')}
  <div class="card-side">${opts.vote ?? importedVotes(paper)}</div>
</article>`;
}

import { html, safeUrl, type RawHtml } from '../../lib/html.ts';
import type { Paper, LinkKind } from '../../papers/index.ts';

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

export function authorList(authors: string[], max = 6): string {
  if (authors.length <= max) return authors.join(', ');
  return `${authors.slice(0, max).join(', ')} et al. (${authors.length} authors)`;
}

/** Badges for the kinds of links a paper has: one per kind, linking to the first of that kind. */
export function linkBadges(paper: Paper): RawHtml {
  const firstOfKind = new Map<LinkKind, string>();
  for (const l of paper.links) if (!firstOfKind.has(l.kind)) firstOfKind.set(l.kind, l.url);
  return html`${[...firstOfKind].map(([kind, url]) => html`<a class="badge badge-${kind}" href="${safeUrl(url)}" rel="noopener nofollow">${LINK_LABELS[kind]}</a>`)}`;
}

/** Optional community parts of a card: the vote control beside it, notes (submitted by, pinned) in its meta line. */
export interface CardSlots {
  vote?: RawHtml;
  notes?: RawHtml;
}

export function paperCard(paper: Paper, rank?: number, slots: CardSlots = {}): RawHtml {
  return html`<article class="card" id="paper-${paper.arxivId.replace(/\W/g, '-')}">
  ${rank !== undefined ? html`<div class="rank" aria-hidden="true">${rank}</div>` : ''}
  ${slots.vote ?? ''}
  <div class="card-body">
    <h2 class="card-title"><a href="${paperHref(paper.arxivId)}">${paper.title}</a></h2>
    <p class="authors">${authorList(paper.authors)}</p>
    <p class="meta">
      <span class="cat">${paper.primaryCategory}</span>
      <span>${paper.announcedOn}</span>
      ${paper.hfUpvotes > 0 ? html`<span title="upvotes imported from Hugging Face">▲ ${paper.hfUpvotes} on HF</span>` : ''}
      ${paper.withdrawn ? html`<span class="withdrawn">withdrawn</span>` : ''}
      ${slots.notes ?? ''}
      ${linkBadges(paper)}
    </p>
  </div>
</article>`;
}

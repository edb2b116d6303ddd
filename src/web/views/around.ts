// What cards and the paper page show around a paper: key-phrase chips linking to search, the TL;DR,
// the first-page thumbnail and the repository's stars. Each renders nothing when its job has not
// filled it in, so a paper without them looks as it always did.
import { html, type RawHtml } from '../../lib/html.ts';
import { NO_EXTRAS, thumbnailHref, type Paper } from '../../papers/index.ts';
import { texHtml } from '../../lib/tex.ts';

/** A phrase as a search: the exact phrase, so the chip finds the papers that use it. */
export function phraseSearchHref(phrase: string): string {
  return `/search?${String(new URLSearchParams({ q: `"${phrase.replace(/"/g, '')}"` }))}`;
}

/** The model's keywords when it wrote some, else the extracted key phrases. */
export function shownPhrases(p: Paper): string[] {
  const e = p.extras ?? NO_EXTRAS;
  return e.aiKeywords && e.aiKeywords.length > 0 ? e.aiKeywords : e.keyPhrases;
}

export function phraseChips(p: Paper, max: number): RawHtml {
  const phrases = shownPhrases(p).slice(0, max);
  if (phrases.length === 0) return html``;
  return html`<ul class="phrases" aria-label="Key phrases">${phrases.map((k) => html`<li><a class="chip" href="${phraseSearchHref(k)}">${k}</a></li>`)}</ul>`;
}

/** 1234 → "1.2k": stars as GitHub shows them. */
export function formatStars(n: number): string {
  if (n < 1000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return `${Math.round(n / 1000)}k`;
}

/** "★ 1.2k" for a code link whose stars are known. */
export function starsFor(p: Paper, url: string): RawHtml {
  const code = p.extras?.code;
  if (!code || code.url !== url) return html``;
  return html` <span class="stars" title="${code.stars.toLocaleString('en-US')} stars on GitHub">★ ${formatStars(code.stars)}</span>`;
}

/** The first page, lazily loaded at its real aspect ratio (width and height set, so nothing jumps). */
export function thumbnailImg(p: Paper, cls: string): RawHtml {
  const t = p.extras?.thumbnail;
  if (!t) return html``;
  return html`<img class="${cls}" src="${thumbnailHref(t)}" width="${t.width}" height="${t.height}" loading="lazy" decoding="async" alt="First page of the paper">`;
}

/** The TL;DR line: the model's summary when there is one (labelled so), else the extracted sentence. */
export function tldrLine(p: Paper): RawHtml {
  const e = p.extras ?? NO_EXTRAS;
  const text = e.aiSummary ?? e.tldr;
  if (!text) return html``;
  return html`<p class="tldr"><strong>TL;DR</strong> ${texHtml(text)}${e.aiSummary ? html` <span class="muted">(written by a model)</span>` : ''}</p>`;
}

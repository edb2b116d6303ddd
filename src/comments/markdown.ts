// Comment bodies: a small, safe Markdown subset rendered to HTML. Paragraphs (a single newline is a
// line break), **strong**, *emphasis*, `code`, fenced code, [links](https://…) and bare URLs, "- " and
// "1. " lists, "> " quotes, and TeX maths rendered like abstracts. Everything else is escaped text:
// there is no raw HTML, no images and no headings, so a comment cannot change the page around it.
// Pure; every scan is bounded, so hostile input costs time proportional to its length.
import { escapeHtml } from '../lib/html.ts';
import { matchTexAt, texToMathml } from '../lib/tex.ts';

/** Longest input rendered (twice the stored limit); anything longer is cut, so no input costs more than this. */
const RENDER_LIMIT = 20_000;
const MAX_QUOTE_DEPTH = 3;
const MAX_INLINE_DEPTH = 3;
const MAX_LINK_TEXT = 500;
const MAX_URL = 2000;

export function renderCommentMarkdown(body: string): string {
  const text = body.slice(0, RENDER_LIMIT).replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return renderBlocks(text.split('\n'), 0);
}

const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)]) +(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const FENCE = /^ {0,3}(```|~~~)/;

function renderBlocks(lines: string[], depth: number): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) code.push(lines[i++]!);
      i++; // the closing fence (or the end of the body)
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (QUOTE.test(line) && depth < MAX_QUOTE_DEPTH) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) inner.push(QUOTE.exec(lines[i++]!)![1]!);
      out.push(`<blockquote>${renderBlocks(inner, depth + 1)}</blockquote>`);
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = /\d/.test(item[1]![0]!);
      const items: string[][] = [];
      while (i < lines.length) {
        const m = LIST_ITEM.exec(lines[i]!);
        if (m && /\d/.test(m[1]![0]!) === ordered) items.push([m[2]!]);
        else if (/^\s{2,}\S/.test(lines[i]!) && items.length > 0) items[items.length - 1]!.push(lines[i]!.trim());
        else break;
        i++;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((it) => `<li>${renderInline(it.join('\n'), 0)}</li>`).join('')}</${tag}>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !FENCE.test(lines[i]!) && !(QUOTE.test(lines[i]!) && depth < MAX_QUOTE_DEPTH) && !LIST_ITEM.test(lines[i]!)) para.push(lines[i++]!);
    if (para.length === 0) para.push(lines[i++]!); // a quote too deep to nest: plain text
    out.push(`<p>${renderInline(para.join('\n'), 0)}</p>`);
  }
  return out.join('\n');
}

const ESCAPABLE = new Set('\\`*_{}[]()#+-.!>$~|'.split(''));

/** Inline markup of one paragraph or list item; `depth` bounds nested emphasis. */
function renderInline(text: string, depth: number, inLink = false): string {
  let out = '';
  let plain = '';
  const flush = () => {
    out += escapeHtml(plain);
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && ESCAPABLE.has(text[i + 1] ?? '') && !(text[i + 1] === '(' || text[i + 1] === '[')) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const span = matchCode(text, i);
      if (span) {
        flush();
        out += `<code>${escapeHtml(span.code)}</code>`;
        i = span.end;
        continue;
      }
      let n = i;
      while (text[n] === '`') n++;
      plain += text.slice(i, n);
      i = n;
      continue;
    }
    if (c === '$' || c === '\\') {
      const m = matchTexAt(text, i);
      if (m) {
        const mathml = texToMathml(m.tex, m.display);
        flush();
        out += mathml ?? escapeHtml(m.source);
        i = m.end;
        continue;
      }
    }
    if (c === '[' && !inLink) {
      const link = matchLink(text, i);
      if (link) {
        flush();
        out += anchor(link.url, renderInline(link.label, depth + 1, true));
        i = link.end;
        continue;
      }
    }
    if (c === 'h' && !inLink && (text.startsWith('https://', i) || text.startsWith('http://', i)) && !/[\p{L}\p{N}]/u.test(text[i - 1] ?? ' ')) {
      const url = bareUrl(text, i);
      if (url) {
        flush();
        out += anchor(url, escapeHtml(url));
        i += url.length;
        continue;
      }
    }
    if ((c === '*' || c === '_') && depth < MAX_INLINE_DEPTH) {
      const em = matchEmphasis(text, i);
      if (em) {
        flush();
        const tag = em.strong ? 'strong' : 'em';
        out += `<${tag}>${renderInline(em.inner, depth + 1, inLink)}</${tag}>`;
        i = em.end;
        continue;
      }
    }
    if (c === '\n') {
      flush();
      out += '<br>\n';
      i++;
      continue;
    }
    plain += c;
    i++;
  }
  flush();
  return out;
}

function anchor(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}" rel="nofollow ugc noopener">${label}</a>`;
}

/** `code` with a closing run of as many backticks, on the same paragraph. */
function matchCode(text: string, at: number): { code: string; end: number } | undefined {
  let n = at;
  while (text[n] === '`') n++;
  const run = text.slice(at, n);
  let from = n;
  for (;;) {
    const close = text.indexOf(run, from);
    if (close === -1) return undefined;
    let after = close + run.length;
    if (text[after] !== '`' && text[close - 1] !== '`') {
      const code = text.slice(n, close).replace(/\n/g, ' ');
      return code.trim() === '' ? undefined : { code: code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code, end: after };
    }
    while (text[after] === '`') after++;
    from = after;
  }
}

/** Only web and mail links: javascript:, data: and the like stay text. */
function allowedUrl(url: string): boolean {
  return /^(https?:\/\/[^\s/?#]+|mailto:[^\s@]+@[^\s@]+$)/i.test(url);
}

function matchLink(text: string, at: number): { label: string; url: string; end: number } | undefined {
  const close = indexWithin(text, ']', at + 1, MAX_LINK_TEXT);
  if (close === -1 || text[close + 1] !== '(') return undefined;
  const label = text.slice(at + 1, close);
  if (label.trim() === '' || label.includes('[')) return undefined;
  const end = indexWithin(text, ')', close + 2, MAX_URL);
  if (end === -1) return undefined;
  const url = text.slice(close + 2, end).trim();
  if (/\s/.test(url) || !allowedUrl(url)) return undefined;
  return { label, url, end: end + 1 };
}

/** indexOf that looks at no more than `span` characters, so a run of unclosed brackets stays linear. */
function indexWithin(text: string, ch: string, from: number, span: number): number {
  const limit = Math.min(text.length, from + span);
  for (let j = from; j < limit; j++) if (text[j] === ch) return j;
  return -1;
}

function bareUrl(text: string, at: number): string | undefined {
  let end = at;
  while (end < text.length && end - at < MAX_URL && !/[\s<>"`]/.test(text[end]!)) end++;
  let url = text.slice(at, end);
  // Trailing punctuation belongs to the sentence, and a closing parenthesis to the text around it
  // unless the URL opened one itself (Wikipedia links).
  for (;;) {
    const last = url[url.length - 1];
    if (last && '.,:;!?\'*_'.includes(last)) url = url.slice(0, -1);
    else if (last === ')' && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) url = url.slice(0, -1);
    else break;
  }
  return allowedUrl(url) ? url : undefined;
}

/** **strong**, *em* or _em_: the delimiters hug non-space text; an underscore inside a word is literal. */
function matchEmphasis(text: string, at: number): { strong: boolean; inner: string; end: number } | undefined {
  const c = text[at]!;
  const strong = text[at + 1] === c;
  const delim = strong ? c + c : c;
  const start = at + delim.length;
  if (c === '_' && /[\p{L}\p{N}]/u.test(text[at - 1] ?? ' ')) return undefined;
  if (!text[start] || /\s/.test(text[start]!) || text[start] === c) return undefined;
  let close = text.indexOf(delim, start);
  // Within "*a **b** c*", a "**" does not close "*…*"; look past a few of them, no further (linear time).
  for (let tries = 0; close !== -1 && !strong && text[close + 1] === c; tries++) {
    if (tries === 3) return undefined;
    let after = close;
    while (text[after] === c) after++;
    close = text.indexOf(delim, after);
  }
  if (close === -1 || /\s/.test(text[close - 1]!)) return undefined;
  if (c === '_' && /[\p{L}\p{N}]/u.test(text[close + delim.length] ?? ' ')) return undefined;
  return { strong, inner: text.slice(start, close), end: close + delim.length };
}

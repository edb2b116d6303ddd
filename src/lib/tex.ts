// Text with TeX maths ($…$, $$…$$, \(…\), \[…\]) rendered server-side as MathML by temml.
// Only temml's output, after an allow-list check, bypasses escaping; everything else is escaped text.
// The TeX source stays in each <annotation encoding="application/x-tex">, so copying keeps it
// (see web/static/app.js) and search, which reads the stored text, never sees MathML.
import temml from 'temml';
import { escapeHtml, raw, type RawHtml } from './html.ts';
import { stringBytes } from './byte-cache.ts';
import { budgetedCache } from './memory-budget.ts';

/** Longest maths span we try to render; longer "spans" are almost always stray dollar signs. */
const MAX_TEX_LENGTH = 400;

const TEMML_OPTIONS = {
  annotate: true,
  throwOnError: true,
  trust: false, // no \href, \url, \includegraphics, \class, \data…
  strict: false,
  maxExpand: 300,
  maxSize: [20, 20] as [number, number],
  macros: { '\\mbox': '\\text{#1}', '\\bm': '\\boldsymbol{#1}' },
};

const MATHML_TAGS = new Set([
  'math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'mtext', 'ms', 'mspace', 'mpadded', 'mphantom',
  'mfrac', 'msqrt', 'mroot', 'msub', 'msup', 'msubsup', 'munder', 'mover', 'munderover', 'mmultiscripts',
  'mprescripts', 'none', 'mtable', 'mtr', 'mtd', 'mstyle', 'menclose', 'merror', 'mlabeledtr',
]);
const MATHML_ATTRIBUTES = new Set([
  'accent', 'accentunder', 'class', 'columnalign', 'columnlines', 'columnspacing', 'depth', 'display', 'displaystyle',
  'encoding', 'fence', 'form', 'frame', 'height', 'largeop', 'linebreak', 'linethickness', 'lspace', 'mathbackground',
  'mathcolor', 'mathsize', 'mathvariant', 'maxsize', 'minsize', 'movablelimits', 'notation', 'rowalign', 'rowlines',
  'rowspacing', 'rspace', 'scriptlevel', 'separator', 'stretchy', 'symmetric', 'voffset', 'width',
]);
const TAG = /<(\/?)([a-z]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*(\/?)>/y;
const ATTRIBUTE = /\s+([a-z-]+)="([^"<>]*)"/g;

/**
 * Rebuilds temml's output from an allow-list of MathML elements and attributes, dropping `style`
 * (the CSP forbids inline styles; temml uses them only for colour and cell alignment). Returns
 * undefined when anything unexpected appears, so the caller falls back to escaped text.
 */
export function sanitizeMathml(mathml: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < mathml.length) {
    const lt = mathml.indexOf('<', i);
    const text = mathml.slice(i, lt === -1 ? mathml.length : lt);
    if (text.includes('>')) return undefined;
    out += text; // temml escapes text content (&lt; &amp; …)
    if (lt === -1) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(mathml);
    if (!m) return undefined;
    const [whole, close, name, attrs, selfClose] = m;
    if (!MATHML_TAGS.has(name!)) return undefined;
    let kept = '';
    for (const a of attrs!.matchAll(ATTRIBUTE)) {
      if (a[1] === 'style') continue;
      if (!MATHML_ATTRIBUTES.has(a[1]!)) return undefined;
      kept += ` ${a[1]}="${a[2]}"`;
    }
    out += `<${close}${name}${close ? '' : kept}${selfClose}>`;
    i = lt + whole.length;
  }
  return out;
}

/** Rendered MathML kept by bytes (a short expression's MathML is ~1 KB); null: temml could not render it. */
const cache = budgetedCache<string, string | null>('rendered maths', (tex, mathml) => stringBytes(tex) + stringBytes(mathml ?? ''));

/** MathML for one TeX expression, or undefined when temml cannot render it safely. */
export function texToMathml(tex: string, display: boolean): string | undefined {
  const key = `${display ? 'D' : 'I'}${tex}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let out: string | undefined;
  try {
    out = sanitizeMathml(temml.renderToString(tex, { ...TEMML_OPTIONS, displayMode: display }));
  } catch {
    out = undefined;
  }
  cache.set(key, out ?? null);
  return out;
}

export interface Segment {
  kind: 'text' | 'math';
  /** For text: the text; for maths: the TeX between the delimiters. */
  value: string;
  /** For maths: the source including delimiters, shown as text if rendering fails. */
  source?: string;
  display?: boolean;
}

const OPENERS: { open: string; close: string; display: boolean }[] = [
  { open: '$$', close: '$$', display: true },
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
  { open: '$', close: '$', display: false },
];

/** The maths span opening at `at` ($…$, $$…$$, \(…\), \[…\]), or undefined when none closes within reach. */
export function matchTexAt(text: string, at: number): { tex: string; source: string; display: boolean; end: number } | undefined {
  for (const d of OPENERS) {
    if (!text.startsWith(d.open, at)) continue;
    const end = findClose(text, at + d.open.length, d.close);
    if (end === -1) return undefined;
    const tex = text.slice(at + d.open.length, end);
    if (tex.trim() === '' || tex.length > MAX_TEX_LENGTH) return undefined;
    return { tex, source: text.slice(at, end + d.close.length), display: d.display, end: end + d.close.length };
  }
  return undefined;
}

/** True when texHtml(text) is just the escaped text: no maths, no text-mode TeX (\\emph, --, ``…''). */
export function isPlainText(text: string): boolean {
  return !/[\\$]|--|``|''/.test(text);
}

/** Whether the text may hold maths at all (the cheap test before splitting). */
export function hasTex(text: string): boolean {
  return text.includes('$') || text.includes('\\(') || text.includes('\\[');
}

/** Splits text into plain and maths segments. A `\$` outside maths is a literal dollar; unclosed openers stay text. */
export function splitTex(text: string): Segment[] {
  const segments: Segment[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') {
      plain += '$';
      i += 2;
      continue;
    }
    const m = c === '$' || c === '\\' ? matchTexAt(text, i) : undefined;
    if (m) {
      if (plain) segments.push({ kind: 'text', value: plain });
      plain = '';
      segments.push({ kind: 'math', value: m.tex, source: m.source, display: m.display });
      i = m.end;
      continue;
    }
    plain += c;
    i++;
  }
  if (plain) segments.push({ kind: 'text', value: plain });
  return segments;
}

/** Where the maths spans are ([start, end) in the text), read the way splitTex reads them. */
export function mathSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') {
      i += 2;
      continue;
    }
    const m = c === '$' || c === '\\' ? matchTexAt(text, i) : undefined;
    if (m) spans.push({ start: i, end: m.end });
    i = m ? m.end : i + 1;
  }
  return spans;
}

/** Where `close` first occurs from `from`, looking no further than a maths span can reach (so scanning stays linear). */
function findClose(text: string, from: number, close: string): number {
  const limit = Math.min(text.length, from + MAX_TEX_LENGTH + 1);
  for (let j = from; j < limit; j++) {
    if (text[j] === '\\' && close === '$') {
      j++; // skip an escaped character such as \$ inside maths
      continue;
    }
    if (text.startsWith(close, j)) return j;
  }
  return -1;
}

// Text-mode TeX that arXiv authors type outside maths.
const ACCENTS: Record<string, string> = { '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307', u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328', r: '\u030A' };
const TEXT_COMMANDS: [RegExp, string][] = [
  [/\\(?:emph|textit|textsl)\{([^{}]*)\}/g, '<em>$1</em>'],
  [/\\textbf\{([^{}]*)\}/g, '<strong>$1</strong>'],
  [/\\texttt\{([^{}]*)\}/g, '<code>$1</code>'],
  [/\\(?:textsc|textrm|textsf|textup|textnormal|mbox)\{([^{}]*)\}/g, '$1'],
  [/\{\\(?:em|it)\s+([^{}]*)\}/g, '<em>$1</em>'],
  [/\{\\bf\s+([^{}]*)\}/g, '<strong>$1</strong>'],
];
const SYMBOLS: [RegExp, string][] = [
  [/---/g, '\u2014'],
  [/--/g, '\u2013'],
  [/``/g, '\u201C'],
  [/''/g, '\u201D'],
  [/\\([&%#_])/g, '$1'],
  [/\\ss\b\{?\}?/g, '\u00DF'],
  [/\\(?:ldots|dots)\b(?:\{\})?/g, '\u2026'],
];

/** Plain text to HTML: escapeHtml, or a variant that also marks words (search highlights). */
export type TextToHtml = (text: string) => string;

/**
 * Escaped HTML for plain (non-maths) text, with its text-mode TeX rendered: dashes, quotes and
 * accents become characters before escaping; \\emph and friends become tags around escaped text.
 */
export function textModeHtml(text: string, escape: TextToHtml = escapeHtml): string {
  if (!/[\\`'-]/.test(text)) return escape(text);
  let plain = text.replace(/\{?\\(["'`^~=.]|[uvHckr](?=[{ ]))\s?\{?([A-Za-z]|\\i)\}?\}?/g, (whole, accent: string, letter: string) => {
    const mark = ACCENTS[accent];
    return mark ? ((letter === '\\i' ? 'i' : letter) + mark).normalize('NFC') : whole;
  });
  for (const [re, to] of SYMBOLS) plain = plain.replace(re, to);
  let out = escape(plain);
  for (const [re, to] of TEXT_COMMANDS) out = out.replace(re, to);
  return out;
}

/**
 * Escaped text with its maths as MathML: safe to interpolate into html``. `escape` turns the plain
 * parts into HTML; it must escape them (search passes one that also marks the query's words).
 */
export function texHtml(text: string, escape: TextToHtml = escapeHtml): RawHtml {
  if (!hasTex(text)) return raw(textModeHtml(text, escape));
  let out = '';
  for (const s of splitTex(text)) {
    if (s.kind === 'text') {
      out += textModeHtml(s.value, escape);
      continue;
    }
    const mathml = texToMathml(s.value, s.display ?? false);
    out += mathml === undefined ? escapeHtml(s.source!) : mathml;
  }
  return raw(out);
}

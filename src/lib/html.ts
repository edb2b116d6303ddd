// HTML templating that escapes by default. A value becomes markup only through raw().
const RAW = Symbol('raw-html');

export interface RawHtml {
  readonly [RAW]: true;
  readonly value: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** Marks a string as trusted markup. The only way to skip escaping: use it for output of html`` or vetted renderers. */
export function raw(value: string): RawHtml {
  return { [RAW]: true, value };
}

export function isRaw(v: unknown): v is RawHtml {
  return typeof v === 'object' && v !== null && RAW in v;
}

export type HtmlValue = string | number | boolean | null | undefined | RawHtml | HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (isRaw(v)) return v.value;
  return escapeHtml(String(v));
}

/** Tagged template: every interpolation is escaped unless it is RawHtml (or an array of them). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): RawHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return raw(out);
}

/** A URL safe to put in href: only http(s), mailto and same-site paths; anything else becomes "#". */
export function safeUrl(url: string): string {
  const s = url.trim();
  if (/^(https?:|mailto:)/i.test(s) || (s.startsWith('/') && !s.startsWith('//'))) return s;
  return '#';
}

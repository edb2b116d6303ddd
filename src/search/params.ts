// Search parameters from a URL query string (page and API share them). Pure. Every problem names
// the parameter; the query text itself is never rejected (the parser copes with anything).
import type { SortOrder } from './keyword.ts';
import { parseDay, parseQuery } from './query.ts';

export interface SearchParams {
  q: string;
  limit: number;
  offset: number;
  sort: SortOrder;
  categories: string[];
  since: string | undefined;
  until: string | undefined;
  hasCode: boolean;
}

export type ParamsResult = { ok: true; params: SearchParams } | { ok: false; param: string; message: string };

export const MAX_LIMIT = 100;
export const MAX_OFFSET = 10_000;
const SORTS: SortOrder[] = ['relevance', 'newest', 'upvotes'];
const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

type Raw = Record<string, unknown>;

function one(raw: Raw, name: string): string | undefined {
  const v = raw[name];
  if (Array.isArray(v)) return v.length > 0 ? String(v[v.length - 1]) : undefined;
  return v === undefined || v === '' ? undefined : String(v);
}

function wholeNumber(raw: Raw, name: string, fallback: number, min: number, max: number): number | string {
  const v = one(raw, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) return `${name} must be a whole number from ${min} to ${max}`;
  return Number(v);
}

/**
 * Relevance, except for a query naming only authors (au:"…"): someone looking up a person wants
 * their papers newest first, as on an author's page.
 */
export function defaultSort(q: string): SortOrder {
  const parsed = parseQuery(q);
  const onlyAuthors = parsed.authors.length > 0 && parsed.words.length + parsed.phrases.length + parsed.title.length === 0;
  return onlyAuthors ? 'newest' : 'relevance';
}

export function parseSearchParams(raw: Raw, defaults: { limit: number }): ParamsResult {
  const fail = (param: string, message: string): ParamsResult => ({ ok: false, param, message });
  const qRaw = raw.q;
  const q = Array.isArray(qRaw) ? qRaw.map(String).join(' ') : qRaw === undefined ? '' : String(qRaw);
  const limit = wholeNumber(raw, 'limit', defaults.limit, 1, MAX_LIMIT);
  if (typeof limit === 'string') return fail('limit', limit);
  const offset = wholeNumber(raw, 'offset', 0, 0, MAX_OFFSET);
  if (typeof offset === 'string') return fail('offset', offset);
  const sort = (one(raw, 'sort') ?? defaultSort(q)) as SortOrder;
  if (!SORTS.includes(sort)) return fail('sort', `sort must be one of ${SORTS.join(', ')}`);
  const categories: string[] = [];
  const catRaw = raw.category;
  for (const c of (Array.isArray(catRaw) ? catRaw : catRaw === undefined ? [] : [catRaw]).flatMap((v) => String(v).split(','))) {
    const cat = c.trim();
    if (cat === '') continue;
    if (!CATEGORY.test(cat)) return fail('category', `category must look like cs.CL, got "${cat.slice(0, 40)}"`);
    categories.push(cat);
  }
  const since = one(raw, 'since');
  const sinceDay = since === undefined ? undefined : parseDay(since, 'start');
  if (since !== undefined && !sinceDay) return fail('since', 'since must be a date such as 2024-05-31, 2024-05 or 2024');
  const until = one(raw, 'until');
  const untilDay = until === undefined ? undefined : parseDay(until, 'end');
  if (until !== undefined && !untilDay) return fail('until', 'until must be a date such as 2024-05-31, 2024-05 or 2024');
  const code = one(raw, 'has_code');
  if (code !== undefined && !['1', '0', 'true', 'false', 'on', 'off'].includes(code)) return fail('has_code', 'has_code must be true or false');
  return {
    ok: true,
    params: { q, limit, offset, sort, categories, since: sinceDay, until: untilDay, hasCode: code === '1' || code === 'true' || code === 'on' },
  };
}

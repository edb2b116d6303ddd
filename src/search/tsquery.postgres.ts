// Clauses to PostgreSQL tsquery text. Built only from tokens checked here to be letters and digits,
// joined by our own operators, so nothing a user types is ever read as tsquery syntax.
import type { Clause, KeywordQuery } from './keyword.ts';

const LABEL: Record<Clause['field'], string> = { any: '', title: ':A', authors: ':C' };
const TOKEN = /^[\p{L}\p{N}]+$/u;

/** Whether a token can be written into a tsquery as it is. */
export function isPlainToken(token: string): boolean {
  return TOKEN.test(token);
}

/** One clause against paper_search.document (fields as weight labels), or against a title vector (`labelled` false). */
function clauseToTsquery(c: Clause, labelled = true): string | undefined {
  const tokens = c.tokens.filter(isPlainToken);
  if (tokens.length === 0) return undefined;
  const label = labelled ? LABEL[c.field] : '';
  return `(${tokens.map((t) => `${t}${label}`).join(' <-> ')})`;
}

function join(clauses: Clause[], op: ' & ' | ' | ', labelled = true): string | undefined {
  const parts = clauses.map((c) => clauseToTsquery(c, labelled)).filter((p): p is string => p !== undefined);
  return parts.length === 0 ? undefined : `(${parts.join(op)})`;
}

/** The tsquery text of the positive part (with exclusions) against paper_search.document, or undefined when there is none. */
export function tsqueryText(q: KeywordQuery): string | undefined {
  const parts = q.must.map((c) => clauseToTsquery(c)).filter((p): p is string => p !== undefined);
  const should = join(q.should, ' | ');
  if (should) parts.push(should);
  if (parts.length === 0) return undefined;
  const not = join(q.mustNot, ' | ');
  return not ? `(${parts.join(' & ')}) & !${not}` : parts.join(' & ');
}

/**
 * The query split by index: `title` (the required title clauses, against paper_search_title),
 * `document` (the other required and optional clauses, against paper_search) and `not` (the
 * exclusions). Each is undefined when empty.
 */
export interface SplitTsquery {
  title: string | undefined;
  document: string | undefined;
  not: string | undefined;
}

export function splitTsquery(q: KeywordQuery): SplitTsquery {
  const title = join(q.must.filter((c) => c.field === 'title'), ' & ', false);
  return {
    title,
    document: tsqueryText({ must: q.must.filter((c) => c.field !== 'title'), should: q.should, mustNot: [] }),
    not: join(q.mustNot, ' | '),
  };
}

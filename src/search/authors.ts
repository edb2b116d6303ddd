// Author queries (au:"…"): which of a paper's authors a query names, exactly or in part. Pure.
// Names are compared the way the index matched them (folded, stemmed tokens), so au:lecun finds
// "Yann LeCun" in part and au:"yann lecun" exactly; an exact name ranks first and is highlighted.
import { escapeHtml } from '../lib/html.ts';
import { tokenize } from './analyze.ts';
import { stemWord } from './snippet.ts';

export type AuthorMatch = 'exact' | 'partial';

/** How an author's name matches one au: clause (its tokens adjacent and in order), if at all. */
export function matchAuthor(name: string, clause: string[]): AuthorMatch | undefined {
  const nameStems = tokenize(name).map(stemWord);
  const want = clause.map(stemWord);
  if (want.length === 0 || want.length > nameStems.length) return undefined;
  for (let i = 0; i + want.length <= nameStems.length; i++) {
    if (want.every((w, j) => nameStems[i + j] === w)) return want.length === nameStems.length ? 'exact' : 'partial';
  }
  return undefined;
}

/** The best match of any author of a paper against any of the clauses. */
export function bestAuthorMatch(authors: string[], clauses: string[][]): AuthorMatch | undefined {
  let best: AuthorMatch | undefined;
  for (const a of authors) {
    for (const c of clauses) {
      const m = matchAuthor(a, c);
      if (m === 'exact') return m;
      if (m) best = m;
    }
  }
  return best;
}

/**
 * Escaped HTML of the author list, the authors the clauses name in <mark>. Like the cards' list, at
 * most `max` names then "et al."; a named author past them is still shown, after an ellipsis.
 */
export function highlightAuthors(authors: string[], clauses: string[][], max = 6): string {
  const named = authors.map((a) => clauses.some((c) => matchAuthor(a, c) !== undefined));
  const show = (a: string, i: number) => (named[i] ? `<mark>${escapeHtml(a)}</mark>` : escapeHtml(a));
  if (authors.length <= max) return authors.map(show).join(', ');
  const head = authors.slice(0, max).map(show);
  const later = authors.map((a, i) => (i >= max && named[i] ? show(a, i) : undefined)).filter((s): s is string => s !== undefined);
  return `${[...head, ...(later.length > 0 ? ['…', ...later] : [])].join(', ')} et al. (${authors.length} authors)`;
}

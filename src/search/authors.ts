// Author queries (au:"…"): which of a paper's authors a query names, exactly or in part. Pure.
// Names are compared the way the index matched them (folded, stemmed tokens), so au:lecun finds
// "Yann LeCun" in part and au:"yann lecun" exactly; an exact name ranks first (exactAuthorsFirst, on a
// newest-first search's matches), and named ones are marked.
import type { Db } from '../store/db.ts';
import { tokenize } from './analyze.ts';
import { stemWord } from './snippet.ts';
import { loadAuthors } from './doc-texts.ts';
import type { Hit, KeywordIndex, KeywordQuery, SearchFilters } from './keyword.ts';

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

/** The authors any of the clauses names, in the paper's order. */
export function namedAuthors(authors: string[], clauses: string[][]): string[] {
  return authors.filter((a) => clauses.some((c) => matchAuthor(a, c) !== undefined));
}

/**
 * Newest first, an author query's papers by someone whose whole name it gives come before papers
 * whose authors it names in part (au:"yann lecun" before "Yann LeCun-Smith"; au:li: "Li" before
 * "Wei Li"), each newest first. The first AUTHOR_ORDER_DEPTH matches are ordered so; deeper pages
 * follow the date alone.
 */
export const AUTHOR_ORDER_DEPTH = 1000;

export async function exactAuthorsFirst(
  db: Db, index: KeywordIndex, kq: KeywordQuery, filters: SearchFilters, clauses: string[][], limit: number, offset: number,
): Promise<Hit[]> {
  const newest = await index.search(db, kq, filters, 'newest', AUTHOR_ORDER_DEPTH, 0);
  const authors = await loadAuthors(db, newest.map((h) => h.paperId));
  const exact = newest.filter((h) => bestAuthorMatch(authors.get(h.paperId) ?? [], clauses) === 'exact');
  const isExact = new Set(exact.map((h) => h.paperId));
  return [...exact, ...newest.filter((h) => !isExact.has(h.paperId))].slice(offset, offset + limit);
}

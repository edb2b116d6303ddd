// Author queries (au:"…"): which of a paper's authors a query names, exactly or in part. Pure.
// Names are compared the way the index matched them (folded, stemmed tokens), so au:lecun finds
// "Yann LeCun" in part and au:"yann lecun" exactly; an exact name ranks first, and named ones are marked.
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

/** The authors any of the clauses names, in the paper's order. */
export function namedAuthors(authors: string[], clauses: string[][]): string[] {
  return authors.filter((a) => clauses.some((c) => matchAuthor(a, c) !== undefined));
}

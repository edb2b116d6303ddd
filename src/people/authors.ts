// Author pages: an author is a name exactly as printed on arXiv. Their papers here (newest first),
// co-authors and categories. Names match whole and case-sensitively through the paper_author index
// (kept from paper.authors by triggers), so "Ada Lovelace" never matches "Ada Lovelace-Byron".
import type { Db } from '../store/db.ts';
import { findPapersByIds, type Paper } from '../papers/index.ts';
import { hiddenPaperIds } from '../community/index.ts';

export interface AuthorSummary {
  total: number;
  coAuthors: Array<{ name: string; papers: number }>;
  categories: Array<{ code: string; papers: number }>;
  firstDay: string | undefined;
  latestDay: string | undefined;
}

export interface AuthorPapers {
  papers: Paper[];
  summary: AuthorSummary;
}

/** Longest name accepted in a URL: arXiv names are far shorter; past this it is not a name. */
export const MAX_AUTHOR_NAME = 300;

/** Visible papers listing this author, newest first, with a summary of all of them. */
export async function findAuthorPapers(db: Db, name: string, page: { limit: number; offset: number }): Promise<AuthorPapers> {
  const rows = await db
    .selectFrom('paper')
    .select(['paper.id', 'paper.authors', 'paper.categories', 'paper.announced_on'])
    .where('paper.id', 'in', db.selectFrom('paper_author').select('paper_author.paper_id').where('paper_author.name', '=', name))
    .where('paper.id', 'not in', hiddenPaperIds(db))
    .orderBy('paper.announced_on', 'desc')
    .orderBy('paper.id', 'desc')
    .execute();
  const ids = rows.slice(page.offset, page.offset + page.limit).map((r) => r.id);
  return { papers: await findPapersByIds(db, ids), summary: summarizeAuthor(name, rows) };
}

/** Co-authors and categories, most shared papers first. Pure. */
export function summarizeAuthor(name: string, rows: ReadonlyArray<{ authors: string; categories: string; announced_on: string }>): AuthorSummary {
  const co = new Map<string, number>();
  const cats = new Map<string, number>();
  for (const r of rows) {
    for (const a of new Set(JSON.parse(r.authors) as string[])) if (a !== name) co.set(a, (co.get(a) ?? 0) + 1);
    for (const c of new Set(JSON.parse(r.categories) as string[])) cats.set(c, (cats.get(c) ?? 0) + 1);
  }
  const top = <K extends string>(m: Map<string, number>, key: K, n: number) =>
    [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([k, v]) => ({ [key]: k, papers: v }) as { [P in K]: string } & { papers: number });
  return {
    total: rows.length,
    coAuthors: top(co, 'name', 20),
    categories: top(cats, 'code', 10),
    latestDay: rows[0]?.announced_on,
    firstDay: rows[rows.length - 1]?.announced_on,
  };
}

/** The path of an author page. */
export function authorPath(name: string): string {
  return `/authors/${encodeURIComponent(name)}`;
}

// A followed search matched against the window in memory, in the search language's terms: words and
// phrases (as sets of stems: adjacency is not checked), exclusions, au:, ti:, cat:, since:, until:.
// Up to four words must all match, as in the search box; a longer query needs half of its words.
// Pure.
import { parseQuery } from '../search/query.ts';
import { authorKey } from '../follows/index.ts';
import { hashTerm, paperTerms } from './comparison-terms.ts';
import { termId } from './text-vectors.ts';
import type { Window } from './window.ts';

export function matchSavedSearch(window: Window, query: string): number[] {
  const q = parseQuery(query);
  const words = q.words.flatMap((w) => paperTerms(w));
  const phrases = q.phrases.map((p) => paperTerms(p.join(' '))).filter((p) => p.length > 0);
  const excluded = q.excluded.map((p) => paperTerms(p.join(' '))).filter((p) => p.length > 0);
  const titles = q.title.map((p) => paperTerms(p.join(' '))).filter((p) => p.length > 0);
  const authors = q.authors.map((p) => authorKey(p.join(' '))).filter((a) => a.length > 0);
  const categories = new Set(q.categories.map((c) => c.toLowerCase()));
  if (words.length + phrases.length + titles.length + authors.length + categories.size === 0) return [];
  const needWords = words.length <= 4 ? words.length : Math.ceil(words.length / 2);
  const { vectors } = window.index;
  const ids = new Map<string, number>();
  const idOf = (stem: string) => {
    let id = ids.get(stem);
    if (id === undefined) ids.set(stem, (id = termId(window.index, hashTerm(stem))));
    return id;
  };
  const out: number[] = [];
  window.papers.forEach((paper, i) => {
    if (q.since && paper.announcedOn < q.since) return;
    if (q.until && paper.announcedOn > q.until) return;
    if (categories.size > 0 && !paper.categories.some((c) => categories.has(c.toLowerCase()))) return;
    const terms = vectors[i]!.terms;
    const has = (stem: string) => {
      const id = idOf(stem);
      return id >= 0 && terms.includes(id);
    };
    let found = 0;
    for (const w of words) if (has(w)) found++;
    if (found < needWords) return;
    if (!phrases.every((p) => p.every(has))) return;
    if (excluded.some((p) => p.every(has))) return;
    if (!titles.every((p) => p.every((t) => window.titleTerms[i]!.has(t)))) return;
    if (!authors.every((a) => paper.authorKeys.some((k) => k === a || k.endsWith(` ${a}`) || k.includes(a)))) return;
    out.push(paper.paperId);
  });
  return out;
}

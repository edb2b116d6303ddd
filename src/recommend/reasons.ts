// Why a paper is on a reader's list, and the reason as a short phrase for cards, feeds and mail. Pure.
import type { ProfilePaper, ReaderSignals, WindowPaper } from './signals.ts';

export type Reason =
  | { kind: 'tag'; tag: string; count: number }
  | { kind: 'paper'; paperId: number; arxivId: string; title: string; upvoted: boolean }
  | { kind: 'author'; name: string }
  | { kind: 'category'; category: string }
  | { kind: 'search'; query: string };

export function describeReason(r: Reason): string {
  switch (r.kind) {
    case 'tag':
      return r.count === 1 ? `like a paper you saved in ${r.tag}` : `like ${r.count} papers you saved in ${r.tag}`;
    case 'paper':
      return `like “${r.title.length > 80 ? `${r.title.slice(0, 77)}…` : r.title}”, which you ${r.upvoted ? 'upvoted' : 'saved'}`;
    case 'author':
      return `by ${r.name}, whom you follow`;
    case 'category':
      return `in ${r.category}, which you follow`;
    case 'search':
      return `matches your search “${r.query}”`;
  }
}

export function followReasons(window: WindowPaper[], signals: ReaderSignals): Map<number, Reason[]> {
  const out = new Map<number, Reason[]>();
  if (signals.followedAuthors.size === 0 && signals.followedCategories.size === 0 && signals.searchMatches.size === 0) return out;
  const add = (i: number, r: Reason) => out.set(i, [...(out.get(i) ?? []), r]);
  window.forEach((p, i) => {
    if (signals.followedAuthors.size > 0) {
      p.authorKeys.forEach((key, k) => { if (signals.followedAuthors.has(key)) add(i, { kind: 'author', name: p.authors[k]! }); });
    }
    const cat = p.categories.find((c) => signals.followedCategories.has(c));
    if (cat) add(i, { kind: 'category', category: cat });
    const query = signals.searchMatches.get(p.paperId);
    if (query !== undefined) add(i, { kind: 'search', query });
  });
  return out;
}

/** Why a paper fits the library: the tag most of its close saved papers share, or the closest one. */
export function contentReasons(cosines: Float64Array, papers: ProfilePaper[]): Reason[] {
  if (papers.length === 0) return [];
  let best = 0;
  for (let l = 1; l < papers.length; l++) if (cosines[l]! > cosines[best]!) best = l;
  const bestCos = cosines[best]!;
  if (bestCos <= 0) return [];
  // Saved papers nearly as close as the closest one: together they are what this paper is like.
  const close = papers.filter((_, l) => cosines[l]! >= bestCos * 0.7 && cosines[l]! > 0.05);
  const byTag = new Map<string, number>();
  for (const p of close) for (const t of p.tags) byTag.set(t, (byTag.get(t) ?? 0) + 1);
  const [tag, count] = [...byTag].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ['', 0];
  if (count >= 2 || (count === 1 && close.length === 1)) return [{ kind: 'tag', tag, count }];
  return [{ kind: 'paper', paperId: papers[best]!.paperId, arxivId: papers[best]!.arxivId, title: papers[best]!.title, upvoted: papers[best]!.weight < 1 }];
}

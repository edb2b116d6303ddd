// The search behind /feeds/search.*: the search module's keyword search (the feed's text is the
// same query language as the search box), papers only, no snippets.
import type { Db } from '../store/db.ts';
import type { Paper } from '../papers/index.ts';
import { searchPapers, type SearchRun } from '../search/index.ts';

/**
 * A feed lists the newest papers with all the words, so a reader sees each new match once; a
 * descriptive query, which matches papers with ANY of its many words, lists its best matches
 * instead, since "newest with any word" would be noise.
 */
export async function findFeedPapers(db: Db, q: string, { limit }: { limit: number }, run: SearchRun = {}): Promise<Paper[]> {
  const options = { limit, offset: 0, mode: 'keyword', withoutSnippets: true, fallbackToAny: false } as const;
  const newest = await searchPapers(db, q, { ...options, sort: 'newest' }, undefined, run);
  if (newest.paper) return [newest.paper];
  if (newest.matched !== 'any') return newest.results.map((r) => r.paper);
  return (await searchPapers(db, q, { ...options, sort: 'relevance' }, undefined, run)).results.map((r) => r.paper);
}

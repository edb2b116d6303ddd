// Which papers a subscriber gets for a period: the ranked papers of the period, filtered by their topics
// and minimum upvotes, minus any paper they already received, capped. Pure.
import type { DigestPaper } from './rank.ts';
import { compileTopics, type Frequency, type Topics, type TopicMatcher } from './preferences.ts';

export const MAX_PAPERS: Record<Frequency, number> = { daily: 15, weekly: 25 };

export interface PickOptions {
  matcher: TopicMatcher;
  minUpvotes: number;
  received: ReadonlySet<number>;
  limit: number;
}

/** Papers in ranked order that pass the filters, at most `limit`. */
export function pickDigestPapers(ranked: readonly DigestPaper[], opts: PickOptions): DigestPaper[] {
  const out: DigestPaper[] = [];
  for (const p of ranked) {
    if (out.length >= opts.limit) break;
    if (p.withdrawn || p.upvotes < opts.minUpvotes || opts.received.has(p.id)) continue;
    if (opts.matcher(p)) out.push(p);
  }
  return out;
}

export interface Recipient {
  topics: Topics;
  minUpvotes: number;
  received: ReadonlySet<number>;
}

/**
 * Picks for many subscribers over one period. Subscribers with the same topics share the filtering work:
 * it is done once per distinct preference and kept (bounded) so 100,000 subscribers cost a few hundred filters.
 */
export function createDigestPicker(ranked: readonly DigestPaper[], limit: number, cacheSize = 5000): (r: Recipient) => DigestPaper[] {
  const cache = new Map<string, DigestPaper[]>();
  // Keep a margin beyond the limit so a few already-received papers do not force a full re-filter.
  const margin = limit + 20;
  return (r) => {
    const key = JSON.stringify([r.topics.categories, r.topics.keywords, r.topics.authors, r.minUpvotes]);
    let shared = cache.get(key);
    if (!shared) {
      shared = pickDigestPapers(ranked, { matcher: compileTopics(r.topics), minUpvotes: r.minUpvotes, received: new Set(), limit: margin });
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
      cache.set(key, shared);
    }
    if (r.received.size === 0) return shared.slice(0, limit);
    const kept = shared.filter((p) => !r.received.has(p.id));
    if (kept.length >= limit || shared.length < margin) return kept.slice(0, limit);
    return pickDigestPapers(ranked, { matcher: compileTopics(r.topics), minUpvotes: r.minUpvotes, received: r.received, limit });
  };
}

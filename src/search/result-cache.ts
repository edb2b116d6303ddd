// Search outcomes reused while nothing they depend on has changed: the same query, options and
// filters at the same search version (a counter the store's triggers bump on every write to papers,
// their categories, links and extras, and moderation; migration 0890) and the same state of
// semantic search.
// A popular query ("diffusion models") then costs one indexed read of the counter instead of a
// search. Sorting by upvotes depends on votes, which do not bump the counter: those are not kept.
// Per process and per database; bounded by an estimate of the bytes the outcomes hold.
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { currentVersion } from '../store/change-version.ts';
import type { Db } from '../store/db.ts';
import type { SearchOptions, SearchOutcome } from './search.ts';
import type { SemanticSearch } from './semantic.ts';

export const SEARCH_CHANNEL = 'search';
/**
 * A counter for what the keyword index holds (papers' words, which papers are visible; migration
 * 0942), which does not move when only what a result shows changes (a summary, a thumbnail, an
 * upvote count): what is derived from the index alone (top lists, document frequencies, stored
 * terms) keys on it.
 */
export const SEARCH_INDEX_CHANNEL = 'search-index';
const caches = new WeakMap<Db, ByteCache<string, SearchOutcome>>();

/** The state of semantic search as a key part: results change when its model or index comes up. */
export function semanticStateKey(semantic: SemanticSearch | undefined): string {
  const status = semantic?.status();
  return status ? `${status.ready}:${status.indexed}:${status.model}` : '';
}

/** The cache key of a search, or undefined when its outcome must not be reused. */
export async function resultKey(db: Db, query: string, options: SearchOptions, semantic: SemanticSearch | undefined): Promise<string | undefined> {
  if (options.sort === 'upvotes') return undefined;
  return JSON.stringify([
    await currentVersion(db, SEARCH_CHANNEL),
    semanticStateKey(semantic),
    query,
    options.limit, options.offset, options.sort,
    [...(options.categories ?? [])].sort(), options.since ?? '', options.until ?? '', options.hasCode ?? false,
    options.withoutSnippets ?? false, options.textSnippetOnly ?? false, options.withoutExtras ?? false, options.fallbackToAny ?? true, options.mode ?? 'hybrid',
  ]);
}

export function cachedOutcome(db: Db, key: string): SearchOutcome | undefined {
  return caches.get(db)?.get(key);
}

const running = new WeakMap<Db, Map<string, Promise<SearchOutcome>>>();

/** The search with this key already under way in this process, to wait for instead of running it again. */
export function runningSearch(db: Db, key: string): Promise<SearchOutcome> | undefined {
  return running.get(db)?.get(key);
}

/** Lets identical searches wait for this one until it ends; its outcome is then kept. */
export function shareRun(db: Db, key: string, search: Promise<SearchOutcome>): Promise<SearchOutcome> {
  let map = running.get(db);
  if (!map) running.set(db, (map = new Map()));
  map.set(key, search);
  const settle = () => void map.delete(key);
  search.then((outcome) => {
    settle();
    keepOutcome(db, key, outcome);
  }, settle);
  return search;
}

export function keepOutcome(db: Db, key: string, outcome: SearchOutcome): void {
  // Answered without its feedback round because time ran out (under load): good enough for the
  // reader who waited, not to be served to everyone after until the index changes.
  if (outcome.shortened) return;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = budgetedCache('search results', (k: string, o: SearchOutcome) => stringBytes(k) + outcomeBytes(o))));
  cache.set(key, outcome);
}

function outcomeBytes(o: SearchOutcome): number {
  let bytes = 512 + o.notes.reduce((n, s) => n + stringBytes(s), 0);
  for (const r of o.results) {
    const p = r.paper;
    bytes += 256 + stringBytes(r.snippet) + stringBytes(r.snippetHtml) + stringBytes(r.titleHtml) + stringBytes(p.title) + stringBytes(p.abstract) + stringBytes(p.comment ?? '');
    for (const a of [...p.authors, ...r.namedAuthors]) bytes += 48 + stringBytes(a);
    bytes += 48 * (p.categories.length + p.links.length);
  }
  return bytes;
}

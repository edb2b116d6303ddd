// One memory budget for everything a process keeps in memory to go faster (CACHE_MEMORY_MB): each
// in-memory cache and SQLite's page cache gets a fixed share of it, so an operator sizes one number
// to the machine and the process's memory levels off once the caches are full. The caches are
// module-level (they outlive requests and are shared by every request of a thread), so the budget is
// set once per thread at start — main.ts from the config, a search thread from what it is sent —
// and every cache, made before or after, is sized from it; /status reads the registry to report
// each cache against its bound.
import { setFlagsFromString } from 'node:v8';
import { DEFAULT_CACHE_MEMORY_MB, type Config } from '../config.ts';
import { ByteCache } from './byte-cache.ts';

/** Every cache with a share; a name is what /status shows. */
export type CacheName =
  | 'rendered pages' | 'search results' | 'recommendation lists' | 'profile terms' | 'rendered maths' | 'similar papers' | 'query vectors' | 'hot rankings' | 'trends'
  | 'analysed papers' | 'stored terms' | 'search terms' | 'stems' | 'stem surfaces' | 'document frequencies' | 'top lists'
  | 'sqlite pages';

/**
 * Shares of the total, in percent. `main` caches live once, on the event loop. `search` caches live
 * in every thread that runs searches: with search threads, each thread gets an equal part of
 * THREADS_PART of their share and the event loop keeps the rest (it still searches now and then:
 * digests, saved searches, similar papers); without, the event loop gets it all. Stems and maths are used by
 * pages too (highlighting, summaries), so the event loop has a share of its own. SQLite's page cache
 * is per connection: the main one, and one per search thread. The larger shares go where a miss
 * costs most: a rendered page (~50 ms of CPU) and an analysed paper (tokenising and stemming ~1,500 words).
 */
const MAIN_SHARES: Partial<Record<CacheName, number>> = {
  'rendered pages': 18, 'search results': 6, trends: 1, 'recommendation lists': 4, 'profile terms': 4, 'rendered maths': 2, 'similar papers': 1, 'query vectors': 1, 'hot rankings': 2,
  stems: 1.5, 'stem surfaces': 0.5, 'sqlite pages': 12,
};
const SEARCH_SHARES: Partial<Record<CacheName, number>> = {
  'analysed papers': 10, 'stored terms': 15, 'search terms': 1, stems: 1.5, 'stem surfaces': 0.5, 'document frequencies': 2, 'top lists': 2, 'rendered maths': 1,
};
/** Search threads' own connections. */
const SEARCH_SQLITE_SHARE = 14;
const THREADS_PART = 0.75;

/** Bytes per cache instance in one thread. */
export type ThreadBudget = Partial<Record<CacheName, number>>;

export interface MemoryPlan {
  totalBytes: number;
  main: ThreadBudget;
  /** Each search thread's; empty when searches run on the event loop. */
  searchThread: ThreadBudget;
}

/** Splits `totalBytes` among the caches of the event loop and of `searchThreads` search threads. */
export function planMemory(totalBytes: number, searchThreads: number): MemoryPlan {
  const bytes = (pct: number) => Math.floor((totalBytes * pct) / 100);
  const main: ThreadBudget = {};
  const searchThread: ThreadBudget = {};
  for (const [name, pct] of Object.entries(MAIN_SHARES) as Array<[CacheName, number]>) main[name] = bytes(pct);
  const mainPart = searchThreads === 0 ? 1 : 1 - THREADS_PART;
  for (const [name, pct] of Object.entries(SEARCH_SHARES) as Array<[CacheName, number]>) {
    main[name] = (main[name] ?? 0) + bytes(pct * mainPart);
    if (searchThreads > 0) searchThread[name] = Math.floor(bytes(pct * THREADS_PART) / searchThreads);
  }
  if (searchThreads === 0) main['sqlite pages']! += bytes(SEARCH_SQLITE_SHARE);
  else searchThread['sqlite pages'] = Math.floor(bytes(SEARCH_SQLITE_SHARE) / searchThreads);
  return { totalBytes, main, searchThread };
}

/** The threads that will run searches: SQLite on a file, unless SEARCH_THREADS=0 (search-threads.ts). */
export function searchThreadCount(config: Pick<Config, 'dialect' | 'sqlitePath' | 'searchThreads'>): number {
  return config.dialect === 'sqlite' && config.sqlitePath && config.sqlitePath !== ':memory:' ? config.searchThreads : 0;
}

/** The plan for a process with this configuration. */
export function memoryPlanFor(config: Pick<Config, 'cacheMemoryMb' | 'dialect' | 'sqlitePath' | 'searchThreads'>): MemoryPlan {
  return planMemory(config.cacheMemoryMb * 1024 * 1024, searchThreadCount(config));
}

let budget: ThreadBudget = planMemory(DEFAULT_CACHE_MEMORY_MB << 20, 1).main;
const registry = new Map<CacheName, Array<WeakRef<ByteCache<unknown, unknown>>>>();

/** This thread's bytes for one cache. */
export function budgetFor(name: CacheName): number {
  return budget[name] ?? 0;
}

/** Sets this thread's budget and resizes every cache already made (the oldest entries leave). */
export function applyBudget(b: ThreadBudget): void {
  budget = b;
  for (const [name, refs] of registry) for (const ref of refs) ref.deref()?.resize(budgetFor(name));
}

/** A cache sized by this thread's budget for `name`, reported on /status under that name. */
export function budgetedCache<K, V>(name: CacheName, sizeOf: (key: K, value: V) => number): ByteCache<K, V> {
  const cache = new ByteCache<K, V>(budgetFor(name), sizeOf);
  const refs = (registry.get(name) ?? []).filter((r) => r.deref() !== undefined);
  refs.push(new WeakRef(cache as ByteCache<unknown, unknown>));
  registry.set(name, refs);
  return cache;
}

export interface CacheStats {
  name: string;
  bytes: number;
  entries: number;
  maxBytes: number;
  hits?: number;
  misses?: number;
}

/**
 * Each cache of this thread's budget, its instances summed (caches kept per database count once per
 * open database; a test process may hold several), largest bound first. A cache not made yet shows
 * empty against its bound; SQLite's page cache is not among them (SQLite does not say how full it is).
 */
export function cacheStats(): CacheStats[] {
  const out: CacheStats[] = [];
  const names = new Set([...Object.keys(budget), ...registry.keys()] as CacheName[]);
  names.delete('sqlite pages');
  for (const name of names) {
    const live = (registry.get(name) ?? []).map((r) => r.deref()).filter((c) => c !== undefined);
    if (live.length === 0) {
      out.push({ name, bytes: 0, entries: 0, maxBytes: budgetFor(name), hits: 0, misses: 0 });
      continue;
    }
    out.push({
      name,
      bytes: live.reduce((n, c) => n + c.bytes, 0),
      entries: live.reduce((n, c) => n + c.size, 0),
      maxBytes: live.reduce((n, c) => n + c.maxBytes, 0),
      hits: live.reduce((n, c) => n + c.hits, 0),
      misses: live.reduce((n, c) => n + c.misses, 0),
    });
  }
  return out.sort((a, b) => b.maxBytes - a.maxBytes || a.name.localeCompare(b.name));
}

/**
 * Percent by which V8 lets a heap grow past what its last full collection kept. Left to itself, on a
 * machine with more than ~2 GB V8 lets the heap reach up to 4× what is live before collecting: a
 * web process with ~85 MB live swung between 80 and 330 MB of heap under load, and its RSS by
 * ±80 MB with it (bench soak). At 30 % the swing is a fraction of that, for more frequent
 * (mostly concurrent) full collections.
 */
export const HEAP_GROWTH_PERCENT = 30;

/** For long-running processes (serve, worker): every V8 heap of the process, threads included, grows by HEAP_GROWTH_PERCENT. */
export function limitHeapGrowth(): void {
  // Read by V8 each time it sets the next collection's limit, so it applies from here on.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWTH_PERCENT}`);
}

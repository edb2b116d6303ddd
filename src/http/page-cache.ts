// Rendered responses of the shared pages (listings, the daily papers API, feeds, paper pages) kept in
// memory until the data they show changes. Each entry is keyed by its route's normalized request and
// remembers what it shows (page-changes.ts); every process applies the store's log of changes (the
// "pages" change version, bumped by triggers on every table those pages read, migration 0902; other
// processes hear of it through the change watcher) and marks stale only the entries a change
// reaches. A hit costs a map lookup and a send: the ETag is computed once per entry and compressed
// bodies once per encoding (page-entry.ts).
//
// Only anonymous requests use it. A request with a session cookie or an Authorization header is
// answered afresh and marked private; a response that sets a cookie, or whose rendering asked for
// something of one visitor's (markPersonal: a CSRF token, a signed-in viewer), is never stored.
//
// After a change, one request renders a stale page anew while the others get the previous rendering
// for at most STALE_GRACE_MS from when the change was seen, then wait for the new one: a vote shows
// within a second on the process that took it, and a burst does not render the same page 32 times.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache, type CacheStats } from '../lib/memory-budget.ts';
import { watchVersion, type VersionWatcher } from '../store/change-version.ts';
import { writesThrough } from '../store/db.ts';
import { PAGES_CHANNEL, prunePageChanges } from '../store/page-change.ts';
import type { AppDeps } from './deps.ts';
import { encodingFor, entryBytes, isFresh, makeEntry, variantOf, type Entry, type PageCacheRule } from './page-entry.ts';
import { changesBetween, depsOf, EVERYTHING, mergeChanges, reaches, type ChangeSet, type PageDeps } from './page-changes.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Keep this GET route's anonymous responses until the pages' data changes. */
    pageCache?: PageCacheRule;
  }
}

export { PAGES_CHANNEL, type PageCacheRule };
// A change is seen within 250 ms of its commit (SQLite's poll; NOTIFY on PostgreSQL at once), so
// 700 ms of the previous rendering keeps the one-second promise while a loaded process renders.
const STALE_GRACE_MS = 700;
/** Change sets kept for renderings that started before a change and end after it. */
const RECENT_CHANGES = 256;
/** Versions of the change log kept in the store, and how often a process prunes it. */
const LOG_KEEP_VERSIONS = 20_000;
const PRUNE_EVERY_VERSIONS = 2_000;

interface Flight {
  version: number;
  done: Promise<void>;
  land: () => void;
}

interface PageCache {
  entries: ByteCache<string, Entry>;
  watcher: VersionWatcher;
  /** The version whose changes have been applied to the entries. */
  applied: number;
  /** The changes applied lately, each covering versions (from, to]. */
  recent: Array<{ from: number; to: number; changes: ChangeSet }>;
  /** The last version that changed, at each level (index = CHANGE_LEVEL): stamps for caches of broad facts. */
  stamps: number[];
  prunedAt: number;
  /** This process's write count when the version was last read. */
  writesChecked: number;
  /** Requests answered from the cache, and those rendered (for tests and /status). */
  hits: number;
  misses: number;
}

const caches = new WeakMap<object, PageCache>();

/** The page cache's size, bound and hits on this server. */
export function pageCacheStats(app: FastifyInstance): CacheStats | undefined {
  const c = caches.get(app.server);
  return c && { name: 'rendered pages', bytes: c.entries.bytes, entries: c.entries.size, maxBytes: c.entries.maxBytes, hits: c.hits, misses: c.misses };
}
const personal = new WeakSet<FastifyRequest>();
const pending = new WeakMap<FastifyRequest, { key: string; version: number; flight?: Flight }>();
const served = new WeakSet<FastifyRequest>();

/** Says this response holds something of one visitor's, so it is never stored or shared. */
export function markPersonal(req: FastifyRequest): void {
  personal.add(req);
}

/**
 * The last version of the pages' data that changed at `level` or broader, as this server has seen
 * it (undefined without a page cache): a key for facts kept beside the pages, such as a period's
 * category counts, that only broad changes move.
 */
export function changeStamp(req: FastifyRequest, level: number): number | undefined {
  const c = caches.get(req.server.server);
  return c && c.stamps[level];
}

/**
 * Adds the cache to a server: the lookup runs after every other onRequest hook (register this last
 * among them), the store before compression. `sessionCookie` marks a signed-in browser.
 */
export async function registerPageCache(app: FastifyInstance, deps: AppDeps, opts: { sessionCookie: string }): Promise<void> {
  const postgres = deps.config.databaseUrl.startsWith('postgres');
  const cache: PageCache = {
    entries: budgetedCache<string, Entry>('rendered pages', (k, e) => stringBytes(k) + entryBytes(e)),
    applied: 0,
    recent: [],
    stamps: [],
    prunedAt: 0,
    writesChecked: writesThrough(deps.db),
    hits: 0,
    misses: 0,
    // SQLite has no notifications: a quick poll of one row keeps other processes' writes within the promise.
    watcher: await watchVersion({ db: deps.db, databaseUrl: deps.config.databaseUrl }, PAGES_CHANNEL, async (version) => {
      const changes = await changesBetween(deps.db, cache.applied, version);
      applyChanges(cache, cache.applied, version, changes);
      if (version - cache.prunedAt >= PRUNE_EVERY_VERSIONS) {
        cache.prunedAt = version;
        await prunePageChanges(deps.db, version, LOG_KEEP_VERSIONS).catch((err) => deps.log.warn('page_change_prune_failed', { error: err }));
      }
    }, { pollMs: postgres ? 1_000 : 250, log: deps.log }),
  };
  cache.applied = cache.watcher.version;
  // An import or a copy may have left a long log behind: only the recent part is ever read.
  cache.prunedAt = cache.applied;
  await prunePageChanges(deps.db, cache.applied, LOG_KEEP_VERSIONS).catch((err) => deps.log.warn('page_change_prune_failed', { error: err }));
  cache.stamps = [0, 1, 2, 3, 4].map(() => cache.applied);
  caches.set(app.server, cache);
  app.addHook('onClose', async () => {
    await cache.watcher.stop();
  });
  const flights = new Map<string, Flight>();
  const sessionRe = new RegExp(`(?:^|;\\s*)${opts.sessionCookie}=`);

  app.addHook('onRequest', async (req, reply) => {
    const rule = req.routeOptions.config?.pageCache;
    if (!rule || (req.method !== 'GET' && req.method !== 'HEAD')) return;
    // A write this process made shows on its next page at once, not at the watcher's next look.
    const writes = writesThrough(deps.db);
    if (writes !== cache.writesChecked) {
      cache.writesChecked = writes;
      await cache.watcher.check();
    }
    if (req.headers.authorization !== undefined || sessionRe.test(req.headers.cookie ?? '')) {
      markPersonal(req);
      return;
    }
    const key = keyOf(req.url, rule);
    if (key === undefined) return;
    const version = cache.applied;
    let entry = cache.entries.get(key);
    if (entry && entry.staleSince === undefined) return serve(cache, key, entry, req, reply);
    const flight = flights.get(key);
    if (flight && entry && Date.now() - entry.staleSince! < STALE_GRACE_MS) return serve(cache, key, entry, req, reply);
    if (flight && flight.version >= version) {
      await flight.done;
      // Rendered from data at least as new as when this request arrived: fresh for it, even if
      // another change has come since.
      entry = cache.entries.get(key);
      if (entry && (entry.staleSince === undefined || entry.version >= version)) return serve(cache, key, entry, req, reply);
    }
    cache.misses++;
    if (req.method === 'HEAD') return;
    let land!: () => void;
    const done = new Promise<void>((resolve) => (land = resolve));
    const mine: Flight = { version, done, land };
    flights.set(key, mine);
    pending.set(req, { key, version, flight: mine });
  });

  const finish = async (req: FastifyRequest) => {
    const p = pending.get(req);
    if (!p?.flight) return;
    p.flight.land();
    if (flights.get(p.key) === p.flight) flights.delete(p.key);
    p.flight = undefined;
  };
  app.addHook('onResponse', finish);
  app.addHook('onRequestAbort', finish);

  app.addHook('onSend', async (req, reply, payload) => {
    const rule = req.routeOptions.config?.pageCache;
    if (!rule || served.has(req)) return payload;
    if (personal.has(req)) {
      reply.header('cache-control', 'private, no-store');
      return payload;
    }
    const p = pending.get(req);
    if (!p || reply.statusCode !== 200 || reply.hasHeader('set-cookie')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const entry = makeEntry(p.version, depsOf(req), payload, reply, rule);
    // A change applied while it rendered may have come too late for what it read.
    if (reaches(changesSince(cache, p.version), entry.deps)) entry.staleSince = Date.now();
    // A slower rendering begun before a newer one must not replace it.
    const kept = cache.entries.get(p.key);
    const stored = !kept || kept.version <= p.version || kept.staleSince !== undefined;
    if (stored) cache.entries.set(p.key, entry);
    reply.headers(entry.headers);
    // Compressed here, once, for this reader and the ones after: the compression plugin sees the
    // encoding set and leaves the bytes alone.
    const encoding = encodingFor(req, entry);
    if (!encoding) return payload;
    const bytes = await variantOf(entry, encoding, () => stored && recount(cache, p.key, entry));
    reply.header('content-encoding', encoding);
    return bytes;
  });
}

/** Marks the entries a change reaches as stale (each keeps the time it was first reached). */
function applyChanges(cache: PageCache, from: number, to: number, changes: ChangeSet): void {
  const now = Date.now();
  if (changes.level > 0) {
    for (const key of cache.entries.keysOldestFirst()) {
      const entry = cache.entries.get(key)!;
      if (entry.staleSince === undefined && reaches(changes, entry.deps)) entry.staleSince = now;
    }
    for (let level = 1; level <= changes.level; level++) cache.stamps[level] = to;
  }
  cache.recent.push({ from, to, changes });
  if (cache.recent.length > RECENT_CHANGES) cache.recent.shift();
  cache.applied = to;
}

/** Everything applied after `version`; everything at all when the record does not reach back that far. */
function changesSince(cache: PageCache, version: number): ChangeSet {
  if (version >= cache.applied) return { level: 0, papers: new Set(), days: [] };
  const first = cache.recent.findIndex((r) => r.to > version);
  if (first < 0 || cache.recent[first]!.from > version) return EVERYTHING;
  const none: ChangeSet = { level: 0, papers: new Set(), days: [] };
  return cache.recent.slice(first).reduce((all, r) => mergeChanges(all, r.changes), none);
}

/** The route's path with its known query parameters in a fixed order; undefined for any unknown one. */
export function keyOf(url: string, rule: PageCacheRule): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return rule.clock ? `${url}#${rule.clock(new URLSearchParams())}` : url;
  const query = new URLSearchParams(url.slice(q + 1));
  const pairs: string[] = [];
  for (const [name, value] of query) {
    if (!rule.params.includes(name)) return undefined;
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  pairs.sort();
  return `${url.slice(0, q)}?${pairs.join('&')}${rule.clock ? `#${rule.clock(query)}` : ''}`;
}

/** Counts an entry's bytes again once a compressed variant is added, if it is still the one kept. */
function recount(cache: PageCache, key: string, entry: Entry): void {
  if (cache.entries.get(key) === entry) cache.entries.set(key, entry);
}

async function serve(cache: PageCache, key: string, entry: Entry, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  cache.hits++;
  served.add(req);
  reply.headers(entry.headers);
  if (isFresh(req, entry)) return reply.code(304).send();
  const encoding = encodingFor(req, entry);
  if (!encoding) return reply.send(entry.body);
  const body = entry[encoding] ?? (await variantOf(entry, encoding, () => recount(cache, key, entry)));
  return reply.header('content-encoding', encoding).send(body);
}

// The "Memory" part of /status: what this process holds — its RSS, each thread's V8 heap, and every
// in-memory cache against its share of CACHE_MEMORY_MB. Each figure is also in a data- attribute
// (bytes), which `paperboy bench soak` reads every 30 s.
import { budgetFor, cacheStats, memoryPlanFor, searchThreadCount, type CacheStats } from '../../lib/memory-budget.ts';
import { html } from '../../lib/html.ts';
import type { AppDeps } from '../../http/index.ts';
import { countOf } from '../../lib/words.ts';

export async function memorySection(deps: AppDeps) {
  const usage = process.memoryUsage();
  const threads = (await deps.searchThreads?.memory()) ?? [];
  const plan = memoryPlanFor(deps.config);
  const sqliteMain = deps.config.dialect === 'sqlite' ? budgetFor('sqlite pages') : 0;
  const sqliteThread = plan.searchThread['sqlite pages'] ?? 0;
  const threadCaches = sumByName(threads.flatMap((t) => t.caches));
  const cached = [...cacheStats(), ...threadCaches].reduce((n, c) => n + c.bytes, 0);
  return html`<h2>Memory</h2>
  <p>Caches may hold <strong>${mb(plan.totalBytes)}</strong> together (CACHE_MEMORY_MB), SQLite's page cache included; they hold ${mb(cached)} now besides it.</p>
  <ul class="memory" data-rss="${usage.rss}" data-heap-used="${usage.heapUsed}" data-heap-total="${usage.heapTotal}" data-external="${usage.external}" data-array-buffers="${usage.arrayBuffers}" data-cached="${cached}" data-budget="${plan.totalBytes}" data-search-threads="${searchThreadCount(deps.config)}" data-threads-answered="${threads.length}">
    <li>Resident memory (RSS): ${mb(usage.rss)}</li>
    <li>Event loop's V8 heap: ${mb(usage.heapUsed)} used of ${mb(usage.heapTotal)}; buffers outside it ${mb(usage.external)}</li>
    ${threads.length < searchThreadCount(deps.config) ? html`<li>${searchThreadCount(deps.config) - threads.length} search thread(s) busy or not started: not counted</li>` : ''}
    ${threads.map((t, i) => html`<li data-thread-heap-used="${t.heapUsed}" data-thread-heap-total="${t.heapTotal}">Search thread ${i + 1}'s V8 heap: ${mb(t.heapUsed)} used of ${mb(t.heapTotal)}</li>`)}
    ${sqliteMain > 0 ? html`<li>SQLite page cache: at most ${mb(sqliteMain)} for the main connection${threads.length > 0 ? `, ${mb(sqliteThread)} for each search thread's` : ''}</li>` : ''}
  </ul>
  <h3>Caches of the event loop</h3>
  ${cacheList(cacheStats(), 'main')}
  ${threads.length > 0 ? html`<h3>Caches of the search threads (${threads.length}, summed)</h3>${cacheList(threadCaches, 'search')}` : ''}`;
}

function sumByName(caches: CacheStats[]): CacheStats[] {
  const out = new Map<string, CacheStats>();
  for (const c of caches) {
    const s = out.get(c.name) ?? { name: c.name, bytes: 0, entries: 0, maxBytes: 0, hits: 0, misses: 0 };
    s.bytes += c.bytes;
    s.entries += c.entries;
    s.maxBytes += c.maxBytes;
    s.hits! += c.hits ?? 0;
    s.misses! += c.misses ?? 0;
    out.set(c.name, s);
  }
  return [...out.values()];
}

/** Each cache against its bound in bytes; a list, not a table, so it stays readable on a phone. */
function cacheList(caches: CacheStats[], thread: string) {
  return html`<ul class="caches">${caches.map((c) => html`<li data-cache="${c.name}" data-thread="${thread}" data-bytes="${c.bytes}" data-entries="${c.entries}" data-max-bytes="${c.maxBytes}"><strong>${c.name}</strong>: ${countOf(c.entries, 'entry', 'entries')}, ${mb(c.bytes)} of at most ${mb(c.maxBytes)}${c.hits === undefined ? '' : html`; ${countOf(c.hits + (c.misses ?? 0), 'lookup')}, ${c.hits.toLocaleString('en-US')} found`}</li>`)}</ul>`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

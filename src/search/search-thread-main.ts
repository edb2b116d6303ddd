// Inside a search thread: answers the searches the main thread sends (search-threads.ts), one at a
// time, on a read-only connection of its own. Semantic candidates come with the request; a search
// that needs ones it was not given stops and asks for them.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnlySqlite } from '../store/db.ts';
import { sqliteKeywordIndex } from './keyword.sqlite.ts';
import { runSearch, type SemanticSource } from './search.ts';
import { getHeapStatistics } from 'node:v8';
import type { MemoryReply, MemoryRequest, SearchReply, SearchRequest, SearchThreadData } from './search-threads.ts';
import { applyBudget, cacheStats } from '../lib/memory-budget.ts';

class SemanticNeeded extends Error {
  constructor(readonly want: { text: string; k: number }) {
    super('semantic candidates needed');
  }
}

function standIn(semantic: NonNullable<SearchRequest['semantic']>): SemanticSource {
  return {
    status: () => semantic.status,
    async searchText(text, k) {
      const answer = semantic.answers.find((a) => a.text === text && a.k === k);
      if (!answer) throw new SemanticNeeded({ text, k });
      return answer.candidates;
    },
  };
}

/**
 * Pages and health checks come first: where the system allows (Linux: a thread has its own nice
 * value, found through /proc/thread-self), this thread runs at a lower priority than the event
 * loop, so on a busy machine a long search takes the CPU the pages leave, not the other way round.
 */
function yieldCpuToEventLoop(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // Not Linux, or not allowed: the thread runs at the process's priority.
  }
}

yieldCpuToEventLoop();
const port = parentPort!;
const data = workerData as SearchThreadData;
// Before the connection opens: SQLite's page cache is sized from it.
applyBudget(data.budget);
const store = openReadOnlySqlite(data.sqlitePath);

port.on('message', (req: SearchRequest | MemoryRequest) => {
  if ('memory' in req) {
    const heap = getHeapStatistics();
    port.postMessage({ memory: req.memory, report: { heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size, external: heap.external_memory, caches: cacheStats() } } satisfies MemoryReply);
    return;
  }
  const reply = (r: SearchReply) => port.postMessage(r);
  runSearch(store.db, sqliteKeywordIndex, req.query, req.options, req.semantic && standIn(req.semantic)).then(
    (outcome) => reply({ id: req.id, outcome }),
    (err: unknown) => reply(err instanceof SemanticNeeded ? { id: req.id, needs: err.want } : { id: req.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});

// Searches take turns, so a burst of expensive ones cannot starve the rest of the process. On SQLite
// every statement runs on the event loop: one search at a time (yielding between its statements,
// see yieldingIndex) leaves the loop free for pages and health checks in between. On PostgreSQL the
// work happens in the server, and a few may run at once. A bounded number wait; past that a search
// is refused at once (SearchBusyError, answered 503 with Retry-After) rather than queued without end.
import { isMainThread } from 'node:worker_threads';
import type { Dialect } from '../config.ts';
import type { KeywordIndex } from './keyword.ts';

/** Thrown when too many searches are already waiting in this process. */
export class SearchBusyError extends Error {
  readonly statusCode = 503;
  readonly retryAfterSeconds = 2;
  constructor() {
    super('Search is busy right now. Please try again in a moment.');
  }
}

export interface SearchGate {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createSearchGate(opts: { concurrency: number; maxWaiting: number }): SearchGate {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(fn) {
      if (running >= opts.concurrency) {
        if (waiting.length >= opts.maxWaiting) throw new SearchBusyError();
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await fn();
      } finally {
        const next = waiting.shift();
        if (next) next(); // the slot passes straight to the next search
        else running--;
      }
    },
  };
}

const gates = new Map<Dialect, SearchGate>();

/** The process's gate for a dialect. */
export function searchGateFor(dialect: Dialect): SearchGate {
  let gate = gates.get(dialect);
  if (!gate) gates.set(dialect, (gate = createSearchGate(dialect === 'sqlite' ? { concurrency: 1, maxWaiting: 32 } : { concurrency: 4, maxWaiting: 64 })));
  return gate;
}

/** Lets other requests in before each statement of the index (a macrotask turn, not a microtask). */
export function yieldingIndex(index: KeywordIndex): KeywordIndex {
  return {
    search: async (...args) => (await nextTurn(), index.search(...args)),
    count: async (...args) => (await nextTurn(), index.count(...args)),
    termStats: async (...args) => (await nextTurn(), index.termStats(...args)),
    ...(index.matchesUpTo ? { matchesUpTo: async (...args) => (await nextTurn(), index.matchesUpTo!(...args)) } : {}),
  };
}

/**
 * Resolves after pending I/O callbacks (other requests) had their turn. On a search thread there are
 * none to let in (it answers one search at a time; the next waits in its port either way), and each
 * turn cost a loop iteration, 10–30 µs, several times a search: there it resolves at once.
 */
export function nextTurn(): Promise<void> {
  return isMainThread ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve();
}

// SQLite searches on threads of their own. better-sqlite3 runs every statement synchronously, so a
// long search on the event loop delays every page and health check behind it; on a search thread,
// with its own read-only connection (WAL lets it read while the main connection writes), it delays
// nothing but the searches waiting for a thread. The result cache and the per-client limit stay on
// the main thread (search.ts); semantic candidates come from the main thread's index, sent along.
import { Worker } from 'node:worker_threads';
import { DEFAULT_CACHE_MEMORY_MB, type Config } from '../config.ts';
import { memoryPlanFor, planMemory, searchThreadCount, type CacheStats, type ThreadBudget } from '../lib/memory-budget.ts';
import type { Logger } from '../log.ts';
import { createSearchGate, type SearchGate } from './gate.ts';
import { expectedSemanticRequest, type SearchOptions, type SearchOutcome } from './search.ts';
import type { SemanticSearch, SemanticStatus } from './semantic.ts';

export interface SearchThreads {
  /** At most one search per thread; a bounded number wait (503 past that, as on the event loop). */
  readonly gate: SearchGate;
  /** Runs one search on an idle thread; call inside gate.run. */
  search(query: string, options: SearchOptions, semantic: SemanticSearch | undefined): Promise<SearchOutcome>;
  /** Each running thread's heap and caches (for /status); a thread busy for over a second is left out. */
  memory(): Promise<ThreadMemory[]>;
  /** Starts every thread now rather than at the first search, which then does not wait for one to load. */
  start(): void;
  close(): Promise<void>;
}

/** What a thread starts with: the database, and its share of the memory budget. */
export interface SearchThreadData {
  sqlitePath: string;
  budget: ThreadBudget;
}

/** Sent to a thread: the search, and the state of semantic search with any candidates asked for ahead. */
export interface SearchRequest {
  id: number;
  query: string;
  options: SearchOptions;
  semantic: { status: SemanticStatus; answers: SemanticAnswer[] } | undefined;
}

export interface SemanticAnswer {
  text: string;
  k: number;
  candidates: Array<{ paperId: number; score: number }>;
}

/** One thread's V8 heap and caches, as it reports them. */
export interface ThreadMemory {
  heapUsed: number;
  heapTotal: number;
  external: number;
  caches: CacheStats[];
}

/** A request for a thread's memory, and its answer: sent beside searches, answered between their steps. */
export interface MemoryRequest {
  memory: number;
}
export interface MemoryReply {
  memory: number;
  report: ThreadMemory;
}

/** A thread's answer: the outcome, semantic candidates it needs first, or a failure. */
export type SearchReply =
  | { id: number; outcome: SearchOutcome }
  | { id: number; needs: { text: string; k: number } }
  | { id: number; error: string };

interface Thread {
  worker: Worker | undefined;
  job: { id: number; resolve: (r: SearchReply) => void; reject: (e: Error) => void } | undefined;
}

/**
 * The search threads SEARCH_THREADS asks for, or undefined where searches stay on the event loop:
 * on PostgreSQL (the work happens in the server, and the driver is asynchronous), for an in-memory
 * database (no other connection can see it) and with SEARCH_THREADS=0.
 */
export function searchThreadsFor(config: Pick<Config, 'dialect' | 'sqlitePath' | 'searchThreads' | 'cacheMemoryMb'>, log: Logger): SearchThreads | undefined {
  const threads = searchThreadCount(config);
  if (threads === 0) return undefined;
  return startSearchThreads({ sqlitePath: config.sqlitePath!, threads, log, budget: memoryPlanFor(config).searchThread });
}

/** Threads start with the first search and end with close(); one that dies is replaced on the next. */
export function startSearchThreads(opts: { sqlitePath: string; threads: number; log: Logger; budget?: ThreadBudget }): SearchThreads {
  const budget = opts.budget ?? planMemory(DEFAULT_CACHE_MEMORY_MB * 1024 * 1024, opts.threads).searchThread;
  const threads: Thread[] = Array.from({ length: opts.threads }, () => ({ worker: undefined, job: undefined }));
  let nextId = 1;
  let closed = false;
  const memoryAsked = new Map<number, (r: ThreadMemory | undefined) => void>();

  const spawn = (t: Thread): Worker => {
    // A plain-JavaScript entry that registers the TypeScript loader in the new thread first.
    const worker = new Worker(new URL('./search-thread.mjs', import.meta.url), { workerData: { sqlitePath: opts.sqlitePath, budget } satisfies SearchThreadData });
    worker.unref();
    worker.on('message', (reply: SearchReply | MemoryReply) => {
      if ('memory' in reply) {
        memoryAsked.get(reply.memory)?.(reply.report);
        return;
      }
      if (t.job?.id !== reply.id) return;
      const { resolve } = t.job;
      t.job = undefined;
      resolve(reply);
    });
    const fail = (err: Error) => {
      if (t.worker === worker) t.worker = undefined;
      if (!closed) opts.log.error('search_thread_failed', { error: err });
      const job = t.job;
      t.job = undefined;
      job?.reject(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`search thread exited with code ${code}`)));
    return worker;
  };

  const ask = (request: Omit<SearchRequest, 'id'>): Promise<SearchReply> => {
    const t = threads.find((x) => x.job === undefined);
    if (!t || closed) return Promise.reject(new Error(closed ? 'search threads are closed' : 'no idle search thread: call search() inside gate.run'));
    const worker = (t.worker ??= spawn(t));
    const id = nextId++;
    return new Promise<SearchReply>((resolve, reject) => {
      t.job = { id, resolve, reject };
      worker.postMessage({ id, ...request } satisfies SearchRequest);
    });
  };

  return {
    gate: createSearchGate({ concurrency: opts.threads, maxWaiting: 32 }),
    async search(query, options, semantic) {
      const status = semantic?.status();
      const answers: SemanticAnswer[] = [];
      const fetchAnswer = async (want: { text: string; k: number }) => answers.push({ ...want, candidates: await semantic!.searchText(want.text, want.k) });
      const expected = status?.ready ? expectedSemanticRequest(query, options) : undefined;
      if (expected) await fetchAnswer(expected);
      // A query asks for semantic candidates at most once: a second round trip answers it.
      for (let round = 0; round < 2; round++) {
        const reply = await ask({ query, options, semantic: status && { status, answers } });
        if ('outcome' in reply) return reply.outcome;
        if ('error' in reply) throw new Error(`search thread: ${reply.error}`);
        if (round > 0 || !semantic) break;
        await fetchAnswer(reply.needs);
      }
      throw new Error('search thread asked for semantic candidates it had been given');
    },
    async memory() {
      const ask = (worker: Worker) => new Promise<ThreadMemory | undefined>((resolve) => {
        const id = nextId++;
        const timer = setTimeout(() => done(undefined), 1000);
        const done = (r: ThreadMemory | undefined) => {
          clearTimeout(timer);
          memoryAsked.delete(id);
          resolve(r);
        };
        memoryAsked.set(id, done);
        worker.postMessage({ memory: id } satisfies MemoryRequest);
      });
      const reports = await Promise.all(threads.map((t) => (t.worker ? ask(t.worker) : undefined)));
      return reports.filter((r) => r !== undefined);
    },
    start() {
      for (const t of threads) t.worker ??= spawn(t);
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((t) => t.worker?.terminate()));
    },
  };
}

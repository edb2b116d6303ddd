// Inside a search thread: answers the searches the main thread sends (search-threads.ts), one at a
// time, on a read-only connection of its own. Semantic candidates come with the request; a search
// that needs ones it was not given stops and asks for them.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnlySqlite } from '../store/db.ts';
import { sqliteKeywordIndex } from './keyword.sqlite.ts';
import { runSearch, type SemanticSource } from './search.ts';
import type { SearchReply, SearchRequest } from './search-threads.ts';

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
const store = openReadOnlySqlite((workerData as { sqlitePath: string }).sqlitePath);

port.on('message', (req: SearchRequest) => {
  const reply = (r: SearchReply) => port.postMessage(r);
  runSearch(store.db, sqliteKeywordIndex, req.query, req.options, req.semantic && standIn(req.semantic)).then(
    (outcome) => reply({ id: req.id, outcome }),
    (err: unknown) => reply(err instanceof SemanticNeeded ? { id: req.id, needs: err.want } : { id: req.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});

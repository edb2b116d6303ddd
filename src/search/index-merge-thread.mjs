// Entry of the thread that merges the FTS5 index's segments (index-merge.sqlite.ts). Plain
// JavaScript on purpose: it only needs better-sqlite3, not the TypeScript loader.
// Each step is one FTS5 'merge' command in its own short write transaction (autocommit), so other
// writers wait at most one step; a negative page count merges segments of every level together, the
// incremental form of 'optimize'. The step that completes a merge also deletes the old segments'
// pages, the longest one (about 1 s at a million papers): here it holds no event loop.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, pagesPerStep, busyTimeoutMs } = workerData;
const port = parentPort;
let stopping = false;
port.on('message', (m) => {
  if (m === 'stop') stopping = true;
});

const db = new Database(path, { fileMustExist: true });
let outcome;
try {
  db.pragma(`busy_timeout = ${Number(busyTimeoutMs)}`);
  const merge = db.prepare("INSERT INTO paper_fts(paper_fts, rank) VALUES ('merge', ?)");
  const changes = db.prepare('SELECT total_changes() AS n');
  let steps = 0;
  for (;;) {
    if (stopping) break;
    const before = changes.get().n;
    merge.run(-pagesPerStep);
    steps++;
    // SQLite's documented test: fewer than two changes means the command found nothing to merge.
    if (changes.get().n - before < 2) break;
    port.postMessage({ steps });
    // A turn for the 'stop' message.
    await new Promise((resolve) => setImmediate(resolve));
  }
  outcome = { steps, done: true, stopped: stopping };
} catch (err) {
  outcome = { error: err instanceof Error ? err.message : String(err) };
} finally {
  db.close();
}
port.postMessage(outcome);

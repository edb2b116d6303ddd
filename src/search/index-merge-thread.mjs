// Entry of the thread that merges the FTS5 index's segments (index-merge.sqlite.ts). Plain
// JavaScript on purpose: it only needs better-sqlite3, not the TypeScript loader.
// It does one step per 'step' message: one FTS5 'merge' command in its own short write transaction
// (autocommit), so other writers wait at most one step, and the main thread decides after each step
// whether to go on (a stop takes effect before the next step, never during one). A negative page
// count merges segments of every level together, the incremental form of 'optimize'. The step that
// completes a merge also deletes the old segments' pages, the longest one (about 1 s at a million
// papers): here it holds no event loop.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, pagesPerStep, busyTimeoutMs } = workerData;
const port = parentPort;
const db = new Database(path, { fileMustExist: true });
db.pragma(`busy_timeout = ${Number(busyTimeoutMs)}`);
const merge = db.prepare("INSERT INTO paper_fts(paper_fts, rank) VALUES ('merge', ?)");
const changes = db.prepare('SELECT total_changes() AS n');

port.on('message', (m) => {
  if (m === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    const before = changes.get().n;
    merge.run(-pagesPerStep);
    // SQLite's documented test: fewer than two changes means the command found nothing to merge.
    port.postMessage({ worked: changes.get().n - before >= 2 });
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});

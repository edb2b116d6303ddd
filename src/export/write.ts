// Writes an export to a stream with backpressure; to a file, atomically (temp file, then rename),
// gzip-compressed when the name ends in .gz. An interrupted export leaves no half-written file.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Db } from '../store/db.ts';
import { paperToBibtex } from './bibtex.ts';
import { paperToCanonical, streamPapers, type ExportFilter } from './papers.ts';

export type ExportFormat = 'jsonl' | 'bibtex';

/** The export as text chunks, one per paper. */
async function* exportChunks(db: Db, format: ExportFormat, filter: ExportFilter, onPaper?: () => void): AsyncGenerator<string> {
  for await (const paper of streamPapers(db, filter)) {
    onPaper?.();
    yield format === 'jsonl' ? `${JSON.stringify(paperToCanonical(paper))}\n` : `${paperToBibtex(paper)}\n`;
  }
}

/** Streams to an open stream (stdout); returns the number of papers written. */
export async function exportToStream(db: Db, format: ExportFormat, filter: ExportFilter, out: Writable, onPaper?: () => void): Promise<number> {
  let n = 0;
  for await (const chunk of exportChunks(db, format, filter, () => {
    n++;
    onPaper?.();
  })) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  return n;
}

/** Streams to a file, replacing it only once the export is complete. */
export async function exportToFile(db: Db, format: ExportFormat, filter: ExportFilter, path: string, onPaper?: () => void): Promise<number> {
  const temp = `${path}.partial-${process.pid}`;
  let n = 0;
  const source = Readable.from(exportChunks(db, format, filter, () => {
    n++;
    onPaper?.();
  }));
  try {
    if (path.endsWith('.gz')) await pipeline(source, createGzip(), createWriteStream(temp));
    else await pipeline(source, createWriteStream(temp));
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return n;
}

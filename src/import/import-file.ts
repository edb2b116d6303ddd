// `paperboy import FILE…`: reads JSONL (plain or .gz), arXiv API Atom XML or Hugging Face daily_papers
// JSON, and upserts the papers in batched transactions.
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type { Db } from '../store/db.ts';
import { refreshStatistics } from '../store/postgres.ts';
import type { PaperInput } from '../papers/paper.ts';
import { upsertPapers } from '../papers/upsert.ts';
import { parseAtomFeed, XmlFormatError } from '../harvest/parse-atom.ts';
import { recordFromHf, recordFromJsonLine, type RecordResult } from './records.ts';
import { hfFactsOf, recordHfFacts } from '../huggingface/index.ts';
import { splitJsonArray } from './json-array.ts';

export type ImportFormat = 'jsonl' | 'atom' | 'hf-json';

export interface ImportSummary {
  file: string;
  format: ImportFormat;
  read: number;
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** `file:line: reason`, at most the first 100. */
  errors: string[];
  changedIds: number[];
}

export interface ImportOptions {
  batchSize?: number;
  /** Called after each batch with records read so far and the expected total when known. */
  onProgress?: (done: number, total: number | undefined) => void;
  now?: Date;
}

/** A file that cannot be imported at all: nothing from it was stored. */
export class UnreadableFileError extends Error {}

const MAX_ERRORS = 100;

export async function importFile(db: Db, path: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new UnreadableFileError(`${path}: cannot read (${err.code === 'ENOENT' ? 'no such file' : err.code})`);
  });
  if (!info.isFile()) throw new UnreadableFileError(`${path}: not a regular file`);
  const gzipped = await isGzip(path);
  // Decompress once up front so a truncated or corrupt archive fails before anything is written.
  let lineCount: number | undefined;
  if (gzipped) lineCount = await verifyGzip(path);
  const first = await firstChars(path, gzipped);
  const format: ImportFormat | undefined = first === '<' ? 'atom' : first === '[' ? 'hf-json' : first === '{' ? 'jsonl' : undefined;
  if (!format) {
    throw new UnreadableFileError(`${path}: not a supported file: expected JSONL (one JSON object per line), a JSON array (Hugging Face daily_papers) or arXiv Atom XML`);
  }
  const summary: ImportSummary = { file: path, format, read: 0, new: 0, updated: 0, unchanged: 0, rejected: 0, errors: [], changedIds: [] };
  const batchSize = opts.batchSize ?? 1000;
  let batch: PaperInput[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const inputs = batch;
    batch = [];
    const r = await db.transaction().execute((tx) => upsertPapers(tx, inputs, opts.now));
    summary.new += r.new;
    summary.updated += r.updated;
    summary.unchanged += r.unchanged;
    summary.changedIds.push(...r.changedIds);
    opts.onProgress?.(summary.read, lineCount);
  };
  const take = async (line: number, result: RecordResult) => {
    summary.read++;
    if (result.ok) {
      batch.push(result.paper);
      if (batch.length >= batchSize) await flush();
    } else {
      summary.rejected++;
      if (summary.errors.length < MAX_ERRORS) summary.errors.push(`${path}:${line}: ${result.reason}`);
    }
  };

  if (format === 'jsonl') {
    const input = gzipped ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
    const lines = createInterface({ input, crlfDelay: Infinity });
    let n = 0;
    for await (const raw of lines) {
      n++;
      if (raw.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (err) {
        await take(n, { ok: false, reason: `not valid JSON (${(err as Error).message})` });
        continue;
      }
      await take(n, recordFromJsonLine(value));
    }
  } else {
    const buf = await readFile(path);
    const textAll = (gzipped ? gunzipSync(buf) : buf).toString('utf8');
    if (format === 'atom') {
      let parsed;
      try {
        parsed = parseAtomFeed(textAll);
      } catch (err) {
        if (err instanceof XmlFormatError) throw new UnreadableFileError(`${path}: ${err.message}`);
        throw err;
      }
      if (parsed.apiError) throw new UnreadableFileError(`${path}: the arXiv API answered with an error: ${parsed.apiError}`);
      for (const rec of parsed.records) await take(rec.line, rec.paper ? { ok: true, paper: rec.paper } : { ok: false, reason: rec.error! });
    } else {
      let elements;
      try {
        elements = splitJsonArray(textAll);
      } catch (err) {
        throw new UnreadableFileError(`${path}: ${(err as Error).message}`);
      }
      for (const el of elements) await take(el.line, recordFromHf(el.value));
      // What HF says beyond the paper itself (comments, submitter, hidden authors, its GitHub link).
      await flush();
      const facts = elements.map((el) => hfFactsOf(el.value)).filter((f) => f !== undefined);
      for (let i = 0; i < facts.length; i += 500) await db.transaction().execute((tx) => recordHfFacts(tx, facts.slice(i, i + 500), opts.now ?? new Date()));
    }
  }
  await flush();
  if (summary.new + summary.updated >= BULK_ROWS) await refreshStatistics(db);
  opts.onProgress?.(summary.read, summary.read);
  return summary;
}

/** Writes of at least this many papers refresh the database's statistics when the import ends. */
const BULK_ROWS = 1000;

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Decompresses the whole archive, counting lines; throws UnreadableFileError when it is damaged. */
async function verifyGzip(path: string): Promise<number> {
  let lines = 0;
  try {
    await pipeline(
      createReadStream(path),
      createGunzip(),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          cb();
        },
      }),
    );
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'the gzip archive is truncated' : `the gzip archive is damaged (${(err as Error).message})`;
    throw new UnreadableFileError(`${path}: ${reason}; nothing was imported`);
  }
  return lines;
}

/** The first non-whitespace character of the (decompressed) file. */
async function firstChars(path: string, gzipped: boolean): Promise<string | undefined> {
  const stream = gzipped ? createReadStream(path).pipe(createGunzip()) : createReadStream(path, { end: 65_535 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const s = chunk.toString('utf8').replace(/^\uFEFF/, '').trimStart();
      if (s.length > 0) return s[0];
    }
  } finally {
    stream.destroy();
  }
  return undefined;
}

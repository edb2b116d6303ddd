// Reads a BEIR-format folder for `paperboy bench search`:
//   corpus.jsonl[.gz]  {"_id", "title", "text"}      queries.jsonl  {"_id", "text"}
//   qrels-test.tsv or qrels/test.tsv   query-id <tab> corpus-id <tab> score, with a header line
// BEIR documents have no arXiv id: each becomes a paper whose arxiv_id is "beir.<_id>" (see
// README), announced 2000-01-01 in category "beir", stored through upsertPapers like any paper.
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { PaperInput } from '../papers/paper.ts';
import type { Judgements } from './metrics.ts';

export const BEIR_ID_PREFIX = 'beir.';

export interface BeirQuery {
  id: string;
  text: string;
}

export class DatasetError extends Error {}

function pick(dir: string, names: string[]): string {
  const found = names.map((n) => join(dir, n)).find((p) => existsSync(p));
  if (!found) throw new DatasetError(`${dir}: missing ${names.join(' or ')} (expected a BEIR folder)`);
  return found;
}

/** Streams the corpus as papers, in batches, with file:line errors for bad lines. */
export async function* readBeirCorpus(dir: string, batchSize = 1000): AsyncGenerator<PaperInput[]> {
  const path = pick(dir, ['corpus.jsonl.gz', 'corpus.jsonl']);
  const input = createReadStream(path);
  const lines = createInterface({ input: path.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let batch: PaperInput[] = [];
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let doc: { _id?: unknown; title?: unknown; text?: unknown };
    try {
      doc = JSON.parse(line) as typeof doc;
    } catch {
      throw new DatasetError(`${path}:${n}: not JSON`);
    }
    if (typeof doc._id !== 'string' && typeof doc._id !== 'number') throw new DatasetError(`${path}:${n}: "_id" missing`);
    batch.push({
      arxivId: `${BEIR_ID_PREFIX}${doc._id}`,
      title: typeof doc.title === 'string' ? doc.title : '',
      abstract: typeof doc.text === 'string' ? doc.text : '',
      authors: [],
      categories: ['beir'],
      announcedOn: '2000-01-01',
    });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export async function readBeirQueries(dir: string): Promise<BeirQuery[]> {
  const path = pick(dir, ['queries.jsonl']);
  const out: BeirQuery[] = [];
  (await readFile(path, 'utf8')).split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const q = JSON.parse(line) as { _id: unknown; text: unknown };
      out.push({ id: String(q._id), text: String(q.text ?? '') });
    } catch {
      throw new DatasetError(`${path}:${i + 1}: not JSON`);
    }
  });
  return out;
}

export async function readBeirQrels(dir: string): Promise<Map<string, Judgements>> {
  const path = pick(dir, ['qrels-test.tsv', join('qrels', 'test.tsv')]);
  const out = new Map<string, Judgements>();
  (await readFile(path, 'utf8')).split('\n').forEach((line, i) => {
    if (i === 0 || line.trim() === '') return; // header
    const [q, d, s] = line.split('\t');
    const grade = Number(s);
    if (!q || !d || !Number.isFinite(grade)) throw new DatasetError(`${path}:${i + 1}: expected query-id<TAB>corpus-id<TAB>score`);
    if (!out.has(q)) out.set(q, new Map());
    out.get(q)!.set(d, grade);
  });
  return out;
}

// EMBEDDINGS=builtin: latent semantic analysis learned from this instance's own papers (see lsa.ts).
// Runs with nothing but `npm ci`. Training happens once, in a worker thread so the web never waits,
// on up to TRAIN_SAMPLE recent papers; the model is kept under DATA_DIR/models and its name carries
// a fingerprint, so vectors from another training are never mixed with its own.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../store/db.ts';
import { paperText, type Embedder } from './embedder.ts';
import { embedLsa, type LsaModel } from './lsa.ts';

/** Enough papers to learn a vocabulary's co-occurrences; more only costs training time. */
const TRAIN_SAMPLE = 20_000;
/** Latent dimensions (measured on SciFact: see README "Semantic search and embeddings"). */
const DIMENSIONS = 256;
/** Below this many papers there is too little text to learn from. */
export const MIN_TRAINING_PAPERS = 200;

interface Saved {
  name: string;
  k: number;
  documents: number;
  terms: string[];
}

export async function createBuiltinEmbedder(db: Db, modelDir: string): Promise<Embedder> {
  const file = join(modelDir, `builtin-lsa-k${DIMENSIONS}`);
  let loaded = loadModel(file);
  if (!loaded) {
    const rows = await db.selectFrom('paper').select(['title', 'abstract']).orderBy('id', 'desc').limit(TRAIN_SAMPLE).execute();
    if (rows.length < MIN_TRAINING_PAPERS) {
      throw new Error(`the builtin embedder learns from the papers in the store and needs at least ${MIN_TRAINING_PAPERS}; there are ${rows.length}. Import papers, then it trains on the next start (or run "paperboy reindex")`);
    }
    const model = await trainInWorker(rows.map(paperText), DIMENSIONS);
    const terms = [...model.vocabulary.keys()];
    const name = `builtin-lsa-k${model.k}-${createHash('sha256').update(terms.join('\n')).update(String(model.documents)).digest('hex').slice(0, 8)}`;
    saveModel(file, { name, k: model.k, documents: model.documents, terms }, model);
    loaded = { name, model };
  }
  const { name, model } = loaded;
  return {
    provider: 'builtin',
    model: name,
    dimension: () => model.k,
    embedDocuments: async (texts) => texts.map((t) => embedLsa(model, t)),
    embedQuery: async (text) => embedLsa(model, text),
  };
}

function saveModel(file: string, meta: Saved, model: LsaModel): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(`${tmp}.bin`, Buffer.concat([Buffer.from(model.idf.buffer, model.idf.byteOffset, model.idf.byteLength), Buffer.from(model.projection.buffer, model.projection.byteOffset, model.projection.byteLength)]));
  writeFileSync(`${tmp}.json`, JSON.stringify(meta));
  renameSync(`${tmp}.bin`, `${file}.bin`);
  renameSync(`${tmp}.json`, `${file}.json`);
}

function loadModel(file: string): { name: string; model: LsaModel } | undefined {
  if (!existsSync(`${file}.json`) || !existsSync(`${file}.bin`)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Saved;
    const bytes = readFileSync(`${file}.bin`);
    const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const m = meta.terms.length;
    if (floats.length !== m + m * meta.k) return undefined;
    return {
      name: meta.name,
      model: { vocabulary: new Map(meta.terms.map((t, i) => [t, i])), idf: floats.slice(0, m), projection: floats.slice(m), k: meta.k, documents: meta.documents },
    };
  } catch {
    return undefined;
  }
}

/** Runs trainLsa in a worker thread (CPU-bound for seconds to minutes) and returns the model. */
function trainInWorker(texts: string[], k: number): Promise<LsaModel> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { register } = await import(workerData.tsx);
      register();
      const { trainLsa } = await import(workerData.lsa);
      const m = trainLsa(workerData.texts, { k: workerData.k });
      parentPort.postMessage({ terms: [...m.vocabulary.keys()], idf: m.idf, projection: m.projection, k: m.k, documents: m.documents }, [m.idf.buffer, m.projection.buffer]);
    })().catch((err) => { throw err; });
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, {
      eval: true,
      workerData: { tsx: import.meta.resolve('tsx/esm/api'), lsa: new URL('./lsa.ts', import.meta.url).href, texts, k },
    });
    worker.once('message', (m: { terms: string[]; idf: Float32Array; projection: Float32Array; k: number; documents: number }) => {
      resolve({ vocabulary: new Map(m.terms.map((t, i) => [t, i])), idf: m.idf, projection: m.projection, k: m.k, documents: m.documents });
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`builtin embedder training stopped with exit code ${code}`));
    });
  });
}

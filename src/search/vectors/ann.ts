// The in-process approximate-nearest-neighbour index (usearch HNSW, cosine), persisted as a file
// beside the store with a small JSON note of what it holds. The database stays the source of truth:
// a missing, unreadable or stale file is rebuilt from stored vectors.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type { Index } from 'usearch';
import type { Db } from '../../store/db.ts';
import type { Logger } from '../../log.ts';
import { readPaperVectors, vectorFingerprint } from './store.ts';

// usearch's ESM build cannot find its native binding (it walks up from a URL, not a path); its CJS build can.
// Loaded on first use so that commands which never search do not pay for the native module.
let usearch: typeof import('usearch') | undefined;
function loadUsearch(): typeof import('usearch') {
  usearch ??= createRequire(import.meta.url)('usearch') as typeof import('usearch');
  return usearch;
}

export interface Neighbour {
  paperId: number;
  /** Cosine similarity, -1…1. */
  score: number;
}

interface IndexNote {
  model: string;
  dimension: number;
  fingerprint: string;
}

export class VectorIndex {
  private dirty = false;

  private constructor(
    private index: Index,
    readonly model: string,
    readonly dimension: number,
    private readonly file: string,
  ) {}

  /** Loads the persisted index when it matches the store, else rebuilds it from the store. */
  static async open(opts: { db: Db; model: string; dimension: number; file: string; log: Logger; onProgress?: (done: number) => void }): Promise<VectorIndex> {
    const { db, model, dimension, file, log } = opts;
    const fingerprint = await vectorFingerprint(db, model);
    const note = readNote(file);
    if (note && note.model === model && note.dimension === dimension && note.fingerprint === fingerprint && existsSync(file)) {
      try {
        const index = createIndex(dimension);
        index.load(file);
        log.info('vector_index_loaded', { model, file, size: index.size() });
        return new VectorIndex(index, model, dimension, file);
      } catch (err) {
        log.warn('vector_index_unreadable', { file, error: err });
      }
    }
    const started = Date.now();
    const vi = new VectorIndex(createIndex(dimension), model, dimension, file);
    let after = 0;
    for (;;) {
      const page = await readPaperVectors(db, model, after, 2000);
      if (page.length === 0) break;
      vi.add(page.filter((p) => p.vector.length === dimension));
      after = page[page.length - 1]!.paperId;
      opts.onProgress?.(vi.size());
    }
    if (vi.size() > 0) {
      log.info('vector_index_rebuilt', { model, file, size: vi.size(), reason: note ? 'stale' : 'missing', duration_ms: Date.now() - started });
      await vi.save(db);
    }
    return vi;
  }

  size(): number {
    return this.index.size();
  }

  /** Adds or replaces vectors by paper id. */
  add(items: Array<{ paperId: number; vector: Float32Array }>): void {
    if (items.length === 0) return;
    const keys = BigUint64Array.from(items, (i) => BigInt(i.paperId));
    const present = keys.filter((k) => this.index.contains(k) as boolean);
    if (present.length > 0) this.index.remove(present);
    const flat = new Float32Array(items.length * this.dimension);
    items.forEach((i, n) => flat.set(i.vector, n * this.dimension));
    this.index.add(keys, flat);
    this.dirty = true;
  }

  search(vector: Float32Array, k: number): Neighbour[] {
    const size = this.index.size();
    if (size === 0 || k <= 0) return [];
    const m = this.index.search(vector, Math.min(k, size), 0);
    const out: Neighbour[] = [];
    for (let i = 0; i < m.keys.length; i++) {
      out.push({ paperId: Number(m.keys[i]!), score: 1 - m.distances[i]! });
    }
    return out;
  }

  /** Writes the index and its note atomically, when anything changed since the last save. */
  async save(db: Db): Promise<void> {
    if (!this.dirty && existsSync(this.file)) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const fingerprint = await vectorFingerprint(db, this.model);
    const tmp = `${this.file}.tmp-${process.pid}`;
    this.index.save(tmp);
    renameSync(tmp, this.file);
    const note: IndexNote = { model: this.model, dimension: this.dimension, fingerprint };
    writeFileSync(`${tmp}.json`, JSON.stringify(note));
    renameSync(`${tmp}.json`, `${this.file}.json`);
    this.dirty = false;
  }

  /** Deletes the persisted files (after a model change or `reindex --full`). */
  static remove(file: string): void {
    rmSync(file, { force: true });
    rmSync(`${file}.json`, { force: true });
  }
}

function createIndex(dimension: number): Index {
  const u = loadUsearch();
  return new u.Index({ dimensions: dimension, metric: u.MetricKind.Cos, quantization: u.ScalarKind.F32, connectivity: 16, expansion_add: 128, expansion_search: 64, multi: false });
}

function readNote(file: string): IndexNote | undefined {
  try {
    return JSON.parse(readFileSync(`${file}.json`, 'utf8')) as IndexNote;
  } catch {
    return undefined;
  }
}

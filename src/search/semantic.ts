// Semantic search: the configured embedder, the stored vectors and the ANN index, and the `embed`
// job's work (embedding new or changed papers in resumable batches). Loading (even a model download)
// happens in the background: until it is done, searchText answers [] and search stays keyword-only.
// Every process keeps its in-memory index in step with the stored vectors: each write bumps the
// "embeddings" change version, and a watcher (LISTEN/NOTIFY on PostgreSQL, polling on SQLite) loads
// the vectors written since, so a web process answers with vectors a worker computed.
import { stringBytes } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { currentVersion, watchVersion, type VersionWatcher } from '../store/change-version.ts';
import { paperText, planEmbedder, textHash, type Embedder, type EmbedderPlan } from './embeddings/index.ts';
import { VectorIndex } from './vectors/ann.ts';
import {
  countPaperVectors, countPapersToEmbed, EMBEDDINGS_CHANNEL, findCachedVectors, findPaperVector, findPapersToEmbed, readVectorsSince, saveEmbeddings, type EmbeddedPaper,
} from './vectors/store.ts';

export interface SemanticStatus {
  provider: string;
  model: string | undefined;
  ready: boolean;
  indexed: number;
  pending: number;
  /** The semantic weight to pass to fuseRankings for this provider. */
  fusionWeight: number;
  /** Why semantic search is not available, in words for an operator. */
  error?: string | undefined;
}

export interface SemanticSearch {
  /** Nearest papers to free text, best first; [] while vectors are not ready. */
  searchText(query: string, k: number): Promise<Array<{ paperId: number; score: number }>>;
  similarTo(paperId: number, k: number): Promise<Array<{ paperId: number; score: number }>>;
  status(): SemanticStatus;
  /** Resolves once the embedder and index are loaded: true, or false when semantic search is unavailable. */
  whenLoaded(): Promise<boolean>;
  /** Embeds every paper that lacks a vector or changed, in batches; safe to interrupt and rerun. */
  indexPending(opts?: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal }): Promise<{ embedded: number; reused: number }>;
  /** Loads vectors other processes stored since the index last looked (the watcher calls this by itself). */
  catchUp(): Promise<void>;
  close(): Promise<void>;
}

export interface SemanticDeps {
  db: Db;
  config: Config;
  log: Logger;
  now?: () => Date;
  /** How often the change watcher polls (default 1 s on SQLite, 10 s on PostgreSQL besides NOTIFY). */
  watchPollMs?: number;
}

/** The index file of a model for one database, under DATA_DIR/vectors. */
export function indexFileFor(config: Config, model: string): string {
  const slug = model.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  const db = createHash('sha256').update(config.databaseUrl).digest('hex').slice(0, 8);
  return join(config.dataDir, 'vectors', `${slug}-${db}.usearch`);
}

const SAVE_EVERY_MS = 60_000;

/** What one semantic search holds; the functions below share it. */
interface SemanticState {
  readonly deps: SemanticDeps & { now: () => Date };
  embedder?: Embedder;
  index?: VectorIndex;
  error?: string;
  pending: number;
  /** Every vector of a change version up to this one is in the index. */
  applied: number;
  closed: boolean;
}

type EmbedProgress = Parameters<SemanticSearch['indexPending']>[0];

/** Semantic search as configured by EMBEDDINGS; undefined when it resolves to off. */
export async function createSemanticSearch(deps: SemanticDeps): Promise<SemanticSearch | undefined> {
  const { db, config, log } = deps;
  const plan = planEmbedder(config, db);
  if (!plan) {
    if (config.embeddings.mode === 'auto') {
      log.warn('semantic_search_off', {
        reason: `embedding model ${config.embeddings.model} is not cached under ${join(config.dataDir, 'models')} and downloads are off (EMBEDDING_HUB_URL=off)`,
        hint: 'search is keyword-only; set EMBEDDING_MODEL to a local model directory, allow downloads, or EMBEDDINGS=openai',
      });
    }
    return undefined;
  }
  const st: SemanticState = { deps: { ...deps, now: deps.now ?? (() => new Date()) }, pending: 0, applied: 0, closed: false };
  let watcher: VersionWatcher | undefined;
  let running: Promise<{ embedded: number; reused: number }> | undefined;
  // A query's vector (384 floats ≈ 1.5 KB for the small models), bounded by bytes with its text.
  const queryCache = budgetedCache<string, Float32Array>('query vectors', (q, v) => stringBytes(q) + v.byteLength);

  const loaded = loadIndex(st, plan, async () => {
    if (st.closed) return;
    const pollMs = deps.watchPollMs ? { pollMs: deps.watchPollMs } : {};
    watcher = await watchVersion({ db, databaseUrl: config.databaseUrl }, EMBEDDINGS_CHANNEL, (v) => catchUp(st, v), { log, ...pollMs });
  });

  async function embedQuery(embedder: Embedder, query: string): Promise<Float32Array> {
    const key = query.slice(0, 2000);
    const hit = queryCache.get(key);
    if (hit) return hit;
    const v = await embedder.embedQuery(key);
    queryCache.set(key, v);
    return v;
  }

  return {
    async searchText(query, k) {
      const { embedder, index } = st;
      if (!embedder || !index || index.size() === 0 || query.trim() === '') return [];
      return index.search(await embedQuery(embedder, query), k);
    },
    async similarTo(paperId, k) {
      const { embedder, index } = st;
      if (!embedder || !index || index.size() === 0) return [];
      const vector = await findPaperVector(db, embedder.model, paperId);
      if (!vector) return [];
      return index.search(vector, k + 1).filter((n) => n.paperId !== paperId).slice(0, k);
    },
    status() {
      return {
        provider: plan.provider,
        model: st.embedder?.model ?? plan.model,
        ready: st.embedder !== undefined && (st.index?.size() ?? 0) > 0,
        indexed: st.index?.size() ?? 0,
        pending: st.pending,
        fusionWeight: plan.fusionWeight,
        error: st.error,
      };
    },
    whenLoaded: () => loaded,
    indexPending(opts) {
      // One run at a time: the background job and a direct call share it.
      running ??= (async () => ((await loaded) ? embedPending(st, opts) : { embedded: 0, reused: 0 }))().finally(() => {
        running = undefined;
      });
      return running;
    },
    catchUp: () => catchUp(st),
    async close() {
      if (st.closed) return;
      st.closed = true;
      await loaded.catch(() => false);
      await watcher?.stop();
      await running?.catch(() => undefined);
      if (await loaded.catch(() => false)) {
        await st.index!.save(db);
        await st.embedder!.close?.();
      }
    },
  };
}

/**
 * Loads the embedder and the index, then starts watching for other processes' vectors; false, said
 * once in the log, when it cannot. Runs in the background of a start.
 */
async function loadIndex(st: SemanticState, plan: EmbedderPlan, startWatching: () => Promise<void>): Promise<boolean> {
  const { db, config, log } = st.deps;
  const started = Date.now();
  try {
    if (plan.downloads) log.info('embedding_model_loading', { provider: plan.provider, model: plan.model, note: 'downloading in the background; search is keyword-only until it is ready' });
    const embedder = await plan.load();
    const dimension = (await embedder.embedQuery('dimension probe')).length;
    // Read before the index, so vectors written while it loads are caught up afterwards.
    st.applied = await currentVersion(db, EMBEDDINGS_CHANNEL);
    st.index = await VectorIndex.open({ db, model: embedder.model, dimension, file: indexFileFor(config, embedder.model), log });
    st.embedder = embedder;
    await startWatching();
    st.pending = await countPapersToEmbed(db, embedder.model);
    log.info('semantic_search_ready', { provider: plan.provider, model: embedder.model, dimension, indexed: st.index.size(), pending: st.pending, duration_ms: Date.now() - started });
    return true;
  } catch (err) {
    st.error = (err as Error).message;
    // Said once, clearly: the operator sees why search is keyword-only.
    log.warn('semantic_search_off', { provider: plan.provider, model: plan.model, reason: st.error, hint: 'search is keyword-only; see README "Semantic search and embeddings"' });
    return false;
  }
}

/** Embeds every paper that lacks a vector or changed, in batches, saving the index now and then. */
async function embedPending(st: SemanticState, opts: EmbedProgress = {}): Promise<{ embedded: number; reused: number }> {
  const { db, config, log } = st.deps;
  const embedder = st.embedder!;
  const total = await countPapersToEmbed(db, embedder.model);
  st.pending = total;
  const started = Date.now();
  let lastSave = Date.now();
  const sum = { embedded: 0, reused: 0 };
  let done = 0;
  opts.onProgress?.(0, total);
  while (!st.closed && !opts.signal?.aborted) {
    const batch = await findPapersToEmbed(db, embedder.model, config.embeddings.batchSize * 4);
    if (batch.length === 0) break;
    const r = await embedBatch(st, batch);
    sum.embedded += r.embedded;
    sum.reused += r.reused;
    done += batch.length;
    st.pending = Math.max(0, total - done);
    opts.onProgress?.(done, Math.max(total, done));
    log.debug('embedding_progress', { model: embedder.model, done, total });
    if (Date.now() - lastSave > SAVE_EVERY_MS) {
      await st.index!.save(db);
      lastSave = Date.now();
    }
  }
  await st.index!.save(db);
  if (done > 0) {
    const secs = (Date.now() - started) / 1000;
    log.info('embedding_finished', { model: embedder.model, papers: done, embedded: sum.embedded, reused: sum.reused, indexed: st.index!.size(), duration_ms: Date.now() - started, papers_per_s: Math.round(done / Math.max(secs, 0.001)) });
  }
  st.pending = await countPapersToEmbed(db, embedder.model);
  return sum;
}

/** One batch: vectors from the cache by text hash, the rest from the embedder; stored, then indexed. */
async function embedBatch(st: SemanticState, batch: Awaited<ReturnType<typeof findPapersToEmbed>>): Promise<{ embedded: number; reused: number }> {
  const { db, now } = st.deps;
  const embedder = st.embedder!;
  const texts = batch.map((p) => paperText(p));
  const hashes = texts.map(textHash);
  const cached = await findCachedVectors(db, embedder.model, hashes);
  const missing = [...new Set(hashes.filter((h) => !cached.has(h)))];
  if (missing.length > 0) {
    const textOf = new Map(hashes.map((h, i) => [h, texts[i]!]));
    const vectors = await embedder.embedDocuments(missing.map((h) => textOf.get(h)!));
    missing.forEach((h, i) => cached.set(h, vectors[i]!));
  }
  const items: EmbeddedPaper[] = batch.map((p, i) => ({ paperId: p.id, textHash: hashes[i]!, sourceHash: p.contentHash, vector: cached.get(hashes[i]!)! }));
  const version = await saveEmbeddings(db, embedder.model, items, now().toISOString());
  st.index!.add(items);
  // Nobody else wrote in between: the watcher need not read these back.
  if (version === st.applied + 1) st.applied = version;
  return { embedded: missing.length, reused: batch.length - missing.length };
}

/** Adds the vectors stored after `applied`; rebuilds the index when vectors were deleted instead. */
async function catchUp(st: SemanticState, target?: number): Promise<void> {
  const { db, config, log } = st.deps;
  const { embedder, index } = st;
  if (!embedder || !index || st.closed) return;
  let afterVersion = st.applied;
  let afterId = 0;
  let added = 0;
  for (;;) {
    const page = await readVectorsSince(db, embedder.model, afterVersion, afterId, 2000);
    if (page.length === 0) break;
    index.add(page.filter((p) => p.vector.length === index.dimension));
    added += page.length;
    const last = page[page.length - 1]!;
    afterVersion = last.version;
    afterId = last.paperId;
  }
  st.applied = Math.max(st.applied, afterVersion, target ?? 0);
  if ((await countPaperVectors(db, embedder.model)) < index.size()) {
    // Vectors went away (reindex --full, deleted papers): the stored ones are the truth.
    st.applied = await currentVersion(db, EMBEDDINGS_CHANNEL);
    st.index = await VectorIndex.open({ db, model: embedder.model, dimension: index.dimension, file: indexFileFor(config, embedder.model), log });
    log.info('vector_index_reloaded', { model: embedder.model, indexed: st.index.size() });
  } else if (added > 0) {
    log.debug('vector_index_caught_up', { model: embedder.model, added, indexed: index.size(), version: st.applied });
  }
}

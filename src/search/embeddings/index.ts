// Chooses the embedding provider from configuration. EMBEDDINGS=auto uses the transformers model
// when it is a local directory or already cached, tries to download it otherwise, and falls back
// to keyword-only search when it cannot.
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import type { Db } from '../../store/db.ts';
import { createBuiltinEmbedder } from './builtin.ts';
import type { Embedder } from './embedder.ts';
import { DEFAULT_SEMANTIC_WEIGHT } from '../fuse.ts';
import { createOpenAiEmbedder } from './openai.ts';
import { createTransformersEmbedder, locateModel, modelName } from './transformers.ts';

export * from './embedder.ts';
export { createOpenAiEmbedder } from './openai.ts';
export { createTransformersEmbedder, locateModel } from './transformers.ts';

export interface EmbedderPlan {
  provider: 'transformers' | 'openai' | 'builtin';
  /** The model name vectors are stored under. */
  model: string;
  /** Whether loading may download (so it can take minutes, and fail for lack of network). */
  downloads: boolean;
  load(): Promise<Embedder>;
  /** How much hybrid ranking trusts this provider's ranking against keywords (see fuse.ts). */
  fusionWeight: number;
}

/** Corpus-learned LSA is a weaker ranker than BM25 on its own (SciFact nDCG@10 0.51 vs 0.68), so it gets a small say. */
export const BUILTIN_FUSION_WEIGHT = 0.2;

export function modelCacheDir(config: Config): string {
  return join(config.dataDir, 'models');
}

/** What EMBEDDINGS resolves to; undefined means keyword-only (off, or auto with nothing loadable). */
export function planEmbedder(config: Config, db: Db): EmbedderPlan | undefined {
  const e = config.embeddings;
  if (e.mode === 'off') return undefined;
  if (e.mode === 'builtin') {
    return { provider: 'builtin', model: 'builtin-lsa', downloads: false, fusionWeight: BUILTIN_FUSION_WEIGHT, load: () => createBuiltinEmbedder(db, modelCacheDir(config)) };
  }
  if (e.mode === 'openai') {
    return {
      provider: 'openai',
      model: e.model,
      downloads: false,
      fusionWeight: DEFAULT_SEMANTIC_WEIGHT,
      load: async () => createOpenAiEmbedder({ url: e.url!, apiKey: e.apiKey, model: e.model, batchSize: e.batchSize }),
    };
  }
  const cacheDir = modelCacheDir(config);
  const location = locateModel(e.model, cacheDir, e.dtype);
  const allowDownload = location === 'remote' && e.hubUrl !== undefined;
  if (e.mode === 'auto' && location === 'remote' && !allowDownload) return undefined;
  return {
    provider: 'transformers',
    model: modelName(e.model),
    downloads: allowDownload,
    fusionWeight: DEFAULT_SEMANTIC_WEIGHT,
    load: async () => {
      if (allowDownload) {
        const { env } = await import('@huggingface/transformers');
        env.remoteHost = e.hubUrl!;
      }
      return createTransformersEmbedder({
        model: e.model,
        cacheDir,
        allowDownload,
        dtype: e.dtype,
        pooling: e.pooling === 'auto' ? undefined : e.pooling,
        batchSize: Math.min(e.batchSize, 32),
      });
    },
  };
}

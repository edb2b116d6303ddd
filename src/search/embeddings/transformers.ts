// Sentence embeddings from any ONNX model through @huggingface/transformers (feature-extraction
// pipeline on onnxruntime-node), by Hugging Face id or local directory. Downloads go to the cache
// directory; a local directory or a cached model loads with no network.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import { EmbeddingError, instructionsFor, type Embedder } from './embedder.ts';

export type Pooling = 'mean' | 'cls';

export interface TransformersOptions {
  /** A Hugging Face id (Xenova/bge-small-en-v1.5) or a directory holding config.json, tokenizer.json, onnx/model.onnx. */
  model: string;
  /** Where downloaded models are kept (DATA_DIR/models). */
  cacheDir: string;
  allowDownload: boolean;
  /** Which weights file: fp32 → onnx/model.onnx, q8 → onnx/model_quantized.onnx, … */
  dtype?: string;
  pooling?: Pooling | undefined;
  batchSize?: number;
}

export type ModelLocation = 'directory' | 'cached' | 'remote';

/** Where the model would load from, without loading it: a local directory, the cache, or only the Hub. */
export function locateModel(model: string, cacheDir: string, dtype = 'fp32'): ModelLocation {
  if (isModelDirectory(model)) return 'directory';
  const weights = dtype === 'fp32' ? 'model.onnx' : `model_${dtype === 'q8' ? 'quantized' : dtype}.onnx`;
  const dir = join(cacheDir, model);
  return ['config.json', 'tokenizer.json', join('onnx', weights)].every((f) => existsSync(join(dir, f))) ? 'cached' : 'remote';
}

function isModelDirectory(model: string): boolean {
  try {
    return statSync(model).isDirectory() && existsSync(join(model, 'config.json'));
  } catch {
    return false;
  }
}

/**
 * Pooling as the model was trained: sentence-transformers' 1_Pooling/config.json when present,
 * else CLS for the bge family (per its model card) and mean pooling for everything else.
 */
export function poolingFor(model: string, dir?: string): Pooling {
  if (dir) {
    try {
      const cfg = JSON.parse(readFileSync(join(dir, '1_Pooling', 'config.json'), 'utf8')) as Record<string, unknown>;
      if (cfg.pooling_mode_cls_token === true) return 'cls';
      if (cfg.pooling_mode_mean_tokens === true) return 'mean';
    } catch {
      // no sentence-transformers pooling config: decide by name
    }
  }
  return /bge-|gte-(base|large)-en-v1\.5|arctic-embed/i.test(model) ? 'cls' : 'mean';
}

/** The name stored beside vectors: the Hub id, or "local:<folder name>" for a directory. */
export function modelName(model: string): string {
  return isModelDirectory(model) ? `local:${basename(resolve(model))}` : model;
}

export async function createTransformersEmbedder(opts: TransformersOptions): Promise<Embedder> {
  const { pipeline, env } = await import('@huggingface/transformers');
  const local = isModelDirectory(opts.model);
  const source = local ? resolve(opts.model) : opts.model;
  env.cacheDir = opts.cacheDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = opts.allowDownload && !local;
  const dtype = opts.dtype ?? 'fp32';
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await (pipeline as (task: string, model: string, options: object) => Promise<FeatureExtractionPipeline>)('feature-extraction', source, {
      dtype,
      device: 'cpu',
      cache_dir: opts.cacheDir,
      local_files_only: !env.allowRemoteModels,
    });
  } catch (err) {
    const where = local ? `directory ${source}` : env.allowRemoteModels ? `Hugging Face (${opts.model}) or ${opts.cacheDir}` : `${join(opts.cacheDir, opts.model)} (downloads are off)`;
    throw new EmbeddingError(`cannot load embedding model from ${where}: ${(err as Error).message}`, false, { cause: err });
  }
  const pooling = opts.pooling ?? poolingFor(opts.model, local ? source : join(opts.cacheDir, opts.model));
  const instructions = instructionsFor(opts.model);
  const batchSize = opts.batchSize ?? 16;
  let dim: number | undefined;

  async function run(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      const tensor = await extractor(texts.slice(i, i + batchSize), { pooling, normalize: true });
      const [rows, d] = tensor.dims as [number, number];
      const data = tensor.data as Float32Array;
      for (let r = 0; r < rows; r++) out.push(data.slice(r * d, (r + 1) * d));
      dim = d;
    }
    return out;
  }

  return {
    provider: 'transformers',
    model: modelName(opts.model),
    dimension: () => dim,
    embedDocuments: (texts) => run(texts.map((t) => instructions.document + t)),
    embedQuery: async (text) => (await run([instructions.query + text]))[0]!,
    close: async () => {
      await extractor.dispose();
    },
  };
}

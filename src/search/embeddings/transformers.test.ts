import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers.ts';
import { createTransformersEmbedder, locateModel, modelName, poolingFor } from './transformers.ts';

// Built by scripts/make-tiny-model.ts: one Gather over an 8-d table; topic words are unit axes,
// [CLS]/[SEP] are zero, [UNK] is axis 7, "##s" is 0.5 on axis 7.
const TINY = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'tiny-embedding-model');

describe('transformers embedder (tiny local model, no network)', () => {
  it('loads, tokenises with WordPiece, runs ONNX and mean-pools to unit vectors', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const e = await createTransformersEmbedder({ model: TINY, cacheDir: dir, allowDownload: false });
      expect(e.provider).toBe('transformers');
      expect(e.model).toBe('local:tiny-embedding-model');
      const [both, plural, unknown] = await e.embedDocuments(['Graph protein', 'graphs about cells', 'zebra']);
      const r = (v: Float32Array) => Array.from(v, (x) => Math.round(x * 1000) / 1000);
      // [CLS] graph protein [SEP] → (e0 + e1) / 4, normalised
      expect(r(both!)).toEqual([0.707, 0.707, 0, 0, 0, 0, 0, 0]);
      // graph ##s [UNK] cell ##s → (1, 1, …, 0.5 + 1 + 0.5) normalised; padding masked out of the mean
      expect(r(plural!)).toEqual([0.408, 0.408, 0, 0, 0, 0, 0, 0.816]);
      expect(r(unknown!)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
      expect(e.dimension()).toBe(8);
      const q = await e.embedQuery('quantum circuit');
      expect(r(q)).toEqual([0, 0, 0, 0, 0, 1, 0, 0]);
      await e.close?.();
    } finally {
      cleanup();
    }
  });

  it('fails clearly when a Hub model is neither cached nor downloadable', async () => {
    const { dir, cleanup } = tempDir();
    try {
      expect(locateModel('Xenova/bge-small-en-v1.5', dir)).toBe('remote');
      await expect(createTransformersEmbedder({ model: 'Xenova/bge-small-en-v1.5', cacheDir: dir, allowDownload: false })).rejects.toThrow(
        /cannot load embedding model from .*Xenova\/bge-small-en-v1\.5 \(downloads are off\)/,
      );
    } finally {
      cleanup();
    }
  });

  it('knows a local directory, and each family pooling', () => {
    expect(locateModel(TINY, '/nonexistent')).toBe('directory');
    expect(modelName('Xenova/bge-small-en-v1.5')).toBe('Xenova/bge-small-en-v1.5');
    expect(poolingFor('Xenova/bge-small-en-v1.5')).toBe('cls');
    expect(poolingFor('Xenova/all-MiniLM-L6-v2')).toBe('mean');
    expect(poolingFor('intfloat/e5-small-v2')).toBe('mean');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexFileFor } from '../src/search/semantic.ts';
import { createPaper, createTestStore, testDialects } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
const TINY = join(import.meta.dirname, 'fixtures', 'tiny-embedding-model');

describe.each(testDialects())('paperboy reindex on %s', (dialect) => {
  it('embeds every paper, then reuses cached vectors on --full', async () => {
    const store = await createTestStore(dialect, { EMBEDDINGS: 'transformers', EMBEDDING_MODEL: TINY });
    try {
      for (let i = 0; i < 5; i++) await createPaper(store, { title: `Graph network ${i}`, abstract: 'Node edge.' });
      const env = { PATH: process.env.PATH!, DATABASE_URL: store.config.databaseUrl, DATA_DIR: store.dir, LOG_LEVEL: 'warn', EMBEDDINGS: 'transformers', EMBEDDING_MODEL: TINY };
      const first = spawnSync(process.execPath, [BIN, 'reindex'], { env, encoding: 'utf8' });
      expect(first.stderr).toBe('');
      expect(first.stdout).toMatch(/local:tiny-embedding-model: embedded 5, reused 0 cached, index holds 5, pending 0/);
      expect(existsSync(indexFileFor(store.config, 'local:tiny-embedding-model'))).toBe(true);
      const full = spawnSync(process.execPath, [BIN, 'reindex', '--full'], { env, encoding: 'utf8' });
      expect(full.stdout).toMatch(/embedded 0, reused 5 cached, index holds 5, pending 0/);
      expect(full.status).toBe(0);
      const off = spawnSync(process.execPath, [BIN, 'reindex'], { env: { ...env, EMBEDDINGS: 'off' }, encoding: 'utf8' });
      expect(off.status).toBe(2);
      expect(off.stderr).toContain('EMBEDDINGS=off');
    } finally {
      await store.cleanup();
    }
  });
});

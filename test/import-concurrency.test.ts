// Writers in separate processes share one SQLite file: a `paperboy import` next to a running server
// (or another import) waits for the write lock instead of failing with "database is locked".
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/store/db.ts';
import { tempDir } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
const SAMPLE = join(import.meta.dirname, '..', 'sample', 'arxiv-sample.jsonl.gz');
const IMPORTERS = 3;
const run = promisify(execFile);

describe('concurrent imports into one SQLite file', () => {
  it('three `paperboy import` processes at once: all succeed and every paper is stored once', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const env = { PATH: process.env.PATH!, DATABASE_URL: `sqlite:${join(dir, 'shared.db')}`, DATA_DIR: dir, LOG_LEVEL: 'warn', EMBEDDINGS: 'off' };
      await run(process.execPath, [BIN, 'migrate'], { env });
      const results = await Promise.allSettled(Array.from({ length: IMPORTERS }, () => run(process.execPath, [BIN, 'import', SAMPLE], { env })));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as { stderr?: string }).stderr ?? r.reason)] : []));
      expect(failures).toEqual([]);
      const store = await openStore(loadConfig(env));
      try {
        const { rows } = await sql<{ n: number; distinct_ids: number }>`select count(*) as n, count(distinct id) as distinct_ids from paper`.execute(store.db);
        expect(rows[0]!.n).toBeGreaterThan(1000);
        expect(rows[0]!.n).toBe(rows[0]!.distinct_ids);
      } finally {
        await store.close();
      }
    } finally {
      cleanup();
    }
  }, 180_000);
});

import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/db.ts';
import { bumpVersion, currentVersion, watchVersion } from '../src/store/change-version.ts';
import { createTestStore, testDialects } from './helpers.ts';

const waitFor = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(testDialects())('change versions across processes on %s', (dialect) => {
  it('a committed bump reaches a watcher on another connection; a rolled-back one does not', async () => {
    const writer = await createTestStore(dialect);
    // A second connection to the same database stands in for another process.
    const other = await openStore(writer.config);
    const seen: number[] = [];
    // On PostgreSQL polling is slowed to a minute, so a prompt delivery proves NOTIFY works.
    const watcher = await watchVersion({ db: other.db, databaseUrl: writer.config.databaseUrl }, 'embeddings', (v) => {
      seen.push(v);
    }, { pollMs: dialect === 'postgres' ? 60_000 : 50 });
    try {
      expect(watcher.version).toBe(0);
      await writer.db.transaction().execute(async (tx) => {
        expect(await bumpVersion(tx, 'embeddings')).toBe(1);
      });
      await waitFor(() => seen.length === 1);
      expect(seen).toEqual([1]);

      // A rolled-back transaction that would have raised the version to 4, then a committed bump to 2.
      // Changes arrive in commit order, so once 2 is seen, a leaked 2–4 would have been seen first.
      await expect(writer.db.transaction().execute(async (tx) => {
        for (let i = 0; i < 3; i++) await bumpVersion(tx, 'embeddings');
        throw new Error('rolled back');
      })).rejects.toThrow('rolled back');
      await bumpVersion(writer.db, 'other-channel');
      expect(await currentVersion(writer.db, 'embeddings')).toBe(1);
      await bumpVersion(writer.db, 'embeddings');
      await waitFor(() => seen.length === 2);
      expect(seen).toEqual([1, 2]);

      for (let i = 0; i < 4; i++) await bumpVersion(writer.db, 'embeddings');
      await waitFor(() => seen.at(-1) === 6);
      expect(watcher.version).toBe(6);
      expect(seen.every((v, i) => i === 0 || v > seen[i - 1]!)).toBe(true);
    } finally {
      await watcher.stop();
      await other.close();
      await writer.cleanup();
    }
  });
});

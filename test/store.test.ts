import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../src/store/db.ts';
import { listMigrations, migrateToLatest } from '../src/store/migrate.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { createPaper, tempDir, testConfig } from './helpers.ts';

describe('store and migrations', () => {
  it('migrates an empty database, then an existing one is left as it is', async () => {
    const { dir, cleanup } = tempDir();
    const config = testConfig({}, dir);
    const first = await openStore(config);
    const { applied } = await migrateToLatest(first.db);
    expect(applied).toContain('0001-papers');
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(first.db);
    expect(mode.rows[0]!.journal_mode).toBe('wal');
    await createPaper(first, { arxivId: '2606.00200', title: 'Kept across restarts' });
    await first.close();

    const second = await openStore(testConfig({ DATABASE_URL: `sqlite:${join(dir, 'test.db')}` }, dir));
    expect((await migrateToLatest(second.db)).applied).toEqual([]);
    expect((await listMigrations(second.db)).every((m) => m.executedAt !== undefined)).toBe(true);
    expect((await findPaperByArxivId(second.db, '2606.00200'))!.title).toBe('Kept across restarts');
    await second.close();
    cleanup();
  });
});

describe('instance secret', () => {
  it('is generated once and kept in the store; PAPERBOY_SECRET wins', async () => {
    const { instanceSecret } = await import('../src/store/settings.ts');
    const { createTestStore } = await import('./helpers.ts');
    const store = await createTestStore();
    const a = await instanceSecret(store.db, '');
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(await instanceSecret(store.db, '')).toBe(a);
    expect(await instanceSecret(store.db, 'configured-secret-123')).toBe('configured-secret-123');
    await store.cleanup();
  });
});

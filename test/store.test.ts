import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from '../src/store/db.ts';
import { listMigrations, migrateToLatest } from '../src/store/migrate.ts';
import { countPapers, findPaperByArxivId, listPapersAnnounced } from '../src/papers/index.ts';
import { instanceSecret } from '../src/store/settings.ts';
import { createPaper, createTestStore, tempDir, testConfig, testDialects } from './helpers.ts';
import { createPostgresDatabase } from './dialects.ts';

describe.each(testDialects())('store and migrations on %s', (dialect) => {
  it('migrates an empty database, then an existing one is left as it is', async () => {
    const { dir, cleanup } = tempDir();
    const empty = dialect === 'postgres' ? await createPostgresDatabase({ migrated: false }) : undefined;
    const config = testConfig(empty ? { DATABASE_URL: empty.url } : {}, dir);
    try {
      const first = await openStore(config);
      expect(first.dialect).toBe(dialect);
      expect((await migrateToLatest(first.db)).applied).toContain('0001-papers');
      if (dialect === 'sqlite') {
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(first.db);
        expect(mode.rows[0]!.journal_mode).toBe('wal');
      }
      await createPaper(first, { arxivId: '2606.00200', title: 'Kept across restarts' });
      await first.close();

      const second = await openStore(config);
      expect((await migrateToLatest(second.db)).applied).toEqual([]);
      expect((await listMigrations(second.db)).every((m) => m.executedAt !== undefined)).toBe(true);
      expect((await findPaperByArxivId(second.db, '2606.00200'))!.title).toBe('Kept across restarts');
      await second.close();
    } finally {
      await empty?.drop();
      cleanup();
    }
  });

  it('returns counts and flags as numbers, the same on every dialect', async () => {
    const store = await createTestStore(dialect);
    try {
      await createPaper(store, { arxivId: '2606.00300', announcedOn: '2026-06-01', hfUpvotes: 3, withdrawn: true });
      await createPaper(store, { arxivId: '2606.00301', announcedOn: '2026-06-02' });
      expect(await countPapers(store.db)).toBe(2);
      const { papers, total } = await listPapersAnnounced(store.db, { start: '2026-06-01', end: '2026-06-30', limit: 10 });
      expect(total).toBe(2);
      expect(papers[0]).toMatchObject({ arxivId: '2606.00300', hfUpvotes: 3, withdrawn: true, version: 1 });
      expect(typeof papers[0]!.id).toBe('number');
      const row = await store.db.selectFrom('paper').select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('hf_upvotes').as('s')]).executeTakeFirstOrThrow();
      expect(row).toEqual({ n: 2, s: 3 });
    } finally {
      await store.cleanup();
    }
  });
});

describe.each(testDialects())('instance secret on %s', (dialect) => {
  it('is generated once and kept in the store; PAPERBOY_SECRET wins', async () => {
    const store = await createTestStore(dialect);
    const a = await instanceSecret(store.db, '');
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(await instanceSecret(store.db, '')).toBe(a);
    expect(await instanceSecret(store.db, 'configured-secret-123')).toBe('configured-secret-123');
    await store.cleanup();
  });
});

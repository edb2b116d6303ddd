import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from '../src/store/db.ts';
import { dialectOf } from '../src/store/dialect.ts';
import { listMigrations, migrateToLatest } from '../src/store/migrate.ts';
import { countPapers, findPaperByArxivId, listPapersAnnounced, upsertPapers } from '../src/papers/index.ts';
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
      expect(dialectOf(first.db)).toBe(dialect);
      await first.db.transaction().execute(async (tx) => expect(dialectOf(tx)).toBe(dialect));
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

  // Two processes storing the same paper (a harvest and `paperboy fetch`, or a submission). Played on
  // PostgreSQL only: two SQLite connections in one process cannot hold overlapping write transactions.
  if (dialect === 'postgres') it('keeps the newest version when two transactions store the same paper at once', async () => {
    const store = await createTestStore(dialect);
    const other = await openStore(store.config);
    try {
      const base = { arxivId: '2606.00400', title: 'v1', abstract: 'See https://github.com/a/one', authors: ['A'], categories: ['cs.CL'], announcedOn: '2026-06-01', version: 1 };
      await upsertPapers(store.db, [base]);
      let firstWrote!: () => void;
      const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
      let releaseFirst!: () => void;
      const release = new Promise<void>((resolve) => (releaseFirst = resolve));
      // The first writer stores v3 and keeps its transaction open …
      const first = store.db.transaction().execute(async (tx) => {
        await upsertPapers(tx, [{ ...base, version: 3, title: 'v3', categories: ['cs.LG', 'cs.CL'] }]);
        firstWrote();
        await release;
      });
      await wrote;
      // … while the second, holding the older v2, starts before it commits.
      const second = other.db.transaction().execute((tx) => upsertPapers(tx, [{ ...base, version: 2, title: 'v2', categories: ['cs.CL', 'cs.IR'], abstract: 'See https://github.com/a/two' }]));
      // Wait until it is blocked on the first one's row lock, so the race is really run.
      const waitingOnLock = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(store.db)).rows[0]!.n);
      await expect.poll(waitingOnLock, { timeout: 10_000 }).toBe(1);
      releaseFirst();
      await first;
      expect(await second).toMatchObject({ new: 0, updated: 0, unchanged: 1 });
      const paper = await findPaperByArxivId(store.db, base.arxivId);
      expect(paper).toMatchObject({ version: 3, title: 'v3', categories: ['cs.LG', 'cs.CL'] });
      const categories = await store.db.selectFrom('paper_category').select('category').where('paper_id', '=', paper!.id).orderBy('category').execute();
      expect(categories.map((c) => c.category)).toEqual(['cs.CL', 'cs.LG']);
    } finally {
      await other.close();
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

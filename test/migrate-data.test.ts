import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { importFile } from '../src/import/index.ts';
import { countPapers, findPaperByArxivId, upsertPapers } from '../src/papers/index.ts';
import { SAMPLE_FILE } from '../src/commands/serve.ts';
import { compareDatabases, copyDatabase } from '../src/store/transfer.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';
import { dialectOf } from '../src/store/dialect.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');

async function paperboy(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH!, LOG_LEVEL: 'warn' } });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A table no migration knows, with the types that differ between dialects. */
async function addOddTable(store: TestStore): Promise<void> {
  if (dialectOf(store.db) === 'postgres') {
    await sql`create table odd (id serial primary key, paper_id integer references paper(id), flag boolean not null, data jsonb, raw bytea, score double precision)`.execute(store.db);
  } else {
    await sql`create table odd (id integer primary key autoincrement, paper_id integer references paper(id), flag integer not null, data text, raw blob, score real)`.execute(store.db);
  }
}

describe.runIf(testDialects().includes('postgres'))('paperboy migrate-data', () => {
  it('moves a SQLite instance to PostgreSQL and back with equal counts and checksums', async () => {
    const lite = await createTestStore('sqlite');
    const pg = await createTestStore('postgres');
    const back = await createTestStore('sqlite');
    try {
      await importFile(lite.db, SAMPLE_FILE);
      await createPaper(lite, { arxivId: '2606.09999', title: 'Ünïcödé — “quotes” & <tags>', authors: ['Zoë'] });
      for (const s of [lite, pg, back]) await addOddTable(s);
      const paperId = (await findPaperByArxivId(lite.db, '2606.09999'))!.id;
      await sql`insert into odd (paper_id, flag, data, raw, score) values (${paperId}, 1, '{"b":[1,2],"a":"x"}', ${Buffer.from([0, 255, 7])}, 0.1), (null, 0, null, null, -2.5e-7)`.execute(lite.db);

      const res = await paperboy(['migrate-data', '--from', lite.config.databaseUrl, '--to', pg.config.databaseUrl]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const sampleAndOne = (await countPapers(lite.db));
      expect(res.stdout).toMatch(new RegExp(`^paper\\s+${sampleAndOne}\\s+${sampleAndOne}\\s+[0-9a-f]{16}\\s+[0-9a-f]{16}\\s+ok$`, 'm'));
      expect(res.stdout).toMatch(/^odd\s+2\s+2\s+.*ok$/m);
      expect(res.stdout).toMatch(/all \d+ tables match/);
      expect(await findPaperByArxivId(pg.db, '2606.09999')).toEqual(await findPaperByArxivId(lite.db, '2606.09999'));
      const odd = (await sql<{ flag: boolean; data: unknown; raw: Buffer | null }>`select flag, data, raw from odd order by id`.execute(pg.db)).rows;
      expect(odd[0]).toEqual({ flag: true, data: { a: 'x', b: [1, 2] }, raw: Buffer.from([0, 255, 7]) });
      expect(odd[1]!.flag).toBe(false);

      // Sequences moved past the copied ids: new rows get fresh ids.
      const added = await upsertPapers(pg.db, [{ arxivId: '2607.00001', title: 'After the move', abstract: 'a', authors: ['A'], categories: ['cs.AI'], announcedOn: '2026-07-02' }]);
      expect(added.new).toBe(1);
      expect(added.changedIds[0]).toBeGreaterThan(paperId);

      // A non-empty target is refused, and left as it was.
      const again = await paperboy(['migrate-data', '--from', lite.config.databaseUrl, '--to', pg.config.databaseUrl]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/target is not empty \(rows in .*paper.*\); use --force/);
      expect(await countPapers(pg.db)).toBe(sampleAndOne + 1);

      // And back again: PostgreSQL to a fresh SQLite file, compared table by table.
      await copyDatabase(pg, back);
      const comparison = await compareDatabases(pg, back);
      expect(comparison.map((c) => c.table)).toEqual(expect.arrayContaining(['paper', 'paper_link', 'paper_category', 'setting', 'odd']));
      expect(comparison.filter((c) => !c.ok)).toEqual([]);
      expect(comparison.find((c) => c.table === 'paper')!.targetRows).toBe(sampleAndOne + 1);
    } finally {
      for (const s of [lite, pg, back]) await s.cleanup();
    }
  });

  it('finds a changed row, and --force replaces a non-empty target', async () => {
    const lite = await createTestStore('sqlite');
    const pg = await createTestStore('postgres');
    try {
      for (let i = 0; i < 5; i++) await createPaper(lite, { arxivId: `2606.0100${i}` });
      await createPaper(pg, { arxivId: '2606.02000', title: 'Only in the target' });
      await expect(copyDatabase(lite, pg)).rejects.toThrow(/not empty/);
      await copyDatabase(lite, pg, { force: true });
      expect(await findPaperByArxivId(pg.db, '2606.02000')).toBeUndefined();
      expect((await compareDatabases(lite, pg)).every((c) => c.ok)).toBe(true);

      await pg.db.updateTable('paper').set({ title: 'Tampered' }).where('arxiv_id', '=', '2606.01003').execute();
      const res = await paperboy(['migrate-data', '--compare-only', '--from', lite.config.databaseUrl, '--to', pg.config.databaseUrl]);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/^paper\s+5\s+5\s+.*MISMATCH$/m);
      expect(res.stdout).toMatch(/^paper_category\s+5\s+5\s+.*ok$/m);
      expect(res.stdout).toMatch(/1 of \d+ tables differ/);
    } finally {
      await lite.cleanup();
      await pg.cleanup();
    }
  });

  it('names the problem with a bad URL', async () => {
    const res = await paperboy(['migrate-data', '--from', 'mysql://x', '--to', 'sqlite:/tmp/x.db']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--from: expected sqlite:PATH or postgres://');
  });
});

// `paperboy backup` against a running server while another paperboy process keeps importing papers.
import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { spawnServe, tempDir } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
const SAMPLE_PAPERS = 3292;
const PAPERS_PER_FILE = 5000;
const run = promisify(execFile);

/** A listing JSONL of synthetic papers with ids that no other file uses. */
function writeSyntheticPapers(file: string, fileNo: number): void {
  const lines: string[] = [];
  for (let i = 0; i < PAPERS_PER_FILE; i++) {
    const n = fileNo * PAPERS_PER_FILE + i;
    lines.push(JSON.stringify({
      id: `2701.${String(n).padStart(5, '0')}`,
      title: `Synthetic paper ${n} on backup consistency`,
      abstract: `We study copying a live database, part ${n}. `.repeat(20),
      authors: [`Author ${n % 97}`, `Writer ${n % 13}`],
      categories: ['cs.DB'],
      listed: '2026-07-02',
    }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

function runPaperboy(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

function countPapers(file: string): number {
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from paper').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('paperboy backup', () => {
  it('copies the database consistently while the server runs and another process writes', async () => {
    const { dir, cleanup } = tempDir();
    const dbFile = join(dir, 'p.db');
    const env = { DATABASE_URL: `sqlite:${dbFile}`, DATA_DIR: dir, LOG_LEVEL: 'info', HARVEST_CRON: 'off', EMBEDDINGS: 'off', DIGEST_DAILY_CRON: 'off', DIGEST_WEEKLY_CRON: 'off' };
    const serve = await spawnServe({ ...env, PORT: '0', LOG_LEVEL: 'warn' });
    try {
      expect(countPapers(dbFile)).toBe(SAMPLE_PAPERS);
      // The writer imports file after file (1,000 papers a transaction) until the backup is done.
      let backupDone = false;
      let imported = 0;
      const writer = (async () => {
        for (let fileNo = 0; !backupDone; fileNo++) {
          const file = join(dir, `papers-${fileNo}.jsonl`);
          writeSyntheticPapers(file, fileNo);
          const { code, stderr } = await runPaperboy(['import', file], { ...env, LOG_LEVEL: 'warn' });
          expect(code, stderr).toBe(0);
          imported += PAPERS_PER_FILE;
        }
      })();
      await expect.poll(() => countPapers(dbFile), { timeout: 60_000, interval: 50 }).toBeGreaterThan(SAMPLE_PAPERS);
      const before = countPapers(dbFile);
      const output = join(dir, 'copy.db');
      // One page a step makes the copy long enough that the imports surely write during it.
      const backup = await runPaperboy(['backup', '--output', output, '--step', '1'], env);
      const after = countPapers(dbFile);
      backupDone = true;
      await writer;

      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stderr).toMatch(/backed up .*p\.db to .*copy\.db: [\d.]+ MB, \d+ pages/);
      const finished = backup.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.event === 'backup_finished');
      expect(finished).toMatchObject({ output });
      expect(after, 'the imports wrote while the backup ran').toBeGreaterThan(before);
      expect(finished!.restarts, 'SQLite restarted the copy after a concurrent write').toBeGreaterThanOrEqual(1);

      const copy = new SqliteDatabase(output, { readonly: true, fileMustExist: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        const papers = (copy.prepare('select count(*) as n from paper').get() as { n: number }).n;
        // A consistent moment holds whole import transactions only, and the search index agrees.
        expect(papers).toBeGreaterThanOrEqual(before);
        expect(papers).toBeLessThanOrEqual(after);
        expect((papers - SAMPLE_PAPERS) % 1000).toBe(0);
        expect((copy.prepare('select count(*) as n from paper_fts').get() as { n: number }).n).toBe(papers);
      } finally {
        copy.close();
      }
      expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
      expect(imported).toBeGreaterThan(0);
    } finally {
      await serve.stop();
      cleanup();
    }
  });

  it('refuses clearly: no --output, an existing file without --force, PostgreSQL', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const env = { PATH: process.env.PATH!, DATABASE_URL: `sqlite:${join(dir, 'p.db')}`, DATA_DIR: dir };
      const fail = (args: string[], extra: Record<string, string> = {}) =>
        run(process.execPath, [BIN, 'backup', ...args], { env: { ...env, ...extra } }).then(() => { throw new Error('expected a failure'); }, (err: { code: number; stderr: string }) => err);

      expect(await fail([])).toMatchObject({ code: 2, stderr: expect.stringContaining('--output FILE is required') });
      expect((await fail(['-o', join(dir, 'x.db')])).stderr).toContain(`no database file at ${join(dir, 'p.db')}`);
      writeFileSync(join(dir, 'p.db'), '');
      writeFileSync(join(dir, 'old.db'), 'keep me');
      expect((await fail(['-o', join(dir, 'old.db')])).stderr).toContain('exists; pass --force');
      expect((await fail(['-o', join(dir, 'x.db'), '--step', '0'])).stderr).toContain('--step must be a whole number');
      const pg = await fail(['-o', join(dir, 'x.db')], { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
      expect(pg.code).toBe(2);
      expect(pg.stderr).toContain('use pg_dump');
      expect(existsSync(join(dir, 'x.db'))).toBe(false);

      const help = await run(process.execPath, [BIN, 'backup', '--help'], { env });
      expect(help.stdout).toContain('Usage: paperboy backup --output FILE');
    } finally {
      cleanup();
    }
  });
});

// `paperboy backup` against a running server while another process keeps writing.
import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { spawnServe, tempDir } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
const SAMPLE_PAPERS = 3292;
const ROWS_PER_TRANSACTION = 10;
const run = promisify(execFile);

function runPaperboy(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('paperboy backup', () => {
  it('copies the database consistently while the server runs and another connection writes', async () => {
    const { dir, cleanup } = tempDir();
    const dbFile = join(dir, 'p.db');
    const env = { DATABASE_URL: `sqlite:${dbFile}`, DATA_DIR: dir, LOG_LEVEL: 'info', HARVEST_CRON: 'off', EMBEDDINGS: 'off', DIGEST_DAILY_CRON: 'off', DIGEST_WEEKLY_CRON: 'off' };
    const serve = await spawnServe({ ...env, PORT: '0', LOG_LEVEL: 'warn' });
    try {
      // Another connection (this process) commits a transaction of ten rows every few
      // milliseconds, so writes land between the backup's steps.
      const writer = new SqliteDatabase(dbFile);
      writer.pragma('busy_timeout = 5000');
      writer.exec('create table test_tick (batch integer not null, at integer not null)');
      const insert = writer.prepare('insert into test_tick (batch, at) values (?, ?)');
      const writeBatch = writer.transaction((batch: number) => {
        for (let i = 0; i < ROWS_PER_TRANSACTION; i++) insert.run(batch, Date.now());
      });
      const ticks = () => (writer.prepare('select count(*) as n from test_tick').get() as { n: number }).n;
      let batch = 0;
      const ticking = setInterval(() => writeBatch(++batch), 5);
      const before = ticks();
      const output = join(dir, 'copy.db');
      // One page a step makes the copy long enough that writes usually land during it (~130 ms on a
      // loaded CI machine). When none did (the writer's timer did not fire inside that window), the
      // backup runs again: what is tested is what happens when one does, and every copy is checked.
      let backup: { code: number | null; stderr: string } | undefined;
      let finished: Record<string, unknown> | undefined;
      for (let attempt = 0; attempt < 5; attempt++) {
        backup = await runPaperboy(['backup', '--output', output, '--step', '1', ...(attempt > 0 ? ['--force'] : [])], env);
        expect(backup.code, backup.stderr).toBe(0);
        finished = backup.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.event === 'backup_finished');
        if (Number(finished?.restarts ?? 0) >= 1) break;
      }
      clearInterval(ticking);
      const after = ticks();
      writer.close();

      expect(backup!.stderr).toMatch(/backed up .*p\.db to .*copy\.db: [\d.]+ MB, \d+ pages/);
      expect(finished).toMatchObject({ output });
      expect(after, 'the writer wrote while the backup ran').toBeGreaterThan(before);
      expect(finished!.restarts, `SQLite restarted the copy after a concurrent write (${JSON.stringify(finished)})`).toBeGreaterThanOrEqual(1);

      const copy = new SqliteDatabase(output, { readonly: true, fileMustExist: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
        // One consistent moment: whole write transactions only, and the papers with their search index.
        const copied = (copy.prepare('select count(*) as n from test_tick').get() as { n: number }).n;
        expect(copied).toBeGreaterThanOrEqual(before);
        expect(copied).toBeLessThanOrEqual(after);
        expect(copied % ROWS_PER_TRANSACTION).toBe(0);
        expect((copy.prepare('select count(*) as n from paper').get() as { n: number }).n).toBe(SAMPLE_PAPERS);
        expect((copy.prepare('select count(*) as n from paper_fts').get() as { n: number }).n).toBe(SAMPLE_PAPERS);
      } finally {
        copy.close();
      }
      expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
      // The server kept answering from the same database throughout.
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
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

// The processes of a scaled-out instance: `serve --no-jobs` web processes and `worker` processes
// on one PostgreSQL; and what happens when someone asks for that on SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { countPapers } from '../src/papers/index.ts';
import { SAMPLE_FILE } from '../src/commands/serve.ts';
import { createTestStore, tempDir, testDialects } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
const TINY = join(import.meta.dirname, 'fixtures', 'tiny-embedding-model');

function start(args: string[], env: Record<string, string>, ready: RegExp): { child: ChildProcess; match: Promise<RegExpExecArray>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH!, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const match = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`paperboy ${args[0]} exited with ${code}: ${out}${err}`)));
  });
  return { child, match, stderr: () => err };
}

const stopped = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  if (child.exitCode !== null) return resolve(child.exitCode);
  child.once('exit', (code) => resolve(code));
  child.kill('SIGTERM');
});

describe('paperboy worker on SQLite', () => {
  it('refuses and says jobs run inside serve', async () => {
    const { dir, cleanup } = tempDir();
    const { child, match } = start(['worker'], { DATABASE_URL: `sqlite:${join(dir, 'p.db')}` }, /never/);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    await expect(match).rejects.toThrow(/exited with 2/);
    expect(stderr).toContain('needs PostgreSQL');
    cleanup();
  });
});

describe.runIf(testDialects().includes('postgres'))('web and worker processes on PostgreSQL', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('two serve --no-jobs processes and a worker share the database; the sample is imported once', async () => {
    const store = await createTestStore('postgres');
    try {
      // Embeddings with the tiny test model: only the worker embeds; the web processes must still
      // answer from vectors it stored (their in-memory indexes follow NOTIFY).
      const env = { DATABASE_URL: store.config.databaseUrl, DATA_DIR: store.dir, PORT: '0', EMBEDDINGS: 'transformers', EMBEDDING_MODEL: TINY };
      const worker = start(['worker'], env, /running jobs \(pg-boss\)/);
      const webEnv = { ...env, LOG_LEVEL: 'info' };
      const webs = [start(['serve', '--no-jobs'], webEnv, /serving on (http:\/\/127\.0\.0\.1:\d+)/), start(['serve', '--no-jobs'], webEnv, /serving on (http:\/\/127\.0\.0\.1:\d+)/)];
      children.push(worker.child, ...webs.map((w) => w.child));
      await worker.match;
      const urls = await Promise.all(webs.map(async (w) => (await w.match)[1]!));
      for (const url of urls) {
        const home = await (await fetch(`${url}/`)).text();
        expect(home).toContain('Wednesday, 1 July 2026');
        expect(home).toMatch(/300 papers/);
        expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
        const id = /href="\/papers\/([^"]+)"/.exec(home)![1]!;
        expect((await fetch(`${url}/api/papers/${id}`)).status).toBe(200);
      }
      const sampleSize = gunzipSync(readFileSync(SAMPLE_FILE)).toString().trim().split('\n').length;
      expect(await countPapers(store.db)).toBe(sampleSize);
      // The worker's embed job (caught up at its start, and on its minute schedule) embeds the sample once.
      const indexed = async (url: string) => Number(/data-indexed="(\d+)"/.exec(await (await fetch(`${url}/status`)).text())?.[1] ?? -1);
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline && (await Promise.all(urls.map(indexed))).some((n) => n < sampleSize)) await new Promise((r) => setTimeout(r, 500));
      expect(await Promise.all(urls.map(indexed))).toEqual([sampleSize, sampleSize]);
      const stored = await store.db.selectFrom('paper_embedding').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(sampleSize);
      // The job stores the vectors (and the web processes index them) before pg-boss marks it
      // completed, a moment later: on a loaded machine the test can look in between.
      const embedRuns = async () => (await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'embed' and state = 'completed'`.execute(store.db)).rows[0]!.n;
      await expect.poll(embedRuns, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(1);
      // The web processes enqueue nothing they run themselves: every job ran in the worker.
      const ran = webs.map((w) => w.stderr().split('"event":"job_done"').length - 1);
      expect(ran).toEqual([0, 0]);
      expect(webs.map((w) => w.stderr().split('"event":"sample_loaded"').length - 1).sort()).toEqual([0, 1]);
      for (const c of [worker.child, ...webs.map((w) => w.child)]) expect(await stopped(c)).toBe(0);
    } finally {
      await store.cleanup();
    }
  }, 180_000);
});

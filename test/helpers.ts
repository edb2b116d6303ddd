// Small helpers every suite uses: a fresh real database, a running app on port 0, papers made to order.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config, type Dialect } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { upsertPapers, type PaperInput } from '../src/papers/index.ts';
import { buildOwnApp, type OwnAppOptions } from '../src/app.ts';
import type { AppDeps } from '../src/http/index.ts';
import { createPostgresDatabase } from './dialects.ts';

export { testDialects } from './dialects.ts';

export function tempDir(prefix = 'paperboy-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(overrides: Record<string, string> = {}, dir = tempDir().dir): Config {
  return loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'test.db')}`,
    DATA_DIR: dir,
    PORT: '0',
    BASE_URL: 'http://paperboy.test',
    PAPERBOY_SAMPLE: 'off',
    LOG_LEVEL: 'silent',
    ARXIV_MIN_INTERVAL_MS: '0',
    EMBEDDINGS: 'off', // no model downloads in tests; semantic tests opt in with the tiny local model
    // No PDFs from arXiv or stars from GitHub: their suites point these at loopback servers.
    THUMBNAILS: 'off',
    GITHUB_STARS: 'off',
    // Suites play many clients (and https) behind a reverse proxy with X-Forwarded-For/-Proto headers;
    // test/trust-proxy.test.ts checks the production default, off.
    TRUST_PROXY: 'on',
    // Suites search far more than a person; test/search-limits.test.ts checks the limit itself.
    SEARCH_LIMIT_PER_MINUTE: '100000',
    ...overrides,
  });
}

export interface TestStore extends Store {
  config: Config;
  dir: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated database in its own temp folder: a SQLite file by default, or a new database
 * on the test run's PostgreSQL cluster. Both `createTestStore(overrides)` and
 * `createTestStore('postgres', overrides)` work.
 */
export async function createTestStore(dialectOrOverrides: Dialect | Record<string, string> = 'sqlite', moreOverrides: Record<string, string> = {}): Promise<TestStore> {
  const dialect: Dialect = typeof dialectOrOverrides === 'string' ? dialectOrOverrides : 'sqlite';
  const overrides = typeof dialectOrOverrides === 'string' ? moreOverrides : dialectOrOverrides;
  const { dir, cleanup } = tempDir();
  const pg = dialect === 'postgres' ? await createPostgresDatabase() : undefined;
  const config = testConfig(pg ? { DATABASE_URL: pg.url, ...overrides } : overrides, dir);
  const store = await openStore(config);
  await migrateToLatest(store.db);
  return {
    ...store,
    config,
    dir,
    cleanup: async () => {
      await store.close();
      await pg?.drop();
      cleanup();
    },
  };
}

let counter = 0;

/** Inserts a paper with sensible defaults; returns the input used. */
export async function createPaper(store: Store, fields: Partial<PaperInput> = {}): Promise<PaperInput> {
  counter++;
  const input: PaperInput = {
    arxivId: `2606.${String(10000 + counter).padStart(5, '0')}`,
    title: `Test paper ${counter}`,
    abstract: `An abstract for test paper ${counter}.`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    categories: ['cs.CL'],
    announcedOn: '2026-06-30',
    ...fields,
  };
  await upsertPapers(store.db, [input]);
  return input;
}

export interface TestApp {
  app: FastifyInstance;
  url: string;
  deps: AppDeps;
  close(): Promise<void>;
}

/** The real app listening on 127.0.0.1 and a random port. */
export async function startTestApp(store: TestStore, extra: Partial<OwnAppOptions> = {}): Promise<TestApp> {
  const { app, deps } = await buildOwnApp({ config: store.config, log: silentLogger, db: store.db, now: () => new Date(), secret: 'test-secret-0123456789', ...extra });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: address, deps, close: () => app.close() };
}

export interface ServeProcess {
  url: string;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** Sends a signal (SIGKILL: a crash) and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Runs `paperboy serve` as a child process with exactly this environment (plus PATH) and waits for its address. */
export async function spawnServe(env: Record<string, string>): Promise<ServeProcess> {
  const bin = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
  const child = spawn(process.execPath, [bin, 'serve'], { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals) => {
    child.kill(signal);
    await exited;
  };
  const stop = () => kill('SIGTERM');
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    return { url, stop, kill };
  } catch (err) {
    await stop();
    throw err;
  }
}

// A throwaway PostgreSQL cluster in a temp folder, for tests and `paperboy bench http`: initdb,
// listen on 127.0.0.1 at a free port (unix socket inside the folder), durability off for speed.
// PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user (or `nobody`).
import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPostgresClient } from '../store/postgres.ts';

const run = promisify(execFile);

export interface ThrowawayCluster {
  /** Superuser URL of the `postgres` database, e.g. postgres://postgres@127.0.0.1:54321/postgres. */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** The folder holding initdb and pg_ctl: PATH first, then Debian's /usr/lib/postgresql/N/bin (newest). */
export function findPostgresBin(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return undefined;
  const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = join(debian, v, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The unprivileged account to run PostgreSQL as when we are root; undefined when not root. */
async function serverUser(): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number((await run('id', ['-u', name])).stdout.trim());
      const gid = Number((await run('id', ['-g', name])).stdout.trim());
      return { name, uid, gid };
    } catch {
      // try the next account
    }
  }
  throw new Error('running as root and neither a "postgres" nor a "nobody" user exists; PostgreSQL refuses to run as root');
}

/**
 * Starts the cluster. With `ownerPid`, a small detached watchdog stops it and deletes the folder
 * once that process is gone, so a test run killed before its teardown leaves no server behind.
 */
export async function startThrowawayCluster(binDir = findPostgresBin(), opts: { ownerPid?: number } = {}): Promise<ThrowawayCluster> {
  if (!binDir) throw new Error('initdb not found on PATH or in /usr/lib/postgresql/*/bin; install the postgresql package');
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-pg-'));
  const data = join(dir, 'data');
  const user = await serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const as = (cmd: string, args: string[]) =>
    user ? run('runuser', ['-u', user.name, '--', join(binDir, cmd), ...args]) : run(join(binDir, cmd), args);
  try {
    await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`);
  }
  const settings = [
    'listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`,
    'fsync=off', 'synchronous_commit=off', 'full_page_writes=off',
    'max_connections=400', 'shared_buffers=128MB', 'max_wal_size=1GB',
  ];
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const serverOpts = [`-p ${port}`, ...settings.map((s) => `-c ${s}`)].join(' ');
    try {
      await as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', serverOpts, '-w', '-t', '60', 'start']);
      const stop = async () => {
        await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      };
      if (opts.ownerPid) startWatchdog(opts.ownerPid, user ? ['runuser', '-u', user.name, '--', join(binDir, 'pg_ctl')] : [join(binDir, 'pg_ctl')], data, dir);
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, stop };
    } catch (err) {
      // Most likely another process took the port between our probe and the server's bind.
      lastError = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000) : String(err);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`PostgreSQL did not start: ${lastError}`);
}

function startWatchdog(ownerPid: number, pgCtl: string[], data: string, dir: string): void {
  const script = `
    const { execFileSync } = require('node:child_process');
    const { existsSync, rmSync } = require('node:fs');
    const [owner, data, dir, ...pgCtl] = process.argv.slice(1);
    const alive = () => { try { process.kill(Number(owner), 0); return true; } catch { return false; } };
    const timer = setInterval(() => {
      if (!existsSync(dir)) return clearInterval(timer);
      if (alive()) return;
      clearInterval(timer);
      try { execFileSync(pgCtl[0], [...pgCtl.slice(1), '-D', data, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' }); } catch {}
      rmSync(dir, { recursive: true, force: true });
    }, 2000);`;
  spawn(process.execPath, ['-e', script, String(ownerPid), data, dir, ...pgCtl], { detached: true, stdio: 'ignore' }).unref();
}

/** Creates database `name` on the cluster at `adminUrl`; returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const client = createPostgresClient(adminUrl);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// The container image, built from ./Containerfile with podman and run for real: a volume, /healthz,
// a page and a feed, data that outlives the container, and a quick clean stop on SIGTERM.
// Without podman the suite says loudly that it was SKIPPED; with PAPERBOY_REQUIRE_CONTAINER=1
// (set by .ci/run) a missing podman fails the run instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const IMAGE = 'localhost/paperboy:test';
const TINY_MODEL = join(import.meta.dirname, 'fixtures', 'tiny-embedding-model');
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const exec = promisify(execFile);
const hasPodman = spawnSync('podman', ['--version']).status === 0;
const hasCompose = spawnSync('podman-compose', ['--version']).status === 0;

for (const [present, message] of [
  [hasPodman, 'Container suite SKIPPED: podman not found (apt-get install podman runc debootstrap)'],
  [hasCompose, 'compose.yaml smoke test SKIPPED: podman-compose not found (apt-get install podman-compose)'],
] as const) {
  if (present) continue;
  if (process.env.PAPERBOY_REQUIRE_CONTAINER === '1') throw new Error(message);
  process.stdout.write('\n' + '!'.repeat(78) + `\n!! ${message}\n` + '!'.repeat(78) + '\n\n');
}

/** A TCP port free on loopback right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Engine settings for machines without systemd whose sandbox forbids raising resource limits:
 * cgroupfs, and ulimits no higher than this process already has (podman's defaults are higher).
 */
function writeEngineConfig(dir: string): string {
  const limit = (flag: string, cap: number) => Math.min(Number(spawnSync('sh', ['-c', `ulimit -H${flag}`], { encoding: 'utf8' }).stdout.trim()) || cap, cap);
  const nofile = limit('n', 1_048_576);
  const nproc = limit('u', 32_768);
  const file = join(dir, 'containers.conf');
  writeFileSync(file, `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n`);
  return file;
}

describe.skipIf(!hasPodman)('container image', () => {
  const dir = hasPodman ? mkdtempSync(join(tmpdir(), 'paperboy-container-')) : '';
  const env = hasPodman ? { ...process.env, CONTAINERS_CONF: writeEngineConfig(dir) } : process.env;
  const suffix = `${process.pid}-${Date.now()}`;
  const volume = `paperboy-test-${suffix}`;
  const containers: string[] = [];
  const podman = async (...args: string[]) => (await exec('podman', args, { env, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();

  /** Starts the image with the test volume; returns the container's name and its URL on loopback. */
  async function start(name: string, extra: string[] = []): Promise<{ name: string; url: string }> {
    containers.push(name);
    await podman('run', '-d', '--name', name, '--health-interval', 'disable', '-p', '127.0.0.1::3000', '-v', `${volume}:/data`,
      '-e', 'EMBEDDINGS=off', '-e', 'HARVEST_CRON=off', ...extra, IMAGE);
    const port = (await podman('port', name, '3000/tcp')).split(':').pop();
    const url = `http://127.0.0.1:${port}`;
    await expect.poll(() => podman('logs', name), { timeout: 120_000, interval: 250 }).toContain('paperboy is serving on');
    return { name, url };
  }

  /** Stops a container the way `podman stop` does (SIGTERM, then SIGKILL after 30 s); returns seconds and exit code. */
  async function stop(name: string): Promise<{ seconds: number; exitCode: number }> {
    const started = Date.now();
    await podman('stop', '--time', '30', name);
    const seconds = (Date.now() - started) / 1000;
    return { seconds, exitCode: Number(await podman('inspect', name, '--format', '{{.State.ExitCode}}')) };
  }

  beforeAll(async () => {
    // The base image is made locally from Debian's mirror when it is missing (no registry needed).
    await exec('bash', [join(ROOT, 'scripts', 'container-base.sh')], { env, maxBuffer: 16 * 1024 * 1024 });
    const started = Date.now();
    const secret = existsSync(CA_BUNDLE) ? ['--secret', `id=ca,src=${CA_BUNDLE}`] : [];
    await podman('build', '--pull=never', '--format', 'docker', ...secret, '-t', IMAGE, '.');
    const size = Number(await podman('image', 'inspect', IMAGE, '--format', '{{.Size}}'));
    process.stdout.write(`container image ${IMAGE}: built in ${((Date.now() - started) / 1000).toFixed(0)} s, ${(size / 1e6).toFixed(0)} MB\n`);
    await podman('volume', 'create', volume);
  }, 40 * 60_000);

  afterAll(async () => {
    if (!hasPodman) return;
    for (const name of containers) await podman('rm', '-f', '--time', '0', name).catch(() => undefined);
    await podman('volume', 'rm', '-f', volume).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is small, runs as a non-root user, has a HEALTHCHECK and a /data volume, and leaves no build tools behind', async () => {
    type Inspected = { Size: number; Healthcheck?: { Test: string[] }; Config: { User: string; Volumes: Record<string, unknown>; ExposedPorts: Record<string, unknown>; Env: string[] } };
    const [image] = JSON.parse(await podman('image', 'inspect', IMAGE)) as Inspected[];
    expect(image!.Config.User).toBe('10001:10001');
    expect(Object.keys(image!.Config.Volumes)).toEqual(['/data']);
    expect(Object.keys(image!.Config.ExposedPorts)).toEqual(['3000/tcp']);
    expect(image!.Config.Env).toContain('DATA_DIR=/data');
    expect(image!.Healthcheck?.Test.join(' ')).toContain('/healthz');
    expect(image!.Size).toBeLessThan(450e6);
    const tools = await podman('run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', 'for t in gcc g++ cc make python3 npm apt-get; do command -v $t >/dev/null && echo $t; done; true');
    expect(tools.split('\n').filter(Boolean)).toEqual(['apt-get']);
  });

  it('serves /healthz, pages and feeds from the volume, keeps its data across containers, and stops on SIGTERM within seconds', async () => {
    const first = await start(`paperboy-test-a-${suffix}`);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    await podman('healthcheck', 'run', first.name);

    const home = await fetch(`${first.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Wednesday, 1 July 2026');
    const feed = await fetch(`${first.url}/feeds/daily.rss`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/xml/);
    expect((await feed.text()).match(/<item>/g)?.length).toBeGreaterThan(10);

    expect(await podman('exec', first.name, 'paperboy', 'admin', 'create', 'ops@example.org')).toContain('ops@example.org is now an admin');
    const stopped = await stop(first.name);
    expect(stopped.exitCode, 'paperboy exits 0 after draining on SIGTERM').toBe(0);
    expect(stopped.seconds).toBeLessThan(5);

    // A new container on the same volume finds the database: no second sample import, same admin.
    const second = await start(`paperboy-test-b-${suffix}`);
    expect(await podman('exec', second.name, 'paperboy', 'admin', 'list')).toContain('ops@example.org');
    expect((await exec('podman', ['logs', second.name], { env })).stderr).not.toContain('sample_loaded');
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    const again = await stop(second.name);
    expect(again.exitCode).toBe(0);
    expect(again.seconds).toBeLessThan(5);
  }, 300_000);

  it('embeds papers with a local model through onnxruntime and usearch inside the image', async () => {
    const out = await podman('run', '--rm', '-v', `${volume}:/data`, '-v', `${TINY_MODEL}:/model:ro`,
      '-e', 'EMBEDDINGS=transformers', '-e', 'EMBEDDING_MODEL=/model', '-e', 'EMBEDDING_HUB_URL=off', '-e', 'LOG_LEVEL=warn', IMAGE, 'reindex');
    expect(out).toMatch(/embedded 3292, .*index holds 3292, pending 0/);
  }, 300_000);

  // compose.yaml as shipped, with stand-ins for the postgres and caddy images built from Debian's
  // packages (test/compose/), since no registry is reachable here.
  describe.skipIf(!hasCompose)('compose.yaml', () => {
    const project = `paperboy-test-${suffix}`;
    const projectDir = join(dir, 'compose');
    let composeEnv: NodeJS.ProcessEnv = {};
    const compose = async (...args: string[]) => (await exec('podman-compose', ['-p', project, '-f', join(projectDir, 'compose.yaml'), ...args], { env: composeEnv, cwd: projectDir, maxBuffer: 64 * 1024 * 1024 })).stdout;
    const containerOf = async (service: string) => podman('ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--filter', `label=com.docker.compose.service=${service}`, '--format', '{{.Names}}');

    afterAll(async () => {
      if (hasCompose) await compose('down', '-v').catch(() => undefined);
    }, 300_000);

    it('brings up PostgreSQL, migrations, two web processes, a worker and Caddy, and serves through the proxy', async () => {
      await podman('build', '--pull=never', '-t', 'localhost/paperboy-test-postgres', join(ROOT, 'test', 'compose', 'postgres'));
      await podman('build', '--pull=never', '-t', 'localhost/paperboy-test-caddy', join(ROOT, 'test', 'compose', 'caddy'));
      mkdirSync(join(projectDir, 'deploy'), { recursive: true });
      mkdirSync(join(projectDir, 'secrets'));
      copyFileSync(join(ROOT, 'compose.yaml'), join(projectDir, 'compose.yaml'));
      copyFileSync(join(ROOT, 'deploy', 'Caddyfile'), join(projectDir, 'deploy', 'Caddyfile'));
      writeFileSync(join(projectDir, 'secrets', 'postgres_password'), `pw-${suffix}`);
      writeFileSync(join(projectDir, 'secrets', 'database_url'), `postgres://paperboy:pw-${suffix}@postgres:5432/paperboy\n`);
      const port = await freePort();
      // Only what podman-compose needs: the test runner's own variables (vitest sets BASE_URL=/) must
      // not reach compose.yaml's ${BASE_URL:-…}.
      composeEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CONTAINERS_CONF: env.CONTAINERS_CONF, PAPERBOY_IMAGE: IMAGE, POSTGRES_IMAGE: 'localhost/paperboy-test-postgres', CADDY_IMAGE: 'localhost/paperboy-test-caddy', HTTP_PORT: String(port), HTTPS_PORT: String(await freePort()) };
      await compose('up', '-d');

      const url = `http://127.0.0.1:${port}`;
      await expect.poll(() => fetch(`${url}/healthz`).then((r) => r.status, () => 0), { timeout: 300_000, interval: 1000 }).toBe(200);
      const home = await fetch(`${url}/`);
      expect(home.headers.get('server')).toBe('Caddy');
      expect(await home.text()).toContain('Wednesday, 1 July 2026');
      expect((await fetch(`${url}/feeds/daily.rss`)).status).toBe(200);

      expect(await podman('inspect', await containerOf('migrate'), '--format', '{{.State.ExitCode}}')).toBe('0');
      const psql = await podman('exec', await containerOf('postgres'), 'psql', '-U', 'paperboy', '-d', 'paperboy', '-Atc', 'select count(*) from paper');
      expect(psql).toBe('3292');
      // Both web processes answer, and the sample was imported by exactly one of them.
      // /healthz answered through Caddy as soon as one web process was up; the other may still be
      // loading the sample or waiting for the lock, so wait for each to say it serves.
      const logsOf = async (s: string) => {
        const out = await exec('podman', ['logs', await containerOf(s)], { env });
        return out.stdout + out.stderr;
      };
      for (const s of ['web-1', 'web-2']) {
        await expect.poll(() => logsOf(s), { timeout: 300_000, interval: 1000 }).toContain('paperboy is serving on');
      }
      const logs = await Promise.all(['web-1', 'web-2'].map(logsOf));
      expect(logs.join('').match(/"sample_loaded"/g)).toHaveLength(1);
      await expect.poll(async () => logsOf('worker'), { timeout: 300_000, interval: 1000 }).toContain('paperboy worker is running jobs');
    }, 30 * 60_000);
  });
});

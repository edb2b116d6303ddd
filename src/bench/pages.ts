// `paperboy bench pages`: first-load page weight (HTML + CSS + JS, compressed, as a browser gets it)
// of the home and search pages, and server time per request for the trending listings, measured on
// a store holding a large corpus (by default the 74,728-paper shared arXiv sample, imported once
// into .bench-cache/ and reused).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { basename, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import type { Config } from '../config.ts';
import type { CommandContext, CommandArgs, Mode } from '../commands/command.ts';
import { importFile } from '../import/index.ts';
import { createProgress } from '../lib/progress.ts';
import { countPapers, isoWeekOf, latestAnnouncedOn } from '../papers/index.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { instanceSecret } from '../store/settings.ts';
import { percentile } from './metrics.ts';
import { buildOwnApp } from '../app.ts';

const DEFAULT_DATA = '../shared/data/arxiv/papers.jsonl.gz';
const BUDGET_BYTES = 60 * 1024;
const P95_TARGET_MS = 20;

const BENCH_PAGES_HELP = `
Usage: paperboy bench pages [--data FILE] [--configured] [--requests N] [--search-query Q]

Measures, against the real app on 127.0.0.1 and a random port:
  * first-load weight of the home and search pages: the compressed bytes of the HTML and of every
    stylesheet and script it links (Accept-Encoding: br, gzip), against a 60 KB budget;
  * server time (fastify's reply.elapsedTime, compression included) of the trending listings —
    latest day, week, month, a category page — over N sequential requests each: p50 / p95 / p99,
    against a 20 ms p95 target for the latest day;
  * throughput of "/" with 10 concurrent connections for 5 s (autocannon).

Options:
  --data FILE          papers to import into a cached SQLite store under .bench-cache/
                       (default ${DEFAULT_DATA}); imported once, reused while the file is unchanged
  --configured         use the configured DATABASE_URL as it is instead (e.g. PostgreSQL)
  --requests N         sequential requests per listing (default 300)
  --search-query Q     query for the search page (default "diffusion models")
`;

/** Runs the benchmark and prints its report on stdout. */
async function benchPages(ctx: CommandContext, args: CommandArgs): Promise<number> {
  const requests = Number(args.values.requests ?? 300);
  if (!Number.isInteger(requests) || requests < 10) throw new Error('--requests must be a whole number of at least 10');
  const { store, config, label } = args.values.configured ? await configuredStore(ctx) : await cachedStore(ctx, String(args.values.data ?? DEFAULT_DATA));
  const timings = new Map<string, number[]>();
  const { app } = await buildOwnApp({ config, log: ctx.log, db: store.db, now: () => new Date(), secret: await instanceSecret(store.db, ctx.config.secret) });
  app.addHook('onResponse', async (req, reply) => {
    const list = timings.get(req.url) ?? [];
    list.push(reply.elapsedTime);
    timings.set(req.url, list);
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const agent = new Agent({ keepAlive: true });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const papers = await countPapers(store.db);
    const latest = await latestAnnouncedOn(store.db);
    if (!latest) throw new Error('the store has no papers: give --data FILE');
    out(`bench pages: ${papers.toLocaleString('en-US')} papers (${label}), latest day ${latest}, node ${process.version}`);
    out(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (times below are inflated when the load exceeds the CPU count)`);

    out('');
    out('first-load weight (compressed bytes; budget 60 KB = 61,440 B):');
    const searchQuery = String(args.values['search-query'] ?? 'diffusion models');
    for (const [name, path] of [['home', '/'], ['search', `/search?q=${encodeURIComponent(searchQuery)}`]] as const) {
      const w = await pageWeight(base, path, agent);
      if (w.status !== 200) {
        out(`  ${name.padEnd(7)} ${path}: HTTP ${w.status} — not measured (page not available in this build)`);
        continue;
      }
      const verdict = w.total <= BUDGET_BYTES ? 'within budget' : 'OVER BUDGET';
      out(`  ${name.padEnd(7)} ${path}: total ${fmtBytes(w.total)} — ${verdict} (${w.parts.map((p) => `${p.kind} ${fmtBytes(p.bytes)} ${p.encoding}`).join(', ')}; uncompressed ${fmtBytes(w.uncompressed)})`);
    }

    out('');
    out(`server time, ${requests} sequential requests each after 20 warm-up (ms):`);
    const listings: [string, string][] = [
      ['trending, latest day', '/'],
      ['trending, week', `/?week=${isoWeekOf(latest)}`],
      ['trending, month', `/?month=${latest.slice(0, 7)}`],
      ['category page, latest day', `/categories/cs.CV?date=${latest}`],
      ['paper page', await firstPaperPath(base, agent)],
    ];
    for (const [name, path] of listings) {
      for (let i = 0; i < 20; i++) await get(base, path, agent);
      timings.delete(path);
      const started = process.hrtime.bigint();
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < requests; i++) await get(base, path, agent);
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000 / requests;
      const wall = Number(process.hrtime.bigint() - started) / 1e6 / requests;
      const times = timings.get(path) ?? [];
      const s = { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
      const target = path === '/' ? ` — target p95 ≤ ${P95_TARGET_MS} ms: ${s.p95 <= P95_TARGET_MS ? 'met' : 'MISSED'}` : '';
      out(`  ${name.padEnd(26)} ${path.padEnd(34)} p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)}  (client ${wall.toFixed(1)} avg; CPU ${cpuMs.toFixed(1)} per request, server and client)${target}`);
    }

    out('');
    const cannon = await autocannon({ url: `${base}/`, connections: 10, duration: 5, headers: { 'accept-encoding': 'br, gzip' } });
    out(`throughput "/": ${Math.round(cannon.requests.average)} req/s with 10 connections; latency p50 ${cannon.latency.p50} ms, p99 ${cannon.latency.p99} ms; ${cannon.non2xx} non-2xx, ${cannon.errors} errors`);
  } finally {
    agent.destroy();
    await app.close();
    await store.close();
  }
  return 0;
}

async function configuredStore(ctx: CommandContext): Promise<{ store: Store; config: Config; label: string }> {
  const store = await openStore(ctx.config);
  await migrateToLatest(store.db);
  return { store, config: ctx.config, label: `configured ${ctx.config.dialect} store` };
}

/** A SQLite store under .bench-cache/ holding the data file, imported once per file size and mtime. */
async function cachedStore(ctx: CommandContext, data: string): Promise<{ store: Store; config: Config; label: string }> {
  const file = resolve(data);
  if (!existsSync(file)) throw new Error(`no data file at ${file}: give --data FILE (the shipped sample/arxiv-sample.jsonl.gz works) or --configured`);
  const info = statSync(file);
  mkdirSync('.bench-cache', { recursive: true });
  const sqlitePath = resolve('.bench-cache', `pages-${basename(file).replace(/[^A-Za-z0-9.-]/g, '_')}-${info.size}-${Math.round(info.mtimeMs)}.db`);
  const fresh = !existsSync(sqlitePath);
  const config: Config = { ...ctx.config, databaseUrl: `sqlite:${sqlitePath}`, dialect: 'sqlite', sqlitePath };
  const store = await openStore(config);
  await migrateToLatest(store.db);
  if (fresh || (await countPapers(store.db)) === 0) {
    const progress = createProgress(`importing ${basename(file)} into ${sqlitePath}`);
    const started = Date.now();
    const s = await importFile(store.db, file, { onProgress: (done, total) => progress.update(done, total) });
    progress.done();
    process.stdout.write(`imported ${s.new.toLocaleString('en-US')} papers in ${((Date.now() - started) / 1000).toFixed(1)} s (cached for next runs)\n`);
  }
  return { store, config, label: `SQLite ${sqlitePath}` };
}

interface Fetched {
  status: number;
  body: Buffer;
  encoding: string;
}

/** A GET that keeps the body as sent on the wire (compressed) and its content-encoding. */
function get(base: string, path: string, agent: Agent): Promise<Fetched> {
  return new Promise((resolvePromise, reject) => {
    const req = request(`${base}${path}`, { agent, headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), encoding: String(res.headers['content-encoding'] ?? 'identity') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function pageWeight(base: string, path: string, agent: Agent) {
  const page = await get(base, path, agent);
  const html = await decode(page);
  const parts = [{ kind: 'html', bytes: page.body.length, encoding: page.encoding }];
  let uncompressed = Buffer.byteLength(html);
  for (const m of html.matchAll(/<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="(\/[^"]+)"/g)) {
    const asset = await get(base, m[1]!, agent);
    parts.push({ kind: m[1]!.endsWith('.css') ? 'css' : 'js', bytes: asset.body.length, encoding: asset.encoding });
    uncompressed += Buffer.byteLength(await decode(asset));
  }
  return { status: page.status, parts, total: parts.reduce((n, p) => n + p.bytes, 0), uncompressed };
}

async function decode(f: Fetched): Promise<string> {
  if (f.encoding === 'br') return brotliDecompressSync(f.body).toString('utf8');
  if (f.encoding === 'gzip') return gunzipSync(f.body).toString('utf8');
  return f.body.toString('utf8');
}

async function firstPaperPath(base: string, agent: Agent): Promise<string> {
  const html = await decode(await get(base, '/', agent));
  return html.match(/href="(\/papers\/[^"]+)"/)?.[1] ?? '/';
}

function fmtBytes(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

export const mode: Mode = {
  help: BENCH_PAGES_HELP,
  options: {
    data: { type: 'string' },
    configured: { type: 'boolean' },
    requests: { type: 'string' },
    'search-query': { type: 'string' },
  },
  run: benchPages,
};

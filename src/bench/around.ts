// `paperboy bench around`: throughput of the around-the-paper jobs (key phrases and TL;DRs,
// thumbnails, GitHub stars) on the shipped sample, on SQLite and PostgreSQL, with PDFs and GitHub
// answers from loopback servers: no network. Each job runs once, as the queue or `paperboy <job>` runs it.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import { silentLogger } from '../log.ts';
import { importFile } from '../import/index.ts';
import { latestAnnouncedOn } from '../papers/index.ts';
import { runSummaries } from '../summary/index.ts';
import { makeThumbnails } from '../thumbnails/index.ts';
import { refreshStars } from '../repos/index.ts';
import { openStore, type Db } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { SAMPLE_FILE } from '../commands/serve.ts';
import type { Mode } from '../commands/command.ts';
import { samplePaperPdf } from './fixture-pdf.ts';
import { createDatabase, startThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster.ts';

interface JobFigure {
  dialect: string;
  job: string;
  items: number;
  seconds: number;
  /** This process's CPU (jobs, queries' client side, the loopback servers) per item. */
  cpuMsPerItem: number;
  /** CPU of waited-for children (pdftoppm) per item, when the platform says. */
  childCpuMsPerItem: number | undefined;
}

/** CPU time of finished child processes (pdftoppm), from /proc: Node does not expose RUSAGE_CHILDREN. */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // After "pid (comm) ": state is field 3, so cutime and cstime (fields 16 and 17) sit at 13 and 14; in clock ticks (100 Hz on Linux).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

async function measure(dialect: string, job: string, work: () => Promise<number>, opts: { children?: boolean } = {}): Promise<JobFigure> {
  const children = childrenCpuMs();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const items = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const childrenAfter = childrenCpuMs();
  const per = (ms: number) => (items > 0 ? ms / items : 0);
  return {
    dialect, job, items, seconds,
    cpuMsPerItem: per((used.user + used.system) / 1000),
    childCpuMsPerItem: !opts.children || children === undefined || childrenAfter === undefined ? undefined : per(childrenAfter - children),
  };
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A GitHub-like answer for any repository: stars derived from the name, an ETag, a generous rate limit. */
function githubLike(req: IncomingMessage, res: ServerResponse): void {
  const name = decodeURIComponent((req.url ?? '').replace(/^\/repos\//, ''));
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  res.writeHead(200, { 'content-type': 'application/json', etag: `"${h.toString(16)}"`, 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '0' });
  res.end(JSON.stringify({ full_name: name, stargazers_count: h % 5000, pushed_at: '2026-07-01T00:00:00Z' }));
}

async function runJobs(dialect: string, db: Db, config: Config, days: number): Promise<JobFigure[]> {
  const latest = await latestAnnouncedOn(db);
  if (!latest) throw new Error('the sample did not load: no announced papers');
  const now = () => new Date(`${latest}T12:00:00Z`);
  const figures: JobFigure[] = [];
  figures.push(await measure(dialect, 'summarize', async () => (await runSummaries({ db, log: silentLogger, now, around: config.around })).extracted));
  const withDays = { ...config, around: { ...config.around, thumbnailDays: days } };
  figures.push(await measure(dialect, 'thumbnails', async () => {
    const r = await makeThumbnails({ db, config: withDays, log: silentLogger, now });
    if (r.failed + r.unavailable > 0) throw new Error(`thumbnails: ${r.failed} failed, ${r.unavailable} unavailable on loopback PDFs: is pdftoppm installed (poppler-utils)?`);
    return r.ready;
  }, { children: true }));
  figures.push(await measure(dialect, 'stars', async () => {
    const r = await refreshStars({ db, around: config.around, log: silentLogger, now });
    if (r.failed > 0) throw new Error(`stars: ${r.failed} repositories failed against the loopback server`);
    return r.fetched;
  }));
  return figures;
}

function table(figures: JobFigure[]): string {
  const rows = figures.map((f) => `| ${f.dialect} | ${f.job} | ${f.items.toLocaleString('en-US')} | ${f.seconds.toFixed(2)} | ${(f.items / Math.max(f.seconds, 1e-9)).toFixed(1)} | ${f.cpuMsPerItem.toFixed(2)} | ${f.childCpuMsPerItem === undefined ? '–' : f.childCpuMsPerItem.toFixed(1)} |`);
  return ['| database | job | papers | wall s | papers/s | CPU ms/paper (node) | CPU ms/paper (pdftoppm) |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n');
}

export const mode: Mode = {
  help: `
Usage: paperboy bench around [--days N] [--only sqlite|postgres] [--postgres URL]

Loads the shipped sample into a throwaway SQLite database and a throwaway PostgreSQL cluster (initdb
on PATH; or --postgres URL of an empty database), then runs each around-the-paper job once, as the
queue does, and prints papers/s and CPU per paper:

  summarize   key phrases and a TL;DR for every paper (offline, from the store's word statistics)
  thumbnails  first pages of the papers announced in the latest N+1 days (--days, default 0: the
              latest day), PDFs from a loopback server (src/bench/fixture-pdf.ts), rendered by
              pdftoppm with no interval between requests (against arXiv the job waits
              ARXIV_MIN_INTERVAL_MS between PDFs, which bounds it far below this)
  stars       each paper's first GitHub link against a loopback GitHub-like server

CPU is this process's (the job, the database client, the loopback servers) and, for thumbnails,
pdftoppm's. The load average is printed: on a busy machine compare ratios, not absolutes.
Touches nothing of yours.
`,
  options: { days: { type: 'string' }, only: { type: 'string' }, postgres: { type: 'string' } },
  async run(_ctx, { values }) {
    const days = values.days === undefined ? 0 : Number(values.days);
    if (!Number.isInteger(days) || days < 0 || days > 365) {
      process.stderr.write(`paperboy bench around: --days: expected a whole number from 0 to 365, got "${String(values.days)}"\n`);
      return 2;
    }
    if (values.only !== undefined && values.only !== 'sqlite' && values.only !== 'postgres') {
      process.stderr.write(`paperboy bench around: --only: expected sqlite or postgres, got "${String(values.only)}"\n`);
      return 2;
    }
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-around-'));
    const pdfs = await listen((req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(samplePaperPdf(`arXiv ${(req.url ?? '').split('/').pop()}`)));
    const github = await listen(githubLike);
    let cluster: ThrowawayCluster | undefined;
    const figures: JobFigure[] = [];
    try {
      const env = (databaseUrl: string, dataDir: string) => ({
        DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PAPERBOY_SAMPLE: 'off', LOG_LEVEL: 'silent', EMBEDDINGS: 'off',
        ARXIV_MIN_INTERVAL_MS: '0', ARXIV_PDF_URL: `${pdfs.url}/pdf/`, THUMBNAILS: 'on',
        GITHUB_STARS: 'on', GITHUB_API_URL: github.url, GITHUB_TOKEN: 'bench-loopback-token',
      });
      const dialects: Array<[string, () => Promise<string>]> = [];
      if (values.only !== 'postgres') dialects.push(['sqlite', async () => `sqlite:${join(dir, 'bench.db')}`]);
      if (values.only !== 'sqlite') {
        dialects.push(['postgres', async () => {
          if (typeof values.postgres === 'string') return values.postgres;
          cluster = await startThrowawayCluster();
          return createDatabase(cluster.url, 'paperboy_bench_around');
        }]);
      }
      for (const [dialect, url] of dialects) {
        const config = loadConfig(env(await url(), join(dir, dialect)));
        const store = await openStore(config);
        try {
          await migrateToLatest(store.db);
          const loaded = await importFile(store.db, SAMPLE_FILE);
          process.stdout.write(`bench around (${dialect}): ${loaded.new.toLocaleString('en-US')} sample papers loaded\n`);
          for (const f of await runJobs(dialect, store.db, config, days)) {
            figures.push(f);
            process.stdout.write(`  ${f.job.padEnd(10)} ${f.items.toLocaleString('en-US').padStart(6)} papers in ${f.seconds.toFixed(2)} s = ${(f.items / Math.max(f.seconds, 1e-9)).toFixed(1)} papers/s, CPU ${f.cpuMsPerItem.toFixed(2)} ms/paper${f.childCpuMsPerItem === undefined ? '' : ` (+ ${f.childCpuMsPerItem.toFixed(1)} ms pdftoppm)`}\n`);
          }
        } finally {
          await store.close();
        }
      }
      process.stdout.write(`\nload average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at end\n\n${table(figures)}\n`);
      return 0;
    } finally {
      await pdfs.close();
      await github.close();
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

// `paperboy bench http`: requests per second and latency of the web pages on loopback, one SQLite
// process against web processes plus a worker sharing one PostgreSQL.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../import/index.ts';
import { discardBodies, measureHttp, type LoadResult } from './http-load.ts';
import { startPaperboy, stopAll, waitForStartup, type Started } from './http-processes.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { createDatabase, startThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster.ts';
import { copyDatabase } from '../store/transfer.ts';
import { isoDay, latestAnnouncedOn, periodContaining, shiftPeriod } from '../papers/index.ts';
import { seedVotes } from './seed-votes.ts';
import { HOT_DEFAULTS } from '../trending/score.ts';
import { listTrending } from '../trending/queries.ts';
import { prepareVoters, startVoting, type Voter } from './http-voter.ts';
import { SAMPLE_FILE } from '../commands/serve.ts';
import type { Mode } from '../commands/command.ts';


interface Corpus {
  /** The newest papers' arXiv ids. */
  ids: string[];
  /** The latest day's papers, best first: the pages a burst of readers opens. */
  top: string[];
  latest: string;
}

/** Pages measured when the app answers them; a page another module has not built yet is skipped. */
const PAGES: Array<{ name: string; paths: (c: Corpus) => string[] }> = [
  { name: '/healthz', paths: () => ['/healthz'] },
  { name: 'home, latest day', paths: () => ['/'] },
  { name: 'home, week', paths: (c) => [`/?week=${periodContaining('week', c.latest).key}`] },
  { name: 'home, month', paths: (c) => [`/?month=${periodContaining('month', c.latest).key}`] },
  { name: 'home, last full month', paths: (c) => [`/?month=${shiftPeriod(periodContaining('month', c.latest), -1).key}`] },
  { name: 'home, hot', paths: () => ['/?view=hot'] },
  { name: 'home, by category', paths: () => CATEGORIES.map((c) => `/?category=${c}`) },
  { name: 'category page', paths: () => CATEGORIES.map((c) => `/categories/${c}`) },
  { name: 'daily_papers, day', paths: () => ['/api/daily_papers'] },
  { name: 'daily_papers, week', paths: (c) => [`/api/daily_papers?week=${periodContaining('week', c.latest).key}`] },
  { name: 'daily_papers, month', paths: (c) => [`/api/daily_papers?month=${periodContaining('month', c.latest).key}&limit=100`] },
  { name: 'feeds', paths: () => ['/feeds/daily.rss', '/feeds/daily.atom', '/feeds/daily.json', '/feeds/weekly.rss', '/feeds/monthly.atom', '/feeds/category/cs.CL.rss'] },
  { name: 'paper page, top 50', paths: (c) => c.top.map((id) => `/papers/${id}`) },
  { name: 'paper page, any', paths: (c) => c.ids.map((id) => `/papers/${id}`) },
  { name: 'paper JSON', paths: (c) => c.ids.map((id) => `/api/papers/${id}`) },
  { name: 'search', paths: () => ['transformer', 'graph neural network', 'diffusion model image', 'reinforcement learning robot', 'language model reasoning'].map((q) => `/search?q=${encodeURIComponent(q)}`) },
];
const CATEGORIES = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI'];
/** Pages the goal is about, as opposed to /healthz itself and search. */
const HOT = new Set(PAGES.map((p) => p.name).filter((n) => n !== '/healthz' && n !== 'search' && n !== 'paper JSON'));

export const mode: Mode = {
  help: `
Usage: paperboy bench http [--data FILE] [--limit N] [--votes N] [--vote-rate R] [--seconds S]
                           [--connections C] [--web N] [--postgres URL] [--only sqlite|postgres]
                           [--discard-bodies]

Loads FILE (default: the shipped sample; e.g. ../shared/data/arxiv/papers.jsonl.gz) into a fresh
SQLite file, adds --votes community upvotes (default 20000, by 2000 users, skewed toward a few
papers of the last 30 days) and copies it into PostgreSQL, then for each scenario starts real
paperboy processes on 127.0.0.1 (keyword search: EMBEDDINGS=off) and loads them with autocannon,
one page at a time: /healthz (the ceiling: the app's cheapest answer, measured first and last; the
better of the two counts), home (latest day, week, month, the month before, hot, by category),
category pages, /api/daily_papers (day, week, month), feeds, paper pages (the latest day's top 50, and any of the newest 2,000), paper JSON and search.
While each page is loaded, signed-in readers upvote papers of the latest week through POST /votes
at --vote-rate, so the pages kept in memory that show them are rendered anew as they would be on a
live instance. Measuring starts once the processes' start-up work has ended (the jobs queued at
start, key phrases and the like, and each web process's recommendation window), as their logs say;
thumbnails and GitHub stars are off (no network). Requests accept br and gzip, as browsers do.

  sqlite      one "paperboy serve" (jobs in-process)
  postgres    N "paperboy serve --no-jobs" (default 2) and one "paperboy worker"; connections are
              split evenly across the web processes, as a load balancer would

Prints req/s, p50/p95/p99 latency and the ratio to /healthz's req/s per page, the CPU the app's
processes spent per request and the load generator's CPU (share of one core: near 100% it, not the
app, was the limit), then a Markdown table of the same. PostgreSQL is a throwaway cluster started for the
run (initdb in a temp folder) unless --postgres names an empty database to use.

  --data FILE        papers to load (JSONL, plain or .gz)
  --limit N          stop after N papers (default: all)
  --votes N          community upvotes to cast before measuring (default 20000; 0 for none)
  --vote-rate R      upvotes per second through POST /votes during the measurement (default 2; 0 for none)
  --seconds S        load duration per page (default 10)
  --connections C    concurrent connections in total (default 32)
  --web N            web processes in the PostgreSQL scenario (default 2)
  --postgres URL     an empty PostgreSQL database instead of a throwaway cluster
  --only DIALECT     run one scenario
  --discard-bodies   the load generator counts each response's bytes instead of keeping the body
                     (autocannon decodes every body as UTF-8 text, which for 30-100 KB compressed
                     bodies costs it more CPU than the app spends serving them)
`,
  options: {
    data: { type: 'string' }, limit: { type: 'string' }, votes: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' },
    web: { type: 'string' }, postgres: { type: 'string' }, only: { type: 'string' }, 'vote-rate': { type: 'string' }, 'discard-bodies': { type: 'boolean' },
  },
  async run(ctx, { values }) {
    const num = (name: string, fallback: number) => {
      const raw = values[name] as string | undefined;
      const n = raw === undefined ? fallback : Number(raw);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
      return n;
    };
    let opts: MeasureOptions & { web: number; limit: number | undefined; votes: number };
    try {
      opts = {
        seconds: num('seconds', 10), connections: num('connections', 32), web: num('web', 2), limit: values.limit === undefined ? undefined : num('limit', 1),
        votes: values.votes === '0' ? 0 : num('votes', 20_000), voteRate: values['vote-rate'] === '0' ? 0 : num('vote-rate', 2),
      };
      if (values.only !== undefined && values.only !== 'sqlite' && values.only !== 'postgres') throw new UsageError(`--only must be sqlite or postgres, got "${String(values.only)}"`);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`paperboy bench http: ${err.message}\n`);
      return 2;
    }
    if (values['discard-bodies']) discardBodies();
    const file = (values.data as string | undefined) ?? SAMPLE_FILE;
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-http-'));
    const children: ChildProcess[] = [];
    let cluster: ThrowawayCluster | undefined;
    try {
      const sqliteUrl = `sqlite:${join(dir, 'bench.db')}`;
      const lite = await openStore({ databaseUrl: sqliteUrl, dialect: 'sqlite', sqlitePath: join(dir, 'bench.db') });
      await migrateToLatest(lite.db);
      const loaded = await loadPapers(lite, file, opts.limit);
      const ids = (await lite.db.selectFrom('paper').select('arxiv_id').orderBy('id', 'desc').limit(2000).execute()).map((r) => r.arxiv_id);
      const latest = (await latestAnnouncedOn(lite.db)) ?? isoDay(new Date());
      if (opts.votes > 0) await seedVotes(lite.db, { users: 2000, votes: opts.votes, iterations: 0, hot: HOT_DEFAULTS });
      const top = (await listTrending(lite.db, { period: periodContaining('day', latest), limit: 50, now: new Date() })).entries.map((e) => e.paper.arxivId);
      const weekPapers = (await listTrending(lite.db, { period: periodContaining('week', latest), limit: 500, now: new Date() })).entries.map((e) => e.paper.arxivId);
      const voter = await prepareVoters(lite.db, weekPapers, 20, new Date());
      const corpus: Corpus = { ids, top, latest };
      process.stdout.write(`bench http: ${loaded.toLocaleString('en-US')} papers from ${file}, ${opts.votes.toLocaleString('en-US')} votes; ${opts.seconds} s per page, ${opts.connections} connections, ${opts.voteRate} upvotes/s during each; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start${values['discard-bodies'] ? '; response bodies discarded' : ''}\n`);
      const results: PageResult[] = [];
      // The voter signs in from one address and autocannon searches from one: lift the limits per address.
      // Info logs carry the job queue's events (jobs_caught_up, job_done), which the bench waits for.
      // Thumbnails and GitHub stars need arXiv and GitHub: off, as the bench has no network.
      const env = (databaseUrl: string) => ({
        DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, PAPERBOY_SAMPLE: 'off', LOG_LEVEL: 'info', HARVEST_CRON: 'off', EMBEDDINGS: 'off',
        THUMBNAILS: 'off', GITHUB_STARS: 'off', WRITE_LIMIT_PER_MINUTE: '100000', SEARCH_LIMIT_PER_MINUTE: '1000000',
      });

      if (values.only !== 'postgres') {
        const web = await startPaperboy(['serve'], env(sqliteUrl), children);
        await waitForStartup('sqlite', web, [web]);
        await measurePages('sqlite, 1 process', [web], corpus, voter, opts, results);
        await stopAll(children);
      }
      if (values.only !== 'sqlite') {
        let pgUrl = values.postgres as string | undefined;
        if (!pgUrl) {
          cluster = await startThrowawayCluster();
          pgUrl = await createDatabase(cluster.url, 'paperboy_bench');
        }
        const pg = await openStore({ databaseUrl: pgUrl, dialect: 'postgres', sqlitePath: undefined });
        await migrateToLatest(pg.db);
        const copyStarted = Date.now();
        const copied = await copyDatabase(lite, pg);
        process.stdout.write(`bench http: copied ${copied.rows.toLocaleString('en-US')} rows into PostgreSQL in ${((Date.now() - copyStarted) / 1000).toFixed(1)} s\n`);
        await pg.close();
        const worker = await startPaperboy(['worker'], env(pgUrl), children);
        const webs: Started[] = [];
        for (let i = 0; i < opts.web; i++) webs.push(await startPaperboy(['serve', '--no-jobs'], env(pgUrl), children));
        await waitForStartup('postgres', worker, webs);
        await measurePages(`postgres, ${opts.web} web + 1 worker`, webs, corpus, voter, opts, results, [worker.pid]);
        await stopAll(children);
      }
      await lite.close();
      process.stdout.write(`bench http: load average ${loadavg()[0]!.toFixed(1)} at end\n\n${markdownTable(results)}`);
      ctx.log.info('bench_http_done', { results: results.map((x) => ({ scenario: x.scenario, page: x.page, req_per_s: Math.round(x.r.reqPerSec), p99_ms: x.r.p99, ratio: x.ratio })) });
      return 0;
    } finally {
      await stopAll(children);
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

class UsageError extends Error {}

async function loadPapers(store: Store, file: string, limit: number | undefined): Promise<number> {
  if (limit === undefined) return (await importFile(store.db, file)).new;
  // importFile reads whole files; for a limit, stop the import once enough papers are in.
  const { createReadStream } = await import('node:fs');
  const { createGunzip } = await import('node:zlib');
  const { createInterface } = await import('node:readline');
  const { writeFileSync } = await import('node:fs');
  const lines: string[] = [];
  const input = file.endsWith('.gz') ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
  for await (const line of createInterface({ input })) {
    if (line.trim()) lines.push(line);
    if (lines.length >= limit) break;
  }
  const part = join(tmpdir(), `paperboy-bench-${process.pid}.jsonl`);
  writeFileSync(part, lines.join('\n') + '\n');
  try {
    return (await importFile(store.db, part)).new;
  } finally {
    rmSync(part, { force: true });
  }
}


interface MeasureOptions {
  seconds: number;
  connections: number;
  voteRate: number;
}

interface PageResult {
  scenario: string;
  page: string;
  r: LoadResult;
  /** req/s over /healthz's in the same scenario (the better of its first and last measurement). */
  ratio?: number;
  votes?: number;
}

/** Loads each page in turn on the web processes; `others` are the scenario's other processes (the worker), whose CPU counts too. */
async function measurePages(scenario: string, processes: Started[], corpus: Corpus, voter: Voter, opts: MeasureOptions, results: PageResult[], others: number[] = []): Promise<void> {
  const mine: PageResult[] = [];
  const webs = processes.map((p) => p.url);
  const pids = [...processes.map((p) => p.pid), ...others];
  const measure = async (name: string, paths: string[]): Promise<PageResult | undefined> => {
    const probe = await fetch(`${webs[0]}${paths[0]}`);
    await probe.arrayBuffer();
    if (probe.status !== 200) {
      process.stdout.write(`${scenario.padEnd(28)} ${name.padEnd(22)} skipped: ${paths[0]} answers ${probe.status}\n`);
      return undefined;
    }
    // Every path once on every process (a page set's first renderings are not what is measured), then
    // two seconds of load to warm the JIT.
    await visitEach(webs, paths, opts.connections);
    await measureHttp(webs, paths, { connections: opts.connections, seconds: 2 });
    const voting = opts.voteRate > 0 && name !== '/healthz' ? await startVoting(voter, webs, opts.voteRate) : undefined;
    const r = await measureHttp(webs, paths, { ...opts, pids });
    const voted = await voting?.stop();
    const result: PageResult = { scenario, page: name, r, votes: voted?.votes };
    process.stdout.write(
      `${scenario.padEnd(28)} ${name.padEnd(22)} ${Math.round(r.reqPerSec).toLocaleString('en-US').padStart(7)} req/s  ` +
        `p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ` +
        `${r.serverCpuMsPerRequest === undefined ? '' : `app ${r.serverCpuMsPerRequest.toFixed(2)} ms CPU/req  `}load generator ${Math.round(100 * r.loaderCpu)}% CPU  ` +
        `(${r.requests.toLocaleString('en-US')} requests, ${r.errors} errors${voted ? `; ${voted.votes} upvotes landed, ${voted.failed} failed` : ''})\n`,
    );
    return result;
  };
  for (const page of PAGES) {
    const result = await measure(page.name, page.paths(corpus));
    if (result) mine.push(result);
  }
  // /healthz again at the end: on a shared machine the ceiling moves; the ratio uses the better of
  // the two, so it is not flattered.
  const last = await measure('/healthz', ['/healthz']);
  if (last && last.r.reqPerSec > mine[0]!.r.reqPerSec) mine[0]!.r = last.r;
  const ceiling = mine[0]!.r.reqPerSec;
  for (const m of mine) m.ratio = m.r.reqPerSec / ceiling;
  results.push(...mine);
}

/** Requests each path once on each process, `connections` at a time. */
async function visitEach(webs: string[], paths: string[], connections: number): Promise<void> {
  const todo = webs.flatMap((web) => paths.map((path) => `${web}${path}`));
  await Promise.all(Array.from({ length: Math.min(connections, todo.length) }, async () => {
    for (let url = todo.pop(); url !== undefined; url = todo.pop()) await (await fetch(url)).arrayBuffer();
  }));
}

function markdownTable(results: PageResult[]): string {
  const rows = results.map((x) => {
    const goal = HOT.has(x.page) && x.ratio !== undefined ? (x.ratio >= 0.5 && (x.scenario.startsWith('postgres') || x.r.p99 <= 50) ? ' ✓' : ' ✗') : '';
    const cpu = x.r.serverCpuMsPerRequest === undefined ? '' : x.r.serverCpuMsPerRequest.toFixed(2);
    return `| ${x.scenario} | ${x.page} | ${Math.round(x.r.reqPerSec).toLocaleString('en-US')} | ${x.r.p50.toFixed(1)} | ${x.r.p95.toFixed(1)} | ${x.r.p99.toFixed(1)} | ${x.ratio === undefined ? '' : x.ratio.toFixed(2)}${goal} | ${cpu} | ${Math.round(100 * x.r.loaderCpu)}% | ${x.r.errors} | ${x.votes ?? ''} |`;
  });
  const head = '| scenario | page | req/s | p50 ms | p95 ms | p99 ms | × /healthz | app CPU ms/req | load generator CPU | errors | upvotes during |';
  return [head, '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|', ...rows].join('\n') + '\n';
}

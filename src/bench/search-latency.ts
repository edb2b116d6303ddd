// `paperboy bench search-latency`: queries built from the store's own papers, sent one at a time over
// HTTP to the real app (in-process on loopback, or --url), timed from request to full response.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { createProgress } from '../lib/progress.ts';
import { STOPWORDS, tokenize } from '../search/analyze.ts';
import { mean, percentile } from './metrics.ts';
import { parseSearchParams } from '../search/params.ts';
import { searchPapers } from '../search/search.ts';
import { topListOutcomes } from '../search/top-lists.sqlite.ts';
import { summingOutcomes } from '../search/few-matches.sqlite.ts';
import { prepareSearch } from '../search/terms-job.ts';
import { random } from './synthetic.ts';
import { countPapers } from '../papers/index.ts';
import { instanceSecret } from '../store/settings.ts';
import { buildOwnApp } from '../app.ts';
import { openMigratedStore, type Mode } from '../commands/command.ts';
import { benchStarvation, printStarvation } from './search-starve.ts';
import { CLIENTS, statusGetter, type Client } from './http-get.ts';

export interface LatencyReport {
  papers: number;
  queries: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  mean_ms: number;
  max_ms: number;
  by_kind: Record<string, { p50_ms: number; p95_ms: number }>;
  /** In-process runs on SQLite: how the rankings that top lists could serve went. */
  top_lists?: ReturnType<typeof topListOutcomes>;
  /** In-process runs on SQLite: rankings of several words summed without FTS5's walk, or left to it. */
  summed?: ReturnType<typeof summingOutcomes>;
  /**
   * HTTP to the app started here: the server's own time per request, from its headers parsed to the
   * last byte of the compressed answer handed to the socket (what the client adds — building the
   * request, un-gzipping, Node's fetch machinery on the same event loop — left out).
   */
  server?: { p50_ms: number; p95_ms: number };
}

export interface BenchQuery {
  kind: string;
  params: Record<string, string>;
}

/**
 * A deterministic mix like a search box sees: one to three words from a real title (most common),
 * a whole title (a descriptive query: any-word matching and feedback), a phrase, and filtered or
 * sorted variants.
 */
export async function buildQueries(db: Db, count: number, seed = 42): Promise<BenchQuery[]> {
  const rnd = random(seed);
  // Papers picked by the seeded generator, not SQL's random(): the same store gives the same queries,
  // so two runs (before and after a change) time the same work.
  const { rows: span } = await sql<{ top: number }>`SELECT max(id) AS top FROM paper`.execute(db);
  const top = Number(span[0]?.top ?? 0);
  const rows: Array<{ title: string; category: string }> = [];
  for (let tries = 0; rows.length < count && tries < 20; tries++) {
    const ids = Array.from({ length: count - rows.length }, () => 1 + Math.floor(rnd() * top));
    const found = await db.selectFrom('paper').select(['id', 'title', 'primary_category as category']).where('id', 'in', ids).execute();
    const byId = new Map(found.map((r) => [r.id, r]));
    for (const id of ids) if (byId.has(id) && rows.length < count) rows.push(byId.get(id)!);
  }
  return rows.map((r, i): BenchQuery => {
    const words = tokenize(r.title).filter((w) => !STOPWORDS.has(w) && w.length > 2);
    const take = (n: number) => {
      const start = Math.floor(rnd() * Math.max(1, words.length - n + 1));
      return words.slice(start, start + n).join(' ') || 'model';
    };
    const slot = i % 10;
    if (slot < 3) return { kind: 'one word', params: { q: take(1) } };
    if (slot < 6) return { kind: 'two words', params: { q: take(2) } };
    if (slot === 6) return { kind: 'three words', params: { q: take(3) } };
    if (slot === 7) return { kind: 'whole title', params: { q: r.title } };
    if (slot === 8) return { kind: 'phrase', params: { q: `"${take(2)}"` } };
    return { kind: 'filtered/sorted', params: { q: take(1), category: r.category, sort: rnd() < 0.5 ? 'newest' : 'relevance' } };
  });
}

/**
 * The same queries through searchPapers in this process, timed as CPU time of this process
 * (process.cpuUsage), which a loaded machine does not inflate the way it inflates wall-clock time.
 */
async function benchCpu(db: Db, queries: BenchQuery[], papers: number): Promise<LatencyReport> {
  const run = async (q: BenchQuery) => {
    const p = parseSearchParams(q.params, { limit: 20 });
    if (!p.ok) throw new Error(`bad bench query ${JSON.stringify(q.params)}: ${p.message}`);
    const { q: text, limit, offset, sort, categories, since, until, hasCode } = p.params;
    const before = process.cpuUsage();
    await searchPapers(db, text, { limit, offset, sort, categories, since, until, hasCode });
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  const before = topListOutcomes();
  const summedBefore = summingOutcomes();
  const report = await measure(queries, papers, run);
  const after = topListOutcomes();
  const summedAfter = summingOutcomes();
  return {
    ...report,
    top_lists: { lone: after.lone - before.lone, lists: after.lists - before.lists, amongListed: after.amongListed - before.amongListed, declined: after.declined - before.declined },
    summed: { summed: summedAfter.summed - summedBefore.summed, tooMany: summedAfter.tooMany - summedBefore.tooMany, disagreed: summedAfter.disagreed - summedBefore.disagreed },
  };
}

async function benchLatency(baseUrl: string, queries: BenchQuery[], papers: number, client: Client, server?: Server): Promise<LatencyReport> {
  let served: number | undefined;
  const timeServer = (_req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    res.once('finish', () => (served = performance.now() - started));
  };
  server?.on('request', timeServer);
  const serverTimes: number[] = [];
  const http = statusGetter(client);
  const run = async (q: BenchQuery) => {
    served = undefined;
    const started = performance.now();
    const status = await http.get(`${baseUrl}/api/papers/search?${new URLSearchParams(q.params)}`);
    if (status !== 200) throw new Error(`search answered ${status} for ${JSON.stringify(q.params)}`);
    const took = performance.now() - started;
    if (served !== undefined) serverTimes.push(served);
    return took;
  };
  try {
    const report = await measure(queries, papers, run);
    // measure() warms up on up to 50 queries first: the server's times of the timed ones are the last.
    const timed = serverTimes.slice(-report.queries);
    return server && timed.length === report.queries ? { ...report, server: { p50_ms: r2(percentile(timed, 50)), p95_ms: r2(percentile(timed, 95)) } } : report;
  } finally {
    server?.off('request', timeServer);
    http.close();
  }
}

/** Milliseconds as reported: two decimals. */
const r2 = (x: number) => Number(x.toFixed(2));

/** The "text" of each line of a JSONL file (a BEIR queries.jsonl), as queries. */
function readQueriesFile(path: string): BenchQuery[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line, i) => {
    const text = (JSON.parse(line) as { text?: unknown }).text;
    if (typeof text !== 'string') throw new Error(`${path}:${i + 1}: expected {"text": "…"}`);
    return { kind: 'from file', params: { q: text } };
  });
}

async function measure(queries: BenchQuery[], papers: number, run: (q: BenchQuery) => Promise<number>): Promise<LatencyReport> {
  // Warm caches (SQLite pages, stems) as a running server would have them, with each query written
  // differently (a trailing space) so the result cache does not answer the timed run.
  for (const q of queries.slice(0, Math.min(50, queries.length))) await run({ ...q, params: { ...q.params, q: `${q.params.q} ` } });
  const times: number[] = [];
  const byKind = new Map<string, number[]>();
  const progress = createProgress('querying');
  for (const q of queries) {
    const ms = await run(q);
    times.push(ms);
    byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
    progress.update(times.length, queries.length);
  }
  progress.done();
  return {
    papers,
    queries: times.length,
    p50_ms: r2(percentile(times, 50)),
    p95_ms: r2(percentile(times, 95)),
    p99_ms: r2(percentile(times, 99)),
    mean_ms: r2(mean(times)),
    max_ms: r2(Math.max(...times)),
    by_kind: Object.fromEntries([...byKind].map(([k, v]) => [k, { p50_ms: r2(percentile(v, 50)), p95_ms: r2(percentile(v, 95)) }])),
  };
}

const SORTS = ['relevance', 'newest', 'upvotes'];

export const mode: Mode = {
  help: `
Usage: paperboy bench search-latency [--queries N | --queries-file FILE] [--sort relevance|newest|upvotes]
                                     [--url URL | --cpu] [--client plain|fetch] [--json]
       paperboy bench search-latency --heavy N [--seconds S] [--url URL] [--json]

Sends N (default 1000) search queries built from the store's own titles (one to three words, whole
titles, phrases, filtered and sorted variants) one at a time over HTTP to the real app started on
loopback (or to --url), and prints p50/p95/p99 per query as this client sees it (with the app started
here, also the server's own time: from the request's headers parsed to the answer's last byte sent).

  --queries-file FILE
           instead sends the "text" of each line of a BEIR queries.jsonl, e.g. the SciFact claims
           (long, descriptive) or the known-item titles
  --sort S every query sorted by S (default: the mix's own, mostly relevance), e.g. to time
           "most upvoted"
  --cpu    instead runs them through searchPapers in this process and reports the CPU time each
           takes (meaningful on a loaded machine, where wall-clock is not)
  --client plain|fetch
           the HTTP client: plain (default) is node:http on one kept-alive connection, decoding
           gzip as soon as the body is in; fetch is Node's fetch, whose stream decoding hops through
           the thread pool and adds 0.5–5 ms to a 50 KB answer here (src/bench/http-get.ts)
  --heavy N
           instead: N clients send the costliest search (64 common words sorted by upvotes, 100
           results) back to back for S seconds (default 30) while one probe times /healthz and the
           home page, also without that load first; shows whether searches starve other requests
  --json   also print one JSON object as the last line

Example:
  DATABASE_URL=sqlite:/tmp/arxiv.db paperboy import ../shared/data/arxiv/papers.jsonl.gz
  DATABASE_URL=sqlite:/tmp/arxiv.db paperboy bench search-latency
  DATABASE_URL=sqlite:/tmp/arxiv.db paperboy bench search-latency --queries-file ../shared/data/beir/scifact/queries.jsonl
`,
  options: {
    queries: { type: 'string', default: '1000' },
    'queries-file': { type: 'string' },
    sort: { type: 'string' },
    url: { type: 'string' },
    cpu: { type: 'boolean', default: false },
    client: { type: 'string', default: 'plain' },
    heavy: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    json: { type: 'boolean', default: false },
  },
  async run(ctx, { values }) {
    const count = Number(values.queries);
    if (!Number.isInteger(count) || count < 1 || count > 100_000) {
      process.stderr.write('paperboy bench search-latency: --queries must be a whole number from 1 to 100000\n');
      return 2;
    }
    const sort = values.sort as string | undefined;
    if (sort !== undefined && !SORTS.includes(sort)) {
      process.stderr.write(`paperboy bench search-latency: --sort must be one of ${SORTS.join(', ')}, got "${sort}"\n`);
      return 2;
    }
    const client = values.client as Client;
    if (!CLIENTS.includes(client)) {
      process.stderr.write(`paperboy bench search-latency: --client must be one of ${CLIENTS.join(', ')}, got "${client}"\n`);
      return 2;
    }
    if (client === 'plain' && typeof values.url === 'string' && !values.url.startsWith('http://')) {
      process.stderr.write('paperboy bench search-latency: --client plain speaks http:// only; give --client fetch for an https:// --url\n');
      return 2;
    }
    const heavy = values.heavy === undefined ? undefined : Number(values.heavy);
    const seconds = Number(values.seconds);
    if (heavy !== undefined && (!Number.isInteger(heavy) || heavy < 1 || heavy > 256)) {
      process.stderr.write('paperboy bench search-latency: --heavy must be a whole number of clients from 1 to 256\n');
      return 2;
    }
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600) {
      process.stderr.write('paperboy bench search-latency: --seconds must be a number from 1 to 3600\n');
      return 2;
    }
    const store = await openMigratedStore(ctx);
    try {
      const papers = await countPapers(store.db);
      if (papers === 0) {
        process.stderr.write('paperboy bench search-latency: the store has no papers; import some first, e.g. paperboy import ../shared/data/arxiv/papers.jsonl.gz\n');
        return 1;
      }
      // As a serving instance keeps them (the search-top-lists job): built now if stale.
      await prepareSearch(store.db, ctx.log);
      const file = values['queries-file'] as string | undefined;
      const mix = file ? readQueriesFile(file) : await buildQueries(store.db, count);
      const queries = sort ? mix.map((q) => ({ ...q, params: { ...q.params, sort } })) : mix;
      if (values.cpu) {
        print('search CPU time in-process', await benchCpu(store.db, queries, papers), values.json === true);
        return 0;
      }
      let url = values.url as string | undefined;
      // The bench is one client sending many searches: the per-client search limit would stop it.
      const config = { ...ctx.config, searchLimitPerMinute: 1_000_000 };
      const app = url ? undefined : (await buildOwnApp({ config, log: ctx.log, db: store.db, now: () => new Date(), secret: await instanceSecret(store.db, ctx.config.secret) })).app;
      if (app) url = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const base = url!.replace(/\/+$/, '');
        if (heavy !== undefined) printStarvation(await benchStarvation(base, { heavy, seconds }), values.json === true);
        else print(`search latency over HTTP (${client} client)`, await benchLatency(base, queries, papers, client, app?.server), values.json === true);
      } finally {
        await app?.close();
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};

function print(title: string, r: LatencyReport, json: boolean): void {
  process.stdout.write(
    `${title}: ${r.papers.toLocaleString('en-US')} papers, ${r.queries} queries, one at a time\n` +
      `p50 ${r.p50_ms} ms  p95 ${r.p95_ms} ms  p99 ${r.p99_ms} ms  mean ${r.mean_ms} ms  max ${r.max_ms} ms\n` +
      Object.entries(r.by_kind).map(([k, v]) => `  ${k.padEnd(16)} p50 ${v.p50_ms} ms  p95 ${v.p95_ms} ms\n`).join('') +
      (r.server ? `  the server's own time per request: p50 ${r.server.p50_ms} ms  p95 ${r.server.p95_ms} ms\n` : '') +
      (r.top_lists ? `  top lists (warm-up included): lone word ${r.top_lists.lone}, several lists ${r.top_lists.lists}, among listed ${r.top_lists.amongListed}, declined ${r.top_lists.declined}\n` : '') +
      (r.summed ? `  bm25() of several words (warm-up included): summed ${r.summed.summed}, left to FTS5 ${r.summed.tooMany} (too many matches), ${r.summed.disagreed} (text disagreed)\n` : ''),
  );
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
}

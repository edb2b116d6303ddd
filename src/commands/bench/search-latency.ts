// `paperboy bench search-latency`: search latency on the store's own papers, over HTTP or as CPU time
// in-process (the queries and timing are in src/search/bench/latency.ts).
import { countPapers } from '../../papers/index.ts';
import { benchCpu, benchLatency, buildQueries, type LatencyReport } from '../../search/bench/latency.ts';
import { instanceSecret } from '../../store/settings.ts';
import { buildOwnApp } from '../../app.ts';
import { openMigratedStore, type Mode } from '../command.ts';

const SORTS = ['relevance', 'newest', 'upvotes'];

export const mode: Mode = {
  help: `
Usage: paperboy bench search-latency [--queries N] [--sort relevance|newest|upvotes] [--url URL | --cpu] [--json]

Sends N (default 1000) search queries built from the store's own titles (one to three words, whole
titles, phrases, filtered and sorted variants) one at a time over HTTP to the real app started on
loopback (or to --url), and prints p50/p95/p99 per query.

  --sort S every query sorted by S (default: the mix's own, mostly relevance), e.g. to time
           "most upvoted"
  --cpu    instead runs them through searchPapers in this process and reports the CPU time each
           takes (meaningful on a loaded machine, where wall-clock is not)
  --json   also print one JSON object as the last line

Example:
  DATABASE_URL=sqlite:/tmp/arxiv.db paperboy import ../shared/data/arxiv/papers.jsonl.gz
  DATABASE_URL=sqlite:/tmp/arxiv.db paperboy bench search-latency
`,
  options: {
    queries: { type: 'string', default: '1000' },
    sort: { type: 'string' },
    url: { type: 'string' },
    cpu: { type: 'boolean', default: false },
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
    const store = await openMigratedStore(ctx);
    try {
      const papers = await countPapers(store.db);
      if (papers === 0) {
        process.stderr.write('paperboy bench search-latency: the store has no papers; import some first, e.g. paperboy import ../shared/data/arxiv/papers.jsonl.gz\n');
        return 1;
      }
      const mix = await buildQueries(store.db, count);
      const queries = sort ? mix.map((q) => ({ ...q, params: { ...q.params, sort } })) : mix;
      if (values.cpu) {
        print('search CPU time in-process', await benchCpu(store.db, queries, papers), values.json === true);
        return 0;
      }
      let url = values.url as string | undefined;
      const app = url ? undefined : (await buildOwnApp({ config: ctx.config, log: ctx.log, db: store.db, dialect: store.dialect, now: () => new Date(), secret: await instanceSecret(store.db, ctx.config.secret) })).app;
      if (app) url = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        print('search latency over HTTP', await benchLatency(url!.replace(/\/+$/, ''), queries, papers), values.json === true);
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
      Object.entries(r.by_kind).map(([k, v]) => `  ${k.padEnd(16)} p50 ${v.p50_ms} ms  p95 ${v.p95_ms} ms\n`).join(''),
  );
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
}

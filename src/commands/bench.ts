// `paperboy bench …`: measurements printed as figures (and a JSON line with --json), never timed tests.
import { instanceSecret } from '../store/settings.ts';
import type { Db } from '../store/db.ts';
import { DatasetError } from '../search/beir.ts';
import { benchRelevance } from '../search/bench/relevance.ts';
import type { SearchMode } from '../search/search.ts';
import type { SemanticSearch } from '../search/semantic.ts';
import { benchCpu, benchLatency, buildQueries } from '../search/bench/latency.ts';
import { random, readSource, syntheticPaper } from '../search/bench/synthetic.ts';
import { countPapers, upsertPapers, type PaperInput } from '../papers/index.ts';
import { createProgress } from '../lib/progress.ts';
import { buildApp } from '../web/app.ts';
import { openMigratedStore, type Command, type CommandContext } from './command.ts';

const MODES: SearchMode[] = ['keyword', 'semantic', 'hybrid'];

export const command: Command = {
  name: 'bench',
  summary: 'Measure quality, speed and memory (bench search | search-latency | generate | digest)',
  help: `
Usage: paperboy bench search --dataset DIR [--mode keyword|semantic|hybrid] [--json]
       paperboy bench search-latency [--queries N] [--url URL | --cpu] [--json]
       paperboy bench generate --papers N --from FILE.jsonl.gz
       paperboy bench digest [--subscribers N] [--concurrency C]

  search   Loads a BEIR-format folder (corpus.jsonl[.gz] with _id,title,text; queries.jsonl;
           qrels-test.tsv or qrels/test.tsv) into the database named by DATABASE_URL, which must
           be empty (or hold this same dataset from an earlier run), runs every judged query
           through the same code path as /api/papers/search, and prints nDCG@10, Recall@100,
           MRR@10 and per-query latency p50/p95/p99. Each document becomes a paper with the
           arXiv id "beir.<_id>".
           --mode keyword   BM25 only (default)
           --mode semantic  vectors only; --mode hybrid  fused (both need an embedding provider)
           --json           also print one JSON object as the last line

  search-latency
           Sends N (default 1000) search queries built from the store's own titles (one to three
           words, whole titles, phrases, filtered and sorted variants) one at a time over HTTP to
           the real app started on loopback (or to --url), and prints p50/p95/p99 per query.
           --cpu  instead runs them through searchPapers in this process and reports the CPU
                  time each takes (meaningful on a loaded machine, where wall-clock is not)
  generate Adds N synthetic papers ("syn.<n>": sentences and title words of FILE recombined, so
           term statistics stay realistic) through the normal store, for scale benches.

  digest   Loads the shipped sample into a throwaway SQLite database, adds N confirmed subscribers
           (default 10000) with a spread of topic filters, renders the latest day's digest for all
           of them, and sends every message to an in-process loopback SMTP server with C connections
           (default 8). Prints digests/s, messages/s and peak memory. Touches nothing of yours.

Other benches: paperboy bench-harvest, bench-api, bench-pages, bench-http (see README).

Examples:
  DATABASE_URL=sqlite:/tmp/scifact.db paperboy bench search --dataset ../shared/data/beir/scifact
  DATABASE_URL=sqlite:/tmp/arxiv.db paperboy import ../shared/data/arxiv/papers.jsonl.gz
  DATABASE_URL=sqlite:/tmp/arxiv.db paperboy bench search-latency
`,
  options: {
    dataset: { type: 'string' },
    mode: { type: 'string', default: 'keyword' },
    json: { type: 'boolean', default: false },
    queries: { type: 'string', default: '1000' },
    url: { type: 'string' },
    cpu: { type: 'boolean', default: false },
    papers: { type: 'string' },
    from: { type: 'string' },
    subscribers: { type: 'string' },
    concurrency: { type: 'string' },
  },
  async run(ctx, { values, positionals }) {
    const [what] = positionals;
    if (what === 'search') return benchSearch(ctx, values);
    if (what === 'search-latency') return benchSearchLatency(ctx, values);
    if (what === 'generate') return generate(ctx, values);
    if (what === 'digest') return benchDigest(ctx, values);
    process.stderr.write(`paperboy bench: name what to do: search, search-latency, generate or digest. Run "paperboy bench --help".\n`);
    return 2;
  },
};

async function benchSearch(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
  const dataset = values.dataset as string | undefined;
  const mode = values.mode as SearchMode;
  if (!dataset) {
    process.stderr.write('paperboy bench search: --dataset DIR is required (a BEIR folder such as ../shared/data/beir/scifact)\n');
    return 2;
  }
  if (!MODES.includes(mode)) {
    process.stderr.write(`paperboy bench search: --mode must be one of ${MODES.join(', ')}, got "${mode}"\n`);
    return 2;
  }
  const store = await openMigratedStore(ctx);
  let semantic: SemanticSearch | undefined;
  try {
    const openSemantic = async () => {
      if (mode === 'keyword') return undefined;
      semantic = await openSemanticFor(ctx, store.db);
      return semantic;
    };
    const r = await benchRelevance(store.db, dataset, mode, openSemantic);
    process.stdout.write(
      `${r.dataset} (${r.docs.toLocaleString('en-US')} docs, ${r.queries} queries, mode ${r.mode}${r.model ? `, model ${r.model}, fusion weight ${r.fusion_weight}` : ''}, loaded in ${r.load_s}s)\n` +
        `nDCG@10 ${r.ndcg_at_10.toFixed(4)}  Recall@100 ${r.recall_at_100.toFixed(4)}  MRR@10 ${r.mrr_at_10.toFixed(4)}\n` +
        `latency per query: p50 ${r.p50_ms} ms  p95 ${r.p95_ms} ms  p99 ${r.p99_ms} ms\n`,
    );
    if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
    return 0;
  } catch (err) {
    if (!(err instanceof DatasetError)) throw err;
    process.stderr.write(`paperboy bench search: ${err.message}\n`);
    return 1;
  } finally {
    await semantic?.close();
    await store.close();
  }
}

/**
 * The configured embedder (EMBEDDINGS, EMBEDDING_MODEL) with every paper of the store embedded: the same
 * semantic search `serve` runs. Vectors are cached per model and text, so a rerun embeds nothing.
 */
async function openSemanticFor(ctx: CommandContext, db: Db): Promise<SemanticSearch> {
  // Loaded here, not at the top: every command module is imported for `paperboy --help`.
  const { createSemanticSearch } = await import('../search/semantic.ts');
  const semantic = await createSemanticSearch({ db, config: ctx.config, log: ctx.log });
  if (!semantic || !(await semantic.whenLoaded())) {
    const why = semantic?.status().error ?? `EMBEDDINGS=${ctx.config.embeddings.mode} gives no embedding provider`;
    await semantic?.close();
    throw new DatasetError(`semantic and hybrid modes need an embedding model: ${why}. Set EMBEDDINGS=builtin (no download) or see "Search" in the README.`);
  }
  const progress = createProgress(`embedding with ${semantic.status().model}`);
  await semantic.indexPending({ onProgress: (done, total) => progress.update(done, total) });
  progress.done();
  return semantic;
}

async function benchSearchLatency(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
  const count = Number(values.queries);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    process.stderr.write('paperboy bench search-latency: --queries must be a whole number from 1 to 100000\n');
    return 2;
  }
  const store = await openMigratedStore(ctx);
  try {
    const papers = await countPapers(store.db);
    if (papers === 0) {
      process.stderr.write('paperboy bench search-latency: the store has no papers; import some first, e.g. paperboy import ../shared/data/arxiv/papers.jsonl.gz\n');
      return 1;
    }
    const queries = await buildQueries(store.db, count);
    if (values.cpu) {
      const r = await benchCpu(store.db, queries, papers);
      process.stdout.write(
        `search CPU time in-process: ${r.papers.toLocaleString('en-US')} papers, ${r.queries} queries, one at a time\n` +
          `p50 ${r.p50_ms} ms  p95 ${r.p95_ms} ms  p99 ${r.p99_ms} ms  mean ${r.mean_ms} ms  max ${r.max_ms} ms\n` +
          Object.entries(r.by_kind).map(([k, v]) => `  ${k.padEnd(16)} p50 ${v.p50_ms} ms  p95 ${v.p95_ms} ms\n`).join(''),
      );
      if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
      return 0;
    }
    let url = values.url as string | undefined;
    const app = url ? undefined : await buildApp({ config: ctx.config, log: ctx.log, db: store.db, dialect: store.dialect, now: () => new Date(), secret: await instanceSecret(store.db, ctx.config.secret) });
    if (app) url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const r = await benchLatency(url!.replace(/\/+$/, ''), queries, papers);
      process.stdout.write(
        `search latency over HTTP: ${r.papers.toLocaleString('en-US')} papers, ${r.queries} queries, one at a time\n` +
          `p50 ${r.p50_ms} ms  p95 ${r.p95_ms} ms  p99 ${r.p99_ms} ms  mean ${r.mean_ms} ms  max ${r.max_ms} ms\n` +
          Object.entries(r.by_kind).map(([k, v]) => `  ${k.padEnd(16)} p50 ${v.p50_ms} ms  p95 ${v.p95_ms} ms\n`).join(''),
      );
      if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
    } finally {
      await app?.close();
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function generate(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
  const count = Number(values.papers);
  const from = values.from as string | undefined;
  if (!Number.isInteger(count) || count < 1 || !from) {
    process.stderr.write('paperboy bench generate: give --papers N (a whole number) and --from FILE (JSONL of real papers, e.g. ../shared/data/arxiv/papers.jsonl.gz)\n');
    return 2;
  }
  const src = await readSource(from);
  const store = await openMigratedStore(ctx);
  try {
    const start = (await countPapers(store.db)) + 1;
    const rnd = random(start);
    const progress = createProgress('generating papers');
    const started = Date.now();
    for (let done = 0; done < count; ) {
      const batch: PaperInput[] = [];
      for (let i = 0; i < 2000 && done + i < count; i++) batch.push(syntheticPaper(src, start + done + i, rnd));
      await store.db.transaction().execute((tx) => upsertPapers(tx, batch));
      done += batch.length;
      progress.update(done, count);
    }
    progress.done();
    process.stdout.write(`added ${count.toLocaleString('en-US')} synthetic papers in ${((Date.now() - started) / 1000).toFixed(0)}s; the store now has ${(await countPapers(store.db)).toLocaleString('en-US')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function benchDigest(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
  const subscribers = Number(values.subscribers ?? 10_000);
  const concurrency = Number(values.concurrency ?? 8);
  if (!Number.isInteger(subscribers) || subscribers < 1 || subscribers > 10_000_000) {
    process.stderr.write('paperboy bench digest: --subscribers must be a whole number from 1 to 10000000\n');
    return 2;
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
    process.stderr.write('paperboy bench digest: --concurrency must be a whole number from 1 to 100\n');
    return 2;
  }
  const { runDigestBench } = await import('../digest/bench.ts');
  await runDigestBench({ subscribers, concurrency, log: ctx.log, write: (line) => process.stdout.write(line + '\n') });
  return 0;
}

// `paperboy bench …`: measurements printed as figures (and a JSON line with --json), never timed tests.
import { DatasetError } from '../search/beir.ts';
import { benchRelevance } from '../search/bench/relevance.ts';
import type { SearchMode } from '../search/search.ts';
import type { SemanticSearch } from '../search/semantic.ts';
import { openMigratedStore, type Command, type CommandContext } from './command.ts';

const MODES: SearchMode[] = ['keyword', 'semantic', 'hybrid'];

export const command: Command = {
  name: 'bench',
  summary: 'Measure search quality and speed (bench search, bench search-latency)',
  help: `
Usage: paperboy bench search --dataset DIR [--mode keyword|semantic|hybrid] [--json]

  search   Loads a BEIR-format folder (corpus.jsonl[.gz] with _id,title,text; queries.jsonl;
           qrels-test.tsv or qrels/test.tsv) into the database named by DATABASE_URL, which must
           be empty (or hold this same dataset from an earlier run), runs every judged query
           through the same code path as /api/papers/search, and prints nDCG@10, Recall@100,
           MRR@10 and per-query latency p50/p95/p99. Each document becomes a paper with the
           arXiv id "beir.<_id>".
           --mode keyword   BM25 only (default)
           --mode semantic  vectors only; --mode hybrid  fused (both need an embedding provider)
           --json           also print one JSON object as the last line

Example:
  DATABASE_URL=sqlite:/tmp/scifact.db paperboy bench search --dataset ../shared/data/beir/scifact
`,
  options: {
    dataset: { type: 'string' },
    mode: { type: 'string', default: 'keyword' },
    json: { type: 'boolean', default: false },
  },
  async run(ctx, { values, positionals }) {
    const [what] = positionals;
    if (what === 'search') return benchSearch(ctx, values);
    process.stderr.write(`paperboy bench: name what to measure: search. Run "paperboy bench --help".\n`);
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
  try {
    const semantic = mode === 'keyword' ? undefined : await semanticFor(ctx);
    if (mode !== 'keyword' && !semantic) {
      process.stderr.write(
        `paperboy bench search: --mode ${mode} needs an embedding provider, and none is available in this build ` +
          `(see "Search" in the README to configure EMBEDDINGS). Use --mode keyword.\n`,
      );
      return 2;
    }
    const r = await benchRelevance(store.db, dataset, mode, semantic);
    process.stdout.write(
      `${r.dataset} (${r.docs.toLocaleString('en-US')} docs, ${r.queries} queries, mode ${r.mode}, loaded in ${r.load_s}s)\n` +
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
    await store.close();
  }
}

/** The semantic half for the bench. TODO(#9, embed): createSemanticSearch(...) from the semantic module. */
async function semanticFor(_ctx: CommandContext): Promise<SemanticSearch | undefined> {
  return undefined;
}

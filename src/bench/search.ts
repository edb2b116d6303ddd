// `paperboy bench search`: relevance and latency on a BEIR folder (the measuring is in search-relevance.ts).
import type { Db } from '../store/db.ts';
import { DatasetError } from './beir.ts';
import { benchRelevance } from './search-relevance.ts';
import type { SearchMode } from '../search/search.ts';
import type { SemanticSearch } from '../search/semantic.ts';
import { createProgress } from '../lib/progress.ts';
import { openMigratedStore, type CommandContext, type Mode } from '../commands/command.ts';

const MODES: SearchMode[] = ['keyword', 'semantic', 'hybrid'];

export const mode: Mode = {
  help: `
Usage: paperboy bench search --dataset DIR [--mode keyword|semantic|hybrid] [--fusion-weight W] [--look-alikes] [--json]

Loads a BEIR-format folder (corpus.jsonl[.gz] with _id,title,text; queries.jsonl; qrels-test.tsv or
qrels/test.tsv) into the database named by DATABASE_URL, which must be empty (or hold this same
dataset from an earlier run, or every corpus document as a paper whose arXiv id is its _id, as
after "paperboy import" of the papers the corpus was drawn from), runs every judged query through the same code path as
/api/papers/search, and prints nDCG@10, Recall@100, MRR@10, success@10 and per-query latency
p50/p95/p99.
Each document becomes a paper with the arXiv id "beir.<_id>".

  --mode keyword   BM25 only (default)
  --mode semantic  vectors only; --mode hybrid  fused (both need an embedding provider)
  --fusion-weight W  in hybrid mode, the semantic weight (0–1) instead of the provider's own,
                   to compare weights on a dataset
  --look-alikes    known-item sets: also count each query's look-alikes, the papers whose titles
                   hold its words in the same order (function words aside), and print the chance
                   baseline: MRR@10 and success@10 with the paper at a random place among them
  --json           also print one JSON object as the last line

Example:
  DATABASE_URL=sqlite:/tmp/scifact.db paperboy bench search --dataset ../shared/data/beir/scifact
  DATABASE_URL=sqlite:/tmp/arxiv.db paperboy import ../shared/data/arxiv/papers.jsonl.gz
  DATABASE_URL=sqlite:/tmp/arxiv.db paperboy bench search --dataset ../shared/data/known-item
`,
  options: {
    dataset: { type: 'string' },
    mode: { type: 'string', default: 'keyword' },
    'fusion-weight': { type: 'string' },
    'look-alikes': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  async run(ctx, { values }) {
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
    const weight = values['fusion-weight'] === undefined ? undefined : Number(values['fusion-weight']);
    if (weight !== undefined && !(mode === 'hybrid' && weight >= 0 && weight <= 1)) {
      process.stderr.write('paperboy bench search: --fusion-weight takes a number from 0 to 1, with --mode hybrid\n');
      return 2;
    }
    const store = await openMigratedStore(ctx);
    let semantic: SemanticSearch | undefined;
    try {
      const openSemantic = async () => {
        if (mode === 'keyword') return undefined;
        semantic = await openSemanticFor(ctx, store.db);
        return weight === undefined ? semantic : withFusionWeight(semantic, weight);
      };
      const r = await benchRelevance(store.db, dataset, mode, openSemantic, { lookAlikes: values['look-alikes'] === true, log: ctx.log });
      process.stdout.write(
        `${r.dataset} (${r.docs.toLocaleString('en-US')} docs, ${r.queries} queries, mode ${r.mode}${r.model ? `, model ${r.model}, fusion weight ${r.fusion_weight}` : ''}, loaded in ${r.load_s}s)\n` +
          `nDCG@10 ${r.ndcg_at_10.toFixed(4)}  Recall@100 ${r.recall_at_100.toFixed(4)}  MRR@10 ${r.mrr_at_10.toFixed(4)}  success@10 ${r.success_at_10.toFixed(4)}\n` +
          `latency per query: p50 ${r.p50_ms} ms  p95 ${r.p95_ms} ms  p99 ${r.p99_ms} ms\n` +
          (r.look_alikes ? `look-alikes: ${r.look_alikes.tied_queries} queries have more than one, ${r.look_alikes.over_ten} more than ten; at random among them: MRR@10 ${r.look_alikes.mrr_at_10.toFixed(4)}  success@10 ${r.look_alikes.success_at_10.toFixed(4)}\n` : ''),
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
  },
};

/**
 * The configured embedder (EMBEDDINGS, EMBEDDING_MODEL) with every paper of the store embedded: the same
 * semantic search `serve` runs. Vectors are cached per model and text, so a rerun embeds nothing.
 */
async function openSemanticFor(ctx: CommandContext, db: Db): Promise<SemanticSearch> {
  // Loaded here, not at the top: keyword mode needs no embedding code.
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

/** The same semantic search, fused with another weight. */
function withFusionWeight(semantic: SemanticSearch, fusionWeight: number): SemanticSearch {
  return { ...semantic, status: () => ({ ...semantic.status(), fusionWeight }) };
}

// `paperboy bench search`: loads a BEIR folder through the normal store and runs every query through
// searchPapers, the same path as /api/papers/search, then scores the rankings.
import { sql } from 'kysely';
import { countPapers, upsertPapers } from '../papers/index.ts';
import type { Db } from '../store/db.ts';
import { refreshStatistics } from '../store/postgres.ts';
import { createProgress } from '../lib/progress.ts';
import { BEIR_ID_PREFIX, DatasetError, readBeirCorpus, readBeirQrels, readBeirQueries } from './beir.ts';
import { mean, mrrAt, ndcgAt, percentile, recallAt, successAt } from './metrics.ts';
import { searchPapers, type SearchMode } from '../search/search.ts';
import type { SemanticSearch } from '../search/semantic.ts';
import { knownItemLookAlikes, type KnownItemLookAlikes } from './known-item-look-alikes.ts';
import { prepareSearch } from '../search/terms-job.ts';
import type { Logger } from '../log.ts';

export interface RelevanceReport {
  dataset: string;
  mode: SearchMode;
  docs: number;
  queries: number;
  ndcg_at_10: number;
  recall_at_100: number;
  mrr_at_10: number;
  /** Share of queries with a relevant paper in the top 10 (for known-item sets: the paper was found). */
  success_at_10: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  load_s: number;
  /** With `lookAlikes`: the chance baseline among titles holding the typed words (known-item-look-alikes.ts). */
  look_alikes?: KnownItemLookAlikes;
}

/**
 * Loads the corpus unless the store already holds exactly this dataset. A store that holds other
 * papers is used as it is when every corpus `_id` is the arXiv id of one of its papers (a corpus
 * drawn from arXiv, such as known-item, over a store filled with `paperboy import`): the papers then
 * keep their authors and dates. `prefix` is what the store puts before a corpus `_id`.
 */
async function loadBeirCorpus(db: Db, dir: string): Promise<{ docs: number; seconds: number; prefix: string }> {
  const existing = await countPapers(db);
  if (existing > 0) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM paper WHERE arxiv_id NOT LIKE ${BEIR_ID_PREFIX + '%'}`.execute(db);
    if (Number(rows[0]?.n) > 0) {
      const docs = await countCorpusInStore(db, dir);
      if (docs !== undefined) return { docs, seconds: 0, prefix: '' };
      throw new DatasetError(
        `the database named by DATABASE_URL already holds ${existing.toLocaleString('en-US')} papers that are not this corpus; ` +
          'point DATABASE_URL at an empty one, e.g. DATABASE_URL=sqlite:/tmp/bench.db',
      );
    }
  }
  const started = Date.now();
  const progress = createProgress('loading corpus');
  let docs = 0;
  for await (const batch of readBeirCorpus(dir)) {
    await db.transaction().execute((tx) => upsertPapers(tx, batch));
    docs += batch.length;
    progress.update(docs);
  }
  progress.done();
  await refreshStatistics(db);
  return { docs, seconds: (Date.now() - started) / 1000, prefix: BEIR_ID_PREFIX };
}

/** The corpus size when every document's `_id` is the arXiv id of a stored paper, else undefined. */
async function countCorpusInStore(db: Db, dir: string): Promise<number | undefined> {
  let docs = 0;
  for await (const batch of readBeirCorpus(dir)) {
    const ids = batch.map((p) => p.arxivId.slice(BEIR_ID_PREFIX.length));
    const found = await db.selectFrom('paper').select((eb) => eb.fn.countAll<number>().as('n')).where('arxiv_id', 'in', ids).executeTakeFirst();
    if (Number(found?.n ?? 0) < ids.length) return undefined;
    docs += ids.length;
  }
  return docs;
}

/**
 * `openSemantic` runs once the corpus is in the store (a corpus-learned embedder trains on it) and
 * returns semantic search with every paper embedded, or undefined for keyword mode.
 */
export async function benchRelevance(
  db: Db, dir: string, mode: SearchMode, openSemantic: () => Promise<SemanticSearch | undefined>, options: { lookAlikes?: boolean; log?: Logger } = {},
): Promise<RelevanceReport & { model?: string | undefined; fusion_weight?: number | undefined }> {
  const [queries, qrels] = await Promise.all([readBeirQueries(dir), readBeirQrels(dir)]);
  const { docs, seconds, prefix } = await loadBeirCorpus(db, dir);
  // As a serving instance keeps them (the search-top-lists job): built now if stale.
  if (options.log) await prepareSearch(db, options.log);
  const semantic = await openSemantic();
  const judged = queries.filter((q) => [...(qrels.get(q.id)?.values() ?? [])].some((g) => g > 0));
  if (judged.length === 0) throw new DatasetError(`${dir}: no query in queries.jsonl has a relevant document in the qrels`);
  const ndcg: number[] = [];
  const recall: number[] = [];
  const mrr: number[] = [];
  const success: number[] = [];
  const times: number[] = [];
  const progress = createProgress('running queries');
  for (const q of judged) {
    const started = performance.now();
    const outcome = await searchPapers(db, q.text, { limit: 100, offset: 0, sort: 'relevance', mode, withoutSnippets: false, timeBudgetMs: Infinity }, semantic);
    times.push(performance.now() - started);
    const ranked = outcome.results.map((r) => r.paper.arxivId.slice(prefix.length));
    const j = qrels.get(q.id)!;
    ndcg.push(ndcgAt(ranked, j, 10));
    recall.push(recallAt(ranked, j, 100));
    mrr.push(mrrAt(ranked, j, 10));
    success.push(successAt(ranked, j, 10));
    progress.update(times.length, judged.length);
  }
  progress.done();
  const round = (x: number, d = 4) => Number(x.toFixed(d));
  return {
    dataset: dir.replace(/\/+$/, '').split('/').pop() ?? dir,
    mode,
    docs,
    queries: judged.length,
    ndcg_at_10: round(mean(ndcg)),
    recall_at_100: round(mean(recall)),
    mrr_at_10: round(mean(mrr)),
    success_at_10: round(mean(success)),
    p50_ms: round(percentile(times, 50), 2),
    p95_ms: round(percentile(times, 95), 2),
    p99_ms: round(percentile(times, 99), 2),
    load_s: round(seconds, 1),
    ...(options.lookAlikes ? { look_alikes: await knownItemLookAlikes(db, judged, qrels, prefix) } : {}),
    ...(semantic ? { model: semantic.status().model, fusion_weight: semantic.status().fusionWeight } : {}),
  };
}

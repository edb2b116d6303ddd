// The `summarize` job: key phrases and a TL;DR for every paper without them or changed since
// (newest first, in batches, so a backfill of the whole store resumes where it stopped), then, when
// SUMMARY_URL is set, a model-written summary for up to SUMMARY_MAX_PER_RUN papers. Enqueued after
// a harvest stored papers and every 5 minutes as a safety net; `paperboy summarize` runs it once.
// A failing model leaves the offline summary in place and is tried again later.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import type { AroundConfig } from '../config-around.ts';
import type { Logger } from '../log.ts';
import { keywordIndexFor, type TermStats } from '../search/index.ts';
import type { Db } from '../store/db.ts';
import { createChatSummarizer, SummaryError, type ModelSummary } from './chat-client.ts';
import { extractSummary, stemsOf } from './extract.ts';
import { turnTaker } from '../lib/turns.ts';

export const SUMMARY_JOB = 'summarize';
export const SUMMARY_CRON = '*/5 * * * *';
const BATCH = 200;
/** Words whose document frequency is looked up between turns (each lookup ~60 µs). */
const LOOKUPS_PER_TURN = 100;
/**
 * Document frequencies kept for the rest of a run: a whole store's vocabulary (~150,000 words at
 * 75,000 papers) fits, and past this the memo starts over rather than grow with a bigger store.
 */
const MEMO_MAX_WORDS = 500_000;
/** After a failed model call, the paper waits this long (an outage) or a day (a refused paper). */
const RETRY_AFTER_OUTAGE_MS = 3_600_000;
const RETRY_AFTER_REFUSAL_MS = 86_400_000;

export interface SummaryJobDeps {
  db: Db;
  log: Logger;
  now: () => Date;
  around: AroundConfig;
  /** First retry wait of a failed model call (doubling); tests shorten it. */
  retryBaseMs?: number;
}

export interface SummaryCounts {
  extracted: number;
  modelWritten: number;
  modelFailed: number;
}

/** Extracts key phrases and TL;DRs for papers lacking current ones; returns how many. */
export async function extractPending(db: Db, now: () => Date, signal?: AbortSignal, onBatch?: (done: number) => void): Promise<number> {
  const stats = runStats(db);
  const turn = turnTaker();
  let done = 0;
  // Each batch starts below the last one's papers: looking again from the newest would step over
  // every paper already done, a longer scan with each batch (125 ms at 30,000 papers into a backfill
  // of 75,000). A paper added or changed meanwhile above that point waits for the next run.
  let below: number | undefined;
  for (;;) {
    if (signal?.aborted) return done;
    const papers = await db
      .selectFrom('paper')
      .leftJoin('paper_summary', 'paper_summary.paper_id', 'paper.id')
      .select(['paper.id', 'paper.title', 'paper.abstract', 'paper.content_hash'])
      .$if(below !== undefined, (qb) => qb.where('paper.id', '<', below!))
      .where((eb) => eb.or([eb('paper_summary.paper_id', 'is', null), eb('paper_summary.source_hash', '<>', eb.ref('paper.content_hash'))]))
      .orderBy('paper.id', 'desc')
      .limit(BATCH)
      .execute();
    if (papers.length === 0) return done;
    below = papers[papers.length - 1]!.id;
    const stems: string[] = [];
    for (const p of papers) {
      stems.push(...stemsOf(p.title, p.abstract));
      await turn();
    }
    const batchStats = await stats(stems);
    const stamp = now().toISOString();
    const rows = [];
    for (const p of papers) {
      // About a millisecond a paper: without turns of the event loop, a backfill of the whole store
      // in the server's own process would hold every request (and the server's start) until it ended.
      await turn();
      const s = extractSummary(p.title, p.abstract, batchStats);
      rows.push({ paper_id: p.id, key_phrases: JSON.stringify(s.keyPhrases), tldr: s.tldr ?? '', source_hash: p.content_hash, computed_at: stamp });
    }
    await db
      .insertInto('paper_summary')
      .values(rows)
      .onConflict((oc) =>
        oc.column('paper_id').doUpdateSet((eb) => ({
          key_phrases: eb.ref('excluded.key_phrases'),
          tldr: eb.ref('excluded.tldr'),
          source_hash: eb.ref('excluded.source_hash'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
    done += rows.length;
    onBatch?.(done);
  }
}

/**
 * Word statistics for a run of batches. Writing summaries bumps the search version, which empties
 * the index's own document-frequency cache after every batch, so each batch would look up its ~3,500
 * words again (a third of a backfill's time). A summary's weights do not need frequencies to the
 * paper: those seen earlier in the run are reused, and new ones are looked up in slices with a turn
 * of the event loop between them.
 */
function runStats(db: Db): (stems: string[]) => Promise<TermStats> {
  const index = keywordIndexFor(db);
  const known = new Map<string, number>();
  let totals: Omit<TermStats, 'docFreq'> | undefined;
  return async (stems) => {
    if (known.size > MEMO_MAX_WORDS) known.clear();
    const missing = [...new Set(stems)].filter((s) => !known.has(s));
    for (let i = 0; i < missing.length || !totals; i += LOOKUPS_PER_TURN) {
      const slice = missing.slice(i, i + LOOKUPS_PER_TURN);
      const { docFreq, ...rest } = await index.termStats(db, slice);
      totals = rest;
      for (const s of slice) known.set(s, docFreq.get(s) ?? 0);
      await nextTurn();
    }
    return { ...totals, docFreq: known };
  };
}

/** Asks the model for papers whose model summary is missing or stale; stops early when the endpoint is down. */
export async function summarizeWithModel(deps: SummaryJobDeps, signal?: AbortSignal): Promise<Pick<SummaryCounts, 'modelWritten' | 'modelFailed'>> {
  const { db, around } = deps;
  const counts = { modelWritten: 0, modelFailed: 0 };
  if (!around.summaryUrl || !around.summaryModel) return counts;
  const summarize = createChatSummarizer({ url: around.summaryUrl, apiKey: around.summaryApiKey, model: around.summaryModel, baseBackoffMs: deps.retryBaseMs });
  const stamp = deps.now().toISOString();
  const papers = await db
    .selectFrom('paper')
    .innerJoin('paper_summary', 'paper_summary.paper_id', 'paper.id')
    .select(['paper.id', 'paper.arxiv_id', 'paper.title', 'paper.abstract', 'paper.content_hash'])
    .where((eb) => eb.or([eb('paper_summary.ai_source_hash', 'is', null), eb('paper_summary.ai_source_hash', '<>', eb.ref('paper.content_hash')), eb('paper_summary.ai_model', '<>', around.summaryModel!)]))
    .where((eb) => eb.or([eb('paper_summary.ai_retry_at', 'is', null), eb('paper_summary.ai_retry_at', '<=', stamp)]))
    .orderBy('paper.announced_on', 'desc')
    .orderBy('paper.id', 'desc')
    .limit(around.summaryMaxPerRun)
    .execute();
  for (const p of papers) {
    if (signal?.aborted) break;
    let answer: ModelSummary;
    try {
      answer = await summarize(p.title, p.abstract, signal);
    } catch (err) {
      if (signal?.aborted) break;
      const retryable = err instanceof SummaryError ? err.retryable : true;
      const retryAt = new Date(deps.now().getTime() + (retryable ? RETRY_AFTER_OUTAGE_MS : RETRY_AFTER_REFUSAL_MS)).toISOString();
      await db.updateTable('paper_summary').set({ ai_error: (err as Error).message.slice(0, 500), ai_retry_at: retryAt }).where('paper_id', '=', p.id).execute();
      counts.modelFailed++;
      deps.log.warn('summary_model_failed', { arxiv_id: p.arxiv_id, error: (err as Error).message, retry_at: retryAt });
      // An outage fails every paper alike: stop asking until the next run.
      if (retryable) break;
      continue;
    }
    await db
      .updateTable('paper_summary')
      .set({ ai_summary: answer.summary, ai_keywords: JSON.stringify(answer.keywords), ai_model: around.summaryModel!, ai_source_hash: p.content_hash, ai_at: deps.now().toISOString(), ai_error: null, ai_retry_at: null })
      .where('paper_id', '=', p.id)
      .execute();
    counts.modelWritten++;
  }
  return counts;
}

export async function runSummaries(deps: SummaryJobDeps, signal?: AbortSignal, onBatch?: (done: number) => void): Promise<SummaryCounts> {
  const started = Date.now();
  const extracted = await extractPending(deps.db, deps.now, signal, onBatch);
  const model = await summarizeWithModel(deps, signal);
  const counts = { extracted, ...model };
  if (extracted + model.modelWritten + model.modelFailed > 0) deps.log.info('summaries_done', { extracted, model_written: model.modelWritten, model_failed: model.modelFailed, duration_ms: Date.now() - started });
  return counts;
}


/** Papers still waiting for key phrases (for `paperboy summarize`'s progress bar). */
export async function countPendingSummaries(db: Db): Promise<number> {
  const row = await db
    .selectFrom('paper')
    .leftJoin('paper_summary', 'paper_summary.paper_id', 'paper.id')
    .select(sql<number>`count(*)`.as('n'))
    .where((eb) => eb.or([eb('paper_summary.paper_id', 'is', null), eb('paper_summary.source_hash', '<>', eb.ref('paper.content_hash'))]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

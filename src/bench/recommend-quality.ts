// The offline recommendation benchmark (users are authors: their library is their own earlier papers,
// the papers to find are the ones they wrote later). Libraries are written through the product's own
// savePaper, lists come from recommendForUser with follows and votes ignored: content only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.ts';
import { ensureUser } from '../accounts/index.ts';
import { findPaperIdsByArxivIds, latestAnnouncedOn } from '../papers/index.ts';
import { savePaper } from '../library/index.ts';
import { recommendForUser, type RankWeights, type Stages, DEFAULT_STAGES, DEFAULT_WEIGHTS } from '../recommend/index.ts';
import { loadWindow } from '../recommend/window.ts';

export interface BenchUser {
  user: string;
  library: string[];
  since: string;
}

export interface RecommendBenchResult {
  ndcg_at_20: number;
  recall_at_50: number;
  p50_ms: number;
  p95_ms: number;
  /** CPU time of this process per list: what the latency would be on an idle machine, less waiting for the database. */
  cpu_p50_ms: number;
  cpu_p95_ms: number;
  users: number;
  /**
   * The same metrics over the users at even (u0001, u0003, …) and odd positions of users.jsonl:
   * parameters were chosen on the even half, so the odd half is the held-out check.
   */
  halves: { even: { ndcg_at_20: number; recall_at_50: number; users: number }; odd: { ndcg_at_20: number; recall_at_50: number; users: number } };
  window_papers: number;
  window_build_ms: number;
  weights: RankWeights;
  stages: Stages;
}

export class DatasetError extends Error {}

export function readDataset(dir: string): { users: BenchUser[]; qrels: Map<string, Set<string>> } {
  let usersText: string;
  let qrelsText: string;
  try {
    usersText = readFileSync(join(dir, 'users.jsonl'), 'utf8');
    qrelsText = readFileSync(join(dir, 'qrels.tsv'), 'utf8');
  } catch (err) {
    throw new DatasetError(`cannot read ${dir}/users.jsonl and qrels.tsv: ${(err as Error).message}`);
  }
  const users = usersText.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as BenchUser);
  const qrels = new Map<string, Set<string>>();
  for (const line of qrelsText.split('\n')) {
    const [user, paper] = line.trim().split('\t');
    if (!user || !paper) continue;
    if (!qrels.has(user)) qrels.set(user, new Set());
    qrels.get(user)!.add(paper);
  }
  return { users, qrels };
}

/** nDCG@k with binary relevance. */
export function ndcgAt(ranked: string[], relevant: Set<string>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => { if (relevant.has(id)) dcg += 1 / Math.log2(i + 2); });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

export function recallAt(ranked: string[], relevant: Set<string>, k: number): number {
  if (relevant.size === 0) return 0;
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

export interface BenchOptions {
  weights?: RankWeights;
  stages?: Stages;
  /** Only the first N users (a quick look; the figures to report use all). */
  limitUsers?: number;
  onProgress?: (done: number, total: number) => void;
  now?: Date;
}

const BENCH_DOMAIN = 'recsys-bench.invalid';

export async function benchRecommend(db: Db, dir: string, opts: BenchOptions = {}): Promise<RecommendBenchResult> {
  const dataset = readDataset(dir);
  const users = dataset.users.slice(0, opts.limitUsers ?? dataset.users.length);
  const qrels = dataset.qrels;
  const weights = opts.weights ?? DEFAULT_WEIGHTS;
  const stages = opts.stages ?? DEFAULT_STAGES;
  const now = opts.now ?? new Date();
  const wanted = [...new Set(users.flatMap((u) => u.library))];
  const found = await findPaperIdsByArxivIds(db, wanted);
  if (found.size < wanted.length * 0.9) {
    throw new DatasetError(`the store holds ${found.size} of the ${wanted.length} library papers: import the corpus first, e.g. paperboy import ../shared/data/arxiv/papers.jsonl.gz`);
  }
  const latest = (await latestAnnouncedOn(db))!;
  // Leftovers of an interrupted run would be readers with stale libraries.
  await db.deleteFrom('user_account').where('email', 'like', `%@${BENCH_DOMAIN}`).execute();
  const buildStarted = performance.now();
  const windows = new Map<string, number>();
  for (const since of new Set(users.map((u) => u.since))) windows.set(since, (await loadWindow(db, since, latest, { fresh: true })).papers.length);
  const windowBuildMs = performance.now() - buildStarted;
  const latencies: number[] = [];
  const cpu: number[] = [];
  const perUser: Array<{ ndcg: number; recall: number }> = [];
  try {
    for (const [i, u] of users.entries()) {
      const user = await ensureUser(db, `${u.user.toLowerCase()}@${BENCH_DOMAIN}`, now);
      for (const arxivId of [...u.library].reverse()) {
        const paperId = found.get(arxivId);
        if (paperId !== undefined) await savePaper(db, user.id, paperId, {}, now);
      }
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const list = await recommendForUser(db, user.id, { since: u.since, until: latest, limit: 50, contentOnly: true, weights, stages });
      latencies.push(performance.now() - started);
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1000);
      const ranked = list.items.map((r) => r.paper.arxivId);
      const relevant = qrels.get(u.user) ?? new Set();
      perUser.push({ ndcg: ndcgAt(ranked, relevant, 20), recall: recallAt(ranked, relevant, 50) });
      opts.onProgress?.(i + 1, users.length);
    }
  } finally {
    await db.deleteFrom('user_account').where('email', 'like', `%@${BENCH_DOMAIN}`).execute();
  }
  const pct = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10;
  };
  const mean = (rows: typeof perUser) => ({
    ndcg_at_20: round4(rows.reduce((a, r) => a + r.ndcg, 0) / Math.max(1, rows.length)),
    recall_at_50: round4(rows.reduce((a, r) => a + r.recall, 0) / Math.max(1, rows.length)),
    users: rows.length,
  });
  const all = mean(perUser);
  return {
    ndcg_at_20: all.ndcg_at_20,
    recall_at_50: all.recall_at_50,
    p50_ms: pct(latencies, 0.5),
    p95_ms: pct(latencies, 0.95),
    cpu_p50_ms: pct(cpu, 0.5),
    cpu_p95_ms: pct(cpu, 0.95),
    users: users.length,
    halves: { even: mean(perUser.filter((_, i) => i % 2 === 0)), odd: mean(perUser.filter((_, i) => i % 2 === 1)) },
    window_papers: Math.max(...windows.values()),
    window_build_ms: Math.round(windowBuildMs),
    weights,
    stages,
  };
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

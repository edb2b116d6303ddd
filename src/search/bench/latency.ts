// `paperboy bench search-latency`: queries built from the store's own papers, sent one at a time over
// HTTP to the real app (in-process on loopback, or --url), timed from request to full response.
import { sql } from 'kysely';
import type { Db } from '../../store/db.ts';
import { createProgress } from '../../lib/progress.ts';
import { STOPWORDS, tokenize } from '../analyze.ts';
import { mean, percentile } from '../metrics.ts';
import { parseSearchParams } from '../params.ts';
import { searchPapers } from '../search.ts';
import { random } from './synthetic.ts';

export interface LatencyReport {
  papers: number;
  queries: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  mean_ms: number;
  max_ms: number;
  by_kind: Record<string, { p50_ms: number; p95_ms: number }>;
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
  const { rows } = await sql<{ title: string; category: string }>`SELECT title, primary_category AS category FROM paper ORDER BY random() LIMIT ${count}`.execute(db);
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
export async function benchCpu(db: Db, queries: BenchQuery[], papers: number): Promise<LatencyReport> {
  const run = async (q: BenchQuery) => {
    const p = parseSearchParams(q.params, { limit: 20 });
    if (!p.ok) throw new Error(`bad bench query ${JSON.stringify(q.params)}: ${p.message}`);
    const { q: text, limit, offset, sort, categories, since, until, hasCode } = p.params;
    const before = process.cpuUsage();
    await searchPapers(db, text, { limit, offset, sort, categories, since, until, hasCode });
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  return measure(queries, papers, run);
}

export async function benchLatency(baseUrl: string, queries: BenchQuery[], papers: number): Promise<LatencyReport> {
  const run = async (q: BenchQuery) => {
    const started = performance.now();
    const res = await fetch(`${baseUrl}/api/papers/search?${new URLSearchParams(q.params)}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`search answered ${res.status} for ${JSON.stringify(q.params)}`);
    return performance.now() - started;
  };
  return measure(queries, papers, run);
}

async function measure(queries: BenchQuery[], papers: number, run: (q: BenchQuery) => Promise<number>): Promise<LatencyReport> {
  // Warm caches (SQLite pages, stems) as a running server would have them.
  for (const q of queries.slice(0, Math.min(50, queries.length))) await run(q);
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
  const r2 = (x: number) => Number(x.toFixed(2));
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

// The soak's memory: every 30 s the server's RSS (from /proc) and what its /status says it holds
// (V8 heaps, cache bytes against the budget), and at the end the verdict on whether RSS is flat.
import { readFileSync } from 'node:fs';

export const SAMPLE_EVERY_MS = 30_000;
/** Warm-up lasts at least this long: the harvest replay and the digest send run in it. */
export const MIN_WARMUP_S = 180;
/** Caches have stopped filling when they grew by less than this share of the budget in a minute. */
export const SETTLED_GROWTH = 0.02;
/** Flat: the largest RSS after warm-up is within 10 % of the smallest. */
export const FLAT_RATIO = 1.1;
/** Samples after warm-up needed for a verdict (2.5 minutes). */
export const MIN_SAMPLES_AFTER = 5;

export interface MemorySample {
  /** Seconds since the traffic started. */
  at: number;
  rssMb: number;
  /** From /status; undefined when it did not answer. */
  heapUsedMb?: number;
  threadHeapUsedMb?: number;
  cachedMb?: number;
  budgetMb?: number;
}

export interface Flatness {
  /** Seconds at which warm-up ended, undefined when the caches never settled. */
  warmupEndS: number | undefined;
  samplesAfter: number;
  minMb: number;
  maxMb: number;
  ratio: number;
  /** Least-squares slope of RSS after warm-up, MB per minute: a slow leak shows here first. */
  slopeMbPerMin: number;
  flat: boolean;
  verdict: string;
}

/**
 * Warm-up ends at the first sample from MIN_WARMUP_S on at which the caches (all threads, as
 * /status reports them) grew by less than SETTLED_GROWTH of the budget over the minute before; RSS
 * is flat when, from that sample to the end, max / min ≤ FLAT_RATIO over at least MIN_SAMPLES_AFTER
 * samples.
 */
export function judgeFlatness(samples: MemorySample[]): Flatness {
  const perMinute = Math.round(60_000 / SAMPLE_EVERY_MS);
  const start = samples.findIndex((s, i) => {
    if (s.at < MIN_WARMUP_S || i < perMinute) return false;
    const before = samples[i - perMinute]!;
    if (s.cachedMb === undefined || before.cachedMb === undefined || !s.budgetMb) return false;
    return s.cachedMb - before.cachedMb < SETTLED_GROWTH * s.budgetMb;
  });
  const after = start < 0 ? [] : samples.slice(start);
  const rss = after.map((s) => s.rssMb);
  const minMb = rss.length ? Math.min(...rss) : 0;
  const maxMb = rss.length ? Math.max(...rss) : 0;
  const ratio = minMb > 0 ? maxMb / minMb : 0;
  const slopeMbPerMin = slope(after.map((s) => [s.at / 60, s.rssMb]));
  const warmupEndS = start < 0 ? undefined : samples[start]!.at;
  let flat = false;
  let verdict: string;
  if (start < 0) verdict = `not shown: the caches were still filling at the end (grew by ${(SETTLED_GROWTH * 100).toFixed(0)} % of the budget or more each minute)`;
  else if (after.length < MIN_SAMPLES_AFTER) verdict = `not shown: only ${after.length} samples after warm-up (${warmupEndS} s), ${MIN_SAMPLES_AFTER} needed`;
  else {
    flat = ratio <= FLAT_RATIO;
    verdict = `${flat ? 'flat' : 'NOT flat'}: RSS ${minMb}–${maxMb} MB over ${after.length} samples from ${warmupEndS} s (max/min ${ratio.toFixed(3)}, limit ${FLAT_RATIO}; trend ${slopeMbPerMin >= 0 ? '+' : ''}${slopeMbPerMin.toFixed(1)} MB/min)`;
  }
  return { warmupEndS, samplesAfter: after.length, minMb, maxMb, ratio: Number(ratio.toFixed(3)), slopeMbPerMin: Number(slopeMbPerMin.toFixed(2)), flat, verdict };
}

function slope(points: Array<[number, number]>): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/** One sample: RSS now, and the figures /status gives (left out when it does not answer in 5 s). */
export async function sampleMemory(url: string, pid: number, at: number): Promise<MemorySample> {
  const sample: MemorySample = { at, rssMb: rssMb(pid) };
  try {
    const page = await (await fetch(`${url}/status`, { signal: AbortSignal.timeout(5000) })).text();
    const attr = (name: string) => [...page.matchAll(new RegExp(`${name}="(\\d+)"`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
    const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
    sample.heapUsedMb = mb(attr('data-heap-used'));
    sample.threadHeapUsedMb = mb(attr('data-thread-heap-used'));
    // A search thread too busy to answer leaves its caches out: no cache figure rather than a low one.
    if (attr('data-threads-answered') === attr('data-search-threads')) sample.cachedMb = mb(attr('data-cached'));
    sample.budgetMb = mb(attr('data-budget'));
  } catch {
    // The server was too busy to answer in time: the sample has RSS only.
  }
  return sample;
}

export function describeSample(s: MemorySample): string {
  const caches = s.cachedMb === undefined ? 'caches not counted (a search thread was busy)' : `caches ${s.cachedMb} of ${s.budgetMb} MB (SQLite's not counted)`;
  const status = s.heapUsedMb === undefined ? '(no /status answer)' : `V8 heap ${s.heapUsedMb} MB + search threads ${s.threadHeapUsedMb} MB, ${caches}`;
  return `${String(s.at).padStart(4)} s  RSS ${String(s.rssMb).padStart(4)} MB  ${status}`;
}

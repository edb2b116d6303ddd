// `paperboy bench search-latency --heavy N`: can expensive searches starve everyone else? N clients
// send the costliest search a client may (64 common words, any-word matching, sorted by upvotes, 100
// results) back to back, while one probe times /healthz and the home page one at a time; the same
// probe then runs without that load, so the report is a ratio measured in the same minute.
import { percentile } from './metrics.ts';

/** Common words of titles and abstracts: nearly every paper has several of them. */
const COMMON_WORDS = (
  'the model learning data network using results method based approach neural training performance show ' +
  'propose paper problem deep large time models two new methods analysis also system which information ' +
  'used different task language tasks framework algorithm study state image function can graph via one ' +
  'high first set existing present these quantum such well efficient work optimization attention ' +
  'molecules networks over for'
).split(' ');

export const HEAVY_SEARCH = `/api/papers/search?sort=upvotes&limit=100&q=${encodeURIComponent(COMMON_WORDS.join(' '))}`;

export interface ProbeStats {
  samples: number;
  p50_ms: number;
  p90_ms: number;
}

export interface StarvationReport {
  heavy_clients: number;
  seconds: number;
  idle: { healthz: ProbeStats; home: ProbeStats };
  loaded: { healthz: ProbeStats; home: ProbeStats };
  heavy: { answered: number; busy_503: number; other: number; p50_ms: number };
}

async function timed(url: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

/** One probe alternating /healthz and the home page until `until`. */
async function probe(baseUrl: string, until: number): Promise<{ healthz: ProbeStats; home: ProbeStats }> {
  const healthz: number[] = [];
  const home: number[] = [];
  while (Date.now() < until) {
    healthz.push((await timed(`${baseUrl}/healthz`)).ms);
    home.push((await timed(`${baseUrl}/`)).ms);
  }
  return { healthz: stats(healthz), home: stats(home) };
}

function stats(times: number[]): ProbeStats {
  const r = (x: number) => Number(x.toFixed(1));
  return { samples: times.length, p50_ms: r(percentile(times, 50)), p90_ms: r(percentile(times, 90)) };
}

export async function benchStarvation(baseUrl: string, opts: { heavy: number; seconds: number }): Promise<StarvationReport> {
  // Warm the home page and the heavy search's pages once, as a running server would have them.
  await timed(`${baseUrl}/`);
  await timed(`${baseUrl}${HEAVY_SEARCH}`);
  const until = Date.now() + opts.seconds * 1000;
  const heavy = { answered: 0, busy_503: 0, other: 0, times: [] as number[] };
  const clients = Array.from({ length: opts.heavy }, async () => {
    while (Date.now() < until) {
      const { ms, status } = await timed(`${baseUrl}${HEAVY_SEARCH}`);
      if (status === 200) {
        heavy.answered++;
        heavy.times.push(ms);
      } else if (status === 503) heavy.busy_503++;
      else heavy.other++;
    }
  });
  // Let the heavy clients fill the queue before the probe starts.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const loaded = await probe(baseUrl, until);
  await Promise.all(clients);
  // Without the load afterwards rather than before, so start-up work of a fresh server is not counted.
  const idle = await probe(baseUrl, Date.now() + Math.min(10_000, opts.seconds * 500));
  return {
    heavy_clients: opts.heavy,
    seconds: opts.seconds,
    idle,
    loaded,
    heavy: { answered: heavy.answered, busy_503: heavy.busy_503, other: heavy.other, p50_ms: Number(percentile(heavy.times, 50).toFixed(1)) },
  };
}

export function printStarvation(r: StarvationReport, json: boolean): void {
  const line = (name: string, s: ProbeStats) => `${name} p50 ${s.p50_ms} ms  p90 ${s.p90_ms} ms  (${s.samples} samples)`;
  process.stdout.write(
    `search starvation: ${r.heavy_clients} clients sending the 64-common-word search sorted by upvotes (limit 100) for ${r.seconds} s\n` +
      `  without them: ${line('/healthz', r.idle.healthz)};  ${line('home page', r.idle.home)}\n` +
      `  with them:    ${line('/healthz', r.loaded.healthz)};  ${line('home page', r.loaded.home)}\n` +
      `  heavy searches: ${r.heavy.answered} answered (p50 ${r.heavy.p50_ms} ms), ${r.heavy.busy_503} refused busy (503), ${r.heavy.other} other\n`,
  );
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
}

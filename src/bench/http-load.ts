// Loopback HTTP load for `paperboy bench http`: autocannon against one or more app processes at
// once (connections split evenly, the way a load balancer would), each request to a random path
// from a list, accepting compressed bodies. Latency percentiles come from every response, across all
// processes; the CPU the app's processes and the load generator spent says which of them was the limit.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { percentile } from './metrics.ts';

export interface LoadResult {
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  /** Socket errors and timeouts, plus responses that were not 2xx. */
  errors: number;
  /** CPU milliseconds the app's processes spent per response (undefined without /proc). */
  serverCpuMsPerRequest: number | undefined;
  /** CPU of this process (the load generator) over the run, as a share of one core. */
  loaderCpu: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** The app's process ids, whose CPU time is read from /proc (Linux). */
  pids?: number[];
}

interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: 'done', fn: (result: { errors: number; timeouts: number; non2xx: number }) => void): void;
}
type Autocannon = (opts: Record<string, unknown>) => AutocannonInstance;

async function loadAutocannon(): Promise<Autocannon> {
  try {
    return (await import('autocannon' as string)).default as Autocannon;
  } catch {
    throw new Error('autocannon is not installed (it is a dev dependency): run "npm ci" without --omit=dev');
  }
}

/**
 * Stops autocannon from keeping response bodies. It appends every body chunk to a string, decoding
 * the (compressed, binary) bytes as UTF-8: for 30–100 KB bodies that decoding is most of the load
 * generator's CPU, spent on the same cores as the server. No client does that; the bytes are still
 * read off the socket and counted. Measurement only, and only when asked (--discard-bodies).
 */
export function discardBodies(): void {
  const queue = createRequire(import.meta.url)('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody: (data: Buffer) => void } };
  queue.prototype.addBody = () => {};
}

/** CPU milliseconds (user + system) the processes have used so far; undefined where /proc is missing. */
function cpuMsOf(pids: number[]): number | undefined {
  try {
    let ticks = 0;
    for (const pid of pids) {
      // Fields after the command name: state is the 1st, utime the 12th, stime the 13th (proc(5)).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

export async function measureHttp(baseUrls: string[], paths: string[], opts: LoadOptions): Promise<LoadResult> {
  const autocannon = await loadAutocannon();
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const serverCpuBefore = cpuMsOf(opts.pids ?? []);
  const loaderCpuBefore = process.cpuUsage();
  await Promise.all(baseUrls.map((url) => new Promise<void>((resolve) => {
    const instance = autocannon({
      url,
      connections: Math.max(1, Math.round(opts.connections / baseUrls.length)),
      duration: opts.seconds,
      timeout: 10,
      // As browsers and CDNs ask: pages of 100 KB and more otherwise cost the loopback and the
      // load generator (on the same cores) more than the server's work.
      headers: { 'accept-encoding': 'br, gzip' },
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] }) }],
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
    instance.on('done', (r) => {
      errors += r.errors + r.timeouts + r.non2xx;
      resolve();
    });
  })));
  const ms = Date.now() - started;
  const loader = process.cpuUsage(loaderCpuBefore);
  const serverCpuAfter = cpuMsOf(opts.pids ?? []);
  const serverCpuMs = serverCpuBefore !== undefined && serverCpuAfter !== undefined && opts.pids?.length ? serverCpuAfter - serverCpuBefore : undefined;
  const pct = (p: number) => percentile(latencies, p);
  return {
    requests: latencies.length, seconds: ms / 1000, reqPerSec: latencies.length / (ms / 1000), p50: pct(50), p95: pct(95), p99: pct(99), errors,
    serverCpuMsPerRequest: serverCpuMs !== undefined && latencies.length > 0 ? serverCpuMs / latencies.length : undefined,
    loaderCpu: (loader.user + loader.system) / 1000 / ms,
  };
}

// Loopback HTTP load for `paperboy bench http`: autocannon against one or more app processes at
// once (connections split evenly, the way a load balancer would), each request to a random path
// from a list, accepting compressed bodies. Latency percentiles come from every response, across all processes.
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

export async function measureHttp(baseUrls: string[], paths: string[], opts: { connections: number; seconds: number }): Promise<LoadResult> {
  const autocannon = await loadAutocannon();
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
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
  const seconds = (Date.now() - started) / 1000;
  const pct = (p: number) => percentile(latencies, p);
  return { requests: latencies.length, seconds, reqPerSec: latencies.length / seconds, p50: pct(50), p95: pct(95), p99: pct(99), errors };
}

// One polite HTTP client for arXiv (OAI-PMH and the API share one rate limit): one request at a
// time, at least minIntervalMs after the previous one ended, 503/429 + Retry-After honoured as flow
// control (arXiv's documented way to slow harvesters down, not a failure), network errors, time-outs
// and other 5xx retried with capped, jittered exponential backoff, then a clear error.
import type { Logger } from '../log.ts';

export interface ArxivClientOptions {
  minIntervalMs: number;
  timeoutMs: number;
  log: Logger;
  /** Failed attempts (network, time-out, 5xx, unusable body) before giving up. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Flow-control waits (503/429 with Retry-After) allowed for one request. */
  maxFlowControlWaits?: number;
  /** Longest Retry-After honoured; longer ones are capped to this. */
  maxRetryAfterMs?: number;
  userAgent?: string;
}

export interface ArxivResponse {
  status: number;
  /** The body as text ('' for a binary request). */
  text: string;
  /** The body as bytes, for a binary request (a PDF). */
  bytes?: Uint8Array;
}

export interface GetOptions {
  signal?: AbortSignal;
  /** Checks a 2xx body; a returned message makes the attempt a (retried) failure, e.g. a truncated XML body. */
  check?: (text: string) => string | undefined;
  /** Keep the body as bytes (a PDF) instead of decoding it as text. */
  binary?: boolean;
  /** A body longer than this answers as status 413, unread (a declared length) or discarded. */
  maxBytes?: number;
  accept?: string;
}

/** arXiv could not be reached or kept failing; the message says what to do. */
export class ArxivUnavailableError extends Error {
  constructor(message: string, readonly attempts: number) {
    super(message);
  }
}

export interface ArxivClient {
  /** GETs a URL; resolves with any 2xx or non-retryable 4xx response, throws ArxivUnavailableError otherwise. */
  get(url: string, opts?: GetOptions): Promise<ArxivResponse>;
}

// The rate limit applies to this process as a whole, whatever code is calling: the CLI, the
// harvest job and the submission flow all share one queue per host.
const queues = new Map<string, { tail: Promise<unknown>; lastEnd: number }>();

export function createArxivClient(opts: ArxivClientOptions): ArxivClient {
  const maxAttempts = opts.maxAttempts ?? 5;
  const baseDelay = opts.baseDelayMs ?? 2_000;
  const maxDelay = opts.maxDelayMs ?? 60_000;
  const maxWaits = opts.maxFlowControlWaits ?? 30;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 600_000;
  const userAgent = opts.userAgent ?? 'paperboy/0.1 (self-hosted arXiv reader; +https://github.com/)';

  async function attempt(url: string, o: GetOptions): Promise<{ status: number; text: string; bytes?: Uint8Array; retryAfter: string | null }> {
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const res = await fetch(url, {
      headers: { 'user-agent': userAgent, accept: o.accept ?? 'application/xml, application/atom+xml, text/xml;q=0.9, */*;q=0.1' },
      signal: o.signal ? AbortSignal.any([o.signal, timeout]) : timeout,
      redirect: 'follow',
    });
    const retryAfter = res.headers.get('retry-after');
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (o.maxBytes !== undefined && declared > o.maxBytes) {
      await res.body?.cancel();
      return { status: 413, text: '', retryAfter };
    }
    // The body is read under the same time-out: a server that stalls mid-body is a hung request too.
    if (!o.binary) return { status: res.status, text: await res.text(), retryAfter };
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (o.maxBytes !== undefined && bytes.length > o.maxBytes) return { status: 413, text: '', retryAfter };
    return { status: res.status, text: '', bytes, retryAfter };
  }

  async function run(url: string, o: GetOptions): Promise<ArxivResponse> {
    const queue = queueFor(url);
    let failures = 0;
    let waits = 0;
    let lastProblem = '';
    for (;;) {
      o.signal?.throwIfAborted();
      await sleep(queue.lastEnd + opts.minIntervalMs - Date.now(), o.signal);
      const started = Date.now();
      let delay: number;
      try {
        // The interval counts from the end of the previous exchange: arXiv sees requests arrive at
        // least that far apart, whatever the connection set-up time.
        const res = await attempt(url, o).finally(() => (queue.lastEnd = Date.now()));
        const flowControl = (res.status === 503 || res.status === 429) && res.retryAfter !== null;
        if (flowControl && waits < maxWaits) {
          waits++;
          delay = Math.min(Math.max(parseRetryAfter(res.retryAfter!, Date.now()) ?? baseDelay, opts.minIntervalMs), maxRetryAfter);
          opts.log.info('arxiv_flow_control', { url: redact(url), status: res.status, retry_after_ms: delay, waits });
          await sleep(delay, o.signal);
          continue;
        }
        if (res.status >= 200 && res.status < 300) {
          const problem = o.check?.(res.text);
          if (!problem) {
            opts.log.debug('arxiv_request', { url: redact(url), status: res.status, bytes: res.bytes?.length ?? res.text.length, duration_ms: Date.now() - started });
            return res.bytes ? { status: res.status, text: res.text, bytes: res.bytes } : { status: res.status, text: res.text };
          }
          lastProblem = `unusable response: ${problem}`;
        } else if (res.status >= 500 || res.status === 429 || res.status === 408) {
          lastProblem = `HTTP ${res.status}`;
        } else {
          return { status: res.status, text: res.text };
        }
      } catch (err) {
        if (o.signal?.aborted) throw o.signal.reason ?? err;
        lastProblem = describeFetchError(err, opts.timeoutMs);
      }
      failures++;
      opts.log.warn('arxiv_request_failed', { url: redact(url), attempt: failures, max_attempts: maxAttempts, problem: lastProblem, duration_ms: Date.now() - started });
      if (failures >= maxAttempts) {
        throw new ArxivUnavailableError(
          `arXiv at ${new URL(url).origin} failed ${failures} times in a row (last: ${lastProblem}). ` +
            'Check the network and the ARXIV_OAI_URL / ARXIV_API_URL settings, or try again later; a harvest resumes where it stopped.',
          failures,
        );
      }
      // Exponential backoff with "equal jitter": half fixed, half random, capped.
      const exp = Math.min(maxDelay, baseDelay * 2 ** (failures - 1));
      delay = exp / 2 + Math.random() * (exp / 2);
      await sleep(delay, o.signal);
    }
  }

  return {
    get(url, o = {}) {
      const queue = queueFor(url);
      const previous = queue.tail;
      const result = waitTurn(previous, o.signal).then(() => run(url, o));
      // The next caller waits for both: a caller that gave up while queued must not let it jump ahead.
      queue.tail = Promise.allSettled([previous, result]);
      return result;
    },
  };
}

function queueFor(url: string): { tail: Promise<unknown>; lastEnd: number } {
  const host = new URL(url).host;
  let q = queues.get(host);
  if (!q) queues.set(host, (q = { tail: Promise.resolve(), lastEnd: 0 }));
  return q;
}

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no complete answer within ${timeoutMs} ms (ARXIV_TIMEOUT_MS)`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message} (${cause})` : String(e?.message ?? err);
}

/** Resumption tokens and ids are not secret, but keep log lines short. */
function redact(url: string): string {
  return url.length > 300 ? `${url.slice(0, 300)}…` : url;
}

function waitTurn(previous: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return previous.then(() => undefined);
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void previous.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

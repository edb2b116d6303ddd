// Embeddings from any OpenAI-compatible POST /v1/embeddings endpoint (OpenAI, Ollama, TEI, vLLM…).
// Batches inputs, times out each request, retries 429/5xx/network errors with jittered exponential
// backoff (honouring Retry-After), and fails clearly on other 4xx answers.
import { EmbeddingError, instructionsFor, normalize, type Embedder } from './embedder.ts';

export interface OpenAiOptions {
  /** Base URL: https://api.openai.com/v1, http://localhost:11434/v1 … ("/embeddings" is appended). */
  url: string;
  apiKey?: string | undefined;
  model: string;
  batchSize?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Longest single wait between retries, also the cap on Retry-After. */
  maxBackoffMs?: number;
  baseBackoffMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export function embeddingsEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  if (trimmed.endsWith('/embeddings')) return trimmed;
  return /\/v\d+$/.test(trimmed) ? `${trimmed}/embeddings` : `${trimmed}/v1/embeddings`;
}

export function createOpenAiEmbedder(opts: OpenAiOptions): Embedder {
  const endpoint = embeddingsEndpoint(opts.url);
  const batchSize = opts.batchSize ?? 64;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxRetries = opts.maxRetries ?? 5;
  const maxBackoffMs = opts.maxBackoffMs ?? 60_000;
  const baseBackoffMs = opts.baseBackoffMs ?? 500;
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const instructions = instructionsFor(opts.model);
  let dim: number | undefined;

  async function request(input: string[]): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      let problem: string;
      try {
        const res = await doFetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: opts.model, input, encoding_format: 'float' }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.ok) return parseAnswer(await res.json(), input.length);
        const detail = await errorDetail(res);
        if (res.status !== 429 && res.status < 500 && res.status !== 408) {
          const hint = res.status === 401 || res.status === 403 ? ' (check EMBEDDING_API_KEY)' : res.status === 404 ? ' (check EMBEDDING_URL and EMBEDDING_MODEL)' : '';
          throw new EmbeddingError(`embedding endpoint ${endpoint} answered ${res.status}${detail ? `: ${detail}` : ''}${hint}`);
        }
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        problem = `${res.status}${detail ? `: ${detail}` : ''}`;
      } catch (err) {
        if (err instanceof EmbeddingError) throw err;
        problem = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
      }
      if (attempt >= maxRetries) {
        throw new EmbeddingError(`embedding endpoint ${endpoint} failed after ${attempt + 1} attempts: ${problem}`, true);
      }
      // Full jitter: a random wait up to the exponential ceiling, so many clients do not retry in step.
      const backoff = Math.random() * Math.min(maxBackoffMs, baseBackoffMs * 2 ** attempt);
      await sleep(Math.min(maxBackoffMs, Math.max(retryAfterMs ?? 0, backoff)));
    }
  }

  function parseAnswer(body: unknown, expected: number): Float32Array[] {
    const data = (body as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || data.length !== expected) {
      throw new EmbeddingError(`embedding endpoint ${endpoint} returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${expected} inputs`);
    }
    const out: Float32Array[] = new Array(expected);
    data.forEach((item: { index?: unknown; embedding?: unknown }, i) => {
      const index = typeof item.index === 'number' ? item.index : i;
      if (!Array.isArray(item.embedding) || item.embedding.length === 0 || index < 0 || index >= expected) {
        throw new EmbeddingError(`embedding endpoint ${endpoint} returned a malformed embedding at position ${i}`);
      }
      out[index] = normalize(Float32Array.from(item.embedding as number[]));
    });
    const d = out[0]!.length;
    if (out.some((v) => v === undefined || v.length !== d)) throw new EmbeddingError(`embedding endpoint ${endpoint} returned vectors of different lengths`);
    if (dim !== undefined && d !== dim) throw new EmbeddingError(`embedding endpoint ${endpoint} changed dimension from ${dim} to ${d}`);
    dim = d;
    return out;
  }

  async function embedAll(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      // Empty strings are rejected by some servers; a single space embeds as "nothing".
      out.push(...(await request(texts.slice(i, i + batchSize).map((t) => t || ' '))));
    }
    return out;
  }

  return {
    provider: 'openai',
    model: opts.model,
    dimension: () => dim,
    embedDocuments: (texts) => embedAll(texts.map((t) => instructions.document + t)),
    embedQuery: async (text) => (await embedAll([instructions.query + text]))[0]!,
  };
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function errorDetail(res: Response): Promise<string> {
  const text = (await res.text().catch(() => '')).slice(0, 2000);
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const msg = typeof body.error === 'string' ? body.error : body.error?.message ?? body.message;
    if (typeof msg === 'string') return msg.slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

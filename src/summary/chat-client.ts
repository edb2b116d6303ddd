// A model-written summary and keywords from any OpenAI-compatible POST /v1/chat/completions endpoint
// (OpenAI, Ollama, vLLM, llama.cpp's server). Each request times out; 429, 408, 5xx and network
// errors are retried with jittered exponential backoff, honouring Retry-After; other 4xx answers
// fail at once with the server's message. The model is asked for JSON and its answer is checked.
import { z } from 'zod';

export interface ChatSummaryOptions {
  /** Base URL: https://api.openai.com/v1, http://localhost:11434/v1 … ("/chat/completions" is appended). */
  url: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs?: number;
  maxRetries?: number;
  baseBackoffMs?: number;
  /** Longest single wait, also the cap on Retry-After. */
  maxBackoffMs?: number;
}

export interface ModelSummary {
  summary: string;
  keywords: string[];
}

/** The endpoint failed; `retryable` says whether trying again later may help (429, 5xx, network). */
export class SummaryError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

export function chatEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  if (trimmed.endsWith('/chat/completions')) return trimmed;
  return /\/v\d+$/.test(trimmed) ? `${trimmed}/chat/completions` : `${trimmed}/v1/chat/completions`;
}

const INSTRUCTIONS =
  'You summarise research papers for a daily list. Answer with a JSON object only: ' +
  '{"summary": one plain sentence of at most 40 words saying what the paper does and finds, ' +
  '"keywords": 3 to 6 short lower-case key phrases}.';

const Answer = z.object({
  summary: z.string().trim().min(1).max(600),
  keywords: z.array(z.string().trim().min(1).max(80)).max(12),
});

/** The JSON object in a model's answer, tolerating a Markdown fence or words around it. */
export function parseModelAnswer(content: string): ModelSummary | undefined {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    const parsed = Answer.safeParse(JSON.parse(content.slice(start, end + 1)));
    if (!parsed.success) return undefined;
    return { summary: parsed.data.summary.replace(/\s+/g, ' '), keywords: [...new Set(parsed.data.keywords.map((k) => k.replace(/\s+/g, ' ')))].slice(0, 8) };
  } catch {
    return undefined;
  }
}

export function createChatSummarizer(opts: ChatSummaryOptions): (title: string, abstract: string, signal?: AbortSignal) => Promise<ModelSummary> {
  const endpoint = chatEndpoint(opts.url);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const maxRetries = opts.maxRetries ?? 3;
  const base = opts.baseBackoffMs ?? 1_000;
  const cap = opts.maxBackoffMs ?? 60_000;

  return async (title, abstract, signal) => {
    let problem = '';
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const timeout = AbortSignal.timeout(timeoutMs);
        const res = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
          body: JSON.stringify({
            model: opts.model,
            temperature: 0,
            messages: [
              { role: 'system', content: INSTRUCTIONS },
              { role: 'user', content: `Title: ${title}\n\nAbstract: ${abstract}` },
            ],
          }),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        const body = await res.text();
        if (res.ok) {
          const content = (JSON.parse(body) as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message?.content;
          const answer = typeof content === 'string' ? parseModelAnswer(content) : undefined;
          if (!answer) throw new SummaryError(`summary endpoint ${endpoint} answered without the JSON object asked for`, false);
          return answer;
        }
        const detail = body.replace(/\s+/g, ' ').slice(0, 200);
        if (res.status !== 429 && res.status !== 408 && res.status < 500) {
          const hint = res.status === 401 || res.status === 403 ? ' (check SUMMARY_API_KEY)' : res.status === 404 ? ' (check SUMMARY_URL and SUMMARY_MODEL)' : '';
          throw new SummaryError(`summary endpoint ${endpoint} answered ${res.status}: ${detail}${hint}`, false);
        }
        problem = `${res.status}: ${detail}`;
        const ra = res.headers.get('retry-after');
        if (ra && /^\d+$/.test(ra.trim())) retryAfterMs = Number(ra) * 1000;
      } catch (err) {
        if (err instanceof SummaryError) throw err;
        if (signal?.aborted) throw err;
        problem = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
      }
      if (attempt >= maxRetries) throw new SummaryError(`summary endpoint ${endpoint} failed ${attempt + 1} times: ${problem}`, true);
      const backoff = base * 2 ** attempt;
      const wait = Math.min(cap, Math.max(retryAfterMs ?? 0, backoff / 2 + Math.random() * (backoff / 2)));
      await new Promise((r) => setTimeout(r, wait));
    }
  };
}

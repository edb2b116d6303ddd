// Key phrases, TL;DR and model summaries end to end: the summarize job on a real database, a
// loopback OpenAI-compatible server (including 429 and 5xx), the API, the pages and the digest.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { upsertPapers } from '../src/papers/index.ts';
import { runSummaries } from '../src/summary/index.ts';
import { rankPapersForDigest, renderDigestContent } from '../src/digest/index.ts';
import { periodContaining } from '../src/papers/index.ts';
import { createPaper, createTestStore, startTestApp, testConfig, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { OpenApiChecker } from './openapi-check.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A chat-completions endpoint on 127.0.0.1 whose answers each test scripts; it records every request. */
async function startChatServer(): Promise<{ url: string; requests: Array<{ auth: string | undefined; body: any }>; answer: (h: Handler) => void; close: () => Promise<void> }> {
  const requests: Array<{ auth: string | undefined; body: any }> = [];
  let handler: Handler = (_req, _body, res) => res.writeHead(500).end('no handler');
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push({ auth: req.headers.authorization, body: JSON.parse(body) });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    answer: (h) => (handler = h),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function completion(content: string): string {
  return JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content } }] });
}

const ABSTRACT =
  'Transformers dominate sequence modelling, but their cost grows quadratically with length. ' +
  'We propose selective state space models, which let the state space parameters depend on the input. ' +
  'Selective state space models match Transformers on language modelling at half the cost.';

describe.each(testDialects())('key phrases and summaries on %s', (dialect) => {
  let store: TestStore;
  let chat: Awaited<ReturnType<typeof startChatServer>>;
  let t: TestApp;

  beforeAll(async () => {
    chat = await startChatServer();
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2606.00301', title: 'Selective State Space Models', abstract: ABSTRACT, announcedOn: '2026-06-30', hfUpvotes: 5 });
    for (let i = 0; i < 6; i++) await createPaper(store, { title: `Graph search survey ${i}`, abstract: 'We review graph search and its cost on many tasks.', announcedOn: '2026-06-29' });
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await chat.close();
  });
  afterEach(() => chat.answer((_q, _b, res) => res.writeHead(500).end('no handler')));

  const deps = (overrides: Record<string, string> = {}) => ({ db: store.db, log: silentLogger, now: () => new Date(), around: testConfig(overrides).around, retryBaseMs: 10 });
  const dailyPaper = async () => ((await (await fetch(`${t.url}/api/daily_papers?date=2026-06-30`)).json()) as any[])[0];

  it('extracts key phrases and a TL;DR offline for every paper, once', async () => {
    const first = await runSummaries(deps());
    expect(first.extracted).toBe(7);
    expect((await runSummaries(deps())).extracted).toBe(0);
    const item = await dailyPaper();
    expect(item.paper.ai_keywords[0]).toBe('selective state space models');
    expect(item.paper.ai_summary).toMatch(/^(We propose s|S)elective state space models/);
    expect(item.paperboy.keyPhrases).toEqual(item.paper.ai_keywords);
    const api = new OpenApiChecker((await (await fetch(`${t.url}/api/openapi.json`)).json()) as Record<string, any>);
    await api.check('GET', `${t.url}/api/daily_papers?date=2026-06-30`, await fetch(`${t.url}/api/daily_papers?date=2026-06-30`));
  });

  it('extracts again when a paper changes', async () => {
    await upsertPapers(store.db, [{ arxivId: '2606.00301', title: 'Selective State Space Models', abstract: `${ABSTRACT} Mixture-of-experts routing helps too.`, authors: ['Ada Lovelace'], categories: ['cs.CL'], announcedOn: '2026-06-30' }]);
    expect((await runSummaries(deps())).extracted).toBe(1);
  });

  it('shows the phrases as chips linking to search, on cards and the paper page, and the TL;DR on the paper page', async () => {
    const home = await (await fetch(`${t.url}/?date=2026-06-30`)).text();
    expect(home).toContain(`<ul class="phrases" aria-label="Key phrases"><li><a class="chip" href="/search?q=%22selective+state+space+models%22">selective state space models</a></li>`);
    const page = await (await fetch(`${t.url}/papers/2606.00301`)).text();
    expect(page).toMatch(/<p class="tldr"><strong>TL;DR<\/strong> (We propose s|S)elective state space models/);
    expect(page).toContain('href="/search?q=%22selective+state+space+models%22"');
  });

  it('puts the TL;DR and key phrases in the digest', async () => {
    const papers = await rankPapersForDigest(store.db, periodContaining('day', '2026-06-30'));
    const content = renderDigestContent({ frequency: 'daily', period: periodContaining('day', '2026-06-30'), papers, baseUrl: 'https://pb.example' });
    expect(content.text).toContain('Key phrases: selective state space models');
    expect(content.html).toContain('https://pb.example/search?q=%22selective+state+space+models%22');
    expect(content.text).not.toContain('grows quadratically'); // the background sentence gives way to the TL;DR
  });

  it('writes the model summary after a 429 with Retry-After, sending the key and model', async () => {
    let calls = 0;
    chat.answer((_req, _body, res) => {
      if (++calls === 1) return res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"error":"slow down"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(completion('```json\n{"summary": "Input-dependent state space models match Transformers at half the cost.", "keywords": ["state space models", "selective scan"]}\n```'));
    });
    const before = chat.requests.length;
    const r = await runSummaries(deps({ SUMMARY_URL: chat.url, SUMMARY_MODEL: 'tiny-chat', SUMMARY_API_KEY: 'sk-test-key', SUMMARY_MAX_PER_RUN: '1' }));
    expect(r).toMatchObject({ modelWritten: 1, modelFailed: 0 });
    expect(chat.requests.length - before).toBe(2);
    const sent = chat.requests.at(-1)!;
    expect(sent.auth).toBe('Bearer sk-test-key');
    expect(sent.body.model).toBe('tiny-chat');
    expect(sent.body.messages[1].content).toContain('Selective State Space Models');
    const item = await dailyPaper();
    expect(item.paper.ai_summary).toBe('Input-dependent state space models match Transformers at half the cost.');
    expect(item.paper.ai_keywords).toEqual(['state space models', 'selective scan']);
    expect(item.paperboy.keyPhrases[0]).toBe('selective state space models');
    const page = await (await fetch(`${t.url}/papers/2606.00301`)).text();
    expect(page).toContain('(written by a model)');
  });

  it('keeps the offline summaries when the endpoint keeps failing, and waits before trying again', async () => {
    chat.answer((_req, _body, res) => res.writeHead(503, { 'retry-after': '0' }).end('overloaded'));
    const r = await runSummaries(deps({ SUMMARY_URL: chat.url, SUMMARY_MODEL: 'other-model', SUMMARY_MAX_PER_RUN: '5' }));
    expect(r.modelFailed).toBe(1); // an outage stops the run after the first paper
    const row = await store.db.selectFrom('paper_summary').innerJoin('paper', 'paper.id', 'paper_summary.paper_id').select(['ai_error', 'ai_retry_at', 'ai_summary']).where('paper.arxiv_id', '=', '2606.00301').executeTakeFirstOrThrow();
    expect(row.ai_error).toContain('503');
    expect(row.ai_summary).toBe('Input-dependent state space models match Transformers at half the cost.');
    const again = await runSummaries(deps({ SUMMARY_URL: chat.url, SUMMARY_MODEL: 'other-model', SUMMARY_MAX_PER_RUN: '1' }));
    expect(again.modelFailed + again.modelWritten).toBe(1); // the failed paper waits; the next one is tried
    expect(chat.requests.at(-1)!.body.messages[1].content).not.toContain('Selective State Space Models');
  });

  it('does not store an answer without the JSON asked for', async () => {
    chat.answer((_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(completion('Sure! This paper is about models.')));
    const r = await runSummaries(deps({ SUMMARY_URL: chat.url, SUMMARY_MODEL: 'third-model', SUMMARY_MAX_PER_RUN: '1' }));
    expect(r).toMatchObject({ modelWritten: 0, modelFailed: 1 });
  });
});

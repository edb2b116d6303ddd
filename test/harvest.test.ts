import { afterEach, describe, expect, it } from 'vitest';
import { findPaperByArxivId, countPapers } from '../src/papers/index.ts';
import { harvestArxiv, createArxivClient, listRecentRuns } from '../src/harvest/index.ts';
import { acquireLease, findLeaseHolder } from '../src/harvest/lease.ts';
import { findCheckpoint } from '../src/harvest/runs.ts';
import { createLogger, silentLogger } from '../src/log.ts';
import type { Dialect } from '../src/config.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';
import { fixture, httpFixture, oaiPages, startReplayServer, type ReplayServer } from './oai-server.ts';

const TITLES: Record<string, string> = {
  '2503.01234': 'Sparse Attention for $\\mathcal{O}(n)$ Transformers: Scaling to Million-Token Contexts',
  'hep-th/9901001': 'Symbolic Computation of Anomalies in $\\mathcal{N}=4$ Super Yang--Mills',
  '2503.01500': 'Ẑ-Diffusion: “Quoted” Generative Models for 𝔽-Spaces',
  '2503.01801': 'Agents <b>that</b> Plan: Tool Use with "Chain-of-Thought" & Beyond',
  '2503.02002': "On $\\{0,1\\}$-Matrices and the Erd\\H{o}s--R\\'enyi Threshold",
  '2503.02003': 'Robots, Rewards & Regret',
};

let store: TestStore;
let server: ReplayServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await store?.cleanup();
});

async function setup(dialect: Dialect, respond: Parameters<typeof startReplayServer>[0], env: Record<string, string> = {}) {
  server = await startReplayServer(respond);
  store = await createTestStore(dialect, { ARXIV_OAI_URL: server.url, ...env });
  return server;
}

function capture() {
  const lines: any[] = [];
  return { lines, log: createLogger('debug', (l) => lines.push(JSON.parse(l))) };
}

describe.each(testDialects())('harvest over OAI-PMH on %s', (dialect) => {
  it('follows resumption tokens through a 503 + Retry-After and stores every record once with exact titles', async () => {
    let served503 = false;
    const srv = await setup(dialect, (url) => {
      if (url.searchParams.get('resumptionToken') === '7123456|1001' && !served503) {
        served503 = true;
        return httpFixture('oai/retry-after-503.http');
      }
      return oaiPages(url);
    });
    await createPaper(store, { arxivId: '2502.09999', title: 'To be withdrawn', announcedOn: '2025-02-20' });
    const { lines, log } = capture();
    const out = await harvestArxiv(store.db, store.config, { from: '2025-03-03', trigger: 'cli', log });
    expect(out.status).toBe('succeeded');
    if (out.status === 'busy') throw new Error('unreachable');
    expect(out.run).toMatchObject({ pages: 3, fetched: 8, new: 6, updated: 0, withdrawn: 1, skipped: 1, status: 'succeeded' });
    expect(out.run.problems).toEqual([expect.stringMatching(/^cs page 2, line 13: 2503\.01777: empty <title>$/)]);

    // Requests: the first with its arguments, then tokens only; the 503 retried after Retry-After.
    const urls = srv.requests.map((r) => r.url.searchParams);
    expect(urls.map((p) => p.get('resumptionToken'))).toEqual([null, '7123456|1001', '7123456|1001', '7123456|2001']);
    expect(Object.fromEntries(urls[0]!)).toEqual({ verb: 'ListRecords', metadataPrefix: 'arXiv', set: 'cs', from: '2025-03-03' });
    expect([...urls[1]!.keys()].sort()).toEqual(['resumptionToken', 'verb']);
    expect(srv.requests[2]!.at - srv.requests[1]!.at).toBeGreaterThanOrEqual(950);
    expect(lines.some((l) => l.event === 'arxiv_flow_control' && l.retry_after_ms === 1000)).toBe(true);
    expect(lines.some((l) => l.event === 'arxiv_request_failed')).toBe(false);
    expect(lines.find((l) => l.event === 'harvest_record_skipped')?.problem).toContain('line 13');
    expect(lines.find((l) => l.event === 'harvest_finished')).toMatchObject({ fetched: 8, new: 6, withdrawn: 1, skipped: 1 });

    expect(await countPapers(store.db)).toBe(7);
    for (const [id, title] of Object.entries(TITLES)) expect((await findPaperByArxivId(store.db, id))?.title, id).toBe(title);
    const first = (await findPaperByArxivId(store.db, '2503.01234'))!;
    expect(first).toMatchObject({
      authors: ['José García', 'Zoë Müller', 'John Smith Jr'],
      categories: ['cs.LG', 'cs.CL'],
      license: 'http://creativecommons.org/licenses/by/4.0/',
      announcedOn: '2025-03-04',
      submittedAt: '2025-03-03T00:00:00.000Z',
    });
    expect(first.abstract).toBe('We study sparse attention with provable $O(n \\log n)$ cost & show that it matches dense attention when $k < \\sqrt{n}$. Weights at https://huggingface.co/sparse/attn-1b.');
    expect(first.links.map((l) => l.kind)).toEqual(expect.arrayContaining(['code', 'hf_model']));
    const old = (await findPaperByArxivId(store.db, 'hep-th/9901001'))!;
    expect(old).toMatchObject({ journalRef: 'Nucl. Phys. B 550 (1999) 1--20', doi: '10.1016/S0550-3213(99)00001-1', announcedOn: '1999-01-05' });
    expect(await findPaperByArxivId(store.db, '2503.01777')).toBeUndefined();
    const gone = (await findPaperByArxivId(store.db, '2502.09999'))!;
    expect(gone).toMatchObject({ withdrawn: true, title: 'To be withdrawn', announcedOn: '2025-02-20' });

    const cp = (await findCheckpoint(store.db, 'cs'))!;
    expect(cp).toMatchObject({ in_progress: 0, resumption_token: null, pages_done: 3, datestamp_reached: '2025-03-05', harvested_through: '2025-03-05' });
    expect(await findLeaseHolder(store.db, 'harvest')).toBeUndefined();
  });

  it('continues from where the last harvest got to; noRecordsMatch is a successful empty run', async () => {
    const srv = await setup(dialect, (url) => (url.searchParams.get('from') === '2025-03-05' ? { body: fixture('oai/no-records-match.xml') } : oaiPages(url)));
    expect((await harvestArxiv(store.db, store.config, { from: '2025-03-03', trigger: 'cli', log: silentLogger })).status).toBe('succeeded');
    const again = await harvestArxiv(store.db, store.config, { trigger: 'schedule', log: silentLogger });
    expect(again.status).toBe('succeeded');
    expect(srv.requests.at(-1)!.url.searchParams.get('from')).toBe('2025-03-05');
    if (again.status !== 'succeeded') throw new Error('unreachable');
    expect(again.run).toMatchObject({ fetched: 0, new: 0, pages: 1, trigger: 'schedule' });
    // A re-harvest of the same range changes nothing.
    const third = await harvestArxiv(store.db, store.config, { from: '2025-03-03', trigger: 'cli', log: silentLogger });
    if (third.status !== 'succeeded') throw new Error('unreachable');
    expect(third.run).toMatchObject({ new: 0, updated: 0, unchanged: 6 });
    expect((await listRecentRuns(store.db, 10)).map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('keeps the stored version and announced day of known papers and applies newer metadata', async () => {
    await setup(dialect, oaiPages);
    await createPaper(store, { arxivId: '2503.01234', version: 3, title: 'Old title', announcedOn: '2025-03-04', authors: ['X'] });
    const out = await harvestArxiv(store.db, store.config, { from: '2025-03-03', trigger: 'cli', log: silentLogger });
    if (out.status !== 'succeeded') throw new Error(out.status);
    expect(out.run.updated).toBe(1);
    expect(await findPaperByArxivId(store.db, '2503.01234')).toMatchObject({ version: 3, title: TITLES['2503.01234'], announcedOn: '2025-03-04' });
  });

  it('restarts the list from its checkpointed range when arXiv rejects an expired resumption token', async () => {
    const srv = await setup(dialect, oaiPages);
    // A list interrupted earlier, whose token has since expired.
    await store.db.insertInto('harvest_checkpoint').values({
      set_spec: 'cs', in_progress: 1, list_from: '2025-03-03', list_until: null, resumption_token: 'expired|42',
      list_started_at: '2025-03-05T01:00:00Z', datestamp_reached: '2025-03-04', pages_done: 4, harvested_through: '2025-02-01', updated_at: '2025-03-05T01:00:00Z',
    }).execute();
    const { lines, log } = capture();
    const out = await harvestArxiv(store.db, store.config, { trigger: 'cli', log });
    expect(out.status).toBe('succeeded');
    const tokens = srv.requests.map((r) => r.url.searchParams.get('resumptionToken'));
    expect(tokens).toEqual(['expired|42', null, '7123456|1001', '7123456|2001']);
    expect(srv.requests[1]!.url.searchParams.get('from')).toBe('2025-03-03');
    expect(lines.some((l) => l.event === 'harvest_token_rejected')).toBe(true);
    expect(await countPapers(store.db)).toBe(6);
    // The resumed list covered this run, so no second list for cs was started.
    expect(srv.requests).toHaveLength(4);
  });

  it('retries dropped connections, time-outs and truncated pages, then stops with a clear error', async () => {
    let n = 0;
    const srv = await setup(dialect, (url) => {
      n++;
      if (n === 1) return { destroy: true };
      if (n === 2) return { body: fixture('oai/list-records-1.xml'), stallAfterBytes: 200 };
      if (n === 3) return { body: fixture('oai/list-records-1.xml').slice(0, 900) };
      if (n === 4) return { status: 502, body: 'bad gateway' };
      if (url.searchParams.get('resumptionToken') === '7123456|2001') return { status: 500, body: 'boom' };
      return oaiPages(url);
    }, { ARXIV_TIMEOUT_MS: '300' });
    const { lines, log } = capture();
    const client = createArxivClient({ minIntervalMs: 0, timeoutMs: 300, log, baseDelayMs: 10, maxAttempts: 5 });
    const out = await harvestArxiv(store.db, store.config, { from: '2025-03-03', trigger: 'cli', log, client });
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') throw new Error('unreachable');
    expect(out.run.error).toMatch(/failed 5 times in a row \(last: HTTP 500\)\. Check the network/);
    const problems = lines.filter((l) => l.event === 'arxiv_request_failed').map((l) => l.problem);
    expect(problems.slice(0, 4)).toEqual([
      expect.stringContaining('fetch failed'),
      expect.stringContaining('no complete answer within 300 ms'),
      expect.stringContaining('unusable response: not well-formed XML'),
      'HTTP 502',
    ]);
    // Pages 1 and 2 are stored and checkpointed; the next run resumes at page 3.
    expect(out.run).toMatchObject({ pages: 2, new: 4 });
    expect(await findCheckpoint(store.db, 'cs')).toMatchObject({ in_progress: 1, resumption_token: '7123456|2001' });
    expect(lines.find((l) => l.event === 'harvest_failed')).toBeDefined();
    expect(srv.requests.length).toBe(4 + 2 + 5);
  });

  it('never runs two harvests at once; a lease of a dead process is taken over', async () => {
    await setup(dialect, (url) => ({ ...oaiPages(url), delayMs: 200 }));
    const [a, b] = await Promise.all([
      harvestArxiv(store.db, store.config, { from: '2025-03-03', trigger: 'cli', log: silentLogger }),
      harvestArxiv(store.db, store.config, { from: '2025-03-03', trigger: 'schedule', log: silentLogger }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['busy', 'succeeded']);
    // Another host's unexpired lease blocks; an expired one does not.
    const now = new Date('2025-03-05T00:00:00Z');
    await store.db.insertInto('harvest_lease').values({ name: 'harvest', owner: 'elsewhere:1234:ab', acquired_at: now.toISOString(), expires_at: '2025-03-05T00:02:00Z' }).execute();
    expect(await acquireLease(store.db, 'harvest', 'me:1:cd', 60_000, now)).toBeUndefined();
    expect(await acquireLease(store.db, 'harvest', 'me:1:cd', 60_000, new Date('2025-03-05T00:03:00Z'))).toBeDefined();
    // A holder on this host whose process is gone is taken over before expiry.
    const { hostname } = await import('node:os');
    await store.db.updateTable('harvest_lease').set({ owner: `${hostname()}:2147483646:ef`, expires_at: '2999-01-01T00:00:00Z' }).execute();
    expect(await acquireLease(store.db, 'harvest', 'me:1:cd', 60_000, now)).toBeDefined();
  });
});

// The harvester survives kill -9: a real `paperboy harvest` process is killed during a slow page,
// and a second run (without the original arguments) completes the list with no gap and no duplicate.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { listRecentRuns } from '../src/harvest/index.ts';
import { httpFixture, oaiPages, startReplayServer, type ReplayServer } from './oai-server.ts';
import { createTestStore, testDialects, type TestStore } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');

function runHarvest(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'harvest', ...args], { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

let server: ReplayServer | undefined;
let store: TestStore | undefined;
afterEach(async () => {
  await server?.close();
  await store?.cleanup();
  store = undefined;
});

describe.each(testDialects())('paperboy harvest after kill -9 on %s', (dialect) => {
  it('resumes from the checkpoint and stores every record exactly once with exact titles', { timeout: 120_000 }, async () => {
    let firstRun = true;
    let served503 = false;
    let slowPageReached: () => void = () => {};
    const slow = new Promise<void>((resolve) => (slowPageReached = resolve));
    server = await startReplayServer((url) => {
      const token = url.searchParams.get('resumptionToken');
      if (token === '7123456|1001' && !served503) {
        served503 = true;
        return httpFixture('oai/retry-after-503.http');
      }
      if (token === '7123456|2001' && firstRun) {
        firstRun = false;
        setTimeout(slowPageReached, 150);
        return { ...oaiPages(url), stallAfterBytes: 400 };
      }
      return oaiPages(url);
    });
    store = await createTestStore(dialect);
    const env = { DATABASE_URL: store.config.databaseUrl, ARXIV_OAI_URL: server.url, ARXIV_MIN_INTERVAL_MS: '0', LOG_LEVEL: 'info' };

    const first = runHarvest(['--from', '2025-03-03'], env);
    await slow;
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const requestsBeforeKill = server.requests.length;
    expect(requestsBeforeKill).toBe(4);

    const second = runHarvest([], env);
    const { code } = await second.exited;
    expect(code, second.output().stderr).toBe(0);
    expect(second.output().stdout).toMatch(/harvest succeeded \(cs\): 1 pages, fetched 2, new 2, updated 0, unchanged 0, withdrawn 0, skipped 0/);
    // The second run picked up the saved token instead of starting over.
    expect(server.requests.slice(requestsBeforeKill).map((r) => r.url.searchParams.get('resumptionToken'))).toEqual(['7123456|2001']);

    const rows = await store.db.selectFrom('paper').select(['arxiv_id', 'title']).orderBy('arxiv_id').execute();
    expect(rows).toEqual([
      { arxiv_id: '2503.01234', title: 'Sparse Attention for $\\mathcal{O}(n)$ Transformers: Scaling to Million-Token Contexts' },
      { arxiv_id: '2503.01500', title: 'Ẑ-Diffusion: “Quoted” Generative Models for 𝔽-Spaces' },
      { arxiv_id: '2503.01801', title: 'Agents <b>that</b> Plan: Tool Use with "Chain-of-Thought" & Beyond' },
      { arxiv_id: '2503.02002', title: "On $\\{0,1\\}$-Matrices and the Erd\\H{o}s--R\\'enyi Threshold" },
      { arxiv_id: '2503.02003', title: 'Robots, Rewards & Regret' },
      { arxiv_id: 'hep-th/9901001', title: 'Symbolic Computation of Anomalies in $\\mathcal{N}=4$ Super Yang--Mills' },
    ]);
    const runs = await listRecentRuns(store.db, 5);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'interrupted']);
    expect(runs[1]).toMatchObject({ pages: 2, fetched: 6, new: 4, skipped: 1 });
    expect(runs[0]!.new + runs[1]!.new).toBe(6);
  });
});

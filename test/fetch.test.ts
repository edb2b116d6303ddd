import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { fetchAndStore, fetchArxivPapers, createArxivClient } from '../src/harvest/index.ts';
import { countPapers, findPaperByArxivId, ARXIV_ID_HELP } from '../src/papers/index.ts';
import { silentLogger } from '../src/log.ts';
import type { Dialect } from '../src/config.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';
import { fixture, startReplayServer, type ReplayServer } from './oai-server.ts';

/** Answers like the arXiv API: the entries of the requested ids, out of a recorded response. */
function apiReply(url: URL) {
  const ids = (url.searchParams.get('id_list') ?? '').split(',');
  const all = fixture('api/id-list.xml');
  const entries = [...all.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((m) => m[0]);
  const kept = entries.filter((e) => ids.some((id) => e.includes(`<id>http://arxiv.org/abs/${id}v`)));
  if (kept.length === 0) return { body: fixture('api/empty.xml') };
  const head = all.slice(0, all.indexOf('<entry>'));
  return { body: `${head}${kept.join('\n')}\n</feed>\n` };
}

let store: TestStore;
let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await store?.cleanup();
});

async function setup(dialect: Dialect, respond = apiReply) {
  server = await startReplayServer(respond);
  store = await createTestStore(dialect, { ARXIV_API_URL: server.url.replace(/\/oai$/, '/api/query') });
  return server;
}

describe.each(testDialects())('fetch papers by arXiv id on %s', (dialect) => {
  it('accepts every id form people paste and asks arXiv for the latest version', async () => {
    const srv = await setup(dialect);
    const forms = [
      '2503.01234', '2503.01234v2', 'arXiv:2503.01234', 'https://arxiv.org/abs/2503.01234v1',
      'https://arxiv.org/pdf/2503.01234v2', 'https://arxiv.org/pdf/2503.01234v2.pdf', ' arxiv.org/abs/2503.01234 ',
    ];
    for (const form of forms) {
      const r = await fetchArxivPapers(store.config, [form], { log: silentLogger });
      expect(r.ok, form).toBe(true);
      if (!r.ok) continue;
      expect(r.papers.map((p) => [p.arxivId, p.version]), form).toEqual([['2503.01234', 2]]);
      expect(srv.requests.at(-1)!.url.searchParams.get('id_list'), form).toBe('2503.01234');
    }
    const old = await fetchArxivPapers(store.config, ['hep-th/9901001v1'], { log: silentLogger });
    expect(old.ok && old.papers[0]).toMatchObject({ arxivId: 'hep-th/9901001', version: 3, journalRef: 'Nucl. Phys. B 550 (1999) 1--20' });
    expect(srv.requests.at(-1)!.url.pathname).toBe('/api/query');
    // fetchArxivPapers never writes the store.
    expect(await countPapers(store.db)).toBe(0);
  });

  it('says which ids were not found, rejects invalid ids and reports unreachable or broken answers', async () => {
    await setup(dialect);
    const both = await fetchArxivPapers(store.config, ['2503.01234', '2503.99999'], { log: silentLogger });
    expect(both).toMatchObject({ ok: true, missing: ['2503.99999'] });
    expect(await fetchArxivPapers(store.config, ['2503.99999'], { log: silentLogger })).toMatchObject({ ok: false, reason: 'not_found', message: expect.stringContaining('2503.99999') });
    expect(await fetchArxivPapers(store.config, ['2513.00001'], { log: silentLogger })).toEqual({ ok: false, reason: 'invalid_id', message: `"2513.00001" is not an arXiv id: ${ARXIV_ID_HELP}` });
    await server!.close();
    const client = createArxivClient({ minIntervalMs: 0, timeoutMs: 500, log: silentLogger, maxAttempts: 2, baseDelayMs: 5 });
    const down = await fetchArxivPapers(store.config, ['2503.01234'], { log: silentLogger, client });
    expect(down).toMatchObject({ ok: false, reason: 'unreachable', message: expect.stringContaining('failed 2 times in a row') });
    server = await startReplayServer(() => ({ body: '<html><body>Service temporarily down</body></html>', headers: { 'content-type': 'text/html' } }));
    const html = await fetchArxivPapers({ ...store.config, arxivApiUrl: server.url }, ['2503.01234'], { log: silentLogger });
    expect(html).toMatchObject({ ok: false, reason: 'bad_response' });
    await server.close();
    server = await startReplayServer(() => ({ body: fixture('api/error.xml') }));
    const apiError = await fetchArxivPapers({ ...store.config, arxivApiUrl: server.url }, ['2503.01234'], { log: silentLogger });
    expect(apiError).toMatchObject({ ok: false, reason: 'not_found', message: expect.stringContaining('incorrect id format') });
  });

  it('stores fetched papers; a stored paper keeps its announced day and gets the new version', async () => {
    await setup(dialect);
    await createPaper(store, { arxivId: 'hep-th/9901001', version: 1, title: 'Old', announcedOn: '1999-01-05' });
    const r = await fetchAndStore(store.db, store.config, ['2503.01234v1', 'hep-th/9901001'], { log: silentLogger });
    expect(r).toMatchObject({ ok: true, stored: { new: 1, updated: 1 } });
    expect(await findPaperByArxivId(store.db, 'hep-th/9901001')).toMatchObject({ version: 3, announcedOn: '1999-01-05', title: 'Symbolic Computation of Anomalies in $\\mathcal{N}=4$ Super Yang--Mills' });
    expect(await findPaperByArxivId(store.db, '2503.01234')).toMatchObject({ version: 2, authors: ['José García', 'Zoë Müller', 'John Smith Jr'], announcedOn: '2025-03-04' });
  });
});

describe.each(testDialects())('paperboy fetch on %s', (dialect) => {
  it('stores papers given in any form and explains what an id looks like', { timeout: 60_000 }, async () => {
    await setup(dialect);
    const run = promisify(execFile);
    const bin = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
    const env = { PATH: process.env.PATH!, DATABASE_URL: store.config.databaseUrl, ARXIV_API_URL: store.config.arxivApiUrl, ARXIV_MIN_INTERVAL_MS: '0', LOG_LEVEL: 'warn' };
    const ok = await run(process.execPath, [bin, 'fetch', 'https://arxiv.org/pdf/2503.01234v2', 'arXiv:hep-th/9901001'], { env });
    expect(ok.stdout).toContain('2503.01234v2  Sparse Attention for $\\mathcal{O}(n)$ Transformers');
    expect(ok.stdout).toContain('fetched 2: new 2, updated 0, unchanged 0');
    expect(await countPapers(store.db)).toBe(2);
    const bad = await run(process.execPath, [bin, 'fetch', 'not-a-paper'], { env }).catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`"not-a-paper" is not an arXiv id; ${ARXIV_ID_HELP}`);
  });
});

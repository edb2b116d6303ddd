// Anonymous search result pages come from the rendered-page cache until the pages' data changes: a
// repeated search is a hit that runs no search (nor spends the address's search budget), and a vote
// or a new matching paper shows on the next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../src/accounts/index.ts';
import { setVote } from '../src/community/index.ts';
import { pageCacheStats } from '../src/http/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { voteCount } from './community-helpers.ts';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

describe.each(testDialects())('search pages in the rendered-page cache on %s', (dialect) => {
  let store: TestStore;
  let t: TestApp;
  const search = async (q: string) => {
    const res = await fetch(`${t.url}/search?q=${encodeURIComponent(q)}`, { headers: { 'x-forwarded-for': '192.0.2.7' } });
    return { status: res.status, body: await res.text() };
  };

  beforeAll(async () => {
    // Two searches a minute per address: a third real search from it would be refused.
    store = await createTestStore(dialect, { SEARCH_LIMIT_PER_MINUTE: '2' });
    await createPaper(store, { arxivId: '2606.40001', title: 'Quokka population dynamics', announcedOn: '2026-06-30' });
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t?.close();
    await store?.cleanup();
  });

  it('answers a repeated search from memory and shows a vote and a new paper on the next request', async () => {
    const first = await search('quokka');
    expect(first.status).toBe(200);
    expect(voteCount(first.body, '2606.40001')).toBe(0);
    const hits = pageCacheStats(t.app)!.hits!;
    for (let i = 0; i < 5; i++) expect((await search('quokka')).body).toBe(first.body);
    expect(pageCacheStats(t.app)!.hits).toBe(hits + 5);

    const voter = await ensureUser(store.db, 'quokka-fan@example.org', new Date());
    const paper = (await findPaperByArxivId(store.db, '2606.40001'))!;
    await setVote(store.db, voter.id, paper.id, true, new Date());
    const afterVote = await search('quokka');
    expect(afterVote.status).toBe(200);
    expect(voteCount(afterVote.body, '2606.40001')).toBe(1);

    await createPaper(store, { arxivId: '2606.40002', title: 'Quokka foraging', announcedOn: '2026-06-30' });
    const afterPaper = await search('quokka');
    expect(afterPaper.status).toBe(200);
    expect(voteCount(afterPaper.body, '2606.40002')).toBe(0);
    // Only two searches ran (the first, and the one after the new paper): the budget is now spent.
    expect((await search('wombat')).status).toBe(429);
  });
});

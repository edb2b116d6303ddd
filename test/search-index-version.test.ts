// What is derived from the keyword index alone (top lists, document frequencies, stored terms) follows
// a counter that moves with papers' words and visibility, not with what a result only shows: a summary
// backfill or an upvote sync must not make the top lists stale, while an edit or hiding a paper must.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaperHidden } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { currentVersion } from '../src/store/change-version.ts';
import { extractPending } from '../src/summary/job.ts';
import { buildSqliteTopLists } from '../src/search/keyword.sqlite.ts';
import { topListsStale } from '../src/search/top-lists.sqlite.ts';
import { buildPostgresTopLists, postgresTopListsStale } from '../src/search/top-lists.postgres.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

describe.each(testDialects())('the search index counter on %s', (dialect) => {
  let store: TestStore;
  const versions = async () => ({ results: await currentVersion(store.db, 'search'), index: await currentVersion(store.db, 'search-index') });
  const build = () => (dialect === 'postgres' ? buildPostgresTopLists(store.db, { minPapers: 5, length: 10 }) : buildSqliteTopLists(store.db, { policy: { minPapers: 5, length: 10 } }));
  const stale = () => (dialect === 'postgres' ? postgresTopListsStale(store.db) : topListsStale(store.db));

  beforeAll(async () => {
    store = await createTestStore(dialect);
    for (let i = 0; i < 12; i++) await createPaper(store, { arxivId: `2611.${String(i).padStart(5, '0')}`, title: `Graph networks for signals ${i}`, abstract: `We study graph neural networks on signals, case ${i}.` });
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  it('stays put through a summary backfill and an upvote count, keeping the top lists fresh', async () => {
    await build();
    expect(await stale()).toBe(false);
    const before = await versions();
    expect(await extractPending(store.db, () => new Date())).toBeGreaterThanOrEqual(12);
    const paper = (await findPaperByArxivId(store.db, '2611.00003'))!;
    await store.db.updateTable('paper').set({ hf_upvotes: 42 }).where('id', '=', paper.id).execute();
    const after = await versions();
    expect(after.results).toBeGreaterThan(before.results); // results show summaries and upvotes
    expect(after.index).toBe(before.index);
    expect(await stale()).toBe(false);
  });

  it('moves when a paper is added, edited or hidden', async () => {
    let last = (await versions()).index;
    const moved = async () => {
      const now = (await versions()).index;
      const did = now > last;
      last = now;
      return did;
    };
    await createPaper(store, { arxivId: '2611.00100', title: 'A new graph paper', abstract: 'Fresh words.' });
    expect(await moved()).toBe(true);
    await createPaper(store, { arxivId: '2611.00100', title: 'A new graph paper', abstract: 'Edited words.' });
    expect(await moved()).toBe(true);
    await build();
    const paper = (await findPaperByArxivId(store.db, '2611.00004'))!;
    await setPaperHidden(store.db, { id: null, label: 'test' }, { id: paper.id, arxivId: paper.arxivId }, true, 'spam', new Date());
    expect(await moved()).toBe(true);
    expect(await stale()).toBe(true);
  });
});

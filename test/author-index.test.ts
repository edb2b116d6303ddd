// Author pages read the paper_author index, which triggers keep from paper.authors: a new paper, a
// revised author list and a deleted paper each show on the next lookup, on both dialects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAuthorPapers } from '../src/people/index.ts';
import { upsertPapers } from '../src/papers/index.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const page = { limit: 20, offset: 0 };
const idsOf = async (store: TestStore, name: string) => (await findAuthorPapers(store.db, name, page)).papers.map((p) => p.arxivId);

describe.each(testDialects())('the author index on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(dialect);
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  it('matches whole names exactly, follows revised author lists and forgets deleted papers', async () => {
    const first = await createPaper(store, { authors: ['Grace Hopper', 'Ada Lovelace-Byron'], announcedOn: '2026-06-29' });
    const second = await createPaper(store, { authors: ['Grace Hopper', 'Grace Hopper'], announcedOn: '2026-06-30' });
    expect(await idsOf(store, 'Grace Hopper')).toEqual([second.arxivId, first.arxivId]);
    expect(await idsOf(store, 'grace hopper')).toEqual([]);
    expect(await idsOf(store, 'Ada Lovelace')).not.toContain(first.arxivId);
    expect((await findAuthorPapers(store.db, 'Grace Hopper', page)).summary.coAuthors).toEqual([{ name: 'Ada Lovelace-Byron', papers: 1 }]);

    // A new version of the first paper drops Grace Hopper and adds Katherine Johnson.
    await upsertPapers(store.db, [{ ...first, authors: ['Katherine Johnson', 'Ada Lovelace-Byron'], version: 2, title: `${first.title} (revised)` }]);
    expect(await idsOf(store, 'Grace Hopper')).toEqual([second.arxivId]);
    expect(await idsOf(store, 'Katherine Johnson')).toEqual([first.arxivId]);

    await store.db.deleteFrom('paper').where('arxiv_id', '=', second.arxivId).execute();
    expect(await idsOf(store, 'Grace Hopper')).toEqual([]);
  });
});

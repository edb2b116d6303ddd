// A paper curators hid is in no list: not in search results (keyword, filters only, any sort), not
// among another paper's similar papers; unhiding brings it back.
import { afterEach, describe, expect, it } from 'vitest';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { setPaperHidden } from '../src/community/index.ts';
import { searchPapers } from '../src/search/search.ts';
import { findSimilarPapers } from '../src/search/similar.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

describe.each(testDialects())('hidden papers on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.cleanup();
    store = undefined;
  });

  it('leave search results and similar papers until unhidden', async () => {
    store = await createTestStore(dialect);
    const spam = await createPaper(store, { title: 'Quantum error correction with surface codes', abstract: 'Buy followers now.', categories: ['quant-ph'] });
    const real = await createPaper(store, { title: 'Surface codes for quantum error correction at scale', abstract: 'Decoding surface codes.', categories: ['quant-ph'] });
    await createPaper(store, { title: 'Unrelated protein folding', categories: ['q-bio.BM'] });
    const ids = async (q: string, sort: 'relevance' | 'newest' | 'upvotes' = 'relevance') =>
      (await searchPapers(store!.db, q, { sort, limit: 10, offset: 0, categories: [], hasCode: false, mode: 'keyword' })).results.map((r) => r.paper.arxivId).sort();
    expect(await ids('surface codes')).toEqual([spam.arxivId, real.arxivId].sort());
    const spamPaper = (await findPaperByArxivId(store.db, spam.arxivId))!;
    const realPaper = (await findPaperByArxivId(store.db, real.arxivId))!;
    expect((await findSimilarPapers(store.db, undefined, realPaper, 5)).papers.map((p) => p.arxivId)).toContain(spam.arxivId);

    await setPaperHidden(store.db, { id: null, label: 'test curator' }, { id: spamPaper.id, arxivId: spam.arxivId }, true, 'spam', new Date());
    expect(await ids('surface codes')).toEqual([real.arxivId]);
    expect(await ids('surface codes', 'newest')).toEqual([real.arxivId]);
    expect(await ids('surface codes', 'upvotes')).toEqual([real.arxivId]);
    expect(await ids('cat:quant-ph')).toEqual([real.arxivId]);
    const outcome = await searchPapers(store.db, 'surface codes', { sort: 'relevance', limit: 10, offset: 0, categories: [], hasCode: false, mode: 'keyword' });
    expect(outcome.total).toBe(1);
    // Even when the neighbours were worked out before it was hidden.
    expect((await findSimilarPapers(store.db, undefined, realPaper, 5)).papers.map((p) => p.arxivId)).not.toContain(spam.arxivId);

    await setPaperHidden(store.db, { id: null, label: 'test curator' }, { id: spamPaper.id, arxivId: spam.arxivId }, false, 'not spam after all', new Date());
    expect(await ids('surface codes')).toEqual([spam.arxivId, real.arxivId].sort());
  });
});

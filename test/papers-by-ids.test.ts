// Papers by id come back the same on both dialects and by both ways of reading them: PostgreSQL reads
// papers, links and extras in one statement (papers/queries.postgres.ts), the general path in seven
// lookups (withLinks); every field, link and extra must agree, and the ids' order is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPapersByIds, withLinks, type Paper } from '../src/papers/index.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

describe.each(testDialects())('papers by id on %s', (dialect) => {
  let store: TestStore;
  const ids: number[] = [];

  beforeAll(async () => {
    store = await createTestStore(dialect);
    const now = '2026-12-05T10:00:00.000Z';
    const abstracts = [
      'Code at https://github.com/ada/engine and a baseline at https://github.com/alan/baseline.',
      'No links here.',
      'Project page https://example.org/project and code https://github.com/grace/compiler.',
    ];
    for (const [i, abstract] of abstracts.entries()) {
      await createPaper(store, { arxivId: `2612.0000${i + 1}`, title: `Paper ${i}`, abstract });
      const { id } = await store.db.selectFrom('paper').select('id').where('arxiv_id', '=', `2612.0000${i + 1}`).executeTakeFirstOrThrow();
      ids.push(id);
    }
    await store.db.insertInto('paper_summary').values({ paper_id: ids[0]!, key_phrases: '["engines"]', tldr: 'An engine.', source_hash: 'h', computed_at: now, ai_summary: 'Summary.', ai_keywords: '["a","b"]', ai_model: 'm', ai_source_hash: null, ai_at: null, ai_error: null, ai_retry_at: null }).execute();
    await store.db.insertInto('paper_thumbnail').values([
      { paper_id: ids[0]!, status: 'ready', file: 'abc.webp', width: 300, height: 400, version: 1, error: null, retry_at: null, updated_at: now },
      { paper_id: ids[2]!, status: 'failed', file: null, width: null, height: null, version: 1, error: 'x', retry_at: null, updated_at: now },
    ]).execute();
    await store.db.insertInto('paper_hf').values({ paper_id: ids[2]!, num_comments: 3, submitter_name: 'grace', submitter_fullname: 'Grace Hopper', github_repo: null, hidden_authors: '[1]', listed_on: null, synced_at: now }).execute();
    await store.db.insertInto('code_repo').values([
      { url: 'https://github.com/ada/engine', full_name: 'ada/engine', status: 'ok', stars: 42, pushed_at: now, etag: null, error: null, fetched_at: now, retry_at: null },
      { url: 'https://github.com/alan/baseline', full_name: 'alan/baseline', status: 'ok', stars: 9000, pushed_at: null, etag: null, error: null, fetched_at: now, retry_at: null },
      { url: 'https://github.com/grace/compiler', full_name: 'grace/compiler', status: 'missing', stars: null, pushed_at: null, etag: null, error: null, fetched_at: now, retry_at: null },
    ]).execute();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('reads every field, link and extra as the general path does, in the order asked', async () => {
    const asked = [ids[2]!, 999_999, ids[0]!, ids[1]!];
    const papers = await findPapersByIds(store.db, asked);
    expect(papers.map((p) => p.id)).toEqual([ids[2], ids[0], ids[1]]);
    const rows = await store.db.selectFrom('paper').selectAll().where('id', 'in', ids).execute();
    const general = new Map((await withLinks(store.db, rows)).map((p) => [p.id, p]));
    for (const p of papers) expect(p).toEqual(general.get(p.id));
    const [third, first, second] = papers as [Paper, Paper, Paper];
    expect(first.links.map((l) => l.url)).toEqual(['https://github.com/ada/engine', 'https://github.com/alan/baseline']);
    // The first code link's repository, not the most starred one.
    expect(first.extras?.code).toEqual({ url: 'https://github.com/ada/engine', fullName: 'ada/engine', stars: 42, pushedAt: '2026-12-05T10:00:00.000Z' });
    expect(first.extras?.thumbnail).toEqual({ file: 'abc.webp', width: 300, height: 400 });
    expect(first.extras?.keyPhrases).toEqual(['engines']);
    expect(first.extras?.aiKeywords).toEqual(['a', 'b']);
    expect(second.extras).toEqual(general.get(ids[1]!)!.extras);
    expect(second.links).toEqual([]);
    expect(third.extras?.thumbnail).toBeUndefined();
    expect(third.extras?.code).toBeUndefined();
    expect(third.extras?.hf).toEqual({ numComments: 3, submitterName: 'grace', submitterFullname: 'Grace Hopper', githubRepo: null, hiddenAuthors: [1] });
  });
});

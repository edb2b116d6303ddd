// Author queries end to end: newest first by default, whole-name matches first, names marked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

describe.each(testDialects())('author search on %s', (dialect) => {
  let store: TestStore;
  let app: TestApp;

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2609.00001', title: 'Old work', authors: ['Wei Li'], announcedOn: '2026-01-01' });
    await createPaper(store, { arxivId: '2609.00002', title: 'Newer work', authors: ['Ada Lovelace', 'Li'], announcedOn: '2026-02-01' });
    await createPaper(store, { arxivId: '2609.00003', title: 'Newest work', authors: ['Li Wei Chen'], announcedOn: '2026-03-01' });
    await createPaper(store, { arxivId: '2609.00004', title: 'Oldest work', authors: ['Li'], announcedOn: '2025-12-01' });
    app = await startTestApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('lists an author query newest first, whole-name matches before partial ones', async () => {
    const res = await fetch(`${app.url}/api/papers/search?${new URLSearchParams({ q: 'au:li' })}`);
    const body = (await res.json()) as { sort: string; results: Array<{ id: string }> };
    expect(body.sort).toBe('newest');
    expect(body.results.map((r) => r.id)).toEqual(['2609.00002', '2609.00004', '2609.00003', '2609.00001']);
  });

  it('keeps relevance for words with an author, and an explicit sort', async () => {
    const words = (await (await fetch(`${app.url}/api/papers/search?${new URLSearchParams({ q: 'au:li work' })}`)).json()) as { sort: string };
    expect(words.sort).toBe('relevance');
    const chosen = (await (await fetch(`${app.url}/api/papers/search?${new URLSearchParams({ q: 'au:li', sort: 'relevance' })}`)).json()) as { sort: string };
    expect(chosen.sort).toBe('relevance');
  });

  it('marks the named author on the results page', async () => {
    const page = await (await fetch(`${app.url}/search?${new URLSearchParams({ q: 'au:lovelace' })}`)).text();
    // Linked to their author pages as on listings; only the named author is marked.
    expect(page).toMatch(/<a href="[^"]+"><mark>Ada Lovelace<\/mark><\/a>, <a href="[^"]+">Li<\/a>/);
  });
});

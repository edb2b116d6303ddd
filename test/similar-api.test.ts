// GET /api/papers/{id}/similar: the paper page's similar papers as JSON, on each dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

describe.each(testDialects())('similar papers API on %s', (dialect) => {
  let store: TestStore;
  let app: TestApp;
  const topic = ['Sparse attention for long documents', 'Long documents need sparse attention', 'Sparse attention, long context', 'Attention for long documents', 'Sparse documents', 'Long sparse attention documents', 'Documents with attention'];

  beforeAll(async () => {
    store = await createTestStore(dialect);
    for (const [i, title] of topic.entries()) await createPaper(store, { arxivId: `2610.0000${i + 1}`, title, categories: ['cs.CL'] });
    await createPaper(store, { arxivId: '2610.00099', title: 'Sparse attention in vision', categories: ['cs.CV'] });
    app = await startTestApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('answers the list the paper page shows, most similar first', async () => {
    const res = await fetch(`${app.url}/api/papers/2610.00001/similar`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { paper: string; method: string; results: Array<{ id: string; title: string }> };
    expect(body.paper).toBe('2610.00001');
    expect(body.method).toBe('keyword');
    expect(body.results).toHaveLength(5);
    const page = await (await fetch(`${app.url}/papers/2610.00001`)).text();
    const section = /<section class="similar"[^>]*>([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    const onPage = [...section.matchAll(/href="\/papers\/([^"]+)"/g)].map((m) => m[1]);
    expect(body.results.map((r) => r.id)).toEqual(onPage);
    expect(body.results.map((r) => r.id)).not.toContain('2610.00099');
  });

  it('takes a limit, and names it when it is out of range', async () => {
    const two = (await (await fetch(`${app.url}/api/papers/2610.00001/similar?limit=2`)).json()) as { results: unknown[] };
    expect(two.results).toHaveLength(2);
    const bad = await fetch(`${app.url}/api/papers/2610.00001/similar?limit=0`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('limit');
  });

  it('answers 404 for an unknown paper or a string that is no arXiv id, and is in the OpenAPI document', async () => {
    expect((await fetch(`${app.url}/api/papers/2610.09999/similar`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/papers/not-an-id/similar`)).status).toBe(404);
    const doc = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as { paths: Record<string, { get?: { operationId?: string } }> };
    expect(doc.paths['/api/papers/{id}/similar']?.get?.operationId).toBe('getSimilarPapers');
  });
});

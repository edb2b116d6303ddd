import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { createSemanticSearch } from '../src/search/semantic.ts';
import { createPaper, createTestStore, testDialects, startTestApp, type TestApp, type TestStore } from './helpers.ts';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny-embedding-model');
const open: Array<TestStore | TestApp> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await ('cleanup' in o ? o.cleanup() : o.close());
});

function similarSection(page: string): string {
  return /<section class="similar"[^>]*>([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
}

describe.each(testDialects())('similar papers on the paper page on %s', (dialect) => {
  it('falls back to papers of the same category sharing title words when there are no vectors', async () => {
    const store = await createTestStore(dialect);
    open.push(store);
    const p = await createPaper(store, { title: 'Sparse attention for long documents', categories: ['cs.CL'] });
    const near = await createPaper(store, { title: 'Long documents need <sparse> attention', categories: ['cs.CL'] });
    const other = await createPaper(store, { title: 'Sparse attention in vision', categories: ['cs.CV'] });
    const app = await startTestApp(store);
    open.push(app);
    const section = similarSection(await (await fetch(`${app.url}/papers/${p.arxivId}`)).text());
    expect(section).toContain(`/papers/${near.arxivId}`);
    expect(section).toContain('Long documents need &lt;sparse&gt; attention');
    expect(section).not.toContain(other.arxivId);
    expect(section).not.toContain(`/papers/${p.arxivId}"`);
  });

  it('lists nearest neighbours by vector when semantic search is ready', async () => {
    const store = await createTestStore(dialect, { EMBEDDINGS: 'transformers', EMBEDDING_MODEL: TINY });
    open.push(store);
    const p = await createPaper(store, { title: 'Robot grasp', abstract: 'Motion control.', categories: ['cs.RO'] });
    // Different category and no shared title word: only vectors can find it.
    const near = await createPaper(store, { title: 'Control of motion', abstract: 'Robot grasping.', categories: ['cs.SY'] });
    await createPaper(store, { title: 'Quantum qubit', abstract: 'Circuit.', categories: ['quant-ph'] });
    const semantic = (await createSemanticSearch({ db: store.db, config: store.config, log: silentLogger }))!;
    await semantic.indexPending();
    const app = await startTestApp(store, { semantic });
    open.push(app);
    const section = similarSection(await (await fetch(`${app.url}/papers/${p.arxivId}`)).text());
    const first = /href="\/papers\/([^"]+)"/.exec(section)?.[1];
    expect(first).toBe(near.arxivId);
    await semantic.close();
  });

  it('shows a new neighbour on a kept paper page once its embedding is indexed', async () => {
    const store = await createTestStore(dialect, { EMBEDDINGS: 'transformers', EMBEDDING_MODEL: TINY });
    open.push(store);
    const p = await createPaper(store, { title: 'Robot grasp', abstract: 'Motion control.', categories: ['cs.RO'] });
    await createPaper(store, { title: 'Quantum qubit', abstract: 'Circuit.', categories: ['quant-ph'] });
    const semantic = (await createSemanticSearch({ db: store.db, config: store.config, log: silentLogger }))!;
    await semantic.indexPending();
    const app = await startTestApp(store, { semantic });
    open.push(app);
    const page = async () => similarSection(await (await fetch(`${app.url}/papers/${p.arxivId}`)).text());
    expect(await page()).toContain('Quantum qubit');
    const near = await createPaper(store, { title: 'Control of motion', abstract: 'Robot grasping.', categories: ['cs.SY'] });
    await semantic.indexPending();
    await expect.poll(async () => /href="\/papers\/([^"]+)"/.exec(await page())?.[1], { timeout: 2_000, interval: 50 }).toBe(near.arxivId);
    await semantic.close();
  });
});

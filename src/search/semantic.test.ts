import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { upsertPapers } from '../papers/index.ts';
import { createPaper, createTestStore, type TestStore } from '../../test/helpers.ts';
import { createSemanticSearch, indexFileFor } from './semantic.ts';
import { deletePaperEmbeddings } from './vectors/store.ts';

const TINY = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'tiny-embedding-model');
const stores: TestStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.cleanup()));
});

async function storeWith(env: Record<string, string>) {
  const store = await createTestStore(env);
  stores.push(store);
  return store;
}

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  return { log: createLogger('debug', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)), events: () => lines.map((l) => l.event) , lines };
}

describe('semantic search with the tiny transformers model', () => {
  it('embeds papers in batches, finds the nearest by text and by paper, and reloads the saved index', async () => {
    const store = await storeWith({ EMBEDDINGS: 'transformers', EMBEDDING_MODEL: TINY, EMBEDDING_BATCH_SIZE: '1' });
    const graph = await createPaper(store, { title: 'Graph network', abstract: 'Node and edge with the graph.' });
    await createPaper(store, { title: 'Protein folding', abstract: 'The cell and the gene.' });
    await createPaper(store, { title: 'Quantum circuit', abstract: 'Qubit entanglement.' });
    await createPaper(store, { title: 'Graph of protein', abstract: 'Node protein network.' });
    const { log, events } = recordingLogger();
    const s = (await createSemanticSearch({ db: store.db, config: store.config, log }))!;
    expect(await s.searchText('graph', 5)).toEqual([]); // nothing indexed yet
    expect(await s.whenLoaded()).toBe(true);
    expect(s.status()).toMatchObject({ provider: 'transformers', model: 'local:tiny-embedding-model', ready: false, indexed: 0, pending: 4 });
    const progress: number[] = [];
    expect(await s.indexPending({ onProgress: (done) => progress.push(done) })).toEqual({ embedded: 4, reused: 0 });
    expect(progress).toEqual([0, 4]); // batch size 1 × 4 papers per round
    expect(s.status()).toMatchObject({ ready: true, indexed: 4, pending: 0 });

    const hits = await s.searchText('graphs and networks', 4);
    const ids = await idsByArxiv(store);
    expect(hits[0]!.paperId).toBe(ids.get(graph.arxivId));
    expect(hits[0]!.score).toBeGreaterThan(0.8);
    const similar = await s.similarTo(ids.get(graph.arxivId)!, 2);
    expect(similar.map((h) => h.paperId)).not.toContain(ids.get(graph.arxivId));
    expect(similar[0]!.score).toBeGreaterThan(similar[1]!.score);
    await s.close();
    expect(existsSync(indexFileFor(store.config, 'local:tiny-embedding-model'))).toBe(true);

    // Restart: the saved index matches the store, so it loads without a rebuild.
    const second = recordingLogger();
    const s2 = (await createSemanticSearch({ db: store.db, config: store.config, log: second.log }))!;
    await s2.whenLoaded();
    expect(second.events()).toContain('vector_index_loaded');
    expect(s2.status()).toMatchObject({ ready: true, indexed: 4, pending: 0 });
    await s2.close();
    expect(events()).toContain('embedding_finished');
  });

  it('re-embeds a changed paper, reuses cached vectors, and rebuilds a missing index from the store', async () => {
    const store = await storeWith({ EMBEDDINGS: 'transformers', EMBEDDING_MODEL: TINY });
    const p = await createPaper(store, { title: 'Robot grasp', abstract: 'Motion control.' });
    await createPaper(store, { title: 'Image pixel', abstract: 'Camera vision.' });
    const s = (await createSemanticSearch({ db: store.db, config: store.config, log: createLogger('silent') }))!;
    await s.indexPending();
    await upsertPapers(store.db, [{ ...p, version: 2, title: 'Quantum qubit', abstract: 'Entanglement circuit.' }]);
    expect(await s.indexPending()).toEqual({ embedded: 1, reused: 0 });
    const ids = await idsByArxiv(store);
    expect((await s.searchText('quantum', 1))[0]!.paperId).toBe(ids.get(p.arxivId));
    // Back to the first text: its vector is still cached.
    await upsertPapers(store.db, [{ ...p, version: 3 }]);
    expect(await s.indexPending()).toEqual({ embedded: 0, reused: 1 });
    await s.close();

    const file = indexFileFor(store.config, 'local:tiny-embedding-model');
    rmSync(file);
    const { log, events } = recordingLogger();
    const s2 = (await createSemanticSearch({ db: store.db, config: store.config, log }))!;
    await s2.whenLoaded();
    expect(events()).toContain('vector_index_rebuilt');
    expect((await s2.searchText('robot motion', 1))[0]!.paperId).toBe(ids.get(p.arxivId));
    await s2.close();
  });

  it("keeps a second instance's index in step with vectors the first one stores", async () => {
    const store = await storeWith({ EMBEDDINGS: 'transformers', EMBEDDING_MODEL: TINY });
    await createPaper(store, { title: 'Language text', abstract: 'Translation of word.' });
    // The embedding process, and a web process that never embeds: the same database, its own index.
    const worker = (await createSemanticSearch({ db: store.db, config: store.config, log: createLogger('silent') }))!;
    const web = (await createSemanticSearch({ db: store.db, config: store.config, log: createLogger('silent'), watchPollMs: 50 }))!;
    await Promise.all([worker.whenLoaded(), web.whenLoaded()]);
    expect(web.status().indexed).toBe(0);
    await worker.indexPending();
    await until(() => web.status().indexed === 1);
    await createPaper(store, { title: 'Cell gene', abstract: 'Protein.' });
    await worker.indexPending();
    await until(() => web.status().indexed === 2);
    const ids = await idsByArxiv(store);
    const cell = [...ids.values()].at(-1)!;
    expect((await web.similarTo([...ids.values()][0]!, 1)).map((n) => n.paperId)).toEqual([cell]);
    // Vectors deleted elsewhere (reindex --full) empty the index instead of leaving stale ones.
    await deletePaperEmbeddings(store.db, 'local:tiny-embedding-model');
    await until(() => web.status().indexed === 0);
    await Promise.all([worker.close(), web.close()]);
  });
});

describe('EMBEDDINGS resolution', () => {
  it('off gives no semantic search', async () => {
    const store = await storeWith({ EMBEDDINGS: 'off' });
    expect(await createSemanticSearch({ db: store.db, config: store.config, log: createLogger('silent') })).toBeUndefined();
  });

  it('auto with an uncached model and downloads off is keyword-only, said once in the log', async () => {
    const store = await storeWith({ EMBEDDINGS: 'auto', EMBEDDING_HUB_URL: 'off' });
    const { log, lines } = recordingLogger();
    expect(await createSemanticSearch({ db: store.db, config: store.config, log })).toBeUndefined();
    const warnings = lines.filter((l) => l.event === 'semantic_search_off');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]!.reason)).toContain('Xenova/bge-small-en-v1.5 is not cached');
  });

  it('auto with an unreachable model starts at once, stays keyword-only and says why in status()', async () => {
    const hub: Server = createServer((_req, res) => res.writeHead(404).end('not found'));
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
    try {
      const store = await storeWith({ EMBEDDINGS: 'auto', EMBEDDING_HUB_URL: `http://127.0.0.1:${(hub.address() as AddressInfo).port}/` });
      await createPaper(store, {});
      const { log, lines } = recordingLogger();
      const s = (await createSemanticSearch({ db: store.db, config: store.config, log }))!;
      expect(s.status()).toMatchObject({ provider: 'transformers', ready: false });
      expect(await s.whenLoaded()).toBe(false);
      expect(await s.searchText('anything', 5)).toEqual([]);
      expect(s.status().error).toMatch(/cannot load embedding model/);
      expect(lines.filter((l) => l.event === 'semantic_search_off')).toHaveLength(1);
      await s.close();
    } finally {
      hub.close();
    }
  });
});

async function idsByArxiv(store: TestStore): Promise<Map<string, number>> {
  const rows = await store.db.selectFrom('paper').select(['id', 'arxiv_id']).execute();
  return new Map(rows.map((r) => [r.arxiv_id, r.id]));
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

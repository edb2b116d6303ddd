// The SQLite store reuses prepared statements per SQL text. A statement left mid-iteration by a
// stream the caller abandoned must not break the next use of the same SQL.
import { describe, expect, it } from 'vitest';
import { createPaper, createTestStore } from './helpers.ts';

describe('prepared statements on SQLite', () => {
  it('reuses a statement after a stream of it was abandoned, and after it ran to the end', async () => {
    const store = await createTestStore();
    try {
      for (let i = 0; i < 5; i++) await createPaper(store, {});
      const query = () => store.db.selectFrom('paper').select('arxiv_id').orderBy('id');
      const all = (await query().execute()).map((r) => r.arxiv_id);
      expect(all).toHaveLength(5);
      const firstTwo: string[] = [];
      for await (const row of query().stream()) {
        firstTwo.push(row.arxiv_id);
        if (firstTwo.length === 2) break;
      }
      expect(firstTwo).toEqual(all.slice(0, 2));
      expect((await query().execute()).map((r) => r.arxiv_id)).toEqual(all);
      const streamed: string[] = [];
      for await (const row of query().stream()) streamed.push(row.arxiv_id);
      expect(streamed).toEqual(all);
      await createPaper(store, {});
      expect(await query().execute()).toHaveLength(6);
    } finally {
      await store.cleanup();
    }
  });
});

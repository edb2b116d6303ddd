// A key-phrase backfill runs in the server's own process on SQLite, whose driver answers
// synchronously: it must give the event loop turns, or requests (and the server's start) wait for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPending } from '../src/summary/job.ts';
import { createPaper, createTestStore, type TestStore } from './helpers.ts';

describe('the summarize backfill on SQLite', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('sqlite');
    for (let i = 0; i < 60; i++) await createPaper(store, { title: `Backfilled paper number ${i} about graph neural networks`, abstract: `We study message passing ${i} on sparse graphs and report accuracy on node classification.` });
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  it('lets other work run while it extracts', async () => {
    let extractedWhenOtherWorkRan: number | undefined;
    let done = 0;
    const backfill = extractPending(store.db, () => new Date(), undefined, (n) => (done = n));
    setImmediate(() => (extractedWhenOtherWorkRan = done));
    expect(await backfill).toBeGreaterThanOrEqual(60);
    // The callback ran before the backfill finished its first batch, not after all of it.
    expect(extractedWhenOtherWorkRan).toBe(0);
  });
});

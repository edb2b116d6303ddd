import { describe, expect, it } from 'vitest';
import { ensureUser } from '../src/accounts/index.ts';
import { setVote } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { currentVersion } from '../src/store/change-version.ts';
import { CHANGE_LEVEL, PAGES_CHANNEL, prunePageChanges, readPageChanges } from '../src/store/page-change.ts';
import { createPaper, createTestStore, testDialects } from './helpers.ts';

describe.each(testDialects())('the log of what changed for the pages, on %s', (dialect) => {
  it('names the paper of each write and how far it reaches, and says when it was pruned', async () => {
    const store = await createTestStore(dialect);
    try {
      await createPaper(store, { arxivId: '2606.40001', announcedOn: '2026-06-30', categories: ['cs.CL', 'cs.LG'] });
      const paper = (await findPaperByArxivId(store.db, '2606.40001'))!;
      const user = await ensureUser(store.db, 'logged@example.org', new Date());
      const before = await currentVersion(store.db, PAGES_CHANNEL);
      await setVote(store.db, user.id, paper.id, true, new Date());
      const after = await currentVersion(store.db, PAGES_CHANNEL);
      expect(after).toBeGreaterThan(before);
      const vote = await readPageChanges(store.db, before, after, 100);
      expect(vote).toContainEqual({ paperId: paper.id, day: null, level: CHANGE_LEVEL.paper });
      expect(vote!.every((c) => c.paperId === paper.id && c.level === CHANGE_LEVEL.paper)).toBe(true);

      // A new paper is listed somewhere: it names its day and reaches the lists.
      const added = await currentVersion(store.db, PAGES_CHANNEL);
      await createPaper(store, { arxivId: '2606.40002', announcedOn: '2026-06-29', categories: ['cs.CL'] });
      const second = (await findPaperByArxivId(store.db, '2606.40002'))!;
      const changes = await readPageChanges(store.db, added, await currentVersion(store.db, PAGES_CHANNEL), 100);
      expect(changes).toContainEqual({ paperId: second.id, day: '2026-06-29', level: CHANGE_LEVEL.listed });

      // Too many versions at once, or versions already pruned, cannot be told paper by paper.
      const now = await currentVersion(store.db, PAGES_CHANNEL);
      expect(await readPageChanges(store.db, 0, now, 1)).toBeUndefined();
      expect(await prunePageChanges(store.db, now, 1)).toBeGreaterThan(0);
      expect(await readPageChanges(store.db, before, now, 100)).toBeUndefined();
      expect(await readPageChanges(store.db, now - 1, now, 100)).toBeDefined();
    } finally {
      await store.cleanup();
    }
  });
});

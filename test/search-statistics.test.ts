// PostgreSQL keyword search takes common words' document frequencies from the column statistics
// (pg_stats) instead of counting rows; they must agree with the exact counts.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { upsertPapers, type PaperInput } from '../src/papers/index.ts';
import { postgresKeywordIndex } from '../src/search/keyword.postgres.ts';
import { CANDIDATE_POSTINGS } from '../src/search/relevance.ts';
import { PG_CANDIDATE_POSTINGS } from '../src/search/stats.postgres.ts';
import { stemWord } from '../src/search/snippet.ts';
import { refreshStatistics } from '../src/store/postgres.ts';
import { createTestStore, testDialects } from './helpers.ts';

describe.runIf(testDialects().includes('postgres'))('keyword statistics on PostgreSQL', () => {
  it('reads common words from pg_stats and counts rare ones, both matching the exact counts', async () => {
    const store = await createTestStore('postgres');
    try {
      const papers: PaperInput[] = Array.from({ length: 400 }, (_, i) => ({
        arxivId: `2607.${String(i + 1).padStart(5, '0')}`,
        title: `Graph learning ${i % 2 === 0 ? 'with transformers under the sky' : 'for molecules'} number ${i}`,
        abstract: i % 100 === 0 ? 'A rare zeolite appears here.' : 'Networks of nodes and edges.',
        authors: ['Ada Lovelace'],
        categories: ['cs.LG'],
        announcedOn: '2026-07-01',
      }));
      await upsertPapers(store.db, papers);
      await refreshStatistics(store.db);
      const { rows } = await sql<{ elems: string[] }>`SELECT most_common_elems::text::text[] AS elems FROM pg_stats WHERE tablename = 'paper_search' AND attname = 'document'`.execute(store.db);
      // A paper written after ANALYZE: its new word is not in PostgreSQL's list, so it is counted; the
      // shares of listed words apply to the current number of papers.
      await upsertPapers(store.db, [{ ...papers[0]!, arxivId: '2607.99999', title: 'Graph of a quokka census', abstract: 'Networks of nodes and edges.' }]);
      expect(rows[0]!.elems).toEqual(expect.arrayContaining(['graph', 'transform', 'molecul', 'zeolit']));
      expect(rows[0]!.elems).not.toContain('quokka');
      const stats = await postgresKeywordIndex.termStats(store.db, ['graph', 'transformers', 'molecules', 'zeolite', 'quokka', 'skies', 'inability'].map(stemWord));
      expect(stats.docCount).toBe(401);
      // ts_rank's cost a posting: descriptive queries take fewer candidate postings than on SQLite.
      expect(stats.candidatePostings).toBe(PG_CANDIDATE_POSTINGS);
      expect(PG_CANDIDATE_POSTINGS).toBeLessThan(CANDIDATE_POSTINGS);
      expect(stats.docFreq.get(stemWord('quokka'))).toBe(1);
      expect(stats.docFreq.get(stemWord('graph'))).toBe(401);
      // Taken from the statistics, not counted: the share measured on 400 papers (one half) applied to
      // 401 gives 201 where a count gives 200 — within one, and proof of where the number came from.
      expect(stats.docFreq.get(stemWord('transformers'))).toBe(201);
      expect(stats.docFreq.get(stemWord('molecules'))).toBe(201);
      expect(stats.docFreq.get(stemWord('zeolite'))).toBe(4);
      // "skies" is the lexeme "sky" to PostgreSQL, which no prefix of the word guesses: counted beside
      // the lexemes all the same, and then taken from the statistics like any listed word.
      expect(rows[0]!.elems).toContain('sky');
      expect(stats.docFreq.get(stemWord('skies'))).toBe(201);
      expect(stats.docFreq.has(stemWord('inability'))).toBe(false);
    } finally {
      await store.cleanup();
    }
  });
});

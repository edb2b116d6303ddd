// "Similar papers" for a paper page: nearest neighbours by vector when semantic search is ready,
// otherwise a keyword fallback.
import type { Db } from '../store/db.ts';
import { findPapersByIds, type Paper } from '../papers/index.ts';
import { lsaTerms } from './embeddings/lsa.ts';
import type { SemanticSearch } from './semantic.ts';

export async function findSimilarPapers(db: Db, semantic: SemanticSearch | undefined, paper: Paper, k: number): Promise<{ papers: Paper[]; method: 'semantic' | 'keyword' }> {
  if (semantic?.status().ready) {
    const near = await semantic.similarTo(paper.id, k);
    if (near.length > 0) return { papers: await findPapersByIds(db, near.map((n) => n.paperId)), method: 'semantic' };
  }
  return { papers: await findPapersByIds(db, await findSimilarByKeywords(db, paper, k)), method: 'keyword' };
}

/**
 * The keyword fallback: papers in the same primary category sharing the most distinctive title
 * words (longest first, as a cheap stand-in for rarity), newest first among equals.
 * TODO(#9): rank with keyword search (BM25 over the title) once it is on main.
 */
export async function findSimilarByKeywords(db: Db, paper: Paper, k: number): Promise<number[]> {
  const words = [...new Set(lsaTerms(paper.title).filter((w) => w.length >= 4))].sort((a, b) => b.length - a.length).slice(0, 6);
  if (words.length === 0) return [];
  const hits = new Map<number, { shared: number; announcedOn: string }>();
  for (const word of words) {
    const rows = await db
      .selectFrom('paper')
      .select(['id', 'announced_on'])
      .where('primary_category', '=', paper.primaryCategory)
      .where('id', '<>', paper.id)
      .where('withdrawn', '=', 0)
      .where((eb) => eb(eb.fn('lower', ['title']), 'like', `%${word.replace(/[%_\\]/g, '')}%`))
      .orderBy('announced_on', 'desc')
      .limit(200)
      .execute();
    for (const r of rows) {
      const h = hits.get(r.id) ?? { shared: 0, announcedOn: r.announced_on };
      h.shared++;
      hits.set(r.id, h);
    }
  }
  return [...hits]
    .sort(([ia, a], [ib, b]) => b.shared - a.shared || b.announcedOn.localeCompare(a.announcedOn) || ib - ia)
    .slice(0, k)
    .map(([id]) => id);
}

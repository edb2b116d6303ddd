// What the API and feeds list, in one place so each switches over with a single change:
//   listForPeriod  — the ranking (community trending), or newest first
//   upvotesFor     — upvotes in API shape (local votes from src/community, HF imported)
import type { Db } from '../store/db.ts';
import { countVotes } from '../community/index.ts';
import { findPapersByIds, withLinks, type Paper, type Period } from '../papers/index.ts';
import { listTrending } from './queries.ts';

export type ListingSort = 'trending' | 'publishedAt';

export interface ListingOptions {
  limit: number;
  offset?: number;
  sort: ListingSort;
  category?: string | undefined;
}

/** Papers announced in a period: trending first, or newest first with sort=publishedAt. */
export async function listForPeriod(db: Db, period: Period, opts: ListingOptions): Promise<{ papers: Paper[]; total: number }> {
  const range = { start: period.start, end: period.end, category: opts.category, limit: opts.limit, offset: opts.offset ?? 0 };
  if (opts.sort === 'trending') {
    const { entries, total } = await listTrending(db, { period, category: opts.category, limit: range.limit, offset: range.offset, now: new Date() });
    return { papers: entries.map((e) => e.paper), total };
  }
  let q = db.selectFrom('paper').where('announced_on', '>=', range.start).where('announced_on', '<=', range.end);
  if (range.category) {
    const category = range.category;
    q = q.where('id', 'in', (sub) => sub.selectFrom('paper_category').select('paper_id').where('category', '=', category));
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('announced_on', 'desc').orderBy('submitted_at', (ob) => ob.desc().nullsLast()).orderBy('id', 'desc').limit(range.limit).offset(range.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { papers: await withLinks(db, rows), total: Number(count.n) };
}

/** Papers of a period one Hugging Face user submitted there (paper_hf, kept by import and hf-sync): most upvoted first, or newest. */
export async function listSubmittedOnHf(db: Db, period: Period, submitter: string, opts: ListingOptions): Promise<{ papers: Paper[]; total: number }> {
  const rows = await db
    .selectFrom('paper_hf')
    .innerJoin('paper', 'paper.id', 'paper_hf.paper_id')
    .select(['paper.id', 'paper.announced_on', 'paper.submitted_at', 'paper.hf_upvotes'])
    .where('paper_hf.submitter_name', '=', submitter)
    .where('paper.announced_on', '>=', period.start)
    .where('paper.announced_on', '<=', period.end)
    .execute();
  const local = await countVotes(db, rows.map((r) => r.id));
  const key = (r: (typeof rows)[number]) => (opts.sort === 'trending' ? String(1e9 + (local.get(r.id) ?? 0) + r.hf_upvotes).padStart(12, '0') : `${r.announced_on}${r.submitted_at ?? ''}`);
  rows.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : b.id - a.id));
  const page = rows.slice(opts.offset ?? 0, (opts.offset ?? 0) + opts.limit);
  return { papers: await findPapersByIds(db, page.map((r) => r.id)), total: rows.length };
}

export interface Upvotes {
  /** Votes cast on this instance. */
  local: number;
  /** Upvotes imported from Hugging Face. */
  hf: number;
  /** local + hf: what the HF-compatible `upvotes` field reports. */
  total: number;
}

/**
 * Upvotes per paper id. The HF-compatible `upvotes` is local votes plus imported HF upvotes, so a
 * paper imported from HF keeps its standing and local votes add to it.
 */
export async function upvotesFor(db: Db, papers: Paper[]): Promise<Map<number, Upvotes>> {
  const local = await countVotes(db, papers.map((p) => p.id));
  return new Map(papers.map((p) => [p.id, upvotesWith(p, local.get(p.id) ?? 0)]));
}

/** A paper's upvotes given its local votes. */
export function upvotesWith(paper: Paper, local: number): Upvotes {
  return { local, hf: paper.hfUpvotes, total: local + paper.hfUpvotes };
}

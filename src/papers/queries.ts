// Reading papers: by arXiv id, by announced period, and the days that have papers.
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import type { LinkKind, PaperLink } from './links.ts';
import { paperFromRow, type Paper, type PaperRow } from './paper.ts';
import { loadPaperExtras, NO_EXTRAS } from './extras.ts';
import { findPapersByIdsPostgres } from './queries.postgres.ts';
import { dialectOf } from '../store/dialect.ts';

export async function findPaperByArxivId(db: Db, arxivId: string): Promise<Paper | undefined> {
  const row = await db.selectFrom('paper').selectAll().where('arxiv_id', '=', arxivId).executeTakeFirst();
  if (!row) return undefined;
  return (await withLinks(db, [row]))[0];
}

/**
 * The papers with these ids, in that order (absent ids are left out). `extras: false` is for a reader
 * that shows none of what listings show beside a paper (PaperExtras): SQLite then skips their four
 * lookups (PostgreSQL reads them in the same statement as the papers, and keeps them). Every search
 * and listing reads papers this way, so on SQLite the rows and links are read by statements written
 * out: built and compiled by the query builder, the two cost ~0.1 ms more a search than they take to run.
 */
export async function findPapersByIds(db: Db, ids: number[], options: { extras?: boolean } = {}): Promise<Paper[]> {
  if (ids.length === 0) return [];
  const papers = dialectOf(db) === 'postgres'
    ? await findPapersByIdsPostgres(db, ids)
    : await withLinks(db, (await sql<PaperRow>`SELECT * FROM paper WHERE id IN (${sql.join(ids)})`.execute(db)).rows, options);
  const byId = new Map(papers.map((p) => [p.id, p]));
  return ids.map((id) => byId.get(id)).filter((p): p is Paper => p !== undefined);
}

/** Attaches links (one query) and, unless `extras` is false, extras (one query per kind, see extras.ts) to rows. */
export async function withLinks(db: Db, rows: PaperRow[], options: { extras?: boolean } = {}): Promise<Paper[]> {
  if (rows.length === 0) return [];
  const { rows: links } = await sql<{ paper_id: number; kind: string; url: string }>`SELECT paper_id, kind, url FROM paper_link
    WHERE paper_id IN (${sql.join(rows.map((r) => r.id))}) ORDER BY paper_id, position`.execute(db);
  const grouped = new Map<number, PaperLink[]>();
  for (const l of links) {
    const list = grouped.get(l.paper_id) ?? [];
    list.push({ kind: l.kind as LinkKind, url: l.url });
    grouped.set(l.paper_id, list);
  }
  if (options.extras === false) return rows.map((r) => paperFromRow(r, grouped.get(r.id) ?? []));
  const extras = await loadPaperExtras(db, rows.map((r) => r.id), grouped);
  return rows.map((r) => ({ ...paperFromRow(r, grouped.get(r.id) ?? []), extras: extras.get(r.id) ?? NO_EXTRAS }));
}

export interface ListOptions {
  start: string;
  end: string;
  category?: string | undefined;
  limit: number;
  offset?: number;
}

/** Papers announced within [start, end], most imported upvotes first, then newest. */
export async function listPapersAnnounced(db: Db, opts: ListOptions): Promise<{ papers: Paper[]; total: number }> {
  let q = db.selectFrom('paper').where('announced_on', '>=', opts.start).where('announced_on', '<=', opts.end);
  if (opts.category) {
    const category = opts.category;
    // Correlated EXISTS walks the period's rows and probes the (paper_id, category) key; an IN over
    // the category made SQLite read every paper of a large category first (200+ ms for cs.CV).
    q = q.where((eb) => eb.exists(eb.selectFrom('paper_category').select('paper_category.paper_id').whereRef('paper_category.paper_id', '=', 'paper.id').where('paper_category.category', '=', category)));
  }
  // Rank ids first, then read the page's rows: sorting whole rows (abstracts included) of a month is slow.
  const [idRows, count] = await Promise.all([
    q.select('id').orderBy('hf_upvotes', 'desc').orderBy('announced_on', 'desc').orderBy('id', 'desc').limit(opts.limit).offset(opts.offset ?? 0).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { papers: await findPapersByIds(db, idRows.map((r) => r.id)), total: Number(count.n) };
}

/** The most recent announced day, or undefined on an empty store. */
export async function latestAnnouncedOn(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('paper').select((eb) => eb.fn.max('announced_on').as('day')).executeTakeFirst();
  return (row?.day as string | null | undefined) ?? undefined;
}


/** The newest modification time among papers, for Last-Modified. */
export async function lastModifiedOf(db: Db, paperIds: number[]): Promise<string | undefined> {
  if (paperIds.length === 0) return undefined;
  const row = await db.selectFrom('paper').select((eb) => eb.fn.max('modified_at').as('m')).where('id', 'in', paperIds).executeTakeFirst();
  return (row?.m as string | null | undefined) ?? undefined;
}

/** The nearest day with papers strictly before / after a day, for previous/next navigation. */
export async function adjacentAnnouncedDay(db: Db, day: string, direction: -1 | 1): Promise<string | undefined> {
  const q = db.selectFrom('paper').select('announced_on');
  const row = await (direction < 0
    ? q.where('announced_on', '<', day).orderBy('announced_on', 'desc')
    : q.where('announced_on', '>', day).orderBy('announced_on', 'asc')
  ).limit(1).executeTakeFirst();
  return row?.announced_on;
}

export async function countPapers(db: Db): Promise<number> {
  const row = await db.selectFrom('paper').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface CategoryCount {
  category: string;
  papers: number;
}

/**
 * Papers listed in each category, cross-lists included (as the category listings show them), most
 * first; within [start, end] when given.
 */
export async function countPapersByCategory(db: Db, range?: { start: string; end: string }): Promise<CategoryCount[]> {
  let q = db.selectFrom('paper_category as pc').select(['pc.category', (eb) => eb.fn.countAll<number>().as('n')]);
  if (range) q = q.innerJoin('paper as p', 'p.id', 'pc.paper_id').where('p.announced_on', '>=', range.start).where('p.announced_on', '<=', range.end);
  const rows = await q.groupBy('pc.category').orderBy('n', 'desc').orderBy('pc.category').execute();
  return rows.map((r) => ({ category: r.category, papers: Number(r.n) }));
}

/** Our ids of the papers with these arXiv ids (without version); ids not stored are absent. */
export async function findPaperIdsByArxivIds(db: Db, arxivIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < arxivIds.length; i += 500) {
    const rows = await db.selectFrom('paper').select(['id', 'arxiv_id']).where('arxiv_id', 'in', arxivIds.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.arxiv_id, r.id);
  }
  return out;
}

// The recommendation window: the papers announced in a range of days (hidden and withdrawn ones
// left out), analysed into a term index once per process and kept while the range's papers are
// unchanged. Readers' lists are ranked against it, so no request reads or analyses the corpus.
import type { Db } from '../store/db.ts';
import { getModeration } from '../community/index.ts';
import { authorKey } from '../follows/index.ts';
import { buildTermIndex, comparisonTerms, paperTerms, type TermIndex } from './text-vectors.ts';
import { categoryShares, type WindowPaper } from './rank.ts';

export interface Window {
  /** First and last announced day covered (inclusive). */
  start: string;
  end: string;
  papers: WindowPaper[];
  /** Title terms of each paper, for saved searches with ti:. */
  titleTerms: Array<Set<string>>;
  index: TermIndex;
  /** Changes whenever the window's papers do: part of every cached list's key. */
  stamp: string;
  /** Each category's share of the window's papers. */
  categoryShare: Map<string, number>;
  /** Position of each paper in `papers`, by paper id. */
  position: Map<number, number>;
}

/** How long a process trusts a window before asking the store whether its papers changed. */
export const WINDOW_CHECK_MS = 60_000;
/** Windows kept per process (one per distinct range asked for). */
const WINDOWS_KEPT = 4;

interface Cached {
  stamp: string;
  checkedAt: number;
  window: Promise<Window>;
}

const windows = new WeakMap<Db, Map<string, Cached>>();

/** The window for [start, end], built or reused; `now` is the clock used to decide re-checks. */
export async function loadWindow(db: Db, start: string, end: string, now: number = Date.now()): Promise<Window> {
  let perDb = windows.get(db);
  if (!perDb) windows.set(db, (perDb = new Map()));
  const key = `${start}..${end}`;
  const cached = perDb.get(key);
  if (cached && now - cached.checkedAt < WINDOW_CHECK_MS) return cached.window;
  const stamp = await windowStamp(db, start, end);
  if (cached && cached.stamp === stamp) {
    cached.checkedAt = now;
    return cached.window;
  }
  const window = buildWindow(db, start, end, stamp);
  perDb.delete(key);
  perDb.set(key, { stamp, checkedAt: now, window });
  if (perDb.size > WINDOWS_KEPT) perDb.delete(perDb.keys().next().value!);
  window.catch(() => perDb.delete(key));
  return window;
}

/** Count, newest change and moderation changes of the range's papers: equal stamps, equal windows. */
async function windowStamp(db: Db, start: string, end: string): Promise<string> {
  const papers = await db
    .selectFrom('paper')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('modified_at').as('changed')])
    .where('announced_on', '>=', start)
    .where('announced_on', '<=', end)
    .executeTakeFirstOrThrow();
  const moderation = await db.selectFrom('paper_moderation').select((eb) => eb.fn.max('updated_at').as('changed')).executeTakeFirstOrThrow();
  return `${papers.n}:${papers.changed ?? ''}:${moderation.changed ?? ''}`;
}

async function buildWindow(db: Db, start: string, end: string, stamp: string): Promise<Window> {
  const rows = await db
    .selectFrom('paper')
    .select(['id', 'title', 'abstract', 'authors', 'categories', 'announced_on'])
    .where('announced_on', '>=', start)
    .where('announced_on', '<=', end)
    .where('withdrawn', '=', 0)
    .orderBy('announced_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const hidden = new Set<number>();
  for (let i = 0; i < rows.length; i += 1000) {
    for (const [id, m] of await getModeration(db, rows.slice(i, i + 1000).map((r) => r.id))) if (m.hidden) hidden.add(id);
  }
  const kept = rows.filter((r) => !hidden.has(r.id));
  const papers: WindowPaper[] = kept.map((r) => {
    const authors = JSON.parse(r.authors) as string[];
    return { paperId: r.id, announcedOn: r.announced_on, categories: JSON.parse(r.categories) as string[], authors, authorKeys: authors.map(authorKey) };
  });
  const index = buildTermIndex(kept.map((r) => comparisonTerms(`${r.title}\n${r.abstract}`)));
  const titleTerms = kept.map((r) => new Set(paperTerms(r.title)));
  return { start, end, papers, titleTerms, index, stamp, categoryShare: categoryShares(papers), position: new Map(papers.map((p, i) => [p.paperId, i])) };
}

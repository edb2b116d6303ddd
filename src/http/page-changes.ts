// Which kept pages a change reaches. While a page renders, its route says what it shows (dependsOn):
// papers by id, ranges of listed days, and how broad a change must be to reach it whatever the
// paper (CHANGE_LEVEL). The store logs each write's papers (src/store/page-change.ts); a change
// reaches a page when it is at least that broad, touches one of its papers, or a paper listed on one
// of its days. A page that says nothing is reached by every change.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../store/db.ts';
import { CHANGE_LEVEL, readPageChanges } from '../store/page-change.ts';
import { listingsOf } from '../trending/index.ts';

/** Inclusive range of listed days (YYYY-MM-DD; OPEN_END leaves it open), of one category or all. */
export interface DayRange {
  from: string;
  to: string;
  category?: string | undefined;
}

export interface PageDeps {
  papers: Set<number>;
  ranges: DayRange[];
  /** The narrowest change level that reaches the page whatever the paper. */
  level: number;
}

/** A day a changed paper is listed on, with its categories (undefined: they may have changed too). */
export interface ChangedDay {
  day: string;
  categories: readonly string[] | undefined;
}

/** What a batch of versions changed. */
export interface ChangeSet {
  /** The broadest level among the changes; 0 for none. */
  level: number;
  papers: Set<number>;
  days: ChangedDay[];
}

/** Where a list's days end when it shows the latest period: a later day's papers would replace it. */
export const OPEN_END = '9999-12-31';
/** Versions read paper by paper at once; a process further behind (an import, a pause) drops everything. */
const MAX_VERSIONS_READ = 2_000;
export const EVERYTHING: ChangeSet = { level: CHANGE_LEVEL.all, papers: new Set(), days: [] };

const declared = new WeakMap<FastifyRequest, PageDeps>();

/** Says what this response shows, so only changes that reach it drop it from the page cache. Calls add up. */
export function dependsOn(req: FastifyRequest, what: { papers?: Iterable<number>; days?: readonly [string, string]; category?: string | undefined; level?: number }): void {
  let deps = declared.get(req);
  if (!deps) declared.set(req, (deps = { papers: new Set(), ranges: [], level: CHANGE_LEVEL.all }));
  for (const id of what.papers ?? []) deps.papers.add(id);
  if (what.days) deps.ranges.push({ from: what.days[0], to: what.days[1], category: what.category });
  if (what.level !== undefined) deps.level = Math.min(deps.level, what.level);
}

/** What the response to this request said it shows; every change reaches a page that said nothing. */
export function depsOf(req: FastifyRequest): PageDeps {
  return declared.get(req) ?? { papers: new Set(), ranges: [], level: CHANGE_LEVEL.paper };
}

export function reaches(change: ChangeSet, deps: PageDeps): boolean {
  if (change.level === 0) return false;
  if (change.level >= deps.level) return true;
  for (const id of deps.papers) if (change.papers.has(id)) return true;
  for (const r of deps.ranges) {
    for (const d of change.days) {
      if (d.day >= r.from && d.day <= r.to && (!r.category || !d.categories || d.categories.includes(r.category))) return true;
    }
  }
  return false;
}

/** The changes of versions (after, upTo], with the days and categories each paper is listed on. */
export async function changesBetween(db: Db, after: number, upTo: number): Promise<ChangeSet> {
  const rows = await readPageChanges(db, after, upTo, MAX_VERSIONS_READ);
  if (!rows) return EVERYTHING;
  const set: ChangeSet = { level: 0, papers: new Set(), days: [] };
  // Papers whose text or listing changed may have had other categories a moment ago: any category.
  const moved = new Set<number>();
  const named: ChangedDay[] = [];
  for (const r of rows) {
    set.level = Math.max(set.level, r.level);
    if (r.paperId !== 0) set.papers.add(r.paperId);
    if (r.level > CHANGE_LEVEL.paper) moved.add(r.paperId);
    if (r.day) named.push({ day: r.day, categories: undefined });
  }
  if (set.level >= CHANGE_LEVEL.all) return EVERYTHING;
  const seen = new Set<string>();
  const add = (d: ChangedDay) => {
    const key = `${d.day} ${d.categories?.join(' ') ?? '*'}`;
    if (!seen.has(key)) {
      seen.add(key);
      set.days.push(d);
    }
  };
  named.forEach(add);
  for (const [id, l] of await listingsOf(db, [...set.papers])) {
    for (const day of l.days) add({ day, categories: moved.has(id) ? undefined : l.categories });
  }
  return set;
}

/** Two change sets as one. */
export function mergeChanges(a: ChangeSet, b: ChangeSet): ChangeSet {
  if (a.level >= CHANGE_LEVEL.all || b.level >= CHANGE_LEVEL.all) return EVERYTHING;
  return { level: Math.max(a.level, b.level), papers: new Set([...a.papers, ...b.papers]), days: [...a.days, ...b.days] };
}

// The recommendation window: the papers announced in a range of days (hidden and withdrawn ones
// left out), analysed into a term index once per process and kept while the range's papers are
// unchanged. Readers' lists are ranked against it, so no request reads or analyses the corpus.
// A window may be a minute or a rebuild behind its papers: lists drop papers hidden or withdrawn
// since (recommendForUser checks the page it returns).
import { sql } from 'kysely';
import { inTurns, turnTaker } from '../lib/turns.ts';
import type { Db } from '../store/db.ts';
import { getModeration } from '../community/index.ts';
import { authorKey } from '../follows/index.ts';
import { comparisonTerms, paperTerms, type TermCounts } from './comparison-terms.ts';
import type { CorpusStatistics } from './term-statistics.ts';
import { termIndexSteps, type TermIndex } from './text-vectors.ts';
import { generality } from './generality.ts';
import { loadCorpusStatistics } from './corpus-stats.ts';
import { categoryShares } from './category-prior.ts';
import type { WindowPaper } from './signals.ts';

export interface Window {
  /** First and last announced day covered (inclusive). */
  start: string;
  end: string;
  papers: WindowPaper[];
  /** Title terms of each paper, for saved searches with ti:. */
  titleTerms: Array<Set<string>>;
  index: TermIndex;
  /** Each paper's resemblance to older papers in general (see generality.ts). */
  generality: Float32Array;
  /** The document frequencies the index was weighted with (the whole store's). */
  stats: CorpusStatistics;
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
/** Background papers read per statement. */
const ANALYSIS_SLICE = 500;
/**
 * The generality correction's background: 4,000 older papers, each window paper's 50 closest (its
 * top 1.25 %). On the authors benchmark the gain held from 2,000 to 8,000 papers and 10 to 200
 * neighbours (docs/personal.md); these are the middle of that range, not a tuned optimum.
 */
const BACKGROUND_SAMPLE = 4000;
const GENERALITY_NEIGHBOURS = 50;
const BACKGROUND_MIN = 200;

interface Cached {
  stamp: string;
  checkedAt: number;
  /** The last window built for this range (its papers may have changed since). */
  ready?: Window;
  /** A build under way, started when the range's papers changed. */
  building?: Promise<Window>;
}

export interface LoadWindowOptions {
  /** The clock used to decide re-checks (ms). */
  now?: number;
  /** Wait for a build under way instead of answering with the window it replaces. */
  fresh?: boolean;
  /**
   * While the range has never been built, answer with the newest window of the same length ending
   * earlier (yesterday's week on the day new papers arrive) rather than wait for the build.
   */
  earlierOk?: boolean;
}

const windows = new WeakMap<Db, Map<string, Cached>>();

/**
 * The window for [start, end]. Built once, then reused until its papers change; a rebuild runs in
 * the background and callers keep the previous window meanwhile (unless `fresh`), so no request
 * pays for analysing the papers once a window exists (the warmer builds the default one at start).
 */
export async function loadWindow(db: Db, start: string, end: string, opts: LoadWindowOptions = {}): Promise<Window> {
  const now = opts.now ?? Date.now();
  let perDb = windows.get(db);
  if (!perDb) windows.set(db, (perDb = new Map()));
  const key = `${start}..${end}`;
  let entry = perDb.get(key);
  if (entry) {
    // Most recently used last: the oldest unused range is the one dropped.
    perDb.delete(key);
    perDb.set(key, entry);
  }
  if (!entry || (!entry.ready && !entry.building) || now - entry.checkedAt >= WINDOW_CHECK_MS) {
    const stamp = await windowStamp(db, start, end);
    if (!entry) perDb.set(key, (entry = { stamp: '', checkedAt: now }));
    entry.checkedAt = now;
    if (stamp !== entry.stamp || (!entry.ready && !entry.building)) startBuild(db, perDb, key, entry, start, end, stamp);
  }
  if (entry.ready && !(opts.fresh && entry.building)) return entry.ready;
  if (opts.earlierOk) {
    const earlier = newestEarlier(perDb, start, end);
    if (earlier) return earlier;
  }
  return entry.building!;
}

function startBuild(db: Db, perDb: Map<string, Cached>, key: string, entry: Cached, start: string, end: string, stamp: string): void {
  entry.stamp = stamp;
  const building = buildWindow(db, start, end, stamp);
  entry.building = building;
  building.then(
    (w) => {
      if (entry.building !== building) return;
      entry.ready = w;
      entry.building = undefined;
    },
    () => {
      // Tried again on the next call.
      if (entry.building !== building) return;
      entry.building = undefined;
      entry.stamp = '';
    },
  );
  while (perDb.size > WINDOWS_KEPT) perDb.delete(perDb.keys().next().value!);
}

/** The built window of the same number of days as [start, end] with the latest end before it. */
function newestEarlier(perDb: Map<string, Cached>, start: string, end: string): Window | undefined {
  const days = daysBetween(start, end);
  let best: Window | undefined;
  for (const e of perDb.values()) {
    const w = e.ready;
    if (w && w.end < end && daysBetween(w.start, w.end) === days && (!best || w.end > best.end)) best = w;
  }
  return best;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * Papers announced before the window, evenly spread over the store by id: what "papers in general"
 * are for the generality correction. None on a young instance (fewer than BACKGROUND_MIN).
 */
async function loadBackground(db: Db, start: string): Promise<TermCounts[]> {
  // Read from paper_withdrawn_announced_idx alone (migration 0905), in its order, and sorted here:
  // ordered by id, the statement read every paper's row (5.8 s at a million papers).
  const { rows } = await sql<{ id: number }>`SELECT id FROM paper WHERE withdrawn = 0 AND announced_on < ${start}`.execute(db);
  const ids = Int32Array.from(rows, (r) => r.id).sort();
  if (ids.length < BACKGROUND_MIN) return [];
  const step = Math.max(1, ids.length / BACKGROUND_SAMPLE);
  const chosen: number[] = [];
  for (let x = 0; Math.floor(x) < ids.length; x += step) chosen.push(ids[Math.floor(x)]!);
  const out: TermCounts[] = [];
  const turn = turnTaker();
  for (let i = 0; i < chosen.length; i += ANALYSIS_SLICE) {
    const rows = await db.selectFrom('paper').select(['title', 'abstract']).where('id', 'in', chosen.slice(i, i + ANALYSIS_SLICE)).execute();
    for (const r of rows) {
      out.push(comparisonTerms(`${r.title}\n${r.abstract}`));
      await turn();
    }
  }
  return out;
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
  const stats = await loadCorpusStatistics(db);
  // Analysed paper by paper with turns of the event loop, so that requests are answered meanwhile
  // (a day's window is 1,500 papers, a month's 25,000).
  const turn = turnTaker();
  const terms: TermCounts[] = [];
  const titleTerms: Array<Set<string>> = [];
  for (const r of kept) {
    terms.push(comparisonTerms(`${r.title}\n${r.abstract}`));
    titleTerms.push(new Set(paperTerms(r.title)));
    await turn();
  }
  const index = await inTurns(termIndexSteps(terms, stats));
  const background = await inTurns(termIndexSteps(await loadBackground(db, start), stats));
  const general = new Float32Array(terms.length);
  for (let i = 0; i < terms.length; i++) {
    general.set(generality(background, terms.slice(i, i + 1), stats, GENERALITY_NEIGHBOURS), i);
    await turn();
  }
  return { start, end, papers, titleTerms, index, generality: general, stats, stamp, categoryShare: categoryShares(papers), position: new Map(papers.map((p, i) => [p.paperId, i])) };
}

// "For you": a reader's ranked window, from their saved papers (and tags), upvotes and follows.
// Lists are cached per process by what they depend on — the window's stamp and a fingerprint of the
// reader's signals — so a list is recomputed only after the library, the follows or the window's
// papers change; the cache is bounded by an estimate of its bytes.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { addDays, findPapersByIds, latestAnnouncedOn, type Paper } from '../papers/index.ts';
import { loadLibrarySignals } from '../library/index.ts';
import { findHiddenPaperIds } from '../community/index.ts';
import { authorKey, listFollows } from '../follows/index.ts';
import { DEFAULT_WEIGHTS, rankWindow, type Ranked, type RankWeights } from './rank.ts';
import { DEFAULT_STAGES, type Stages } from './content-score.ts';
import type { Reason } from './reasons.ts';
import type { ProfilePaper, ReaderSignals } from './signals.ts';
import { matchSavedSearch } from './saved-search.ts';
import { vectorize } from './text-vectors.ts';
import { loadProfileTexts } from './profile-terms.ts';
import { loadWindow, type Window } from './window.ts';

/** Default days of new papers a "for you" list draws from. */
export const DEFAULT_WINDOW_DAYS = 7;
/** How many ranked papers a cached list keeps (pages and feeds read from it). */
export const LIST_DEPTH = 200;
/** The newest saved and upvoted papers a profile reads; older ones add little and cost time. */
export const PROFILE_LIMIT = 300;
/** An upvote says less than a save. */
const VOTE_WEIGHT = 0.5;

export interface RecommendOptions {
  /** First announced day of the window (inclusive); default: DEFAULT_WINDOW_DAYS before the newest day. */
  since?: string;
  until?: string;
  limit?: number;
  offset?: number;
  /** Window length in days ending at the newest day, when `since` is not given. */
  days?: number;
  /** Rank by the papers with this tag only (and leave out follows and upvotes). */
  tag?: string;
  /** Ignore follows and upvotes (the offline benchmark: its readers are authors). */
  contentOnly?: boolean;
  weights?: RankWeights;
  /** How the ranking's two stages trade exactness for time (the benchmark measures both). */
  stages?: Stages;
}

export interface Recommendation {
  paper: Paper;
  score: number;
  reasons: Reason[];
}

export interface Recommendations {
  items: Recommendation[];
  /** How many ranked papers the list holds (at most LIST_DEPTH). */
  total: number;
  since: string;
  until: string;
  /** The reader has nothing to rank by yet: no saved papers, upvotes or follows. */
  coldStart: boolean;
}

/** The window [since, until] for options, from the newest announced day. */
export async function recommendationRange(db: Db, opts: { since?: string; until?: string; days?: number }): Promise<{ since: string; until: string } | undefined> {
  const until = opts.until ?? (await latestAnnouncedOn(db));
  if (!until) return undefined;
  return { since: opts.since ?? addDays(until, -((opts.days ?? DEFAULT_WINDOW_DAYS) - 1)), until };
}

export async function recommendForUser(db: Db, userId: number, opts: RecommendOptions = {}): Promise<Recommendations> {
  const range = await recommendationRange(db, opts);
  if (!range) return { items: [], total: 0, since: opts.since ?? '', until: opts.until ?? '', coldStart: true };
  // A list over "the last N days" may use yesterday's window while today's is being built; a
  // digest's period (since/until given) is always exact.
  const window = await loadWindow(db, range.since, range.until, { earlierOk: opts.since === undefined && opts.until === undefined });
  const ranked = await rankedFor(db, userId, window, opts);
  const offset = opts.offset ?? 0;
  const page = ranked.list.slice(offset, offset + (opts.limit ?? 50));
  const ids = page.map((r) => r.paperId);
  const papers = new Map((await findPapersByIds(db, ids)).map((p) => [p.id, p]));
  // The window may predate a moderator's hide or a withdrawal.
  for (const id of await findHiddenPaperIds(db, ids)) papers.delete(id);
  return {
    items: page.filter((r) => papers.has(r.paperId) && !papers.get(r.paperId)!.withdrawn).map((r) => ({ paper: papers.get(r.paperId)!, score: r.score, reasons: r.reasons })),
    total: ranked.list.length,
    since: window.start,
    until: window.end,
    coldStart: ranked.coldStart,
  };
}

interface CachedList {
  list: Ranked[];
  coldStart: boolean;
  bytes: number;
}

/** Cached lists per process, bounded by estimated size (about 120 bytes a ranked paper), least recently used leaving first. */
const lists = new WeakMap<Db, ByteCache<string, CachedList>>();

async function rankedFor(db: Db, userId: number, window: Window, opts: RecommendOptions): Promise<CachedList> {
  const signals = await loadSignals(db, userId, !opts.contentOnly && opts.tag === undefined);
  if (opts.tag !== undefined) {
    // A tag's list ranks by that tag's papers, and still leaves out everything already saved.
    signals.alsoSaved = signals.saved.filter((s) => !s.tags.includes(opts.tag!)).map((s) => s.paperId);
    signals.saved = signals.saved.filter((s) => s.tags.includes(opts.tag!));
  }
  const weights = opts.weights ?? DEFAULT_WEIGHTS;
  const stages = opts.stages ?? DEFAULT_STAGES;
  const key = createHash('sha256').update(JSON.stringify([userId, window.start, window.end, window.stamp, signals, weights, stages])).digest('base64url');
  let cache = lists.get(db);
  if (!cache) lists.set(db, (cache = budgetedCache<string, CachedList>('recommendation lists', (_k, e) => e.bytes)));
  const hit = cache.get(key);
  if (hit) {
    cache.touch(key);
    return hit;
  }
  const reader = await readerSignals(db, window, signals);
  const list = rankWindow(window.index, window.papers, window.categoryShare, window.generality, reader, LIST_DEPTH, weights, stages);
  const entry: CachedList = { list, coldStart: reader.papers.length === 0 && signals.follows.length === 0, bytes: 200 + list.length * 120 };
  cache.set(key, entry);
  return entry;
}

interface StoredSignals {
  saved: Array<{ paperId: number; tags: string[] }>;
  /** Saved papers outside a tag's list: not ranked by, but not recommended either. */
  alsoSaved?: number[];
  voted: number[];
  follows: Array<{ kind: string; value: string }>;
}

/** What a list depends on, read fresh on every request (three small indexed queries). */
async function loadSignals(db: Db, userId: number, withSocial: boolean): Promise<StoredSignals> {
  const saved = (await loadLibrarySignals(db, userId)).slice(0, PROFILE_LIMIT).map((s) => ({ paperId: s.paperId, tags: s.tags }));
  if (!withSocial) return { saved, voted: [], follows: [] };
  const votes = await db.selectFrom('vote').select('paper_id').where('user_id', '=', userId).orderBy('created_at', 'desc').limit(PROFILE_LIMIT).execute();
  const follows = (await listFollows(db, userId)).map((f) => ({ kind: f.kind, value: f.value }));
  return { saved, voted: votes.map((v) => v.paper_id), follows };
}

async function readerSignals(db: Db, window: Window, s: StoredSignals): Promise<ReaderSignals> {
  const savedIds = new Set(s.saved.map((p) => p.paperId));
  const voted = s.voted.filter((id) => !savedIds.has(id));
  const ids = [...savedIds, ...voted];
  const texts = await loadProfileTexts(db, ids);
  const tags = new Map(s.saved.map((p) => [p.paperId, p.tags]));
  const papers: ProfilePaper[] = ids.flatMap((id) => {
    const t = texts.get(id);
    if (!t) return [];
    return [{ paperId: id, arxivId: t.arxivId, vector: vectorize(window.index, t.terms, window.stats), weight: savedIds.has(id) ? 1 : VOTE_WEIGHT, tags: tags.get(id) ?? [], title: t.title, categories: t.categories }];
  });
  const followedAuthors = new Map<string, string>();
  const followedCategories = new Set<string>();
  const searchMatches = new Map<number, string>();
  for (const f of s.follows) {
    if (f.kind === 'author') followedAuthors.set(authorKey(f.value), f.value);
    else if (f.kind === 'category') followedCategories.add(f.value);
    else for (const id of matchSavedSearch(window, f.value)) if (!searchMatches.has(id)) searchMatches.set(id, f.value);
  }
  return { papers, followedAuthors, followedCategories, searchMatches, exclude: new Set([...savedIds, ...s.voted, ...(s.alsoSaved ?? [])]) };
}

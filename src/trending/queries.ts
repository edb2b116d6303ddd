// Trending lists: the one ranking every surface uses (home page, API, feeds, digests).
//
// Period lists (day / week / month) hold the papers listed in the period — announced in it, submitted
// in it, or (day lists) pinned to it — ranked by pins first, then upvotes received within the window
// plus imported Hugging Face upvotes, ties to the more recent listing. The vote window opens at the
// period's first day and closes when arXiv's next announcement after it begins, so a past list stays
// as it was and the latest one keeps counting. Hot ranks the last HOT_WINDOW_DAYS by time-decayed votes (score.ts).
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { addDays, adjacentAnnouncedDay, findPapersByIds, isoDay, latestAnnouncedOn, periodContaining, type Paper, type Period, type PeriodKind } from '../papers/index.ts';
import { countedVotesBetween, countVotes, hiddenPaperIds } from '../community/index.ts';
import { HOT_DEFAULTS, rankHot, type HotParams } from './score.ts';

export interface TrendingOptions {
  period: Period | 'hot';
  category?: string | undefined;
  limit: number;
  offset?: number;
  now: Date;
  hot?: HotParams;
  /** Only papers with a code link ('any'), or those ordered by their repository's GitHub stars first ('stars'). */
  code?: 'any' | 'stars' | undefined;
}

export interface TrendingEntry {
  paper: Paper;
  /** Local upvotes, all time (what the vote button shows). */
  votes: number;
  /** Local upvotes that counted for this list. */
  windowVotes: number;
  /** Imported Hugging Face upvotes, shown apart. */
  hfUpvotes: number;
  score: number;
  pinned: boolean;
  /** The day the paper is listed on: announced, or submitted when later. */
  listedOn: string;
  submittedBy: string | undefined;
}

const dayStart = (day: string) => `${day}T00:00:00.000Z`;

/** Papers of a period or the hot list, ranked. */
export async function listTrending(db: Db, opts: TrendingOptions): Promise<{ entries: TrendingEntry[]; total: number }> {
  return opts.period === 'hot' ? listHot(db, opts) : listPeriod(db, opts.period, opts);
}

// UNION ALL, not UNION: a plain UNION makes SQLite merge-sort by id and scan all papers instead of
// using the announced_on index (10x slower on 75k papers); IN () ignores the duplicates anyway.
function candidateIds(db: Db, from: string, to: string, pinDay: string | undefined) {
  let ids = db
    .selectFrom('paper')
    .select('id')
    .where('announced_on', '>=', from)
    .where('announced_on', '<=', to)
    .unionAll(db.selectFrom('submission').select('paper_id as id').where('listed_on', '>=', from).where('listed_on', '<=', to));
  if (pinDay) ids = ids.unionAll(db.selectFrom('paper_pin').select('paper_id as id').where('day', '=', pinDay));
  return ids;
}

function baseQuery(db: Db, from: string, to: string, pinDay: string | undefined, category: string | undefined, code?: 'any' | 'stars') {
  let q = db
    .selectFrom('paper as p')
    .leftJoin('submission as s', 's.paper_id', 'p.id')
    .where('p.id', 'in', candidateIds(db, from, to, pinDay))
    .where('p.id', 'not in', hiddenPaperIds(db));
  if (category) q = q.where('p.id', 'in', (eb) => eb.selectFrom('paper_category').select('paper_id').where('category', '=', category));
  if (code) q = q.where('p.id', 'in', (eb) => eb.selectFrom('paper_link').select('paper_id').where('kind', '=', 'code'));
  return q;
}

async function listPeriod(db: Db, period: Period, opts: TrendingOptions) {
  // The window closes when arXiv's next announcement after the period begins (submissions on a quiet
  // day do not close it): yesterday's papers keep collecting votes over a weekend.
  const close = await adjacentAnnouncedDay(db, period.end, 1);
  const nowIso = opts.now.toISOString();
  const closeIso = close && dayStart(close) < nowIso ? dayStart(close) : nowIso;
  const pinDay = period.kind === 'day' ? period.start : undefined;
  const windowVotes = countedVotesBetween(db, period.start, closeIso);
  const base = baseQuery(db, period.start, period.end, pinDay, opts.category, opts.code);
  // The stars of the paper's own repository (its first code link), as cards show them; none sort last.
  const stars = sql<number>`coalesce((select r.stars from paper_link l join code_repo r on r.url = l.url and r.status = 'ok' where l.paper_id = p.id and l.kind = 'code' order by l.position limit 1), -1)`;
  const listed = sql<string>`case when s.listed_on > p.announced_on then s.listed_on else p.announced_on end`;
  const [rows, count] = await Promise.all([
    base
      .leftJoin(windowVotes.as('w'), 'w.paper_id', 'p.id')
      .leftJoin('user_account as su', 'su.id', 's.user_id')
      .leftJoin('paper_pin as pin', (join) => join.onRef('pin.paper_id', '=', 'p.id').on('pin.day', '=', pinDay ?? ''))
      // Ranks narrow rows (not titles and abstracts): a month's thousands of candidates are sorted
      // twice (the window function, then the order), and the page's 50 papers are read after.
      .select([
        'p.id',
        'p.hf_upvotes',
        sql<number>`coalesce(w.n, 0)`.as('window_votes'),
        listed.as('listed_on'),
        'su.display_name as submitter_name',
        'su.id as submitter_id',
        'pin.day as pin_day',
      ])
      .$if(opts.code === 'stars', (qb) => qb.orderBy(stars, 'desc'))
      .orderBy(sql`case when pin.day is null then 1 else 0 end`)
      .orderBy(sql`coalesce(w.n, 0) + p.hf_upvotes`, 'desc')
      // Ties spread over the period: each day's first paper, then each day's second… (a paper's rank
      // on its own day), so a week with few votes lists the week, not its last day.
      .$if(period.kind !== 'day', (qb) => qb.orderBy(sql`row_number() over (partition by ${listed} order by coalesce(w.n, 0) + p.hf_upvotes desc, p.id desc)`))
      .orderBy(listed, 'desc')
      .orderBy('p.id', 'desc')
      .limit(opts.limit)
      .offset(opts.offset ?? 0)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const papers = await findPapersByIds(db, rows.map((r) => r.id));
  const totals = await countVotes(db, rows.map((r) => r.id));
  const entries = rows.map((r, i) => ({
    paper: papers[i]!,
    votes: totals.get(r.id) ?? 0,
    windowVotes: Number(r.window_votes),
    hfUpvotes: r.hf_upvotes,
    score: Number(r.window_votes) + r.hf_upvotes,
    pinned: r.pin_day !== null,
    listedOn: r.listed_on,
    submittedBy: r.submitter_id === null ? undefined : (r.submitter_name ?? `reader ${r.submitter_id}`),
  }));
  return { entries, total: Number(count.n) };
}

/**
 * Ranking the hot list reads every candidate of the window and every vote cast in it (~50 ms at 75k
 * papers and 20k votes), yet it changes only when something it depends on does. Each process keeps
 * the ranking per minute (the decay's granularity) and per fingerprint of its inputs, so a vote, a
 * new paper or submission, a hidden paper or a suspension is seen at once. Imported upvote counts
 * that change on papers already listed are picked up with the next minute. Bounded by bytes: a
 * 30-day window of 75,000 papers ranks ~7,000 candidates (~800 KB).
 */
type HotRanked = Array<{ id: number; listedOn: string; local: number; hf: number; score: number }>;
const hotCache = new WeakMap<Db, ByteCache<string, HotRanked>>();
/** A ranked candidate: an object of five fields (the score a heap number), its day string and array slot. */
const HOT_ENTRY_BYTES = 120;

async function hotFingerprint(db: Db): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`SELECT
    (SELECT count(*) FROM vote) AS votes, (SELECT max(created_at) FROM vote) AS last_vote,
    (SELECT max(id) FROM paper) AS last_paper,
    (SELECT count(*) FROM submission) AS submissions, (SELECT max(created_at) FROM submission) AS last_submission,
    (SELECT count(*) FROM paper_moderation WHERE hidden = 1) AS hidden, (SELECT max(updated_at) FROM paper_moderation) AS moderated,
    (SELECT count(*) FROM user_account WHERE suspended_at IS NOT NULL) AS suspended`.execute(db);
  return Object.values(rows[0] ?? {}).map(String).join(',');
}

async function rankHotCandidates(db: Db, opts: TrendingOptions, params: HotParams, anchor: string): Promise<HotRanked> {
  const from = addDays(anchor, -params.windowDays);
  // Votes cast since the window opened: every candidate was listed after that.
  const allVotes = countedVotesBetween(db, from, opts.now.toISOString());
  const rows = await baseQuery(db, from, '9999-12-31', undefined, opts.category)
    .leftJoin(allVotes.as('v'), 'v.paper_id', 'p.id')
    .select(['p.id', 'p.announced_on', 'p.hf_upvotes', 's.listed_on', sql<number>`coalesce(v.n, 0)`.as('local')])
    .execute();
  const ranked = rankHot(
    rows.map((r) => ({
      id: r.id,
      listedOn: r.listed_on && r.listed_on > r.announced_on ? r.listed_on : r.announced_on,
      votes: Number(r.local) + r.hf_upvotes,
      local: Number(r.local),
      hf: r.hf_upvotes,
    })),
    opts.now,
    params,
  );
  return ranked;
}

async function listHot(db: Db, opts: TrendingOptions) {
  const params = opts.hot ?? HOT_DEFAULTS;
  const anchor = (await latestAnnouncedOn(db)) ?? isoDay(opts.now);
  const key = [opts.category ?? '', params.gravity, params.offsetHours, params.windowDays, anchor, Math.floor(opts.now.getTime() / 60_000), await hotFingerprint(db)].join('|');
  let cache = hotCache.get(db);
  if (!cache) hotCache.set(db, (cache = budgetedCache<string, HotRanked>('hot rankings', (k, r) => stringBytes(k) + HOT_ENTRY_BYTES * r.length)));
  let ranked = cache.get(key);
  if (!ranked) {
    ranked = await rankHotCandidates(db, opts, params, anchor);
    cache.set(key, ranked);
  }
  const offset = opts.offset ?? 0;
  const page = ranked.slice(offset, offset + opts.limit);
  const papers = await findPapersByIds(db, page.map((r) => r.id));
  const totals = await countVotes(db, page.map((r) => r.id));
  const submitters = await submittersOf(db, page.map((r) => r.id));
  const entries = page.map((r, i) => ({
    paper: papers[i]!,
    votes: totals.get(r.id) ?? 0,
    windowVotes: r.local,
    hfUpvotes: r.hf,
    score: r.score,
    pinned: false,
    listedOn: r.listedOn,
    submittedBy: submitters.get(r.id),
  }));
  return { entries, total: ranked.length };
}

async function submittersOf(db: Db, paperIds: number[]): Promise<Map<number, string>> {
  if (paperIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('submission')
    .innerJoin('user_account', 'user_account.id', 'submission.user_id')
    .select(['submission.paper_id', 'user_account.display_name', 'user_account.id'])
    .where('submission.paper_id', 'in', paperIds)
    .execute();
  return new Map(rows.map((r) => [r.paper_id, r.display_name ?? `reader ${r.id}`]));
}

/**
 * The day / week / month holding the latest listing day: what pages, the API and feeds all show when
 * no period is asked for. Undefined on an empty store.
 */
export async function latestListedPeriod(db: Db, kind: PeriodKind): Promise<Period | undefined> {
  const latest = await latestListedDay(db);
  return latest ? periodContaining(kind, latest) : undefined;
}

/** The most recent listing day (announced or submitted), or undefined on an empty store. */
export async function latestListedDay(db: Db): Promise<string | undefined> {
  const announced = await latestAnnouncedOn(db);
  const row = await db.selectFrom('submission').select((eb) => eb.fn.max('listed_on').as('day')).executeTakeFirst();
  const submitted = (row?.day as string | null | undefined) ?? undefined;
  if (!announced) return submitted;
  return submitted && submitted > announced ? submitted : announced;
}

/** The nearest listing day strictly before (-1) or after (+1) a day, for previous/next navigation. */
export async function adjacentListedDay(db: Db, day: string, direction: -1 | 1): Promise<string | undefined> {
  const before = direction < 0;
  const announced = await db
    .selectFrom('paper')
    .select('announced_on as day')
    .where('announced_on', before ? '<' : '>', day)
    .orderBy('announced_on', before ? 'desc' : 'asc')
    .limit(1)
    .executeTakeFirst();
  const submitted = await db
    .selectFrom('submission')
    .select('listed_on as day')
    .where('listed_on', before ? '<' : '>', day)
    .orderBy('listed_on', before ? 'desc' : 'asc')
    .limit(1)
    .executeTakeFirst();
  const days = [announced?.day, submitted?.day].filter((d): d is string => d !== undefined).sort();
  return before ? days.at(-1) : days[0];
}

/**
 * Where each paper is listed, as the period lists see it: the days (its announcement, its
 * submission's day, the days it is pinned to) and its categories. A paper no longer stored has none.
 */
export async function listingsOf(db: Db, paperIds: number[]): Promise<Map<number, { days: string[]; categories: string[] }>> {
  const out = new Map<number, { days: string[]; categories: string[] }>();
  const of = (id: number) => {
    let l = out.get(id);
    if (!l) out.set(id, (l = { days: [], categories: [] }));
    return l;
  };
  // Bound parameters per statement are limited; a few hundred papers change at once at most.
  for (let i = 0; i < paperIds.length; i += 1000) {
    const ids = paperIds.slice(i, i + 1000);
    const [papers, submissions, pins, categories] = await Promise.all([
      db.selectFrom('paper').select(['id', 'announced_on as day']).where('id', 'in', ids).execute(),
      db.selectFrom('submission').select(['paper_id as id', 'listed_on as day']).where('paper_id', 'in', ids).execute(),
      db.selectFrom('paper_pin').select(['paper_id as id', 'day']).where('paper_id', 'in', ids).execute(),
      db.selectFrom('paper_category').select(['paper_id as id', 'category']).where('paper_id', 'in', ids).execute(),
    ]);
    for (const r of [...papers, ...submissions, ...pins]) {
      const l = of(r.id);
      if (!l.days.includes(r.day)) l.days.push(r.day);
    }
    for (const r of categories) of(r.id).categories.push(r.category);
  }
  return out;
}

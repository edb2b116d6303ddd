// Rising key phrases and categories: weekly paper counts and votes per topic over the last WEEKS
// ISO weeks up to the latest announced day, and each topic's burst score (burst.ts). Computed from
// the papers' stored key phrases (the summarize job) and primary categories; hidden and withdrawn
// papers do not count, nor do votes of suspended users. Each answer is reused per process for a
// minute, in a cache bounded by bytes.
import { countedVotes, hiddenPaperIds } from '../community/index.ts';
import { addDays, latestAnnouncedOn, periodContaining } from '../papers/index.ts';
import { sql } from 'kysely';
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import type { Db } from '../store/db.ts';
import { burstScore, isRising, type Burst, type WeeklySeries } from './burst.ts';

export const WEEKS = 8;
const CACHE_MS = 60_000;
const TOP = 12;

export type TopicKind = 'phrase' | 'category';

export interface TopicTrend {
  kind: TopicKind;
  /** The phrase as most papers write it, or the category code. */
  topic: string;
  series: WeeklySeries;
  burst: Burst;
}

export interface Trends {
  asOf: string;
  weeks: string[];
  /** All papers per week (of the category, when one is given). */
  totals: number[];
  /** Rising topics, highest burst first. */
  phrases: TopicTrend[];
  categories: TopicTrend[];
}

interface Row {
  id: number;
  announced_on: string;
  primary_category: string;
  hf_upvotes: number;
  key_phrases: string | null;
}

interface Loaded {
  asOf: string;
  weeks: string[];
  weekOf: (day: string) => number;
  rows: Row[];
  votes: Map<number, number>;
}

/** What one request asks: the window's rows of a category (or all), optionally only those whose key phrases may hold `phrase`. */
interface Want {
  category?: string | undefined;
  phrase?: string | undefined;
}

/** A pattern matching key_phrases JSON that holds `phrase` (case aside): a prefilter, checked exactly after parsing. */
function phrasePattern(phrase: string): string {
  const asJson = JSON.stringify(phrase.toLowerCase()).slice(1, -1);
  return `%"${asJson.replace(/[\\%_]/g, (c) => `\\${c}`)}"%`;
}

async function load(db: Db, want: Want): Promise<Loaded | undefined> {
  const asOf = await latestAnnouncedOn(db);
  if (!asOf) return undefined;
  const periods = Array.from({ length: WEEKS }, (_, i) => periodContaining('week', addDays(asOf, -7 * (WEEKS - 1 - i))));
  const start = periods[0]!.start;
  const end = periods[WEEKS - 1]!.end;
  let q = db
    .selectFrom('paper as p')
    .leftJoin('paper_summary as s', 's.paper_id', 'p.id')
    .select(['p.id', 'p.announced_on', 'p.primary_category', 'p.hf_upvotes', 's.key_phrases'])
    .where('p.announced_on', '>=', start)
    .where('p.announced_on', '<=', end)
    .where('p.withdrawn', '=', 0)
    .where('p.id', 'not in', hiddenPaperIds(db));
  const category = want.category;
  if (category) q = q.where('p.id', 'in', (eb) => eb.selectFrom('paper_category').select('paper_id').where('category', '=', category));
  // SQL's lower() folds ASCII only: a phrase with other letters is matched after parsing alone.
  if (want.phrase !== undefined && /^[\x20-\x7e]*$/.test(want.phrase)) q = q.where(sql<boolean>`lower(s.key_phrases) like ${phrasePattern(want.phrase)} escape '\\'`);
  const [rows, voteRows] = await Promise.all([
    q.execute(),
    countedVotes(db)
      .innerJoin('paper as vp', 'vp.id', 'vote.paper_id')
      .select(['vote.paper_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('vp.announced_on', '>=', start)
      .where('vp.announced_on', '<=', end)
      .groupBy('vote.paper_id')
      .execute(),
  ]);
  const weekOf = (day: string) => periods.findIndex((p) => day >= p.start && day <= p.end);
  return { asOf, weeks: periods.map((p) => p.key), weekOf, rows, votes: new Map(voteRows.map((v) => [v.paper_id, Number(v.n)])) };
}

type PhraseTopic = { trend: TopicTrend; paperIds: number[]; totals: number[] };
type Answer = { at: number; value: Promise<Trends | PhraseTopic | undefined> };

/**
 * Answers, not the papers they are computed from: a window of papers can be megabytes, an answer is
 * a few kilobytes. Per database (tests open many); an answer is computed once per key per minute,
 * concurrent requests sharing the computation; its bytes are estimated once it is known.
 */
const answers = new WeakMap<Db, ByteCache<string, Answer>>();
const sizes = new WeakMap<Answer, number>();

function answersOf(db: Db): ByteCache<string, Answer> {
  let cache = answers.get(db);
  if (!cache) answers.set(db, (cache = budgetedCache<string, Answer>('trends', (key, a) => stringBytes(key) + (sizes.get(a) ?? 4096))));
  return cache;
}

function trendBytes(t: TopicTrend): number {
  return 128 + stringBytes(t.topic) + 16 * WEEKS * 3;
}

function answerBytes(v: Trends | PhraseTopic | undefined): number {
  if (!v) return 64;
  if ('trend' in v) return trendBytes(v.trend) + 8 * (v.paperIds.length + v.totals.length);
  return 256 + 24 * WEEKS + [...v.phrases, ...v.categories].reduce((n, t) => n + trendBytes(t), 0);
}

function remembered<T extends Trends | PhraseTopic>(db: Db, key: string, now: number, compute: () => Promise<T | undefined>): Promise<T | undefined> {
  const cache = answersOf(db);
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.value as Promise<T | undefined>;
  const answer: Answer = { at: now, value: compute() };
  cache.set(key, answer);
  answer.value.then(
    (v) => {
      if (cache.peek(key) !== answer) return;
      sizes.set(answer, answerBytes(v));
      cache.set(key, answer);
    },
    () => {
      if (cache.peek(key) === answer) cache.delete(key);
    },
  );
  return answer.value as Promise<T | undefined>;
}

interface Tally {
  forms: Map<string, number>;
  counts: number[];
  votes: number[];
}

function tally(map: Map<string, Tally>, key: string, form: string, week: number, votes: number): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = { forms: new Map(), counts: new Array(WEEKS).fill(0), votes: new Array(WEEKS).fill(0) }));
  t.forms.set(form, (t.forms.get(form) ?? 0) + 1);
  t.counts[week]!++;
  t.votes[week]! += votes;
}

function ranked(kind: TopicKind, map: Map<string, Tally>, weeks: string[], totals: number[]): TopicTrend[] {
  const out: TopicTrend[] = [];
  for (const t of map.values()) {
    const burst = burstScore(t.counts, totals);
    if (!isRising(burst)) continue;
    const topic = [...t.forms].sort((a, b) => b[1] - a[1])[0]![0];
    out.push({ kind, topic, series: { weeks, counts: t.counts, votes: t.votes }, burst });
  }
  return out.sort((a, b) => b.burst.score - a.burst.score || a.topic.localeCompare(b.topic)).slice(0, TOP);
}

/** Rising phrases and categories as of the latest announced day (within a category when given). */
export function findTrends(db: Db, opts: { category?: string | undefined; now?: Date } = {}): Promise<Trends | undefined> {
  return remembered(db, `t:${opts.category ?? ''}`, (opts.now ?? new Date()).getTime(), () => computeTrends(db, opts.category));
}

async function computeTrends(db: Db, category: string | undefined): Promise<Trends | undefined> {
  const data = await load(db, { category });
  if (!data) return undefined;
  const totals = new Array(WEEKS).fill(0) as number[];
  const phrases = new Map<string, Tally>();
  const categories = new Map<string, Tally>();
  for (const r of data.rows) {
    const week = data.weekOf(r.announced_on);
    if (week < 0) continue;
    totals[week]!++;
    const votes = r.hf_upvotes + (data.votes.get(r.id) ?? 0);
    tally(categories, r.primary_category, r.primary_category, week, votes);
    const list = r.key_phrases ? (JSON.parse(r.key_phrases) as string[]) : [];
    for (const phrase of new Set(list)) tally(phrases, phrase.toLowerCase(), phrase, week, votes);
  }
  return { asOf: data.asOf, weeks: data.weeks, totals, phrases: ranked('phrase', phrases, data.weeks, totals), categories: ranked('category', categories, data.weeks, totals) };
}

/** One phrase's weekly series and its papers, newest first (for the topic page). */
export function findPhraseTopic(db: Db, phrase: string, now: Date = new Date()): Promise<PhraseTopic | undefined> {
  const key = phrase.toLowerCase();
  return remembered(db, `p:${key}`, now.getTime(), async () => {
    const all = await findTrends(db, { now });
    return all && computePhraseTopic(db, key, all.totals);
  });
}

/** The papers of the window holding the phrase, found by a prefilter in the database; the weekly totals come from the all-category answer. */
async function computePhraseTopic(db: Db, key: string, totals: number[]): Promise<PhraseTopic | undefined> {
  const data = await load(db, { phrase: key });
  if (!data) return undefined;
  const map = new Map<string, Tally>();
  const papers: Row[] = [];
  for (const r of data.rows) {
    const week = data.weekOf(r.announced_on);
    if (week < 0) continue;
    const match = (r.key_phrases ? (JSON.parse(r.key_phrases) as string[]) : []).find((k) => k.toLowerCase() === key);
    if (!match) continue;
    tally(map, key, match, week, r.hf_upvotes + (data.votes.get(r.id) ?? 0));
    papers.push(r);
  }
  const t = map.get(key);
  if (!t) return undefined;
  const topic = [...t.forms].sort((a, b) => b[1] - a[1])[0]![0];
  papers.sort((a, b) => (a.announced_on < b.announced_on ? 1 : a.announced_on > b.announced_on ? -1 : b.id - a.id));
  return { trend: { kind: 'phrase', topic, series: { weeks: data.weeks, counts: t.counts, votes: t.votes }, burst: burstScore(t.counts, totals) }, paperIds: papers.map((p) => p.id), totals };
}

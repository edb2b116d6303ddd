// Rising key phrases and categories: weekly paper counts and votes per topic over the last WEEKS
// ISO weeks up to the latest announced day, and each topic's burst score (burst.ts). Computed from
// the papers' stored key phrases (the summarize job) and primary categories; hidden and withdrawn
// papers do not count, nor do votes of suspended users. Reused per process for a minute.
import { countedVotes, hiddenPaperIds } from '../community/index.ts';
import { addDays, latestAnnouncedOn, periodContaining } from '../papers/index.ts';
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

/** Per database (tests open many), per category. */
const caches = new WeakMap<Db, Map<string, { at: number; value: Promise<Loaded | undefined> }>>();

async function load(db: Db, category: string | undefined, now: number): Promise<Loaded | undefined> {
  const key = category ?? '';
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = (async () => {
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
    if (category) q = q.where('p.id', 'in', (eb) => eb.selectFrom('paper_category').select('paper_id').where('category', '=', category));
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
  })();
  cache.set(key, { at: now, value });
  if (cache.size > 200) cache.delete(cache.keys().next().value!);
  value.catch(() => cache.delete(key));
  return value;
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
export async function findTrends(db: Db, opts: { category?: string | undefined; now?: Date } = {}): Promise<Trends | undefined> {
  const data = await load(db, opts.category, (opts.now ?? new Date()).getTime());
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
export async function findPhraseTopic(db: Db, phrase: string, now: Date = new Date()): Promise<{ trend: TopicTrend; paperIds: number[]; totals: number[] } | undefined> {
  const data = await load(db, undefined, now.getTime());
  if (!data) return undefined;
  const key = phrase.toLowerCase();
  const totals = new Array(WEEKS).fill(0) as number[];
  const map = new Map<string, Tally>();
  const papers: Row[] = [];
  for (const r of data.rows) {
    const week = data.weekOf(r.announced_on);
    if (week < 0) continue;
    totals[week]!++;
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

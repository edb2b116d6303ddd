// Measures trending queries and vote writes on a realistic store: a corpus file, synthetic users and
// votes skewed toward a few papers (like real upvotes). Used by `paperboy bench trending`.
import type { Db } from '../store/db.ts';
import { addDays, latestAnnouncedOn, periodContaining, shiftPeriod, type Period } from '../papers/index.ts';
import { setVote } from '../community/votes.ts';
import { listTrending } from '../trending/queries.ts';
import type { HotParams } from '../trending/score.ts';
import { percentile } from './metrics.ts';

export interface BenchOptions {
  users: number;
  votes: number;
  iterations: number;
  hot: HotParams;
  onProgress?: (done: number, total: number) => void;
}

export interface BenchLine {
  name: string;
  p50Ms: number;
  p95Ms: number;
  /** Mean CPU time of this process per call: steadier than wall time on a busy machine. */
  cpuMs: number;
  rows: number;
}

/** A deterministic pseudo-random generator, so two runs vote the same way. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inserts users and votes on papers of the last 30 days; returns the vote insert rate. */
export async function seedVotes(db: Db, opts: BenchOptions): Promise<{ inserted: number; perSecond: number }> {
  const latest = (await latestAnnouncedOn(db))!;
  const papers = await db.selectFrom('paper').select(['id', 'announced_on']).where('announced_on', '>=', addDays(latest, -30)).orderBy('id').execute();
  const stamp = `${latest}T00:00:00.000Z`;
  for (let i = 0; i < opts.users; i += 500) {
    const batch = Array.from({ length: Math.min(500, opts.users - i) }, (_, j) => ({ email: `bench${i + j}@example.org`, created_at: stamp, role: 'member' }));
    await db.insertInto('user_account').values(batch).onConflict((oc) => oc.column('email').doNothing()).execute();
  }
  const users = (await db.selectFrom('user_account').select('id').where('email', 'like', 'bench%').execute()).map((u) => u.id);
  const rand = mulberry32(42);
  const started = performance.now();
  for (let i = 0; i < opts.votes; i++) {
    // Zipf-like: a few papers get most votes.
    const paper = papers[Math.floor(Math.pow(rand(), 3) * papers.length)]!;
    const user = users[Math.floor(rand() * users.length)]!;
    const at = new Date(Date.parse(`${paper.announced_on}T00:00:00Z`) + rand() * 3 * 86_400_000);
    await setVote(db, user, paper.id, true, at);
    if (i % 500 === 0) opts.onProgress?.(i, opts.votes);
  }
  opts.onProgress?.(opts.votes, opts.votes);
  const secs = (performance.now() - started) / 1000;
  return { inserted: opts.votes, perSecond: opts.votes / secs };
}

/** Times listTrending (first page of 50) for the latest day, week, month and the hot list. */
export async function timeTrending(db: Db, opts: BenchOptions): Promise<BenchLine[]> {
  const latest = (await latestAnnouncedOn(db))!;
  const now = new Date(`${addDays(latest, 1)}T12:00:00Z`);
  const cases: Array<[string, Period | 'hot']> = [
    ['day', periodContaining('day', latest)],
    ['week', periodContaining('week', latest)],
    ['month', periodContaining('month', latest)],
    // The latest month may have just begun: the one before is a whole month of papers and votes.
    ['last full month', shiftPeriod(periodContaining('month', latest), -1)],
    ['hot', 'hot'],
  ];
  const out: BenchLine[] = [];
  for (const [name, period] of cases) {
    const times: number[] = [];
    let rows = 0;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < opts.iterations; i++) {
      const t0 = performance.now();
      const r = await listTrending(db, { period, limit: 50, now, hot: opts.hot });
      times.push(performance.now() - t0);
      rows = r.total;
    }
    const cpu = process.cpuUsage(cpu0);
    out.push({
      name,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      cpuMs: (cpu.user + cpu.system) / 1000 / opts.iterations,
      rows,
    });
  }
  return out;
}

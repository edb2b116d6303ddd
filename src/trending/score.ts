// Trending scores. Pure: numbers in, numbers out.
//
// Hot follows Hacker News' gravity formula: score = votes / (age_hours + offset) ^ gravity.
// votes = local upvotes + imported Hugging Face upvotes (a prior); age counts from 00:00 UTC of the
// day the paper was listed (arXiv announces at 20:00 US Eastern, which is 00:00 UTC). The offset
// keeps brand-new papers from dividing by ~0; gravity sets how fast age wins over votes: at 1.8
// yesterday's paper needs ~6x the votes of today's to rank level at noon UTC ((36+2)/(12+2))^1.8 ≈ 6.

export interface HotParams {
  gravity: number;
  offsetHours: number;
  /** Only papers listed within this many days of the latest day are candidates. */
  windowDays: number;
}

export const HOT_DEFAULTS: HotParams = { gravity: 1.8, offsetHours: 2, windowDays: 30 };

export function hotScore(votes: number, ageHours: number, p: Pick<HotParams, 'gravity' | 'offsetHours'>): number {
  return votes / Math.pow(Math.max(0, ageHours) + p.offsetHours, p.gravity);
}

export interface HotCandidate {
  id: number;
  /** The listing day (YYYY-MM-DD): announced, or submitted when that is later. */
  listedOn: string;
  votes: number;
}

/** Ranks candidates by hot score; ties (e.g. all zero) go to the more recent, then the higher id. */
export function rankHot<T extends HotCandidate>(candidates: T[], now: Date, p: Pick<HotParams, 'gravity' | 'offsetHours'>): Array<T & { score: number }> {
  const dayStarts = new Map<string, number>();
  const startOf = (day: string) => dayStarts.get(day) ?? dayStarts.set(day, Date.parse(`${day}T00:00:00Z`)).get(day)!;
  return candidates
    .map((c) => ({ ...c, score: hotScore(c.votes, (now.getTime() - startOf(c.listedOn)) / 3_600_000, p) }))
    .sort((a, b) => b.score - a.score || (a.listedOn < b.listedOn ? 1 : a.listedOn > b.listedOn ? -1 : 0) || b.id - a.id);
}

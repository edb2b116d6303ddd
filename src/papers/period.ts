// Listing periods keyed by announced date: a day, an ISO week, a month. Pure.

export type PeriodKind = 'day' | 'week' | 'month';

export interface Period {
  kind: PeriodKind;
  /** First day, inclusive (YYYY-MM-DD). */
  start: string;
  /** Last day, inclusive (YYYY-MM-DD). */
  end: string;
  /** The canonical key: 2026-06-30, 2026-W27, 2026-06. */
  key: string;
}

const DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A real calendar date as a UTC Date, or undefined (rejects 2026-02-30). */
export function parseDay(s: string): Date | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return isoDay(d) === s && Number(m[1]) >= 1991 && Number(m[1]) <= 2999 ? d : undefined;
}

export function addDays(day: string, n: number): string {
  return isoDay(new Date(parseDay(day)!.getTime() + n * DAY));
}

/** ISO-8601 week key (YYYY-Www) of a day. */
export function isoWeekOf(day: string): string {
  const d = parseDay(day)!;
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(d.getTime() + (3 - dow) * DAY);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - jan1) / DAY / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function dayPeriod(day: string): Period {
  return { kind: 'day', start: day, end: day, key: day };
}

export function weekPeriod(key: string): Period | undefined {
  const m = WEEK_RE.exec(key);
  if (!m) return undefined;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > 53 || year < 1991 || year > 2999) return undefined;
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY + (week - 1) * 7 * DAY);
  const start = isoDay(monday);
  if (isoWeekOf(start) !== key) return undefined; // week 53 of a 52-week year
  return { kind: 'week', start, end: addDays(start, 6), key };
}

export function monthPeriod(key: string): Period | undefined {
  const m = MONTH_RE.exec(key);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12 || year < 1991 || year > 2999) return undefined;
  const start = `${m[1]}-${m[2]}-01`;
  const end = isoDay(new Date(Date.UTC(year, month, 0)));
  return { kind: 'month', start, end, key };
}

/** The period of a kind that contains a day. */
export function periodContaining(kind: PeriodKind, day: string): Period {
  if (kind === 'day') return dayPeriod(day);
  if (kind === 'week') return weekPeriod(isoWeekOf(day))!;
  return monthPeriod(day.slice(0, 7))!;
}

/** The period before (-1) or after (+1) this one. */
export function shiftPeriod(p: Period, direction: -1 | 1): Period {
  if (p.kind === 'day') return dayPeriod(addDays(p.start, direction));
  if (p.kind === 'week') return periodContaining('week', addDays(p.start, 7 * direction));
  return periodContaining('month', direction === 1 ? addDays(p.end, 1) : addDays(p.start, -1));
}

export type PeriodQuery = { date?: string; week?: string; month?: string };

/**
 * Reads ?date= | ?week= | ?month= into a period. Returns the parameter at fault when malformed,
 * or undefined period when none was given (the caller picks the latest).
 */
export function parsePeriodQuery(q: PeriodQuery): { ok: true; period: Period | undefined } | { ok: false; param: string; message: string } {
  const given = (['date', 'week', 'month'] as const).filter((k) => q[k] !== undefined && q[k] !== '');
  if (given.length > 1) return { ok: false, param: given[1]!, message: `give only one of date, week or month` };
  if (q.date) {
    return parseDay(q.date) ? { ok: true, period: dayPeriod(q.date) } : { ok: false, param: 'date', message: `date must be a calendar day YYYY-MM-DD, got "${clip(q.date)}"` };
  }
  if (q.week) {
    const p = weekPeriod(q.week);
    return p ? { ok: true, period: p } : { ok: false, param: 'week', message: `week must be an ISO week YYYY-Www, got "${clip(q.week)}"` };
  }
  if (q.month) {
    const p = monthPeriod(q.month);
    return p ? { ok: true, period: p } : { ok: false, param: 'month', message: `month must be YYYY-MM, got "${clip(q.month)}"` };
  }
  return { ok: true, period: undefined };
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export function describePeriod(p: Period): string {
  const fmt = (day: string, opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...opts }).format(parseDay(day));
  if (p.kind === 'day') return fmt(p.start, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  if (p.kind === 'week') return `Week ${Number(p.key.slice(6))}, ${fmt(p.start, { day: 'numeric', month: 'short' })} – ${fmt(p.end, { day: 'numeric', month: 'short', year: 'numeric' })}`;
  return fmt(p.start, { month: 'long', year: 'numeric' });
}

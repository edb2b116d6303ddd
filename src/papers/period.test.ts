import { describe, expect, it } from 'vitest';
import { isoWeekOf, monthPeriod, parsePeriodQuery, periodContaining, shiftPeriod, weekPeriod } from './period.ts';

describe('periods', () => {
  it('computes ISO weeks across year boundaries', () => {
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(weekPeriod('2026-W27')).toEqual({ kind: 'week', start: '2026-06-29', end: '2026-07-05', key: '2026-W27' });
    expect(weekPeriod('2025-W53')).toBeUndefined();
  });

  it('knows month lengths and shifts periods', () => {
    expect(monthPeriod('2028-02')!.end).toBe('2028-02-29');
    expect(shiftPeriod(periodContaining('month', '2026-01-15'), -1).key).toBe('2025-12');
    expect(shiftPeriod(periodContaining('day', '2026-02-28'), 1).key).toBe('2026-03-01');
  });

  it('names the bad parameter', () => {
    expect(parsePeriodQuery({ date: '2026-02-30' })).toMatchObject({ ok: false, param: 'date' });
    expect(parsePeriodQuery({ week: '2026-27' })).toMatchObject({ ok: false, param: 'week' });
    expect(parsePeriodQuery({ month: 'June' })).toMatchObject({ ok: false, param: 'month' });
    expect(parsePeriodQuery({})).toEqual({ ok: true, period: undefined });
  });
});

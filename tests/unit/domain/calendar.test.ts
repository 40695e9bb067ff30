import {
  CalendarDataError,
  defaultCalendar,
  shanghaiDate,
  shanghaiMonth,
  toShanghaiIso,
  WorkingDayCalendar,
  type CalendarYear,
} from '../../../functions/domain/calendar';
import { at } from '../../support/shanghai-time';

const iso = (ms: number): string => toShanghaiIso(ms);

/** Deterministic PRNG so the property-style loops are reproducible. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Shanghai time formatting', () => {
  it('renders instants with the +08:00 offset', () => {
    expect(toShanghaiIso(Date.UTC(2026, 10, 27, 10, 0, 0))).toBe('2026-11-27T18:00:00.000+08:00');
  });

  it('puts 16:30 UTC on New Year’s Eve into the next Shanghai day and month', () => {
    const ms = Date.UTC(2026, 11, 31, 16, 30);
    expect(shanghaiDate(ms)).toBe('2027-01-01');
    expect(shanghaiMonth(ms)).toBe('2027-01');
  });

  it('round-trips through Date.parse', () => {
    const ms = at('2026-02-15T23:59:59.999');
    expect(Date.parse(toShanghaiIso(ms))).toBe(ms);
  });
});

describe('the 2026 and 2027 calendars', () => {
  it('covers 2026 and 2027', () => {
    expect(defaultCalendar.coveredYears()).toEqual([2026, 2027]);
  });

  it('gives Spring Festival 2026 nine days off, 2-15 to 2-23, with make-up Saturdays 2-14 and 2-28', () => {
    for (let day = 15; day <= 23; day++) {
      expect(defaultCalendar.isWorkingDay(`2026-02-${day}`)).toBe(false);
    }
    expect(defaultCalendar.isWorkingDay('2026-02-13')).toBe(true); // Friday
    expect(defaultCalendar.isWorkingDay('2026-02-14')).toBe(true); // make-up Saturday
    expect(defaultCalendar.isWorkingDay('2026-02-24')).toBe(true); // Tuesday, back to work
    expect(defaultCalendar.isWorkingDay('2026-02-28')).toBe(true); // make-up Saturday
    expect(defaultCalendar.isWorkingDay('2026-03-01')).toBe(false); // ordinary Sunday
  });

  it('knows the 2026 New Year, Labour Day and National Day make-up days', () => {
    expect(defaultCalendar.isWorkingDay('2026-01-01')).toBe(false);
    expect(defaultCalendar.isWorkingDay('2026-01-04')).toBe(true); // Sunday
    expect(defaultCalendar.isWorkingDay('2026-05-05')).toBe(false); // Tuesday
    expect(defaultCalendar.isWorkingDay('2026-05-09')).toBe(true); // Saturday
    expect(defaultCalendar.isWorkingDay('2026-09-20')).toBe(true); // Sunday
    expect(defaultCalendar.isWorkingDay('2026-10-07')).toBe(false); // Wednesday
    expect(defaultCalendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday
  });

  it('has the projected 2027 Spring Festival around New Year’s Eve, Friday 2027-02-05', () => {
    expect(defaultCalendar.isWorkingDay('2027-02-04')).toBe(true);
    expect(defaultCalendar.isWorkingDay('2027-02-05')).toBe(false);
    expect(defaultCalendar.isWorkingDay('2027-02-12')).toBe(false);
    expect(defaultCalendar.isWorkingDay('2027-02-15')).toBe(true);
  });

  it('falls back to Monday–Friday outside the covered years', () => {
    expect(defaultCalendar.isWorkingDay('2025-10-01')).toBe(true); // a Wednesday; 2025 is not in the data
    expect(defaultCalendar.isWorkingDay('2030-01-01')).toBe(true); // Tuesday
    expect(defaultCalendar.isWorkingDay('2030-01-05')).toBe(false); // Saturday
    expect(defaultCalendar.isWorkingDay('2028-12-31')).toBe(false); // Sunday
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => defaultCalendar.isWorkingDay('2026-2-1')).toThrow(RangeError);
    expect(() => defaultCalendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('runs a 9-day window from a Friday afternoon across Mid-Autumn and National Day 2026', () => {
    // Fri 09-18 15:00 gives 0.375; Sun 09-20 (make-up), 09-21..24, 09-28..30 give 8 more;
    // 09-25..27 and 10-01..07 are off; the last 0.625 day ends Thu 10-08 at 15:00.
    const due = defaultCalendar.addWorkingDays(at('2026-09-18T15:00:00'), 9);
    expect(iso(due)).toBe('2026-10-08T15:00:00.000+08:00');
  });

  it('handles the fractional 17.4-day laws-and-regulations window', () => {
    // Mon 03-02 09:00 gives 0.625; 03-03..06, 09..13, 16..20, 23, 24 give 16; 0.775 day = 18h36m.
    const due = defaultCalendar.addWorkingDays(at('2026-03-02T09:00:00'), 17.4);
    expect(iso(due)).toBe('2026-03-25T18:36:00.000+08:00');
  });

  it('starts the clock at 00:00 of the next working day when a case arrives on a holiday', () => {
    const start = at('2026-10-03T10:00:00');
    expect(iso(defaultCalendar.addWorkingDays(start, 0.5))).toBe('2026-10-08T12:00:00.000+08:00');
    // 10-08, 10-09 and the make-up Saturday 10-10: the window ends at the end of 10-10.
    expect(iso(defaultCalendar.addWorkingDays(start, 3))).toBe('2026-10-11T00:00:00.000+08:00');
  });

  it('ends a window that closes at midnight at 24:00 of the last working day, not the next Monday', () => {
    const due = defaultCalendar.addWorkingDays(at('2026-03-02T00:00:00'), 5);
    expect(iso(due)).toBe('2026-03-07T00:00:00.000+08:00');
  });

  it('half a day on a Friday evening runs into Monday', () => {
    const due = defaultCalendar.addWorkingDays(at('2026-03-06T20:00:00'), 0.5);
    expect(iso(due)).toBe('2026-03-09T08:00:00.000+08:00');
  });

  it('crosses from the data into the Mon–Fri fallback and back', () => {
    // Wed 2027-12-29 12:00: 0.5 + Thu 30 + Fri 31 = 2.5; then 2028 (not in the data): Mon 01-03.
    expect(iso(defaultCalendar.addWorkingDays(at('2027-12-29T12:00:00'), 3))).toBe('2028-01-03T12:00:00.000+08:00');
    // Wed 2025-12-31 12:00 (fallback): 0.5; then 2026-01-01..03 are off and Sun 01-04 is a make-up day.
    expect(iso(defaultCalendar.addWorkingDays(at('2025-12-31T12:00:00'), 1))).toBe('2026-01-04T12:00:00.000+08:00');
  });

  it('returns the start itself for zero days and refuses negative time', () => {
    const start = at('2026-10-03T10:00:00');
    expect(defaultCalendar.addWorkingDays(start, 0)).toBe(start);
    expect(() => defaultCalendar.addWorkingDays(start, -1)).toThrow(RangeError);
    expect(() => defaultCalendar.addWorkingDays(Number.NaN, 1)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts only working time', () => {
    expect(defaultCalendar.workingDaysBetween(at('2026-09-18T15:00:00'), at('2026-10-08T15:00:00'))).toBe(9);
    // The whole Spring Festival break contributes nothing.
    expect(defaultCalendar.workingDaysBetween(at('2026-02-15T00:00:00'), at('2026-02-24T00:00:00'))).toBe(0);
    // A Friday 18:00 to Monday 06:00 span holds 6 + 6 hours.
    expect(defaultCalendar.workingDaysBetween(at('2026-03-06T18:00:00'), at('2026-03-09T06:00:00'))).toBe(0.5);
  });

  it('is 0 when the end is not after the start', () => {
    const t = at('2026-03-02T09:00:00');
    expect(defaultCalendar.workingDaysBetween(t, t)).toBe(0);
    expect(defaultCalendar.workingDaysBetween(t, t - 3_600_000)).toBe(0);
  });

  it('is the inverse of addWorkingDays for random starts and windows (fixed seed)', () => {
    const random = mulberry32(20101);
    const from = Date.UTC(2025, 6, 1);
    const to = Date.UTC(2028, 6, 1);
    for (let i = 0; i < 5000; i++) {
      const start = Math.floor(from + random() * (to - from));
      const days = Math.round(random() * 40 * 10) / 10; // 0.0 .. 40.0 in tenths, like 17.4
      const due = defaultCalendar.addWorkingDays(start, days);
      expect(due).toBeGreaterThanOrEqual(start);
      expect(defaultCalendar.workingDaysBetween(start, due)).toBeCloseTo(days, 9);
    }
  });

  it('gives back the end instant when the end lies inside a working day (fixed seed)', () => {
    const random = mulberry32(2740);
    const from = Date.UTC(2025, 9, 1);
    const to = Date.UTC(2028, 3, 1);
    let checked = 0;
    while (checked < 3000) {
      const start = Math.floor(from + random() * (to - from));
      const end = Math.floor(start + random() * 60 * 86_400_000);
      // At midnight or on a day off, several instants share one working-time position; skip those.
      const atMidnight = (end + 8 * 3_600_000) % 86_400_000 === 0;
      if (atMidnight || !defaultCalendar.isWorkingDay(shanghaiDate(end))) continue;
      const elapsed = defaultCalendar.workingMsBetween(start, end);
      if (elapsed === 0) continue;
      expect(defaultCalendar.addWorkingMs(start, elapsed)).toBe(end);
      checked++;
    }
  });

});

describe('WorkingDayCalendar construction', () => {
  const year = (overrides: Partial<CalendarYear>): CalendarYear => ({ year: 2031, holidays: [], workdays: [], ...overrides });

  it('without data is a plain Monday–Friday calendar', () => {
    const plain = new WorkingDayCalendar([]);
    expect(plain.coveredYears()).toEqual([]);
    expect(plain.isWorkingDay('2026-02-17')).toBe(true); // Spring Festival 2026, a Tuesday
    expect(iso(plain.addWorkingDays(at('2026-03-06T12:00:00'), 1))).toBe('2026-03-09T12:00:00.000+08:00');
  });

  it('rejects a make-up workday that is not a weekend day', () => {
    expect(() => new WorkingDayCalendar([year({ workdays: ['2031-01-06'] })])).toThrow(CalendarDataError);
  });

  it('rejects a date listed as both holiday and workday, a date outside its year, and a repeated year', () => {
    expect(() => new WorkingDayCalendar([year({ holidays: ['2031-01-04'], workdays: ['2031-01-04'] })])).toThrow(CalendarDataError);
    expect(() => new WorkingDayCalendar([year({ holidays: ['2030-12-31'] })])).toThrow(CalendarDataError);
    expect(() => new WorkingDayCalendar([year({}), year({})])).toThrow(CalendarDataError);
    expect(() => new WorkingDayCalendar([year({ holidays: ['2031-02-30'] })])).toThrow(CalendarDataError);
  });

  it('keeps Mon–Fri for a gap year between covered years', () => {
    const gapped = new WorkingDayCalendar([year({ year: 2030, holidays: ['2030-01-01'] }), year({ year: 2032 })]);
    expect(gapped.coveredYears()).toEqual([2030, 2032]);
    expect(gapped.isWorkingDay('2030-01-01')).toBe(false);
    expect(gapped.isWorkingDay('2031-01-01')).toBe(true); // Wednesday, uncovered
    expect(gapped.workingDaysBetween(at('2031-01-01T00:00:00'), at('2031-01-08T00:00:00'))).toBe(5);
  });
});

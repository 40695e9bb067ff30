import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  BUILT_IN_CALENDAR_YEARS,
  CalendarDataError,
  calendarYears,
  calendarYearsFrom,
  isProjection,
  WorkingDayCalendar,
} from '../../../functions/domain/calendar';
import { calendarCoverage, yearsNeeded } from '../../../functions/operations/calendar-coverage';

const at = (shanghai: string) => Date.parse(`${shanghai}+08:00`);
const year = (y: number, source?: string) => ({ year: y, ...(source ? { source } : {}), holidays: [], workdays: [] });

describe('the years a deadline may need', () => {
  test('until 30 September, the current year only (Shanghai time)', () => {
    expect(yearsNeeded(at('2027-01-01T00:00:00'))).toEqual([2027]);
    expect(yearsNeeded(at('2027-09-30T23:59:59'))).toEqual([2027]);
  });

  test('from 1 October, Shanghai time, the next year too', () => {
    expect(yearsNeeded(at('2027-10-01T00:00:00'))).toEqual([2027, 2028]);
    expect(yearsNeeded(at('2027-12-31T23:59:59'))).toEqual([2027, 2028]);
    // 16:00 UTC on 30 September is already 1 October in Shanghai.
    expect(yearsNeeded(Date.parse('2027-09-30T16:00:00Z'))).toEqual([2027, 2028]);
    expect(yearsNeeded(Date.parse('2027-09-30T15:59:59Z'))).toEqual([2027]);
  });

  test('the new year begins at midnight in Shanghai, not in UTC', () => {
    expect(yearsNeeded(Date.parse('2027-12-31T16:00:00Z'))).toEqual([2028]);
  });
});

describe('calendar coverage', () => {
  const years = [year(2026), year(2027, 'PROJECTION, to be replaced')];

  test('nothing is missing while the needed years are covered', () => {
    expect(calendarCoverage(years, at('2026-06-01T12:00:00'))).toEqual({ missing: [], projected: [] });
    expect(calendarCoverage(years, at('2026-10-01T00:00:00'))).toEqual({ missing: [], projected: [2027] });
  });

  test('reports next year from 1 October of the year before', () => {
    expect(calendarCoverage(years, at('2027-09-30T23:59:59'))).toEqual({ missing: [], projected: [2027] });
    expect(calendarCoverage(years, at('2027-10-01T00:00:00'))).toEqual({ missing: [2028], projected: [2027] });
  });

  test('reports the current year once it has begun without its calendar', () => {
    expect(calendarCoverage(years, at('2028-01-01T00:00:00'))).toEqual({ missing: [2028], projected: [] });
    expect(calendarCoverage(years, at('2028-10-01T00:00:00'))).toEqual({ missing: [2028, 2029], projected: [] });
  });

  test('the shipped calendars: 2027 is still marked as a projection', () => {
    const file = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'config', 'calendar', 'cn-2027.json'), 'utf8'));
    expect(isProjection(file)).toBe(true);
    expect(calendarCoverage(BUILT_IN_CALENDAR_YEARS, at('2026-12-06T12:00:00'))).toEqual({ missing: [], projected: [2027] });
  });
});

describe('calendars loaded as data (CALENDAR_YEARS)', () => {
  const built = [year(2026)];

  test('without the variable, the built-in years', () => {
    expect(calendarYearsFrom(built, undefined)).toEqual(built);
    expect(calendarYearsFrom(built, '  ')).toEqual(built);
    expect(calendarYears.map((y) => y.year)).toEqual(BUILT_IN_CALENDAR_YEARS.map((y) => y.year));
  });

  test('adds the loaded years, and a loaded year replaces the built-in one of the same number', () => {
    const published = { year: 2026, source: 'State Council notice', holidays: ['2026-01-01'], workdays: [] };
    const loaded = calendarYearsFrom(built, JSON.stringify([year(2028), published]));
    expect(loaded).toEqual([published, year(2028)]);
  });

  test('a loaded year counts working days like a built-in one', () => {
    const loaded = calendarYearsFrom([], JSON.stringify([{ year: 2028, holidays: ['2028-01-03'], workdays: ['2028-01-08'] }]));
    const calendar = new WorkingDayCalendar(loaded);
    expect(calendar.isWorkingDay('2028-01-03')).toBe(false); // a Monday off
    expect(calendar.isWorkingDay('2028-01-08')).toBe(true); // a Saturday at work
  });

  test.each([
    ['not JSON', '{', /not JSON/],
    ['not an array', '{"year":2028}', /JSON array/],
    ['a malformed year', '[{"year":2028,"holidays":["28-1-1"],"workdays":[]}]', /malformed/],
    ['a year without its lists', '[{"year":2028}]', /malformed/],
  ])('refuses %s with a clear error', (_what, value, message) => {
    expect(() => calendarYearsFrom(built, value)).toThrow(CalendarDataError);
    expect(() => calendarYearsFrom(built, value)).toThrow(message);
  });
});

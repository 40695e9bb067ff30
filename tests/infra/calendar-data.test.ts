import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CALENDAR_DIR, calendarEnvironment, loadedCalendarYears } from '../../infra/calendar-data';
import { CalendarDataError, calendarYearsFrom } from '../../functions/domain/calendar';

/*
 * Calendars loaded as data: a year's file in config/calendar/ that no bundle imports reaches the
 * functions in CALENDAR_YEARS at the next deployment; a bad file fails the synthesis.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'calendars-'));
  for (const year of [2026, 2027]) copyFileSync(path.join(CALENDAR_DIR, `cn-${year}.json`), path.join(dir, `cn-${year}.json`));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (file: string, content: unknown) => writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));

test('the repository’s calendars are all built in: nothing to load', () => {
  expect(loadedCalendarYears()).toEqual([]);
  expect(calendarEnvironment([])).toBeUndefined();
});

test('a new year’s file is loaded, its projection mark kept and the rest of its source left out', () => {
  write('cn-2028.json', { year: 2028, source: 'PROJECTION, from the 2024 rules', holidays: ['2028-01-03'], workdays: ['2028-01-08'] });
  write('README.txt', 'not a calendar');
  const loaded = loadedCalendarYears(dir);
  expect(loaded).toEqual([{ year: 2028, source: 'PROJECTION', holidays: ['2028-01-03'], workdays: ['2028-01-08'] }]);
  // What the functions read back from the variable.
  const value = calendarEnvironment(loaded)!;
  expect(calendarYearsFrom([], value)).toEqual(loaded);
});

test.each([
  ['not JSON', 'cn-2028.json', '{', /not JSON/],
  ['another year than its name', 'cn-2028.json', { year: 2029, holidays: [], workdays: [] }, /2029/],
  ['a weekday as a make-up day', 'cn-2028.json', { year: 2028, holidays: [], workdays: ['2028-01-03'] }, /not a Saturday or Sunday/],
  ['a date outside its year', 'cn-2028.json', { year: 2028, holidays: ['2029-01-01'], workdays: [] }, /outside calendar year/],
])('refuses a file with %s, naming the problem', (_what, file, content, message) => {
  write(file, content);
  expect(() => loadedCalendarYears(dir)).toThrow(CalendarDataError);
  expect(() => loadedCalendarYears(dir)).toThrow(message);
});

test('refuses more calendars than the functions’ environment has room for', () => {
  const year = (y: number) => ({ year: y, holidays: Array.from({ length: 40 }, (_, i) => `${y}-02-${String((i % 28) + 1).padStart(2, '0')}`), workdays: [] });
  expect(() => calendarEnvironment([year(2028), year(2029), year(2030), year(2031), year(2032), year(2033)])).toThrow(/more than the 2500/);
});

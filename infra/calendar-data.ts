import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  BUILT_IN_CALENDAR_YEARS,
  CalendarDataError,
  type CalendarYear,
  isProjection,
  PROJECTION_MARK,
  WorkingDayCalendar,
} from '../functions/domain/calendar';

/** Where the holiday calendars live: one cn-<year>.json per year. */
export const CALENDAR_DIR = path.join(__dirname, '..', 'config', 'calendar');
const CALENDAR_FILE = /^cn-(\d{4})\.json$/;

/** Lambda allows 4 KB of environment in all; the calendar may take this much of it. */
export const CALENDAR_ENV_LIMIT = 2500;

/**
 * The calendar years of config/calendar/ that no bundle imports (functions/domain/calendar.ts
 * imports 2026 and 2027): a year's file added there reaches every function as data, in the
 * CALENDAR_YEARS variable, at the next `cdk deploy`, with no change to any function's code. Each
 * file is checked as the functions will read it, so a malformed one fails the synthesis and
 * changes nothing. `source` is kept only as the projection mark.
 */
export function loadedCalendarYears(dir: string = CALENDAR_DIR): CalendarYear[] {
  const builtIn = new Set(BUILT_IN_CALENDAR_YEARS.map((year) => year.year));
  const loaded: CalendarYear[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = CALENDAR_FILE.exec(file);
    if (!match || builtIn.has(Number(match[1]))) continue;
    let year: CalendarYear;
    try {
      year = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CalendarYear;
    } catch (error) {
      throw new CalendarDataError(`${file}: not JSON (${(error as Error).message})`);
    }
    if (year.year !== Number(match[1])) throw new CalendarDataError(`${file} holds the calendar of ${String(year.year)}`);
    loaded.push({
      year: year.year,
      ...(isProjection(year) ? { source: PROJECTION_MARK } : {}),
      holidays: year.holidays,
      workdays: year.workdays,
    });
  }
  // Refuses what the functions would refuse: malformed dates, a day both off and on, a weekday make-up day.
  try {
    new WorkingDayCalendar([...BUILT_IN_CALENDAR_YEARS, ...loaded]);
  } catch (error) {
    throw new CalendarDataError(`config/calendar: ${(error as Error).message}`);
  }
  return loaded;
}

/** The CALENDAR_YEARS value for these years, or undefined when there are none. */
export function calendarEnvironment(years: readonly CalendarYear[]): string | undefined {
  if (years.length === 0) return undefined;
  const value = JSON.stringify(years);
  if (value.length > CALENDAR_ENV_LIMIT) {
    throw new CalendarDataError(
      `The calendars loaded as data take ${value.length} characters, more than the ${CALENDAR_ENV_LIMIT} kept for them in ` +
        "the functions' environment: import the older years in functions/domain/calendar.ts (a rebuild) to make room.",
    );
  }
  return value;
}

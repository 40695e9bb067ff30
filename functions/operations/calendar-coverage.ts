import { type CalendarYear, isProjection, toShanghaiIso } from '../domain/calendar';

/*
 * Whether the holiday calendars cover the time the system is counting deadlines in. Outside the
 * covered years working days fall back to Monday–Friday without a word, so a missing year must
 * be noticed before it begins: the State Council publishes the next year's arrangement in the
 * autumn, and from 1 October the next year's calendar is expected too.
 */

/** From this day of the year (Shanghai time) the next year's calendar is due: 1 October. */
export const NEXT_YEAR_DUE = { month: 10, day: 1 } as const;

export interface CalendarCoverage {
  /** Years needed now and not covered: the current one, and from 1 October the next one. */
  readonly missing: number[];
  /** Years needed now that are covered by a projection, not the published arrangement. */
  readonly projected: number[];
}

/** The years a deadline counted at `nowMs` may run into and that must therefore be covered. */
export function yearsNeeded(nowMs: number): number[] {
  const [year, month, day] = toShanghaiIso(nowMs).slice(0, 10).split('-').map(Number);
  const nextYearDue = month > NEXT_YEAR_DUE.month || (month === NEXT_YEAR_DUE.month && day >= NEXT_YEAR_DUE.day);
  return nextYearDue ? [year, year + 1] : [year];
}

/** What is missing or only projected among the years needed at `nowMs`. */
export function calendarCoverage(years: readonly Pick<CalendarYear, 'year' | 'source'>[], nowMs: number): CalendarCoverage {
  const byYear = new Map(years.map((year) => [year.year, year]));
  const needed = yearsNeeded(nowMs);
  return {
    missing: needed.filter((year) => !byYear.has(year)),
    projected: needed.filter((year) => byYear.has(year) && isProjection(byYear.get(year)!)),
  };
}

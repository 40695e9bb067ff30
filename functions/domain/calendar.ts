/**
 * Working-day arithmetic in Shanghai time, driven by China's official holiday calendars.
 *
 * Working time is counted in whole days: every working day contributes 24 hours
 * (00:00–24:00 Shanghai), every other day contributes nothing. A case that arrives on a
 * Saturday afternoon therefore starts its clock at 00:00 on Monday (or on a make-up Saturday
 * or Sunday if the State Council declared one).
 *
 * All arithmetic runs on a cumulative "working milliseconds since the epoch" function, so both
 * directions (add a window, measure elapsed time) are O(1) table lookups: the covered years are
 * precomputed into arrays, and the days outside them follow a Mon–Fri rule computed in closed form.
 */
import * as z from 'zod/mini';
import './zod-locale';
import calendar2026 from '../../config/calendar/cn-2026.json';
import calendar2027 from '../../config/calendar/cn-2027.json';

export interface CalendarYear {
  year: number;
  source?: string;
  /** Days off: statutory holidays and the days bridged to them (weekend days may be listed too). */
  holidays: string[];
  /** Make-up working days (调休上班) that fall on a Saturday or Sunday. */
  workdays: string[];
}

/** UTC+8 all year round: China has had no daylight saving time since 1991. */
export const SHANGHAI_TIME_ZONE = 'Asia/Shanghai';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const CalendarYearSchema = z.object({
  year: z.number().check(z.int(), z.minimum(1970), z.maximum(9998)),
  source: z.optional(z.string()),
  holidays: z.array(z.string().check(z.regex(LOCAL_DATE_PATTERN))),
  workdays: z.array(z.string().check(z.regex(LOCAL_DATE_PATTERN))),
});

export class CalendarDataError extends Error {
  override name = 'CalendarDataError';
}

/**
 * Day 0 is 1970-01-01, a Thursday. Counting Mon–Fri days from a Thursday, the first k days of a
 * week hold WEEKDAYS_IN_FIRST[k] working days, and the n-th working day of a week sits at offset
 * WEEKDAY_OFFSETS[n].
 */
const WEEKDAYS_IN_FIRST = [0, 1, 2, 2, 2, 3, 4, 5] as const;
const WEEKDAY_OFFSETS = [0, 1, 4, 5, 6] as const;

/** Mon–Fri days in [0, day); negative for negative days, so differences count correctly. */
function weekdaysBefore(day: number): number {
  const weeks = Math.floor(day / 7);
  return weeks * 5 + WEEKDAYS_IN_FIRST[day - weeks * 7];
}

/** The day d that is a weekday with weekdaysBefore(d) === ordinal. */
function weekdayByOrdinal(ordinal: number): number {
  const weeks = Math.floor(ordinal / 5);
  return weeks * 7 + WEEKDAY_OFFSETS[ordinal - weeks * 5];
}

function isMondayToFriday(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return weekday >= 1 && weekday <= 5;
}

/** Day index of a Shanghai calendar date, or throws on a malformed or impossible date. */
function dayIndexOfLocalDate(localDate: string): number {
  const match = LOCAL_DATE_PATTERN.exec(localDate);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${localDate}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utcMidnight = Date.UTC(year, month - 1, day);
  const roundTrip = new Date(utcMidnight);
  if (roundTrip.getUTCFullYear() !== year || roundTrip.getUTCMonth() !== month - 1 || roundTrip.getUTCDate() !== day) {
    throw new RangeError(`no such date: ${localDate}`);
  }
  return utcMidnight / DAY_MS;
}

function assertInstant(ms: number, what: string): void {
  if (!Number.isFinite(ms)) throw new RangeError(`${what} must be a finite epoch-millisecond value, got ${ms}`);
}

export class WorkingDayCalendar {
  private readonly years: readonly number[];
  /** First day of the table (Jan 1 of the first covered year) and the day after its end. */
  private readonly tableStart: number;
  private readonly tableEnd: number;
  private readonly workingFlags: Uint8Array;
  /** workingBefore[i]: working days in [tableStart, tableStart + i). */
  private readonly workingBefore: Int32Array;
  /** dayByOrdinal[k]: offset from tableStart of the k-th working day inside the table. */
  private readonly dayByOrdinal: Int32Array;
  /** Working-day ordinals (days counted from the epoch) at the table's two edges. */
  private readonly ordinalAtStart: number;
  private readonly ordinalAtEnd: number;

  constructor(years: CalendarYear[]) {
    const parsed = years.map((year) => {
      const result = CalendarYearSchema.safeParse(year);
      if (!result.success) throw new CalendarDataError(`calendar year is malformed: ${result.error.message}`);
      return result.data;
    });
    const yearNumbers = parsed.map((y) => y.year).sort((a, b) => a - b);
    for (let i = 1; i < yearNumbers.length; i++) {
      if (yearNumbers[i] === yearNumbers[i - 1]) throw new CalendarDataError(`calendar year ${yearNumbers[i]} given twice`);
    }
    this.years = yearNumbers;

    if (yearNumbers.length === 0) {
      this.tableStart = 0;
      this.tableEnd = 0;
    } else {
      this.tableStart = Date.UTC(yearNumbers[0], 0, 1) / DAY_MS;
      this.tableEnd = Date.UTC(yearNumbers[yearNumbers.length - 1] + 1, 0, 1) / DAY_MS;
    }
    const length = this.tableEnd - this.tableStart;

    // Years between covered ones (if any) keep the Mon–Fri default.
    this.workingFlags = new Uint8Array(length);
    for (let i = 0; i < length; i++) this.workingFlags[i] = isMondayToFriday(this.tableStart + i) ? 1 : 0;

    for (const year of parsed) {
      const holidays = new Set<number>();
      for (const date of year.holidays) {
        const day = this.dayInYear(date, year.year, 'holiday');
        holidays.add(day);
        this.workingFlags[day - this.tableStart] = 0;
      }
      for (const date of year.workdays) {
        const day = this.dayInYear(date, year.year, 'make-up workday');
        if (holidays.has(day)) throw new CalendarDataError(`${date} is listed both as a holiday and as a make-up workday`);
        if (isMondayToFriday(day)) throw new CalendarDataError(`make-up workday ${date} is not a Saturday or Sunday`);
        this.workingFlags[day - this.tableStart] = 1;
      }
    }

    this.workingBefore = new Int32Array(length + 1);
    for (let i = 0; i < length; i++) this.workingBefore[i + 1] = this.workingBefore[i] + this.workingFlags[i];
    const workingInTable = this.workingBefore[length];
    this.dayByOrdinal = new Int32Array(workingInTable);
    for (let i = 0, k = 0; i < length; i++) if (this.workingFlags[i] === 1) this.dayByOrdinal[k++] = i;

    this.ordinalAtStart = weekdaysBefore(this.tableStart);
    this.ordinalAtEnd = this.ordinalAtStart + workingInTable;
  }

  /** Whether a Shanghai calendar date is a working day. Outside the covered years: Mon–Fri. */
  isWorkingDay(localDate: string): boolean {
    return this.isWorkingDayIndex(dayIndexOfLocalDate(localDate));
  }

  /**
   * The instant `workingDays` (may be fractional, e.g. 17.4) of working time after `startMs`.
   * Starting on a non-working day, the clock starts at 00:00 of the next working day. When the
   * window ends exactly at midnight, the result is the end of the last working day (24:00), not
   * the start of the next one.
   */
  addWorkingDays(startMs: number, workingDays: number): number {
    return this.addWorkingMs(startMs, Math.round(workingDays * DAY_MS));
  }

  /** Working time between two instants, in (fractional) working days; 0 if end <= start. */
  workingDaysBetween(startMs: number, endMs: number): number {
    return this.workingMsBetween(startMs, endMs) / DAY_MS;
  }

  /** As addWorkingDays, in whole milliseconds of working time (exact, no rounding). */
  addWorkingMs(startMs: number, workingMs: number): number {
    assertInstant(startMs, 'startMs');
    if (!(workingMs >= 0) || !Number.isFinite(workingMs)) {
      throw new RangeError(`working time to add must be a finite non-negative number, got ${workingMs}`);
    }
    if (workingMs === 0) return startMs;
    const target = this.workingMsBefore(startMs) + workingMs;
    const wholeDays = Math.floor(target / DAY_MS);
    const intoDay = target - wholeDays * DAY_MS;
    if (intoDay > 0) {
      return this.workingDayByOrdinal(wholeDays) * DAY_MS + intoDay - SHANGHAI_OFFSET_MS;
    }
    // The target is reached at the end of a working day; the earliest such instant is its 24:00.
    return (this.workingDayByOrdinal(wholeDays - 1) + 1) * DAY_MS - SHANGHAI_OFFSET_MS;
  }

  /** As workingDaysBetween, in milliseconds of working time. */
  workingMsBetween(startMs: number, endMs: number): number {
    assertInstant(startMs, 'startMs');
    assertInstant(endMs, 'endMs');
    if (endMs <= startMs) return 0;
    return this.workingMsBefore(endMs) - this.workingMsBefore(startMs);
  }

  coveredYears(): number[] {
    return [...this.years];
  }

  /** Working milliseconds from the epoch to `ms`: a non-decreasing, continuous function. */
  private workingMsBefore(ms: number): number {
    const local = ms + SHANGHAI_OFFSET_MS;
    const day = Math.floor(local / DAY_MS);
    const intoDay = local - day * DAY_MS;
    return this.workingDaysBefore(day) * DAY_MS + (this.isWorkingDayIndex(day) ? intoDay : 0);
  }

  private isWorkingDayIndex(day: number): boolean {
    if (day >= this.tableStart && day < this.tableEnd) return this.workingFlags[day - this.tableStart] === 1;
    return isMondayToFriday(day);
  }

  /** Working days in [epoch, day), counted as a difference-preserving ordinal. */
  private workingDaysBefore(day: number): number {
    if (day <= this.tableStart) return weekdaysBefore(day);
    if (day <= this.tableEnd) return this.ordinalAtStart + this.workingBefore[day - this.tableStart];
    return this.ordinalAtEnd + weekdaysBefore(day) - weekdaysBefore(this.tableEnd);
  }

  /** The working day whose ordinal is `ordinal` (inverse of workingDaysBefore on working days). */
  private workingDayByOrdinal(ordinal: number): number {
    if (ordinal < this.ordinalAtStart) return weekdayByOrdinal(ordinal);
    if (ordinal < this.ordinalAtEnd) return this.tableStart + this.dayByOrdinal[ordinal - this.ordinalAtStart];
    return weekdayByOrdinal(ordinal - this.ordinalAtEnd + weekdaysBefore(this.tableEnd));
  }

  private dayInYear(date: string, year: number, what: string): number {
    let day: number;
    try {
      day = dayIndexOfLocalDate(date);
    } catch (error) {
      throw new CalendarDataError(`${what} ${date}: ${(error as Error).message}`);
    }
    if (Number(date.slice(0, 4)) !== year) throw new CalendarDataError(`${what} ${date} is outside calendar year ${year}`);
    return day;
  }
}

/** The calendars compiled into every bundle: config/calendar/cn-<year>.json imported above. */
export const BUILT_IN_CALENDAR_YEARS: readonly CalendarYear[] = [calendar2026, calendar2027];

/**
 * Calendar years loaded as data, without a rebuild: the JSON array of CalendarYear in this
 * environment variable (infra sets it from the config/calendar/ files no bundle imports; see
 * docs/operations.md). A year given here replaces the built-in one of the same number.
 */
export const CALENDAR_YEARS_ENV = 'CALENDAR_YEARS';

/** A `source` that starts with this word marks a projected calendar, not yet the published one. */
export const PROJECTION_MARK = 'PROJECTION';

export const isProjection = (year: Pick<CalendarYear, 'source'>): boolean => (year.source ?? '').startsWith(PROJECTION_MARK);

/** The built-in years with the loaded ones laid over them; a malformed value is refused with CalendarDataError. */
export function calendarYearsFrom(builtIn: readonly CalendarYear[], loaded: string | undefined): CalendarYear[] {
  const years = new Map(builtIn.map((year) => [year.year, year]));
  if (loaded !== undefined && loaded.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(loaded);
    } catch (error) {
      throw new CalendarDataError(`${CALENDAR_YEARS_ENV} is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new CalendarDataError(`${CALENDAR_YEARS_ENV} must be a JSON array of calendar years.`);
    for (const item of parsed) {
      const result = CalendarYearSchema.safeParse(item);
      if (!result.success) throw new CalendarDataError(`${CALENDAR_YEARS_ENV} holds a malformed calendar year: ${result.error.message}`);
      years.set(result.data.year, result.data);
    }
  }
  return [...years.values()].sort((a, b) => a.year - b.year);
}

/** Every calendar year the functions know, with its source (projections stay marked as such). */
export const calendarYears: readonly CalendarYear[] = calendarYearsFrom(BUILT_IN_CALENDAR_YEARS, process.env[CALENDAR_YEARS_ENV]);

export const defaultCalendar = new WorkingDayCalendar([...calendarYears]);

/** '2026-11-27T18:00:00.000+08:00' */
export function toShanghaiIso(ms: number): string {
  assertInstant(ms, 'instant');
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** 'YYYY-MM-DD' of the instant in Shanghai. */
export function shanghaiDate(ms: number): string {
  return toShanghaiIso(ms).slice(0, 10);
}

/** 'YYYY-MM' of the instant in Shanghai: the month a case counts toward in the monthly report. */
export function shanghaiMonth(ms: number): string {
  return toShanghaiIso(ms).slice(0, 7);
}

/**
 * Months and periods of the monthly assessment (考核), in Asia/Shanghai. A month is named
 * `yyyy-mm`; its cases are those whose `createdAt` (always written with +08:00) starts with
 * that name. A report is measured at a cutoff: the instant its last month ends, or "now" for
 * the month still running (a provisional report).
 */
import { toShanghaiIso } from './calendar';

/** yyyy-mm from 1970 on: earlier years are no assessment month (and Date.UTC reads 0–99 as 1900–1999). */
export const MONTH_PATTERN = /^(19[7-9]\d|[2-9]\d{3})-(0[1-9]|1[0-2])$/;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const HOUR_MS = 3_600_000;

function parseMonth(month: string): { year: number; month: number } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`not a month (yyyy-mm): ${month}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

const monthName = (year: number, month: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;

export const isMonth = (value: string): boolean => MONTH_PATTERN.test(value);

/** The month after `month`. */
export function nextMonth(month: string): string {
  const { year, month: m } = parseMonth(month);
  return m === 12 ? monthName(year + 1, 1) : monthName(year, m + 1);
}

/** The month before `month`. */
export function previousMonth(month: string): string {
  const { year, month: m } = parseMonth(month);
  return m === 1 ? monthName(year - 1, 12) : monthName(year, m - 1);
}

/** The first instant of the month in Shanghai (00:00 on the 1st, +08:00), as epoch ms. */
export function monthStartMs(month: string): number {
  const { year, month: m } = parseMonth(month);
  return Date.UTC(year, m - 1, 1) - SHANGHAI_OFFSET_MS;
}

/** The instant the month ends: 00:00 on the 1st of the next month in Shanghai (exclusive). */
export const monthEndMs = (month: string): number => monthStartMs(nextMonth(month));

/** The Shanghai month an instant falls in. */
export const monthOf = (ms: number): string => toShanghaiIso(ms).slice(0, 7);

/** Every month from `from` to `to`, both included; throws when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  parseMonth(from);
  parseMonth(to);
  if (to < from) throw new RangeError(`the period ends (${to}) before it starts (${from})`);
  const months: string[] = [];
  for (let month = from; month <= to; month = nextMonth(month)) months.push(month);
  return months;
}

export interface ReportCutoff {
  /** Facts (a result, an evaluation, a close) count when they happened before this instant. */
  readonly cutoffMs: number;
  /** The period has not ended yet: the figures will still move. */
  readonly provisional: boolean;
}

/**
 * The cutoff of a report whose last month is `to`, asked at `nowMs`: the end of that month,
 * or — while the month is still running — just after now (so what happened at `nowMs` counts).
 */
export function cutoffFor(to: string, nowMs: number): ReportCutoff {
  const endMs = monthEndMs(to);
  return nowMs < endMs ? { cutoffMs: nowMs + 1, provisional: true } : { cutoffMs: endMs, provisional: false };
}

/** A slice of a month's cases by creation time: [fromIso, toIso), both ISO instants with +08:00. */
export interface MonthSegment {
  readonly month: string;
  readonly index: number;
  readonly fromIso: string;
  readonly toIso: string;
}

/** Slices per day that divide a day into whole hours. */
export const SLICES_PER_DAY = [1, 2, 3, 4, 6, 8, 12, 24] as const;
export type SlicesPerDay = (typeof SLICES_PER_DAY)[number];

/**
 * The month cut into time slices (one per day by default, finer for very large months), so
 * the month's index partition can be read in parallel ranges that never overlap and together
 * hold every case of the month.
 */
export function monthSegments(month: string, slicesPerDay: number = 1): MonthSegment[] {
  if (!(SLICES_PER_DAY as readonly number[]).includes(slicesPerDay)) {
    throw new RangeError(`slicesPerDay must be one of ${SLICES_PER_DAY.join(', ')}, got ${slicesPerDay}`);
  }
  const start = monthStartMs(month);
  const end = monthEndMs(month);
  const step = (24 / slicesPerDay) * HOUR_MS;
  const segments: MonthSegment[] = [];
  for (let at = start, index = 0; at < end; at += step, index++) {
    segments.push({ month, index, fromIso: toShanghaiIso(at), toIso: toShanghaiIso(Math.min(at + step, end)) });
  }
  return segments;
}

/** When the scheduled job runs for the month after `month`: 01:00 on the 1st, Shanghai time. */
export const scheduledRunMs = (reportedMonth: string): number => monthEndMs(reportedMonth) + HOUR_MS;

/**
 * The next scheduled run strictly after `nowMs`, and the month it reports on (the month
 * before the run's month).
 */
export function nextScheduledRun(nowMs: number): { atMs: number; month: string } {
  let month = previousMonth(monthOf(nowMs));
  while (scheduledRunMs(month) <= nowMs) month = nextMonth(month);
  return { atMs: scheduledRunMs(month), month };
}

/** The month a run scheduled at `scheduledMs` reports on: the Shanghai month before it. */
export const reportedMonthOfRun = (scheduledMs: number): string => previousMonth(monthOf(scheduledMs));

import middy from '@middy/core';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';
import { BUSINESS_METRICS, countMetrics } from '../commons/metrics';
import { calendarYears } from '../domain/calendar';
import { type CalendarCoverage, calendarCoverage } from './calendar-coverage';

/*
 * Run daily by EventBridge Scheduler: counts the holiday calendars the deadlines need and do not
 * have (the current year; from 1 October the next one too) as the CalendarYearsMissing metric,
 * which the CalendarMissing alarm watches. The metric is written on every run, zero included, so
 * the alarm sees a value each day. Projections in use are logged, not alarmed.
 */
export function checkCalendars(nowMs: number = now()): CalendarCoverage {
  const coverage = calendarCoverage(calendarYears, nowMs);
  countMetrics({ [BUSINESS_METRICS.calendarYearsMissing]: coverage.missing.length }, { includeZero: true });
  if (coverage.missing.length > 0) {
    logger.error({ missingYears: coverage.missing }, 'holiday calendar missing: deadlines count Monday–Friday for these years');
  }
  if (coverage.projected.length > 0) {
    logger.warn({ projectedYears: coverage.projected }, 'holiday calendar in use is a projection, not the published arrangement');
  }
  return coverage;
}

export const handler = middy<unknown, CalendarCoverage>().handler(async () => checkCalendars());

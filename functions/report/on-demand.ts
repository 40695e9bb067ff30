/**
 * Reports for the API: the month's published report when the job has written it, otherwise
 * computed now from the byMonth index (in parallel segments), provisional while the month runs.
 */
import { renderReport, type AssessmentReport } from '../domain/assessment';
import { cutoffFor, monthOf, monthsBetween } from '../domain/assessment-period';
import { toShanghaiIso } from '../domain/calendar';
import type { UnitDirectory } from '../domain/directory';
import type { CaseStore } from '../store/case-store';
import { computeReport, PeriodNotBegun } from './compute';
import type { ReportStore } from './report-store';

export interface ReportAnswer extends AssessmentReport {
  readonly source: 'stored' | 'computed';
  readonly generatedAt: string;
  readonly runId?: string;
}

export interface ReportSources {
  readonly store: CaseStore;
  readonly reports: ReportStore;
  readonly directory: UnitDirectory;
}

/** The longest period one request may ask for. */
export const MAX_PERIOD_MONTHS = 36;

export class PeriodInvalid extends Error {
  override readonly name = 'PeriodInvalid';
  constructor(
    readonly field: 'from' | 'to',
    message: string,
  ) {
    super(message);
  }
}

export async function periodReport(from: string, to: string, nowMs: number, sources: ReportSources): Promise<ReportAnswer> {
  const current = monthOf(nowMs);
  if (to < from) throw new PeriodInvalid('to', `the period ends (${to}) before it starts (${from})`);
  if (from > current) throw new PeriodNotBegun(`The period starting ${from} has not begun.`);
  if (to > current) throw new PeriodInvalid('to', `${to} has not begun; the latest month is ${current}`);
  if (monthsBetween(from, to).length > MAX_PERIOD_MONTHS) throw new PeriodInvalid('from', `a period may span at most ${MAX_PERIOD_MONTHS} months`);

  // A single finished month the job has published: its stored report (measured at the same cutoff).
  if (from === to && to < current) {
    const stored = await sources.reports.getReport(to);
    if (stored && stored.partial.cutoff === toShanghaiIso(cutoffFor(to, nowMs).cutoffMs)) {
      const report = renderReport(stored.partial, { directory: sources.directory, from, to, provisional: stored.provisional });
      return { ...report, source: 'stored', generatedAt: stored.generatedAt, runId: stored.runId };
    }
  }
  const { report } = await computeReport({ store: sources.store, from, to, nowMs, directory: sources.directory });
  return { ...report, source: 'computed', generatedAt: toShanghaiIso(nowMs) };
}

export const monthlyReport = (month: string, nowMs: number, sources: ReportSources): Promise<ReportAnswer> =>
  periodReport(month, month, nowMs, sources);

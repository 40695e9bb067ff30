/**
 * A report computed in one process: the months of the period cut into segments, the segments
 * read in parallel (a bounded number at a time) and folded into one partial as each finishes.
 * The API uses it for a report that is not stored yet, `npm run report` and the benchmark for
 * everything; the state machine runs the same segment reader, one Lambda per segment.
 */
import { cutoffFor, monthOf, monthSegments, monthsBetween, type MonthSegment } from '../domain/assessment-period';
import { emptyPartial, mergeInto, renderReport, type AssessmentPartial, type AssessmentReport } from '../domain/assessment';
import { defaultCalendar, type WorkingDayCalendar } from '../domain/calendar';
import { defaultDirectory, type UnitDirectory } from '../domain/directory';
import { defaultPolicy } from '../domain/policy';
import type { CaseStore } from '../store/case-store';
import { readSegment } from './segment-reader';

export class PeriodNotBegun extends Error {
  override readonly name = 'PeriodNotBegun';
}

export interface ComputeProgress {
  readonly segmentsDone: number;
  readonly segmentsTotal: number;
  readonly cases: number;
}

export interface ComputeOptions {
  readonly store: CaseStore;
  readonly from: string;
  readonly to: string;
  readonly nowMs: number;
  /** Segments per day of each month (1 = a segment per day). */
  readonly slicesPerDay?: number;
  /** Segments read at the same time. */
  readonly concurrency?: number;
  /** Items per query page (see segment-reader.ts). */
  readonly pageSize?: number;
  readonly calendar?: WorkingDayCalendar;
  readonly yellowShare?: number;
  /**
   * Measure at this instant instead of the end of `to` (or now): how one month is read as part
   * of a longer period, at the period's cutoff.
   */
  readonly cutoffMs?: number;
  readonly onProgress?: (progress: ComputeProgress) => void;
}

export interface ComputedPartial {
  readonly partial: AssessmentPartial;
  readonly provisional: boolean;
  readonly segments: number;
  readonly capacityUnits: number;
}

/** The segments a period is read in; those starting after the cutoff hold no case yet and are skipped. */
export function periodSegments(from: string, to: string, cutoffMs: number, slicesPerDay = 1): MonthSegment[] {
  return monthsBetween(from, to)
    .flatMap((month) => monthSegments(month, slicesPerDay))
    .filter((segment) => Date.parse(segment.fromIso) < cutoffMs);
}

export async function computePartial(options: ComputeOptions): Promise<ComputedPartial> {
  if (options.from > monthOf(options.nowMs)) throw new PeriodNotBegun(`The period starting ${options.from} has not begun.`);
  const measured = cutoffFor(options.to, options.nowMs);
  const cutoffMs = options.cutoffMs ?? measured.cutoffMs;
  const provisional = options.cutoffMs === undefined ? measured.provisional : options.cutoffMs > options.nowMs;
  const segments = periodSegments(options.from, options.to, cutoffMs, options.slicesPerDay ?? 1);
  const total = emptyPartial(monthsBetween(options.from, options.to), cutoffMs);
  const assess = { calendar: options.calendar ?? defaultCalendar, yellowShare: options.yellowShare ?? defaultPolicy.yellowShare };

  let next = 0;
  let done = 0;
  let cases = 0;
  let capacityUnits = 0;
  const worker = async () => {
    while (next < segments.length) {
      const segment = segments[next++];
      const result = await readSegment(options.store, segment, cutoffMs, {
        ...assess,
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        onPage: (count) => {
          cases += count;
          options.onProgress?.({ segmentsDone: done, segmentsTotal: segments.length, cases });
        },
      });
      mergeInto(total, result.partial);
      capacityUnits += result.capacityUnits;
      done += 1;
      options.onProgress?.({ segmentsDone: done, segmentsTotal: segments.length, cases });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, segments.length)) }, worker));
  return { partial: total, provisional, segments: segments.length, capacityUnits };
}

export interface ComputedReport extends ComputedPartial {
  readonly report: AssessmentReport;
}

export async function computeReport(options: ComputeOptions & { readonly directory?: UnitDirectory }): Promise<ComputedReport> {
  const computed = await computePartial(options);
  const report = renderReport(computed.partial, {
    directory: options.directory ?? defaultDirectory,
    from: options.from,
    to: options.to,
    provisional: computed.provisional,
  });
  return { ...computed, report };
}

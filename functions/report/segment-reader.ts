/**
 * Reads one segment of a month (a time slice of the byMonth index partition) page by page and
 * folds every case into a partial result as it arrives: a page is discarded once folded, so
 * memory holds one page and the partial, whatever the segment's size.
 */
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { CaseRecordSchema } from '../domain/case';
import { ASSESSED_FIELDS, addCase, emptyPartial, type AssessedCase, type AssessmentPartial, type AssessOptions } from '../domain/assessment';
import type { MonthSegment } from '../domain/assessment-period';
import type { CaseStore } from '../store/case-store';

/** The fields a report reads, validated as the store's own schema defines them. */
export const AssessedCaseSchema: z.ZodMiniType<AssessedCase> = z.pick(CaseRecordSchema, {
  id: true,
  createdAt: true,
  category: true,
  originUnit: true,
  district: true,
  assignedUnit: true,
  firstHandlerUnit: true,
  tier: true,
  status: true,
  light: true,
  windowStartedAt: true,
  signOffDueAt: true,
  signedOffAt: true,
  resolveDueAt: true,
  evaluationDueAt: true,
  reRouteDueAt: true,
  closedAt: true,
  closedReason: true,
  evaluation: true,
  complainantEvaluation: true,
  followUp: true,
  metrics: true,
  holdings: true,
});

export interface SegmentResult {
  readonly partial: AssessmentPartial;
  readonly cases: number;
  readonly pages: number;
  /** Read capacity units the queries consumed (as DynamoDB reports them). */
  readonly capacityUnits: number;
}

export interface ReadSegmentOptions extends AssessOptions {
  /** Called after each page with the number of cases it held. */
  readonly onPage?: (cases: number) => void;
  /** Items per page (DynamoDB stops at 1 MB anyway); default REPORT_PAGE_SIZE, else 1 MB pages. */
  readonly pageSize?: number;
}

/**
 * Items per query page when none is given: REPORT_PAGE_SIZE if set. Unset in AWS, where 1 MB
 * pages mean the fewest round trips; the local stack sets it, as DynamoDB Local answers pages
 * of a few hundred items several times faster than 1 MB ones.
 */
export function defaultPageSize(): number | undefined {
  const value = Number(process.env.REPORT_PAGE_SIZE);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

export async function readSegment(
  store: CaseStore,
  segment: MonthSegment,
  cutoffMs: number,
  options: ReadSegmentOptions,
): Promise<SegmentResult> {
  const partial = emptyPartial([segment.month], cutoffMs);
  let startKey: Record<string, unknown> | undefined;
  let pages = 0;
  let capacityUnits = 0;
  const pageSize = options.pageSize ?? defaultPageSize();
  do {
    const page = await store.monthRangePage({
      month: segment.month,
      fromIso: segment.fromIso,
      toIso: segment.toIso,
      attributes: ASSESSED_FIELDS,
      ...(startKey ? { startKey } : {}),
      ...(pageSize ? { limit: pageSize } : {}),
    });
    for (const item of page.items) addCase(partial, AssessedCaseSchema.parse(item), options);
    pages += 1;
    capacityUnits += page.capacityUnits;
    options.onPage?.(page.items.length);
    startKey = page.nextKey;
  } while (startKey);
  return { partial, cases: partial.cases, pages, capacityUnits };
}

/**
 * One iteration of the report state machine's Map: reads one segment of the month from the
 * byMonth index, folds it, and stores the segment's partial result under the run. A retry
 * recomputes the segment and overwrites the same item, so nothing is ever counted twice.
 */
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { caseStore } from '../commons/app';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';
import { defaultCalendar } from '../domain/calendar';
import { defaultPolicy } from '../domain/policy';
import { readSegment } from './segment-reader';
import { ReportStore } from './report-store';

export const SegmentInputSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  month: z.string(),
  cutoffMs: z.number().check(z.int()),
  segment: z.object({ month: z.string(), index: z.number().check(z.int(), z.nonnegative()), fromIso: z.string(), toIso: z.string() }),
});

export interface SegmentOutput {
  readonly index: number;
  readonly cases: number;
  readonly pages: number;
  readonly capacityUnits: number;
}

export const handler = async (event: unknown): Promise<SegmentOutput> => {
  const input = SegmentInputSchema.parse(event);
  const result = await readSegment(caseStore(), input.segment, input.cutoffMs, { calendar: defaultCalendar, yellowShare: defaultPolicy.yellowShare });
  await new ReportStore(dynamoDb(), requiredEnv('CASES_TABLE')).putSegment(input.month, input.runId, input.segment.index, result.partial, now());
  logger.info({ runId: input.runId, month: input.month, segment: input.segment.index, cases: result.cases, pages: result.pages }, 'segment read');
  return { index: input.segment.index, cases: result.cases, pages: result.pages, capacityUnits: result.capacityUnits };
};

/**
 * First state of the report state machine: which month, measured at which cutoff, read in
 * which segments. The scheduler passes its scheduled time, so a delayed or retried run still
 * reports the month before the one it was scheduled in.
 */
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { cutoffFor, isMonth, monthOf, monthSegments, reportedMonthOfRun, type MonthSegment } from '../domain/assessment-period';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';

/** What a run is asked for: the execution input (from the schedule, or given by hand). */
export const RunRequestSchema = z.object({
  month: z.optional(z.string().check(z.refine(isMonth, 'a month as yyyy-mm'))),
  /** EventBridge Scheduler's `<aws.scheduler.scheduled-time>`. */
  scheduledTime: z.optional(z.iso.datetime({ offset: true })),
  slicesPerDay: z.optional(z.number().check(z.int(), z.positive())),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;

export const PlanInputSchema = z.object({
  /** The execution's name: segment results of this run are kept under it. */
  runId: z.string().check(z.minLength(1), z.maxLength(80)),
  request: RunRequestSchema,
});
export type PlanInput = z.infer<typeof PlanInputSchema>;

export interface RunPlan {
  readonly runId: string;
  readonly month: string;
  readonly cutoffMs: number;
  readonly provisional: boolean;
  readonly segmentCount: number;
  readonly segments: readonly MonthSegment[];
}

export class MonthNotBegun extends Error {
  override readonly name = 'MonthNotBegun';
}

export function planRun(input: PlanInput, nowMs: number): RunPlan {
  const { request } = input;
  const month = request.month ?? reportedMonthOfRun(request.scheduledTime ? Date.parse(request.scheduledTime) : nowMs);
  if (month > monthOf(nowMs)) throw new MonthNotBegun(`${month} has not begun.`);
  const { cutoffMs, provisional } = cutoffFor(month, nowMs);
  const segments = monthSegments(month, request.slicesPerDay ?? 1);
  return { runId: input.runId, month, cutoffMs, provisional, segmentCount: segments.length, segments };
}

export const handler = async (event: unknown): Promise<RunPlan> => {
  const plan = planRun(PlanInputSchema.parse(event), now());
  logger.info({ runId: plan.runId, month: plan.month, segments: plan.segmentCount, provisional: plan.provisional }, 'report run planned');
  return plan;
};

import * as z from 'zod/mini';
import '../domain/zod-locale';
import type { CaseRecord, TimelineEvent } from '../domain/case';
import { toShanghaiIso } from '../domain/calendar';

/*
 * A case execution that stopped without closing the case (failed, timed out, aborted) leaves
 * the case with no clock running: nobody would be warned of its deadlines again. EventBridge
 * reports the stop; this rule decides what the case records and what the supervision centre is
 * told. Pure: the handler in execution-status.ts reads and writes.
 */

/** The statuses of "Step Functions Execution Status Change" that need a person. */
export const STOPPED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** The timeline event type, and the alert type published to the alert topic. */
export const ATTENTION_EVENT = 'WORKFLOW_STOPPED';

export const ExecutionStatusChangeSchema = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  source: z.literal('aws.states'),
  detail: z.object({
    executionArn: z.string().check(z.minLength(1)),
    stateMachineArn: z.string().check(z.minLength(1)),
    /** The case id, or `<caseId>-c<n>` for an execution a case continued in. */
    name: z.string().check(z.minLength(1), z.maxLength(80)),
    /** The execution's input as JSON (`{"caseId": …, …}`), when the event carries it. */
    input: z.optional(z.nullable(z.string())),
    status: z.enum(STOPPED_STATUSES),
    stopDate: z.optional(z.nullable(z.number())),
    error: z.optional(z.nullable(z.string())),
    cause: z.optional(z.nullable(z.string())),
  }),
});
export type ExecutionStatusChange = z.infer<typeof ExecutionStatusChangeSchema>;

export interface Attention {
  readonly event: Omit<TimelineEvent, 'seq'>;
  /** Carries `type` and `tier` like every alert, so the topic's subscription filters apply. */
  readonly alert: {
    readonly type: typeof ATTENTION_EVENT;
    readonly caseId: string;
    readonly unit: string;
    readonly tier: number;
    readonly dueAt: null;
    readonly at: string;
    readonly detail: string;
  };
}

const STATUS_TEXT: Record<(typeof STOPPED_STATUSES)[number], string> = {
  FAILED: 'failed',
  TIMED_OUT: 'timed out',
  ABORTED: 'was stopped',
};

/**
 * The case an execution belongs to: `caseId` of its input when the event carries it, else its
 * name without the continuation suffix (executions are named by case id, then `<caseId>-c1`, …;
 * case ids are ULIDs, which have no hyphen).
 */
export function caseIdOf(change: ExecutionStatusChange): string {
  try {
    const input = JSON.parse(change.detail.input ?? 'null') as { caseId?: unknown } | null;
    if (input && typeof input.caseId === 'string' && input.caseId.length > 0) return input.caseId;
  } catch {
    // Not JSON (or not there): the name says it.
  }
  return change.detail.name.replace(/-c\d+$/, '');
}

/** Whether this execution's stop is already on the case's timeline (one entry per execution). */
export const alreadyRecorded = (timeline: readonly TimelineEvent[], executionArn: string): boolean =>
  timeline.some((event) => event.type === ATTENTION_EVENT && event.data?.executionArn === executionArn);

/**
 * What to record and publish for this stop, or undefined when the timeline has it already.
 * The error name is kept; its cause is not (it can quote a request and is in the logs).
 */
export function attentionFor(change: ExecutionStatusChange, record: CaseRecord, timeline: readonly TimelineEvent[], nowMs: number): Attention | undefined {
  const { executionArn, status, error } = change.detail;
  if (alreadyRecorded(timeline, executionArn)) return undefined;
  const at = toShanghaiIso(nowMs);
  const detail =
    `The case workflow ${STATUS_TEXT[status]}${error ? ` (${error})` : ''}: no deadline of this case is watched until ` +
    'an operator restarts or redrives its execution (docs/operations.md).';
  return {
    event: {
      at,
      type: ATTENTION_EVENT,
      unit: record.assignedUnit,
      note: detail,
      data: { executionArn, status, ...(error ? { error } : {}), needsAttention: true },
    },
    alert: { type: ATTENTION_EVENT, caseId: record.id, unit: record.assignedUnit, tier: record.tier, dueAt: null, at, detail },
  };
}

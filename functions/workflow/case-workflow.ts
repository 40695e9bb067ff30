import middy from '@middy/core';
import * as z from 'zod/mini';
import '../domain/zod-locale';
// The workflow writes mediation's alerts (domain/workflow.ts renders them): their texts, registered on import.
import '../domain/mediation/event-texts';
import { caseStore, calendar, directory, outboxStore } from '../commons/app';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';
import { countCaseAccepted, countWorkflowAlerts } from '../commons/metrics';
import { defaultPolicy } from '../domain/policy';
import { StoreConflict, numberEvents } from '../store/case-store';
import { defaultContacts } from '../domain/notifications/contacts';
import { dispatchCase } from '../notify/dispatcher';
import { notificationSender, type NotificationSender } from '../notify/sender';
import { drawPin, drawSalt, hashPin, type PinRecord } from '../domain/complainant-pin';
import { pinStore } from '../store/pin-store';
import { renderNotification } from '../domain/texts/notifications';
import type { Notification } from '../domain/notifications/rules';
import { ACCEPTED_VERSION, type CaseRecord, type TimelineEvent } from '../domain/case';
import { toShanghaiIso } from '../domain/calendar';
import { DEFAULT_MARGINS, continuationFor, estimateStepEvents, type ContinuationMargins } from '../domain/continuation';
import {
  AlertSchema,
  PHASES,
  SignalSchema,
  applySignal,
  applyTick,
  beginCase,
  planFor,
  type Alert,
  type Phase,
  type StepResult,
  type WorkflowContext,
} from '../domain/workflow';

/*
 * The function the case state machine calls. It is the only writer of workflow state:
 * `begin`, `tick` and `signal` load the case, apply the pure rule from the domain core, write
 * the new record with its timeline in one transaction and tell the machine what to wait for
 * next; `await` keeps the callback token of the wait that is starting and, at the first wait of
 * a case intake started with its first plan, begins the workflow (a write and a read, not a step).
 */
const Phase = z.enum(PHASES);
const StepKey = z.string().check(z.minLength(1), z.maxLength(200));
/** The execution a step runs in (`$$.Execution.Name`, `$$.Execution.StartTime`) and the history events it may hold so far. */
const ExecutionSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(80)),
  startTime: z.iso.datetime({ offset: true }),
  events: z.number().check(z.int(), z.minimum(0)),
});
export const WorkflowEventSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('begin'), caseId: z.string(), stepKey: StepKey, execution: z.optional(ExecutionSchema) }),
  z.object({ op: z.literal('tick'), caseId: z.string(), stepKey: StepKey, phase: Phase, execution: z.optional(ExecutionSchema) }),
  z.object({ op: z.literal('signal'), caseId: z.string(), stepKey: StepKey, phase: Phase, signal: SignalSchema, execution: z.optional(ExecutionSchema) }),
  z.object({
    op: z.literal('await'),
    caseId: z.string(),
    phase: Phase,
    taskToken: z.string().check(z.minLength(1)),
    waitSeconds: z.number(),
    executionName: z.optional(z.string()),
    /** The version the plan was made for: the accepted version when intake started the execution with its first plan. */
    planVersion: z.optional(z.number()),
  }),
  z.object({ op: z.literal('hold-alert'), alert: AlertSchema, error: z.string(), cause: z.string() }),
]);
export type WorkflowEvent = z.infer<typeof WorkflowEventSchema>;

export interface WorkflowStepOutput {
  /** The case version after this step: part of the next step's key, so no two entries share one. */
  readonly version: number;
  readonly phase: Phase;
  readonly waitSeconds: number;
  readonly alerts: Alert[];
  readonly outcome: string;
  /** History events this execution may hold after this step and its alerts (see domain/continuation). */
  readonly events: number;
  /** The execution to continue the case in before waiting again, or null to wait in this one. */
  readonly continueAs: string | null;
}

/** Raised when another writer got there first; the state machine retries the step. */
class WorkflowStoreConflict extends Error {
  override readonly name = 'WorkflowStoreConflict';
}

const contextNow = (): WorkflowContext => ({ nowMs: now(), directory, calendar, policy: defaultPolicy });

/**
 * When to continue a case in a new execution: the domain's margins (330 days, 20,000 events), or
 * smaller ones a test sets with WORKFLOW_CONTINUE_AFTER_SECONDS / _EVENTS (read at each call).
 */
export function continuationMargins(env: NodeJS.ProcessEnv = process.env): ContinuationMargins {
  const positive = (text: string | undefined, fallback: number) => {
    const value = Number(text);
    return text !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    afterSeconds: positive(env.WORKFLOW_CONTINUE_AFTER_SECONDS, DEFAULT_MARGINS.afterSeconds),
    afterEvents: positive(env.WORKFLOW_CONTINUE_AFTER_EVENTS, DEFAULT_MARGINS.afterEvents),
  };
}

/**
 * The complainant's result SMS, with a new PIN (domain/complainant-pin), once per result: only the
 * PIN's hash is kept, so the SMS is written here, where the PIN is drawn, and never derived again.
 * Drawn when the case's current result has no PIN whose SMS was handed to the sender; a dispatch
 * that died between the draw and the SMS leaves an undelivered draw, which the next step replaces
 * with a new PIN and an SMS of its own (so at worst the complainant gets a second SMS, whose PIN is
 * the one that works). A case without a phone or a tracking code gets no PIN: the follow-up call rates it.
 */
async function sendResultWithPin(record: CaseRecord, timeline: readonly TimelineEvent[], sender: NotificationSender): Promise<void> {
  const phone = record.complainant?.phone;
  const result = record.resolution;
  if (!phone || !result || !record.trackingCode || (record.status !== 'awaiting-evaluation' && record.status !== 'closed')) return;
  const resolved = timeline.findLast((event) => event.type === 'RESOLVED');
  if (!resolved || resolved.at !== result.at) return;
  const store = pinStore();
  const existing = await store.get(record.id);
  if (existing?.resultAt === result.at && existing.deliveredAt) return;
  const replacing = existing?.resultAt === result.at ? existing : undefined;
  const pin = drawPin();
  const salt = drawSalt();
  const issuedAt = toShanghaiIso(now());
  const kept: PinRecord = { hash: await hashPin(pin, salt), salt, resultAt: result.at, issue: (replacing?.issue ?? 0) + 1, issuedAt, failures: 0 };
  if (!(await store.issue(record.id, kept, replacing))) return; // another dispatch of the same step drew it
  const params = { title: record.title, outcome: result.outcome, trackingCode: record.trackingCode, pin };
  const text = (lang: 'zh-CN' | 'en') => renderNotification('COMPLAINANT_RESULT', params, { lang, unitName: directory.nameOf, referenceMs: Date.parse(resolved.at) });
  const notification: Notification = {
    id: `${record.id}:COMPLAINANT_RESULT:${resolved.seq}:p${kept.issue}:complainant:sms`,
    caseId: record.id,
    seq: resolved.seq,
    cause: resolved.type,
    code: 'COMPLAINANT_RESULT',
    channel: 'sms',
    to: phone,
    urgent: false,
    notBeforeMs: Date.parse(resolved.at),
    text: text('zh-CN'),
    textEn: text('en'),
    subject: record.title,
  };
  await sender.deliver(notification);
  await store.markDelivered(record.id, kept, toShanghaiIso(now()));
}

/**
 * Tells people what the case's timeline calls for (docs/notifications.md), after the step is
 * written. Every step, a retried one too, derives from the whole timeline, so a notification
 * whose dispatch died with the process goes out with the next step; the sender delivers each id
 * once. The timeline is the one the step read with the events it wrote appended: the step's
 * write was conditional on the version it read, so that is the case as stored, without a second
 * read. A failure here is logged and never fails the step: the next dispatch makes up for it.
 */
async function notify(record: CaseRecord, timeline: readonly TimelineEvent[]): Promise<void> {
  const sender = notificationSender();
  if (!sender) return;
  const caseId = record.id;
  try {
    await sendResultWithPin(record, timeline, sender);
    const { results } = await dispatchCase(record, timeline, { directory, contacts: defaultContacts() }, sender);
    for (const { notification, result } of results) {
      if (result.status === 'refused' || result.status === 'parked') logger.warn({ caseId, id: notification.id, status: result.status, reason: result.reason }, 'notification not delivered');
    }
  } catch (error) {
    logger.error({ caseId, error: (error as Error).message }, 'notifications not dispatched; the next step of the case retries them');
  }
}

type StepEvent = Extract<WorkflowEvent, { op: 'begin' | 'tick' | 'signal' }>;

/** What the state machine needs after a step: the plan, and whether this execution should hand the case on. */
function answer(event: StepEvent, ctx: WorkflowContext, plan: { phase: Phase; waitSeconds: number }, version: number, alerts: Alert[], outcome: string): WorkflowStepOutput {
  const events = (event.execution?.events ?? 0) + estimateStepEvents(alerts.length);
  const continueAs = event.execution
    ? continuationFor(
        {
          caseId: event.caseId,
          executionName: event.execution.name,
          executionStartMs: Date.parse(event.execution.startTime),
          nowMs: ctx.nowMs,
          events,
          waitSeconds: plan.waitSeconds,
          closed: plan.phase === 'closed',
        },
        continuationMargins(),
      )
    : null;
  return { ...plan, version, alerts, outcome, events, continueAs };
}

async function step(event: StepEvent): Promise<WorkflowStepOutput> {
  const store = caseStore();
  const loaded = await store.getCaseAndTimelineForWorkflow(event.caseId);
  if (!loaded) throw new Error(`Case ${event.caseId} does not exist.`);
  const ctx = contextNow();
  // A retried step (its first attempt wrote, but the answer was lost) answers as before.
  if (loaded.lastStep?.key === event.stepKey) {
    await notify(loaded.record, loaded.timeline);
    return answer(event, ctx, planFor(loaded.record, ctx), loaded.record.version, loaded.lastStep.alerts as Alert[], loaded.lastStep.outcome);
  }
  let result: StepResult;
  switch (event.op) {
    case 'begin':
      result = beginCase(loaded.record, ctx);
      break;
    case 'tick':
      result = applyTick(loaded.record, event.phase, ctx);
      break;
    case 'signal':
      result = applySignal(loaded.record, event.phase, event.signal, ctx);
      break;
  }
  try {
    const saved = await store.saveStep(loaded.record, result.record, result.events, {
      key: event.stepKey,
      outcome: result.outcome,
      alerts: result.alerts,
    });
    logger.info({ caseId: event.caseId, op: event.op, outcome: result.outcome, status: saved.status, tier: saved.tier }, 'workflow step');
    countWorkflowAlerts(result.alerts);
    // Counted where each case's workflow begins, once (a retried begin answers above without counting),
    // rather than in intake, whose bundle is on a caller's request path.
    if (event.op === 'begin') countCaseAccepted();
    await notify(saved, [...loaded.timeline, ...numberEvents(loaded.record, result.events)]);
    return answer(event, ctx, planFor(saved, ctx), saved.version, result.alerts, result.outcome);
  } catch (error) {
    if (error instanceof StoreConflict) throw new WorkflowStoreConflict(error.message);
    throw error;
  }
}

export const handler = middy<unknown, WorkflowStepOutput | { stored: true }>().handler(async (raw) => {
  const event = WorkflowEventSchema.parse(raw);
  if (event.op === 'hold-alert') {
    // SNS refused this alert through every retry: the outbox sweeper publishes it later.
    await outboxStore().holdAlert(event.alert, toShanghaiIso(now()), `${event.error}: ${event.cause}`);
    logger.warn({ caseId: event.alert.caseId, type: event.alert.type, error: event.error }, 'alert held for the outbox sweeper');
    return { stored: true };
  }
  if (event.op === 'await') {
    const task = {
      token: event.taskToken,
      phase: event.phase,
      since: new Date(now()).toISOString(),
      // The case's current execution: the case id, or the continuation it waits in now.
      ...(event.executionName ? { execution: event.executionName } : {}),
    };
    if (event.planVersion !== ACCEPTED_VERSION) {
      await caseStore().savePendingTask(event.caseId, task);
      return { stored: true };
    }
    // Intake wrote the case and started its execution with the first plan (functions/commons/workflow.ts):
    // this first wait begins the workflow and tells people about the new case.
    await caseStore().beginAtFirstWait(event.caseId, task);
    countCaseAccepted();
    const found = await caseStore().getCase(event.caseId);
    if (found) await notify(found.record, found.timeline);
    return { stored: true };
  }
  return step(event);
});

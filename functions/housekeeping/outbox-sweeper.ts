import middy from '@middy/core';
import { PublishCommand } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { outboxStore } from '../commons/app';
import { requiredEnv } from '../commons/clients/settings';
import { sns } from '../commons/clients/sns';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';
import { startCaseWorkflow } from '../commons/workflow';
import { toShanghaiIso } from '../domain/calendar';

/*
 * The outbox sweeper, run every minute. Two things can be written to the table and then fail
 * to leave it: a case whose StartExecution failed after intake stored it, and an alert SNS
 * kept refusing after the workflow's retries. Both wait in the table; the sweeper sends them on.
 * Starting a case's execution is idempotent (it is named by the case id), so a sweep that
 * overlaps an intake still in flight starts nothing twice.
 */
export const SweepEventSchema = z._default(
  z.object({
    /** Leave cases younger than this to the intake that is starting them. */
    graceSeconds: z._default(z.number().check(z.int(), z.nonnegative(), z.maximum(86_400)), 60),
    limit: z._default(z.number().check(z.int(), z.positive(), z.maximum(1000)), 200),
  }),
  { graceSeconds: 60, limit: 200 },
);

const STUCK_AFTER_MS = 15 * 60 * 1000;

export interface SweepResult {
  readonly workflowsStarted: string[];
  readonly workflowsFailed: string[];
  readonly alertsPublished: number;
  readonly alertsFailed: number;
}

/** The SNS message of an alert, exactly as the workflow's PublishAlert state builds it. */
export const alertMessage = (topicArn: string, alert: Record<string, unknown>) => ({
  TopicArn: topicArn,
  Message: JSON.stringify(alert),
  MessageAttributes: {
    type: { DataType: 'String', StringValue: String(alert.type) },
    tier: { DataType: 'Number', StringValue: String(alert.tier) },
    // The unit the alert concerns: each unit's SMS, email and webhook subscriptions filter on it.
    ...(typeof alert.unit === 'string' ? { unit: { DataType: 'String', StringValue: alert.unit } } : {}),
    // The case's district and the units told, as the alert carries them (domain/notifications/audience.ts).
    ...(typeof alert.district === 'string' ? { district: { DataType: 'String', StringValue: alert.district } } : {}),
    ...(Array.isArray(alert.audience) ? { audience: { DataType: 'String.Array', StringValue: JSON.stringify(alert.audience) } } : {}),
  },
});

export type PublishAlert = (message: ReturnType<typeof alertMessage>) => Promise<unknown>;

const publishToSns: PublishAlert = (message) => sns().send(new PublishCommand(message));

/** One sweep. `publish` is SNS in AWS; the local stack hands in its local SNS. */
export async function sweepOutbox(options: z.input<typeof SweepEventSchema> = {}, publish: PublishAlert = publishToSns): Promise<SweepResult> {
  const { graceSeconds, limit } = SweepEventSchema.parse(options); // the scheduler's event, or the local stack's options
  const outbox = outboxStore();
  const result = { workflowsStarted: [] as string[], workflowsFailed: [] as string[], alertsPublished: 0, alertsFailed: 0 };

  const cutoff = toShanghaiIso(now() - graceSeconds * 1000);
  for (const waiting of await outbox.casesAwaitingWorkflow(cutoff, limit)) {
    try {
      const outcome = await startCaseWorkflow(waiting.caseId);
      if (Date.parse(waiting.createdAt) < now() - STUCK_AFTER_MS) {
        // Still not begun long after intake: StartExecution answers the same for a running execution that keeps
        // failing its first step and for a new one, and a closed one refuses; either way an operator must look.
        logger.error({ caseId: waiting.caseId, outcome }, 'outbox: the case is still waiting for its workflow to begin it');
        result.workflowsFailed.push(waiting.caseId);
      } else if (outcome === 'started') {
        result.workflowsStarted.push(waiting.caseId);
      }
    } catch (error) {
      // Left in the outbox: the next sweep tries again.
      logger.error({ caseId: waiting.caseId, err: error }, 'outbox: workflow still not started');
      result.workflowsFailed.push(waiting.caseId);
    }
  }

  for (const held of await outbox.heldAlerts(limit)) {
    try {
      await publish(alertMessage(requiredEnv('ALERT_TOPIC_ARN'), held.alert));
      await outbox.releaseAlert(held.key);
      result.alertsPublished += 1;
    } catch (error) {
      logger.error({ caseId: held.alert.caseId, err: error }, 'outbox: alert still not published');
      result.alertsFailed += 1;
      break; // SNS is still refusing; the rest wait for the next sweep, in order.
    }
  }

  if (result.workflowsStarted.length || result.alertsPublished || result.workflowsFailed.length || result.alertsFailed) {
    logger.info(
      { started: result.workflowsStarted.length, startFailed: result.workflowsFailed.length, published: result.alertsPublished, publishFailed: result.alertsFailed },
      'outbox sweep',
    );
  }
  return result satisfies SweepResult;
}

export const handler = middy<unknown, SweepResult>().handler(async (event) => sweepOutbox((event ?? {}) as z.input<typeof SweepEventSchema>));

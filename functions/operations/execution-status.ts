import middy from '@middy/core';
import { PublishCommand } from '@aws-sdk/client-sns';
import { caseStore } from '../commons/app';
import { requiredEnv } from '../commons/clients/settings';
import { sns } from '../commons/clients/sns';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';
import { type Attention, attentionFor, caseIdOf, ExecutionStatusChangeSchema } from './execution-attention';

/*
 * Invoked by EventBridge when a case execution fails, times out or is aborted (infra's
 * operations construct: one rule on the case state machine only). The case gets a
 * WORKFLOW_STOPPED timeline entry, once per execution, and the supervision centre an alert.
 *
 * Idempotent per execution: the entry is written only if the timeline has none for this
 * execution ARN, and the function runs one invocation at a time (reserved concurrency 1), so a
 * redelivered event cannot write twice. The alert is published before the entry is written: if
 * the write fails, the retry publishes again (at least once), never not at all.
 */

const MAX_ATTEMPTS = 5;

export type Publish = (attention: Attention) => Promise<unknown>;

const publishToSns: Publish = ({ alert }) =>
  sns().send(
    new PublishCommand({
      TopicArn: requiredEnv('ALERT_TOPIC_ARN'),
      Message: JSON.stringify(alert),
      MessageAttributes: {
        type: { DataType: 'String', StringValue: alert.type },
        tier: { DataType: 'Number', StringValue: String(alert.tier) },
      },
    }),
  );

export type Outcome = 'recorded' | 'already-recorded' | 'no-such-case';

export async function recordStoppedExecution(raw: unknown, publish: Publish = publishToSns): Promise<Outcome> {
  const change = ExecutionStatusChangeSchema.parse(raw);
  const caseId = caseIdOf(change);
  const store = caseStore();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const loaded = await store.getCase(caseId);
    if (!loaded) {
      logger.error({ caseId, executionArn: change.detail.executionArn, status: change.detail.status }, 'stopped execution names no case');
      return 'no-such-case';
    }
    const attention = attentionFor(change, loaded.record, loaded.timeline, now());
    if (!attention) return 'already-recorded';
    if (attempt === 1) {
      logger.error(
        { caseId, executionArn: change.detail.executionArn, status: change.detail.status, error: change.detail.error },
        'case workflow stopped: the case needs attention',
      );
      await publish(attention);
    }
    // Written only while the case is as read (same unit and status); else read again.
    const written = await store.appendNote(caseId, loaded.record.assignedUnit, [loaded.record.status], attention.event);
    if (written) return 'recorded';
  }
  throw new Error(`Case ${caseId} kept changing while its stopped execution was recorded; EventBridge retries.`);
}

export const handler = middy<unknown, Outcome>().handler((event) => recordStoppedExecution(event));

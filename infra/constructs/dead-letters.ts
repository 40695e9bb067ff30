import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { guardRule } from './guard';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  readonly removalPolicy: RemovalPolicy;
  /** Whose undelivered messages these are, for the description and the cdk-nag acknowledgement. */
  readonly of: string;
}

/**
 * A dead-letter queue for a sender that is not a queue (an EventBridge Scheduler schedule, an
 * EventBridge rule's target, a function's failed asynchronous invocations). Encrypted with SQS's
 * own key (SSE-SQS): the senders are AWS services, which SSE-KMS would need key grants for, and
 * the messages are events (schedule input, execution ARNs), not case data. Kept 14 days; every
 * such queue has a depth alarm (infra/constructs/operations.ts).
 */
export function deadLetterQueue(scope: Construct, id: string, props: DeadLetterQueueProps): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: props.removalPolicy,
  });
  Validations.of(queue).acknowledge({
    id: guardRule('sqs_dlq_check'),
    reason: `This queue is itself a dead-letter queue: it holds what ${props.of} could not deliver; its depth alarms.`,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself a dead-letter queue: it holds what ${props.of} could not deliver, for an operator to read and redrive.`,
  });
  return queue;
}

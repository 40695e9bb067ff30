import { Duration, NestedStack, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { Subscription, SubscriptionFilter, SubscriptionProtocol, type Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import contactsJson from '../../config/contacts.json';
import { loadContacts } from '../../functions/domain/notifications/contacts';
import { guardRule } from './guard';

export interface UnitNotificationsProps {
  readonly topic: Topic;
  /** The key of the alert queues: the subscriptions' dead-letter queue uses it too. */
  readonly queueKey: Key;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The filter policy of one unit's subscriptions: the alerts whose `audience` attribute (a
 * String.Array of the units the alert is for, from the same rules the dispatcher follows:
 * functions/domain/notifications/audience.ts) names the unit. The supervision centre hears its
 * breaches, the originating community an unsatisfied evaluation, the joint conference its call,
 * each unit its own warnings, breaches, urges and escalations; nothing else reaches it.
 */
export function unitFilterPolicy(unit: string): Record<string, SubscriptionFilter> {
  return { audience: SubscriptionFilter.stringFilter({ allowlist: [unit] }) };
}

/**
 * A nested stack of its own: one subscription per address of 67 units would take the main stack
 * past CloudFormation's 500 resources.
 *
 * Each unit's email subscriptions on the alert topic, from config/contacts.json (validated here,
 * so a bad phone, address or webhook stops `cdk synth` naming its unit), each with the unit's
 * filter policy and a dead-letter queue for what SNS could not deliver.
 *
 * Email only, by decision (docs/notifications.md, "Which channel does what"): SMS and webhooks go
 * through the dispatcher, which writes the short templated text, holds non-urgent messages through
 * quiet hours, logs each notification id once and retries and parks webhook calls. An SNS SMS or
 * HTTPS subscription here would tell the same unit a second time, with the alert's raw JSON.
 */
export class UnitNotifications extends NestedStack {
  readonly deadLetters: Queue;
  /** Subscriptions made, per unit (for tests and outputs). */
  readonly subscriptions: Record<string, number> = {};

  constructor(scope: Construct, id: string, props: UnitNotificationsProps) {
    super(scope, id);
    const contacts = loadContacts(contactsJson);

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    for (const id of [guardRule('sqs_dlq_check'), 'AwsSolutions-SQS3']) {
      Validations.of(this.deadLetters).acknowledge({
        id,
        reason: 'This queue is the dead-letter queue of the units\' email subscriptions (SNS redrive policies, not an SQS one).',
      });
    }
    // SNS writes undeliverable messages to the encrypted queue.
    props.queueKey.grant(new ServicePrincipal('sns.amazonaws.com'), 'kms:GenerateDataKey', 'kms:Decrypt');

    for (const unit of contacts.units) {
      const entry = contacts.of(unit)!;
      // Made in this stack (topic.addSubscription would put them beside the topic, in the main stack).
      entry.email.forEach(
        (endpoint, i) =>
          new Subscription(this, `${unit}-email${i}`, {
            topic: props.topic,
            protocol: SubscriptionProtocol.EMAIL,
            endpoint,
            filterPolicy: unitFilterPolicy(unit),
            deadLetterQueue: this.deadLetters,
          }),
      );
      this.subscriptions[unit] = entry.email.length;
    }
  }
}

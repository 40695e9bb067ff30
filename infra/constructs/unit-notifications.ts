import { Duration, NestedStack, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { Subscription, SubscriptionFilter, SubscriptionProtocol, type Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import contactsJson from '../../config/contacts.json';
import { defaultDirectory } from '../../functions/domain/directory';
import { loadContacts } from '../../functions/domain/notifications/contacts';
import { NOTIFICATION_RULES } from '../../functions/domain/notifications/rules';
import { ALERT_TYPES } from '../../functions/domain/workflow';
import { guardRule } from './guard';

export interface UnitNotificationsProps {
  readonly topic: Topic;
  /** The key of the alert queues: the subscriptions' dead-letter queue uses it too. */
  readonly queueKey: Key;
  readonly removalPolicy: RemovalPolicy;
}

const alertTypesFor = (audience: string): string[] =>
  ALERT_TYPES.filter((type) => (NOTIFICATION_RULES[type] ?? []).some((rule) => rule.audience === audience));

/**
 * The filter policy of one unit's subscriptions, from the same rules the dispatcher follows
 * (functions/domain/notifications/rules.ts): the alerts about the unit itself (the `unit`
 * attribute), and for the supervision centre and the joint conference the alert types that go to
 * them whichever unit they concern. Nothing else reaches the unit.
 */
export function unitFilterPolicy(unit: string): Record<string, SubscriptionFilter> {
  const alternatives: Array<Record<string, unknown>> = [{ unit: [unit], type: alertTypesFor('event-unit') }];
  if (unit === defaultDirectory.supervisionCentre().id) alternatives.push({ type: alertTypesFor('supervision-centre') });
  if (unit === defaultDirectory.jointConference().id) alternatives.push({ type: alertTypesFor('joint-conference') });
  if (alternatives.length === 1) {
    const [only] = alternatives;
    return { unit: SubscriptionFilter.stringFilter({ allowlist: [unit] }), type: SubscriptionFilter.stringFilter({ allowlist: only!.type as string[] }) };
  }
  // CDK has no type for $or; the policy is written as SNS reads it (as alert-topic.ts does).
  return { $or: new SubscriptionFilter(alternatives) };
}

/**
 * A nested stack of its own: one subscription per phone, address and webhook of 67 units would
 * take the main stack past CloudFormation's 500 resources.
 *
 * Each unit's own subscriptions on the alert topic, from config/contacts.json (validated here, so
 * a bad phone, address or webhook stops `cdk synth` naming its unit): an SMS subscription per
 * duty phone, an email subscription per address and an HTTPS subscription for its webhook, each
 * with the unit's filter policy and a dead-letter queue for what SNS could not deliver.
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
        reason: 'This queue is the dead-letter queue of the units\' SMS, email and webhook subscriptions (SNS redrive policies, not an SQS one).',
      });
    }
    // SNS writes undeliverable messages to the encrypted queue.
    props.queueKey.grant(new ServicePrincipal('sns.amazonaws.com'), 'kms:GenerateDataKey', 'kms:Decrypt');

    for (const unit of contacts.units) {
      const entry = contacts.of(unit)!;
      // Made in this stack (topic.addSubscription would put them beside the topic, in the main stack).
      const subscribe = (name: string, protocol: SubscriptionProtocol, endpoint: string) =>
        new Subscription(this, `${unit}-${name}`, { topic: props.topic, protocol, endpoint, filterPolicy: unitFilterPolicy(unit), deadLetterQueue: this.deadLetters });
      entry.sms.forEach((phone, i) => subscribe(`sms${i}`, SubscriptionProtocol.SMS, phone.startsWith('+') ? phone : `+86${phone}`));
      entry.email.forEach((address, i) => subscribe(`email${i}`, SubscriptionProtocol.EMAIL, address));
      if (entry.webhook) subscribe('webhook', SubscriptionProtocol.HTTPS, entry.webhook);
      this.subscriptions[unit] = entry.sms.length + entry.email.length + (entry.webhook ? 1 : 0);
    }
  }
}

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { guardRule } from './guard';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import { acknowledgeKeyPolicy } from './encryption';

export interface AlertTopicProps {
  readonly removalPolicy: RemovalPolicy;
  /** The supervision centre's mailbox; every alert is also mailed there when set. */
  readonly supervisionEmail?: string;
}

/**
 * City leadership hears only what needs it: a joint conference, or anything at the city
 * office tier or above. Filters read the message attributes `type` (String) and `tier`
 * (Number) that every alert carries.
 */
const CITY_LEADERSHIP_FILTER = {
  $or: new SubscriptionFilter([{ type: ['CONFERENCE_REQUIRED'] }, { tier: [{ numeric: ['>=', 2] }] }]),
};

/**
 * The alert topic and its example subscribers: the supervision centre receives every
 * alert, city leadership a filtered share. Subscribers are queues, so an office system can
 * pull alerts at its own pace and nothing is lost while it is down.
 */
export class AlertTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  /** Separate from the topic's key: its policy names the topic, which names its own key. */
  readonly queueKey: Key;
  readonly supervisionCentreQueue: Queue;
  readonly cityLeadershipQueue: Queue;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: 'Encrypts linked-resolution alerts on the topic',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.queueKey = new Key(this, 'QueueKey', {
      description: 'Encrypts the queues that receive linked-resolution alerts',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });

    acknowledgeKeyPolicy(this.key);
    acknowledgeKeyPolicy(this.queueKey);

    this.topic = new Topic(this, 'Topic', {
      displayName: 'Linked resolution alerts',
      masterKey: this.key,
      enforceSSL: true,
    });

    this.supervisionCentreQueue = this.subscriberQueue('SupervisionCentre', props.removalPolicy);
    this.topic.addSubscription(new SqsSubscription(this.supervisionCentreQueue));

    this.cityLeadershipQueue = this.subscriberQueue('CityLeadership', props.removalPolicy);
    this.topic.addSubscription(new SqsSubscription(this.cityLeadershipQueue, { filterPolicy: CITY_LEADERSHIP_FILTER }));

    if (props.supervisionEmail) {
      this.topic.addSubscription(new EmailSubscription(props.supervisionEmail));
    }
  }

  /** Publishing to a topic under a customer managed key needs the key as well. */
  grantPublish(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.key.keyArn] }),
    );
  }

  private subscriberQueue(name: string, removalPolicy: RemovalPolicy): Queue {
    const deadLetters = new Queue(this, `${name}DeadLetters`, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(deadLetters).acknowledge({
      id: guardRule('sqs_dlq_check'),
      reason: `This queue is the dead-letter queue of the ${name} queue; its depth alarms (infra/constructs/operations.ts).`,
    });
    return new Queue(this, `${name}Queue`, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
      removalPolicy,
    });
  }
}

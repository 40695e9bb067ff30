import { Match } from 'aws-cdk-lib/assertions';
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/store/table-design';
import { type Synthesized, synthesize } from './synth';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});
afterAll(() => synthesized?.dispose());

describe('the case table', () => {
  const table = () => {
    const tables = synthesized.template.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(1);
    return Object.values(tables)[0];
  };

  test('has the keys of table-design.ts', () => {
    expect(table().Properties.KeySchema).toEqual([
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
  });

  test('has exactly the indexes of table-design.ts, each projecting everything', () => {
    const indexes = table().Properties.GlobalSecondaryIndexes as Array<Record<string, unknown>>;
    const expected = Object.values(INDEXES).map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }));
    const byName = (a: { IndexName?: unknown }, b: { IndexName?: unknown }) =>
      String(a.IndexName).localeCompare(String(b.IndexName));
    expect([...indexes].sort(byName)).toEqual([...expected].sort(byName));
  });

  test('declares every key attribute as a string', () => {
    const keyNames = [
      TABLE_KEYS.partitionKey,
      TABLE_KEYS.sortKey,
      ...Object.values(INDEXES).flatMap((index) => [index.partitionKey, index.sortKey]),
    ];
    expect(table().Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(table().Properties.AttributeDefinitions).toHaveLength(new Set(keyNames).size);
  });

  test('is on demand, with point-in-time recovery, TTL and its own rotating KMS key', () => {
    const keyId = synthesized.logicalId(synthesized.stack.table.key);
    expect(table().Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
    expect(synthesized.template.toJSON().Resources[keyId].Properties.EnableKeyRotation).toBe(true);
  });
});

describe('the alert topic', () => {
  const topicId = () => synthesized.logicalId(synthesized.stack.alerts.topic);
  const subscriptions = () => Object.values(synthesized.template.findResources('AWS::SNS::Subscription'));
  const subscriptionTo = (queueId: string) => {
    const matching = subscriptions().filter(
      (subscription) =>
        JSON.stringify(subscription.Properties.Endpoint) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
    );
    expect(matching).toHaveLength(1);
    return matching[0].Properties;
  };

  test('is encrypted with a customer managed key that rotates', () => {
    const keyId = synthesized.logicalId(synthesized.stack.alerts.key);
    const topic = synthesized.template.toJSON().Resources[topicId()];
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(synthesized.template.toJSON().Resources[keyId].Properties.EnableKeyRotation).toBe(true);
  });

  test('refuses publishing without TLS', () => {
    synthesized.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('sends everything to the supervision centre', () => {
    const subscription = subscriptionTo(synthesized.logicalId(synthesized.stack.alerts.supervisionCentreQueue));
    expect(subscription.TopicArn).toEqual({ Ref: topicId() });
    expect(subscription.Protocol).toBe('sqs');
    expect(subscription.FilterPolicy).toBeUndefined();
    expect(subscription.FilterPolicyScope).toBeUndefined();
  });

  test('sends city leadership conference requests and alerts at tier 2 and above', () => {
    const subscription = subscriptionTo(synthesized.logicalId(synthesized.stack.alerts.cityLeadershipQueue));
    expect(subscription.TopicArn).toEqual({ Ref: topicId() });
    // Filters on message attributes (the default scope), not on the body.
    expect(subscription.FilterPolicyScope ?? 'MessageAttributes').toBe('MessageAttributes');
    expect(subscription.FilterPolicy).toEqual({
      $or: [{ type: ['CONFERENCE_REQUIRED'] }, { tier: [{ numeric: ['>=', 2] }] }],
    });
  });

  test('mails nobody unless the context names an address', () => {
    expect(subscriptions().filter((subscription) => subscription.Properties.Protocol === 'email')).toEqual([]);
  });

  test('delivers into encrypted queues that refuse plain HTTP and keep failures in a dead-letter queue', () => {
    for (const queue of [synthesized.stack.alerts.supervisionCentreQueue, synthesized.stack.alerts.cityLeadershipQueue]) {
      const queueId = synthesized.logicalId(queue);
      const properties = synthesized.template.toJSON().Resources[queueId].Properties;
      expect(properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.alerts.queueKey), 'Arn'],
      });
      expect(properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        maxReceiveCount: 5,
      });
      synthesized.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

import validateAsl from 'asl-validator';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import {
  readReportWorkflowDefinition,
  reportWorkflowSubstitutions,
  substitute,
} from '../../statemachines/definitions';
import { REPORT_SCHEDULE, SCALE_DOWN, SCALE_UP, SEGMENT_ALIAS } from '../../infra/constructs/monthly-report';
import { actionsOf, statementsOfRole, type Synthesized, synthesize } from './synth';

/*
 * The monthly assessment job in the CDK app: the schedule (01:00 on the 1st, Asia/Shanghai),
 * the report state machine built from statemachines/report.asl.json, the reports bucket, and
 * the scheduled scaling of the segment reader's provisioned concurrency around the run.
 */
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});
afterAll(() => synthesized?.dispose());

const report = () => synthesized.stack.monthlyReport;
const id = (construct: Parameters<Synthesized['logicalId']>[0]) => synthesized.logicalId(construct);
const resources = () => synthesized.template.toJSON().Resources as Record<string, { Type: string; Properties: any; DeletionPolicy?: string }>;
const ofType = (type: string) => Object.entries(resources()).filter(([, resource]) => resource.Type === type);

/** `cron(m h d …)` → minutes after midnight on day d. */
function minutesOf(cron: string): { day: string; minutes: number } {
  const [minute, hour, day] = /^cron\((.*)\)$/.exec(cron)![1].split(' ');
  return { day, minutes: Number(hour) * 60 + Number(minute) };
}

describe('the schedule', () => {
  test('starts the report state machine at 01:00 on the 1st of every month, Asia/Shanghai', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').filter(([, schedule]) => schedule.Properties.Target.Arn.Ref === id(report().stateMachine));
    expect(schedules).toHaveLength(1);
    const [, schedule] = schedules[0];
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 1 1 * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { Ref: id(report().stateMachine) },
        RoleArn: { 'Fn::GetAtt': [id(report().schedulerRole), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      },
    });
    expect(REPORT_SCHEDULE).toEqual({ expression: 'cron(0 1 1 * ? *)', timeZone: 'Asia/Shanghai' });
    // The run reports the month before the scheduled time, whenever it is delivered.
    expect(JSON.parse(schedule.Properties.Target.Input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
  });

  test('uses a role that only the scheduler assumes and that may start only the report state machine', () => {
    const role = resources()[id(report().schedulerRole)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Effect: 'Allow' }),
    ]);
    const statements = role.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: id(report().stateMachine) } },
      // The execution's input is encrypted with the state machines' key, in this machine's context only.
      {
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [id(synthesized.stack.keys.workflows), 'Arn'] },
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': { Ref: id(report().stateMachine) } } },
      },
    ]);
    // Beside it: a start it could not deliver goes to the schedule's dead-letter queue (the missed-start alarm's queue).
    expect(statementsOfRole(synthesized.template, id(report().schedulerRole))).toEqual([
      {
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [id(report().scheduleDeadLetters), 'Arn'] },
      },
    ]);
  });
});

describe('the report state machine', () => {
  const machine = () => resources()[id(report().stateMachine)].Properties;

  test('is a STANDARD machine with logging, X-Ray and a time limit', () => {
    expect(machine()).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
    expect(JSON.parse(readReportWorkflowDefinition()).TimeoutSeconds).toBe(3600);
  });

  test('runs statemachines/report.asl.json with the functions, the segment alias and the alert topic', () => {
    const substitutions = machine().DefinitionSubstitutions;
    expect(substitutions).toEqual({
      PlanFunctionArn: { 'Fn::GetAtt': [id(report().planFunction.function), 'Arn'] },
      SegmentFunctionArn: { Ref: id(report().segmentAlias) },
      WriterFunctionArn: { 'Fn::GetAtt': [id(report().writerFunction.function), 'Arn'] },
      AlertTopicArn: { Ref: id(synthesized.stack.alerts.topic) },
      // Service integrations are in the stack's partition (aws, aws-cn): no arn:aws: literal in the file.
      Partition: { Ref: 'AWS::Partition' },
    });
    expect(readReportWorkflowDefinition()).not.toContain('arn:aws:');
    // The very file, placeholders and all: Step Functions fills them from the substitutions.
    expect(machine().DefinitionString).toBe(readReportWorkflowDefinition());
  });

  test('may invoke only its three functions (the reader by its alias) and publish only to the alert topic', () => {
    const roleId = machine().RoleArn['Fn::GetAtt'][0] as string;
    const statements = statementsOfRole(synthesized.template, roleId);
    const invoke = statements.filter((statement) => actionsOf([statement]).includes('lambda:InvokeFunction'));
    const invoked = invoke.flatMap((statement) => [statement.Resource].flat());
    expect(invoked).toHaveLength(3);
    expect(invoked).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [id(report().planFunction.function), 'Arn'] },
        { Ref: id(report().segmentAlias) },
        { 'Fn::GetAtt': [id(report().writerFunction.function), 'Arn'] },
      ]),
    );
    const publish = statements.filter((statement) => actionsOf([statement]).includes('sns:Publish'));
    expect(publish.map((statement) => statement.Resource)).toEqual([{ Ref: id(synthesized.stack.alerts.topic) }]);
    expect(actionsOf(statements).filter((action) => action.startsWith('dynamodb:') || action.startsWith('s3:'))).toEqual([]);
  });

  describe('its definition', () => {
    const definition = () =>
      JSON.parse(
        substitute(
          readReportWorkflowDefinition(),
          reportWorkflowSubstitutions({
            planFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:plan',
            segmentFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:segment:live',
            writerFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:writer',
            alertTopicArn: 'arn:aws:sns:cn-north-1:123456789012:alerts',
          }),
        ),
      );

    test('is valid Amazon States Language and names exactly the placeholders definitions.ts fills', () => {
      const result = validateAsl(definition());
      expect(result.errorsText?.('\n') ?? '').toBe('');
      const used = new Set([...readReportWorkflowDefinition().matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
      expect([...used].sort()).toEqual(Object.keys(reportWorkflowSubstitutions({ planFunctionArn: '', segmentFunctionArn: '', writerFunctionArn: '', alertTopicArn: '' })).sort());
    });

    test('plans, reads the segments in a parallel Map (no single-function scan), writes, publishes', () => {
      const { StartAt, States } = definition();
      expect(StartAt).toBe('PlanSegments');
      expect([States.PlanSegments.Next, States.ReadSegments.Next, States.WriteReport.Next, States.PublishSummary.Next]).toEqual([
        'ReadSegments',
        'WriteReport',
        'PublishSummary',
        'Published',
      ]);
      const map = States.ReadSegments;
      expect(map).toMatchObject({ Type: 'Map', ItemsPath: '$.plan.segments', MaxConcurrency: report().provisionedConcurrency });
      const reader = map.ItemProcessor.States.ReadSegment;
      expect(reader.Parameters.FunctionName).toBe('arn:aws:lambda:cn-north-1:123456789012:function:segment:live');
      expect(reader.Retry[0].ErrorEquals).toEqual(['States.ALL']);
      expect(States.PublishSummary).toMatchObject({
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: {
          TopicArn: 'arn:aws:sns:cn-north-1:123456789012:alerts',
          MessageAttributes: { type: { DataType: 'String', StringValue: 'REPORT_PUBLISHED' }, tier: { DataType: 'Number', StringValue: '0' } },
        },
      });
    });
  });
});

describe('the reports bucket', () => {
  const bucket = () => resources()[id(report().bucket)];

  test('is encrypted, versioned, private, logged, with lifecycle rules, and kept with the stack', () => {
    expect(bucket().Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: id(report().accessLogs) }, LogFilePrefix: 'reports/' },
      LifecycleConfiguration: {
        Rules: expect.arrayContaining([
          expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 365 }, Status: 'Enabled' }),
          expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
        ]),
      },
    });
    expect(bucket().DeletionPolicy).toBe('Retain');
  });

  test('refuses requests without TLS', () => {
    synthesized.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id(report().bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('is written by the writer only, under monthly/', () => {
    const writer = report().writerFunction;
    const statements = statementsOfRole(synthesized.template, id(writer.role));
    const puts = statements.filter((statement) => actionsOf([statement]).some((action) => action.startsWith('s3:')));
    expect(puts).toEqual([
      expect.objectContaining({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(report().bucket), 'Arn'] }, '/monthly/*']] } }),
    ]);
    expect(resources()[id(writer.function)].Properties.Environment.Variables).toMatchObject({ REPORT_BUCKET: { Ref: id(report().bucket) } });
    for (const fn of [report().planFunction, report().segmentFunction]) {
      expect(actionsOf(statementsOfRole(synthesized.template, id(fn.role))).filter((action) => action.startsWith('s3:'))).toEqual([]);
    }
  });
});

describe('scheduled scaling of the segment reader', () => {
  const target = () => {
    const targets = ofType('AWS::ApplicationAutoScaling::ScalableTarget');
    expect(targets).toHaveLength(1);
    return targets[0][1].Properties;
  };

  test('targets the provisioned concurrency of the alias the state machine invokes', () => {
    const fnId = id(report().segmentFunction.function);
    expect(target()).toMatchObject({
      ServiceNamespace: 'lambda',
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      MinCapacity: 0,
      MaxCapacity: report().provisionedConcurrency,
    });
    // function:<name>:live, the name taken from the alias's ARN.
    expect(target().ResourceId).toEqual({
      'Fn::Join': ['', ['function:', { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: id(report().segmentAlias) }] }] }, `:${SEGMENT_ALIAS}`]],
    });
    const alias = resources()[id(report().segmentAlias)].Properties;
    expect(alias).toMatchObject({ Name: SEGMENT_ALIAS, FunctionName: { Ref: fnId } });
  });

  test('raises capacity at 00:50 and lowers it to nothing at 02:00 on the 1st, Asia/Shanghai: around the 01:00 run', () => {
    const actions = target().ScheduledActions as Array<{ Schedule: string; Timezone: string; ScalableTargetAction: { MinCapacity: number; MaxCapacity: number } }>;
    expect(actions).toHaveLength(2);
    const [up, down] = [...actions].sort((a, b) => minutesOf(a.Schedule).minutes - minutesOf(b.Schedule).minutes);
    expect(up).toMatchObject({
      Schedule: 'cron(50 0 1 * ? *)',
      Timezone: 'Asia/Shanghai',
      ScalableTargetAction: { MinCapacity: report().provisionedConcurrency, MaxCapacity: report().provisionedConcurrency },
    });
    expect(down).toMatchObject({ Schedule: 'cron(0 2 1 * ? *)', Timezone: 'Asia/Shanghai', ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 0 } });
    const run = minutesOf(REPORT_SCHEDULE.expression);
    expect([minutesOf(up.Schedule).day, minutesOf(down.Schedule).day, run.day]).toEqual(['1', '1', '1']);
    expect(minutesOf(up.Schedule).minutes).toBeLessThan(run.minutes);
    expect(minutesOf(down.Schedule).minutes).toBeGreaterThan(run.minutes);
    expect([SCALE_UP, SCALE_DOWN]).toEqual([{ minute: '50', hour: '0', day: '1' }, { minute: '0', hour: '2', day: '1' }]);
  });

  test('uses the Lambda provisioned-concurrency service-linked role', () => {
    expect(JSON.stringify(target().RoleARN)).toContain('AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency');
  });
});

describe('the report functions', () => {
  test('read the table (and write report items), with time for a large segment', () => {
    const segment = resources()[id(report().segmentFunction.function)].Properties;
    expect(segment).toMatchObject({ Timeout: 300, MemorySize: 1024, Environment: { Variables: { CASES_TABLE: { Ref: id(synthesized.stack.table.table) } } } });
    const actions = actionsOf(statementsOfRole(synthesized.template, synthesized.stack.getLogicalId(report().segmentFunction.role.node.defaultChild as CfnRole)));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem']));
  });
});

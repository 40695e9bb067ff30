import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROUTES, THROTTLES } from '../../functions/api/routes';
import { BUSINESS_METRICS } from '../../functions/commons/metrics';
import { ALARMS, CALENDAR_CHECK_SCHEDULE, STUCK_CASE_LOG_MESSAGE, STUCK_CASES_METRIC } from '../../infra/constructs/operations';
import { WORKFLOW_RESERVED_CONCURRENCY } from '../../infra/constructs/case-workflow';
import { routeKey } from '../../infra/constructs/http-api';
import { actionsOf, statementsOfRole, type Synthesized, synthesize } from './synth';

/*
 * Operating the stack: every alarm goes to the operations topic, one dashboard shows them, a
 * stopped case execution is recorded and alerted, and least privilege is what the template says.
 */
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});
afterAll(() => synthesized?.dispose());

type Resource = { Type: string; Properties: any; DependsOn?: string[] };
const id = (construct: Parameters<Synthesized['logicalId']>[0]) => synthesized.logicalId(construct);
// The alarms and the dashboard are in a nested stack of their own (infra/constructs/operations.ts): read with the main stack's.
const resources = () =>
  ({ ...synthesized.template.toJSON().Resources, ...synthesized.nestedResources(synthesized.stack.operations.alarmsStack) }) as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources()).filter(([, resource]) => resource.Type === type);
const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
const alarmNamed = (name: string) => {
  const found = alarms().filter((alarm) => alarm.AlarmName === `LinkedResolution-dev-${name}`);
  expect(found).toHaveLength(1);
  return found[0];
};
const operations = () => synthesized.stack.operations;
const topicRef = () => ({ Ref: id(operations().topic) });

describe('the operations topic', () => {
  test('is encrypted with its own key and refuses anything but TLS', () => {
    const topic = resources()[id(operations().topic)].Properties;
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [id(operations().key), 'Arn'] });
    const policy = ofType('AWS::SNS::TopicPolicy').find(([, p]) => JSON.stringify(p.Properties.Topics) === JSON.stringify([topicRef()]))![1];
    expect(policy.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
      ]),
    );
  });

  test('lets CloudWatch use its key, for this account only', () => {
    const key = resources()[id(operations().key)].Properties;
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      ]),
    );
  });

  test('receives every alarm of the stack, and its return to OK', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([topicRef()]);
      expect(alarm.OKActions).toEqual([topicRef()]);
      expect(alarm.AlarmDescription).toContain('docs/operations.md#');
    }
  });

  test('every alarm links to its section of docs/operations.md', () => {
    const runbook = readFileSync(path.join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
    const headings = new Set([...runbook.matchAll(/^### (\S+)$/gm)].map((m) => m[1].toLowerCase()));
    const anchors = new Set(alarms().map((alarm) => /docs\/operations\.md#(\S+)$/.exec(alarm.AlarmDescription)![1]));
    for (const name of Object.values(ALARMS)) expect(anchors).toContain(name.toLowerCase());
    for (const anchor of anchors) expect(headings).toContain(anchor);
  });

  test('is apart from the alert topic, which carries case alerts to the supervision centre', () => {
    expect(id(operations().topic)).not.toBe(id(synthesized.stack.alerts.topic));
  });
});

describe('alarms', () => {
  const machine = () => ({ Ref: id(synthesized.stack.workflow.stateMachine) });

  test.each([
    [ALARMS.caseExecutionsFailed, 'ExecutionsFailed'],
    [ALARMS.caseExecutionsTimedOut, 'ExecutionsTimedOut'],
    [ALARMS.caseExecutionsAborted, 'ExecutionsAborted'],
  ])('%s watches the case state machine’s %s', (name, metric) => {
    expect(alarmNamed(name)).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: metric,
      Dimensions: [{ Name: 'StateMachineArn', Value: machine() }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('MonthlyReportFailed adds failed, timed-out and aborted runs of the report state machine', () => {
    const alarm = alarmNamed(ALARMS.reportRunFailed);
    const expression = alarm.Metrics.find((m: any) => m.Expression);
    expect(expression.Expression).toBe('failed + timedOut + aborted');
    const watched = alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions]);
    const report = { Ref: id(synthesized.stack.monthlyReport.stateMachine) };
    expect(watched).toEqual(
      expect.arrayContaining([
        ['failed', 'ExecutionsFailed', [{ Name: 'StateMachineArn', Value: report }]],
        ['timedOut', 'ExecutionsTimedOut', [{ Name: 'StateMachineArn', Value: report }]],
        ['aborted', 'ExecutionsAborted', [{ Name: 'StateMachineArn', Value: report }]],
      ]),
    );
  });

  test('MonthlyReportStartMissed watches the report schedule’s dead-letter queue, which the schedule sends to', () => {
    const report = synthesized.stack.monthlyReport;
    expect(alarmNamed(ALARMS.reportStartMissed)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(report.scheduleDeadLetters), 'QueueName'] } }],
      Threshold: 1,
    });
    expect(resources()[id(report.schedule)].Properties.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [id(report.scheduleDeadLetters), 'Arn'] } });
  });

  test('MonthlyReportScalingFailed fires when segment reads ran while none ran on provisioned concurrency', () => {
    const alarm = alarmNamed(ALARMS.reportRanCold);
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe('IF(FILL(provisioned, 0) == 0, FILL(invocations, 0), 0)');
    const names = alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName).sort();
    expect(names).toEqual(['Invocations', 'ProvisionedConcurrencyInvocations']);
    for (const metric of alarm.Metrics.filter((m: any) => m.MetricStat)) {
      expect(metric.MetricStat.Metric.Dimensions).toEqual(
        expect.arrayContaining([expect.objectContaining({ Name: 'Resource' }), expect.objectContaining({ Name: 'FunctionName' })]),
      );
    }
  });

  test('every dead-letter queue of the stack has a depth alarm, and every other queue has a dead-letter queue', () => {
    const queues = ofType('AWS::SQS::Queue');
    const deadLetters = queues.filter(([, queue]) => queue.Properties.RedrivePolicy === undefined);
    expect(deadLetters.length).toBeGreaterThanOrEqual(7);
    // The units' email subscriptions have their dead-letter queue in their nested stack: its name is an output of that stack.
    const nested = synthesized.stack.unitNotifications;
    const nestedId = synthesized.stack.getLogicalId(nested.nestedStackResource as CfnElement);
    const nestedDeadLetters = Object.entries(Template.fromStack(nested).findResources('AWS::SQS::Queue'))
      .filter(([, queue]) => queue.Properties.RedrivePolicy === undefined)
      .map(([logicalId]) => logicalId);
    expect(nestedDeadLetters).toHaveLength(1);
    const watched = alarms()
      .filter((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map((alarm) => {
        const [resource, attribute] = alarm.Dimensions[0].Value['Fn::GetAtt'];
        // The output is named after the queue's path: …UnitNotificationsDeadLetters…QueueName.
        return resource === nestedId && /UnitNotificationsDeadLetters.*QueueName$/.test(attribute) ? nestedDeadLetters[0] : resource;
      });
    expect(watched.sort()).toEqual([...deadLetters.map(([logicalId]) => logicalId), ...nestedDeadLetters].sort());
    for (const [, queue] of queues.filter(([, q]) => q.Properties.RedrivePolicy !== undefined)) {
      const target = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
      expect(deadLetters.map(([logicalId]) => logicalId)).toContain(target);
    }
  });

  test('every schedule sends what it cannot deliver to a dead-letter queue', () => {
    for (const [, schedule] of ofType('AWS::Scheduler::Schedule')) {
      expect(schedule.Properties.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
    }
  });

  test('every function has an errors alarm and a throttles alarm', () => {
    const functions = ofType('AWS::Lambda::Function').map(([logicalId]) => logicalId).sort();
    const watching = (metricName: string) =>
      alarms()
        .filter((alarm) => alarm.Namespace === 'AWS/Lambda' && alarm.MetricName === metricName)
        .map((alarm) => alarm.Dimensions.find((d: any) => d.Name === 'FunctionName').Value.Ref)
        .sort();
    expect(watching('Errors')).toEqual(functions);
    expect(watching('Throttles')).toEqual(functions);
  });

  test('Api5xx and ApiLatencyP99 watch the HTTP API', () => {
    const api = { Name: 'ApiId', Value: { Ref: id(synthesized.stack.httpApi.api) } };
    expect(alarmNamed(ALARMS.api5xx)).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [api], Statistic: 'Sum' });
    expect(alarmNamed(ALARMS.apiLatencyP99)).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: [api],
      ExtendedStatistic: 'p99',
      Threshold: 3000,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  test('StuckCases counts the sweeper’s stuck-case log lines, whose text is the sweeper’s own', () => {
    const sweeperSource = readFileSync(path.join(__dirname, '..', '..', 'functions', 'housekeeping', 'outbox-sweeper.ts'), 'utf8');
    expect(sweeperSource).toContain(`'${STUCK_CASE_LOG_MESSAGE}'`);
    const [[, filter]] = ofType('AWS::Logs::MetricFilter');
    expect(filter.Properties).toEqual({
      LogGroupName: { Ref: id(synthesized.stack.outboxSweeper.function.logGroup) },
      FilterPattern: `{ $.msg = "${STUCK_CASE_LOG_MESSAGE}" }`,
      MetricTransformations: [{ MetricNamespace: 'LinkedResolution/LinkedResolution-dev', MetricName: STUCK_CASES_METRIC, MetricValue: '1' }],
    });
    expect(alarmNamed(ALARMS.stuckCases)).toMatchObject({ Namespace: 'LinkedResolution/LinkedResolution-dev', MetricName: STUCK_CASES_METRIC, Threshold: 1 });
  });

  test('CalendarMissing watches the daily calendar check’s metric, and the check runs every day', () => {
    expect(alarmNamed(ALARMS.calendarMissing)).toMatchObject({
      Namespace: 'LinkedResolution',
      MetricName: BUSINESS_METRICS.calendarYearsMissing,
      Dimensions: [{ Name: 'service', Value: 'LinkedResolution-dev' }],
      Statistic: 'Maximum',
      Period: 86400,
      Threshold: 1,
    });
    const schedule = resources()[id(operations().calendarCheck.schedule)].Properties;
    expect(schedule).toMatchObject({ ScheduleExpression: CALENDAR_CHECK_SCHEDULE.expression, ScheduleExpressionTimezone: 'Asia/Shanghai', State: 'ENABLED' });
  });
});

describe('a case execution that stops', () => {
  test('is matched by one rule, on the case state machine only, for failed, timed-out and aborted executions', () => {
    const rule = resources()[id(operations().statusRule)].Properties;
    expect(rule.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: id(synthesized.stack.workflow.stateMachine) }] },
    });
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [id(operations().statusFunction.function), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(operations().statusDeadLetters), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86400 },
      }),
    ]);
  });

  test('invokes a function that runs one at a time, writes the case and publishes to the alert topic', () => {
    const fn = resources()[id(operations().statusFunction.function)].Properties;
    expect(fn.ReservedConcurrentExecutions).toBe(1);
    expect(fn.Environment.Variables).toMatchObject({
      CASES_TABLE: { Ref: id(synthesized.stack.table.table) },
      ALERT_TOPIC_ARN: { Ref: id(synthesized.stack.alerts.topic) },
    });
    const actions = actionsOf(statementsOfRole(synthesized.template, id(operations().statusFunction.role)));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'sns:Publish', 'sqs:SendMessage']));
    expect(actions.filter((action) => action.startsWith('states:'))).toEqual([]);
    synthesized.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id(operations().statusFunction.function) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [id(operations().statusDeadLetters), 'Arn'] } } },
    });
  });
});

describe('the dashboard', () => {
  const body = () => {
    const [[, dashboard]] = ofType('AWS::CloudWatch::Dashboard');
    return JSON.stringify(dashboard.Properties.DashboardBody);
  };

  test('is named for the stack', () => {
    Template.fromStack(synthesized.stack.operations.alarmsStack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'LinkedResolution-dev-operations' });
  });

  test.each([
    ['business metrics', [BUSINESS_METRICS.casesAccepted, BUSINESS_METRICS.breaches, BUSINESS_METRICS.escalations]],
    ['case and report executions', ['ExecutionsStarted', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionsSucceeded']],
    ['the API', ['5xx', '4xx', 'Latency', 'p99']],
    ['functions and queues', ['Errors', 'Throttles', 'ApproximateNumberOfMessagesVisible', 'ConcurrentExecutions']],
    ['stuck cases and calendars', [STUCK_CASES_METRIC, BUSINESS_METRICS.calendarYearsMissing]],
  ])('shows %s', (_what, metrics) => {
    for (const metric of metrics) expect(body()).toContain(metric);
  });

  test('shows the state of every alarm', () => {
    const text = body();
    expect(text).toContain('"type\\":\\"alarm\\"');
    for (const [logicalId] of ofType('AWS::CloudWatch::Alarm')) expect(text).toContain(logicalId);
  });
});

describe('least privilege', () => {
  const healthRole = () => synthesized.stack.httpApi.functions.get('GET /health')!.role;

  test('the public /health role may describe the table and the state machine, and nothing else', () => {
    const statements = statementsOfRole(synthesized.template, id(healthRole())).filter(
      (statement) => !actionsOf([statement]).some((action) => /^(logs|xray):/.test(action)),
    );
    expect(statements).toEqual([
      { Action: 'dynamodb:DescribeTable', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(synthesized.stack.table.table), 'Arn'] } },
      { Action: 'states:DescribeStateMachine', Effect: 'Allow', Resource: { Ref: id(synthesized.stack.workflow.stateMachine) } },
    ]);
  });

  test('no role may Scan the table or its indexes', () => {
    const policies = Object.values(synthesized.template.findResources('AWS::IAM::Policy'));
    const actions = policies.flatMap((policy) => actionsOf(policy.Properties.PolicyDocument.Statement));
    expect(actions).toContain('dynamodb:Query');
    expect(actions).not.toContain('dynamodb:Scan');
  });

  test('no function calls Scan', () => {
    const { execSync } = require('node:child_process') as typeof import('node:child_process');
    const found = execSync('grep -rlE "ScanCommand|\\.scan\\(" functions || true', { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
    expect(found.trim()).toBe('');
  });

  test('public routes have their own throttle, apart from the stage default that signed-in routes share', () => {
    const stage = resources()[id(synthesized.stack.httpApi.stage)];
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: THROTTLES.signedIn.rateLimit,
      ThrottlingBurstLimit: THROTTLES.signedIn.burstLimit,
    });
    const publicKeys = ROUTES.filter((route) => route.public).map(routeKey);
    expect(publicKeys).toContain('GET /health');
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual([...publicKeys].sort());
    for (const key of publicKeys) {
      expect(stage.Properties.RouteSettings[key]).toEqual({
        ThrottlingRateLimit: THROTTLES.public.rateLimit,
        ThrottlingBurstLimit: THROTTLES.public.burstLimit,
      });
    }
    expect(THROTTLES.public.rateLimit).toBeLessThan(THROTTLES.signedIn.rateLimit);
    // The routes the settings name exist before the stage is deployed.
    const routeIds = ofType('AWS::ApiGatewayV2::Route')
      .filter(([, route]) => publicKeys.includes(route.Properties.RouteKey))
      .map(([logicalId]) => logicalId);
    expect(routeIds).toHaveLength(publicKeys.length);
    expect(stage.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  test('the workflow function has reserved concurrency', () => {
    const fn = resources()[id(synthesized.stack.workflow.taskFunction.function)].Properties;
    expect(fn.ReservedConcurrentExecutions).toBe(WORKFLOW_RESERVED_CONCURRENCY);
  });

  test('both state machines are encrypted with the customer managed state machine key', () => {
    const key = { 'Fn::GetAtt': [id(synthesized.stack.keys.workflows), 'Arn'] };
    for (const machine of [synthesized.stack.workflow.stateMachine, synthesized.stack.monthlyReport.stateMachine]) {
      expect(resources()[id(machine)].Properties.EncryptionConfiguration).toEqual({
        Type: 'CUSTOMER_MANAGED_KMS_KEY',
        KmsKeyId: key,
        KmsDataKeyReusePeriodSeconds: 300,
      });
    }
    expect(resources()[id(synthesized.stack.keys.workflows)].Properties.EnableKeyRotation).toBe(true);
  });

  test('starting, answering and reading case executions are granted the key in the machine’s context only', () => {
    const createCase = synthesized.stack.httpApi.functions.get('POST /v1/cases')!.role;
    const statements = statementsOfRole(synthesized.template, id(createCase)).filter((s) =>
      JSON.stringify(s.Resource).includes(id(synthesized.stack.keys.workflows)),
    );
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': { Ref: id(synthesized.stack.workflow.stateMachine) } } },
      }),
    ]);
  });

  test('every log group is encrypted with the customer managed log key, which CloudWatch Logs may use for this account’s log groups', () => {
    const logKey = id(synthesized.stack.keys.logs);
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(30);
    for (const [, group] of groups) expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logKey, 'Arn'] });
    const key = resources()[logKey].Properties;
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } },
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']],
              },
            },
          },
        }),
      ]),
    );
  });
});

describe('business metrics', () => {
  test('every function knows the metrics namespace and its service name (the stack)', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: 'LinkedResolution',
        POWERTOOLS_SERVICE_NAME: 'LinkedResolution-dev',
      });
    }
  });

  test('the calendars no bundle imports reach every function as data (none today: 2026 and 2027 are built in)', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables.CALENDAR_YEARS).toBeUndefined();
    }
  });
});

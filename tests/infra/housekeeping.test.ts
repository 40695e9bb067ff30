import { OUTBOX_SWEEP_SCHEDULE, RETENTION_SCHEDULE, type ScheduledFunction } from '../../infra/constructs/scheduled-function';
import { actionsOf, statementsOfRole, type Synthesized, synthesize } from './synth';

/*
 * The scheduled housekeeping functions in the CDK app: the outbox sweeper every minute and the
 * personal-data retention job every night, each started by EventBridge Scheduler with a role
 * that may invoke it and nothing else, each allowed exactly what it touches.
 */
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});
afterAll(() => synthesized?.dispose());

const id = (construct: Parameters<Synthesized['logicalId']>[0]) => synthesized.logicalId(construct);
const resources = () => synthesized.template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const housekeeping = (): Array<[string, ScheduledFunction]> => [
  ['outbox sweeper', synthesized.stack.outboxSweeper],
  ['retention job', synthesized.stack.personalDataRetention],
];
const actionsOfFunction = (scheduled: ScheduledFunction) => actionsOf(statementsOfRole(synthesized.template, id(scheduled.function.role)));

test('the outbox sweeper runs every minute, with a minute of grace for intakes still starting', () => {
  const schedule = resources()[id(synthesized.stack.outboxSweeper.schedule)].Properties;
  expect(OUTBOX_SWEEP_SCHEDULE).toBe('rate(1 minute)');
  expect(schedule).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED', FlexibleTimeWindow: { Mode: 'OFF' } });
  expect(JSON.parse(schedule.Target.Input)).toEqual({ graceSeconds: 60, limit: 200 });
});

test('the retention job runs every night at 03:30 in Shanghai', () => {
  const schedule = resources()[id(synthesized.stack.personalDataRetention.schedule)].Properties;
  expect(RETENTION_SCHEDULE).toEqual({ expression: 'cron(30 3 * * ? *)', timeZone: 'Asia/Shanghai' });
  expect(schedule).toMatchObject({ ScheduleExpression: 'cron(30 3 * * ? *)', ScheduleExpressionTimezone: 'Asia/Shanghai', State: 'ENABLED' });
});

test.each(['outbox sweeper', 'retention job'])('the scheduler may invoke the %s and nothing else', (name) => {
  const scheduled = housekeeping().find(([label]) => label === name)![1];
  const schedule = resources()[id(scheduled.schedule)].Properties;
  expect(schedule.Target).toMatchObject({ Arn: { 'Fn::GetAtt': [id(scheduled.function.function), 'Arn'] }, RoleArn: { 'Fn::GetAtt': [id(scheduled.schedulerRole), 'Arn'] } });
  const role = resources()[id(scheduled.schedulerRole)].Properties;
  expect(role.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole' })]);
  expect(role.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement)).toEqual([
    { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(scheduled.function.function), 'Arn'] } },
  ]);
  // Beside its inline policy: send what it could not deliver to the schedule's own dead-letter queue, and nothing else.
  expect(statementsOfRole(synthesized.template, id(scheduled.schedulerRole))).toEqual([
    {
      Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [id(scheduled.deadLetters), 'Arn'] },
    },
  ]);
  expect(schedule.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [id(scheduled.deadLetters), 'Arn'] } });
});

test('the sweeper may start case workflows, publish alerts and use the table: no callbacks, no describe', () => {
  const actions = actionsOfFunction(synthesized.stack.outboxSweeper);
  expect(actions).toEqual(expect.arrayContaining(['states:StartExecution', 'sns:Publish', 'dynamodb:Query', 'dynamodb:DeleteItem']));
  expect(actions.filter((action) => action.startsWith('states:'))).toEqual(['states:StartExecution']);
  const env = resources()[id(synthesized.stack.outboxSweeper.function.function)].Properties.Environment.Variables;
  expect(Object.keys(env)).toEqual(expect.arrayContaining(['CASES_TABLE', 'CASE_WORKFLOW_ARN', 'ALERT_TOPIC_ARN']));
});

test('the retention job may use the table and nothing else: no workflow, no alerts', () => {
  const actions = actionsOfFunction(synthesized.stack.personalDataRetention);
  expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem']));
  expect(actions.filter((action) => !/^(dynamodb|kms|logs|xray):/.test(action))).toEqual([]);
});

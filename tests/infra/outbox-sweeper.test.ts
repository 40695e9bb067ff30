import { SWEEP_SCHEDULE } from '../../infra/constructs/outbox-sweeper';
import { actionsOf, statementsOfRole, type Synthesized, synthesize } from './synth';

/*
 * The outbox sweeper in the CDK app: a function started every minute by EventBridge Scheduler,
 * allowed to start case workflows, publish alerts and use the table, and nothing else.
 */
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});
afterAll(() => synthesized?.dispose());

const sweeper = () => synthesized.stack.outboxSweeper;
const id = (construct: Parameters<Synthesized['logicalId']>[0]) => synthesized.logicalId(construct);
const resources = () => synthesized.template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;

test('runs every minute, invoking the sweeper with a minute of grace for intakes still starting', () => {
  const schedule = resources()[id(sweeper().schedule)].Properties;
  expect(SWEEP_SCHEDULE).toBe('rate(1 minute)');
  expect(schedule).toMatchObject({
    ScheduleExpression: 'rate(1 minute)',
    State: 'ENABLED',
    Target: { Arn: { 'Fn::GetAtt': [id(sweeper().sweeper.function), 'Arn'] }, RoleArn: { 'Fn::GetAtt': [id(sweeper().schedulerRole), 'Arn'] } },
  });
  expect(JSON.parse(schedule.Target.Input)).toEqual({ graceSeconds: 60, limit: 200 });
});

test('the scheduler may invoke the sweeper and nothing else', () => {
  const role = resources()[id(sweeper().schedulerRole)].Properties;
  expect(role.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement)).toEqual([
    { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(sweeper().sweeper.function), 'Arn'] } },
  ]);
  expect(statementsOfRole(synthesized.template, id(sweeper().schedulerRole))).toEqual([]);
});

test('the sweeper may start case workflows, publish alerts and use the table: no callbacks, no describe', () => {
  const actions = actionsOf(statementsOfRole(synthesized.template, id(sweeper().sweeper.role)));
  expect(actions).toEqual(expect.arrayContaining(['states:StartExecution', 'sns:Publish', 'dynamodb:Query', 'dynamodb:DeleteItem']));
  expect(actions.filter((action) => action.startsWith('states:'))).toEqual(['states:StartExecution']);
  const env = resources()[id(sweeper().sweeper.function)].Properties.Environment.Variables;
  expect(Object.keys(env)).toEqual(expect.arrayContaining(['CASES_TABLE', 'CASE_WORKFLOW_ARN', 'ALERT_TOPIC_ARN']));
});

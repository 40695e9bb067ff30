import { readFileSync } from 'node:fs';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { ROUTES } from '../../functions/api/routes';
import { CASE_WORKFLOW_FILE as CASE_WORKFLOW_DEFINITION_FILE, caseWorkflowSubstitutions } from '../../statemachines/definitions';
import { routeKey } from '../../infra/constructs/http-api';
import { actionsOf, type Statement, statementsOfRole, type Synthesized, synthesize } from './synth';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});
afterAll(() => synthesized?.dispose());

const resources = () => synthesized.template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const machine = () => resources()[synthesized.logicalId(synthesized.stack.workflow.stateMachine)].Properties;

/** Renders a CloudFormation reference readably: `<Logical.Attr>` or `<Logical>`. */
function referenceText(value: unknown): string {
  if (typeof value === 'string') return value;
  const reference = value as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]] };
  if (reference.Ref) return `<${reference.Ref}>`;
  if (reference['Fn::GetAtt']) return `<${reference['Fn::GetAtt'].join('.')}>`;
  if (reference['Fn::Join']) return reference['Fn::Join'][1].map(referenceText).join(reference['Fn::Join'][0]);
  throw new Error(`Unexpected value in the definition: ${JSON.stringify(value)}`);
}

/** What Step Functions receives: the definition string after CloudFormation's substitutions. */
function deployedDefinition(properties: { DefinitionString: unknown; DefinitionSubstitutions?: Record<string, unknown> }) {
  let definition = referenceText(properties.DefinitionString);
  for (const [name, value] of Object.entries(properties.DefinitionSubstitutions ?? {})) {
    definition = definition.split('${' + name + '}').join(referenceText(value));
  }
  return definition;
}

describe('the case state machine', () => {
  test('is a STANDARD machine logging every event, with X-Ray', () => {
    expect(machine()).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } }],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  test('runs statemachines/case.asl.json with its placeholders bound to the task function and the topic', () => {
    const fnId = synthesized.logicalId(synthesized.stack.workflow.taskFunction.function);
    const topicId = synthesized.logicalId(synthesized.stack.alerts.topic);
    const substitutions = caseWorkflowSubstitutions({ workflowFunctionArn: `<${fnId}.Arn>`, alertTopicArn: `<${topicId}>`, partition: '<AWS::Partition>' });

    let expected = readFileSync(CASE_WORKFLOW_DEFINITION_FILE, 'utf8');
    for (const [name, value] of Object.entries(substitutions)) expected = expected.split('${' + name + '}').join(value);

    const deployed = deployedDefinition(machine());
    expect(deployed).toBe(expected);
    // Service integrations are in the stack's partition (aws, aws-cn): no arn:aws: literal in the file.
    expect(machine().DefinitionSubstitutions.Partition).toEqual({ Ref: 'AWS::Partition' });
    expect(readFileSync(CASE_WORKFLOW_DEFINITION_FILE, 'utf8')).not.toContain('arn:aws:');
    expect(deployed).not.toMatch(/\$\{[A-Za-z]+\}/);
    expect(() => JSON.parse(deployed)).not.toThrow();
  });

  test('every placeholder in the file has a substitution, and no substitution is unused', () => {
    const placeholders = new Set(
      [...readFileSync(CASE_WORKFLOW_DEFINITION_FILE, 'utf8').matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]),
    );
    expect(Object.keys(machine().DefinitionSubstitutions).sort()).toEqual([...placeholders].sort());
  });

  test('may invoke only the unqualified task function and publish only to the alert topic', () => {
    const roleId = machine().RoleArn['Fn::GetAtt'][0] as string;
    const statements = statementsOfRole(synthesized.template, roleId);
    const fnId = synthesized.logicalId(synthesized.stack.workflow.taskFunction.function);
    const topicId = synthesized.logicalId(synthesized.stack.alerts.topic);

    const invoke = statements.filter((statement) => actionsOf([statement]).includes('lambda:InvokeFunction'));
    expect(invoke.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [fnId, 'Arn'] }]);
    const publish = statements.filter((statement) => actionsOf([statement]).includes('sns:Publish'));
    expect(publish.map((statement) => statement.Resource)).toEqual([{ Ref: topicId }]);
    expect(actionsOf(statements)).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt']));
  });

  test('its task function reads and writes the table and publishes alerts, and nothing of the workflow', () => {
    const task = synthesized.stack.workflow.taskFunction;
    const variables = resources()[synthesized.logicalId(task.function)].Properties.Environment.Variables;
    expect(variables).toMatchObject({
      CASES_TABLE: { Ref: synthesized.logicalId(synthesized.stack.table.table) },
      ALERT_TOPIC_ARN: { Ref: synthesized.logicalId(synthesized.stack.alerts.topic) },
    });
    const actions = actionsOf(statementsOfRole(synthesized.template, synthesized.logicalId(task.role)));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'sns:Publish']));
    expect(actions.filter((action) => action.startsWith('states:'))).toEqual([]);
  });
});

describe('least privilege', () => {
  const statementsOfRoute = (key: string): Statement[] => {
    const role = synthesized.stack.httpApi.functions.get(key)!.role;
    return statementsOfRole(synthesized.template, synthesized.stack.getLogicalId(role.node.defaultChild as CfnRole));
  };
  const TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

  test('listing cases cannot write the table', () => {
    const actions = actionsOf(statementsOfRoute('GET /v1/cases'));
    expect(actions).toContain('dynamodb:Query');
    for (const write of TABLE_WRITES) expect(actions).not.toContain(write);
    expect(actions).not.toContain('kms:Encrypt');
  });

  test('only the routes whose needs say start (intake: POST /v1/cases, an Open311 POST), and the outbox sweeper for a start that failed, start case workflow executions', () => {
    const caseMachine = JSON.stringify({ Ref: synthesized.logicalId(synthesized.stack.workflow.stateMachine) });
    const startsCases = (statements: Array<{ Action: unknown; Resource?: unknown }>) =>
      statements.some((statement) => actionsOf([statement as never]).includes('states:StartExecution') && JSON.stringify(statement.Resource ?? '').includes(caseMachine));
    // Separate policy resources and policies written inline on roles both count.
    const fromPolicies = Object.values(synthesized.template.findResources('AWS::IAM::Policy'))
      .filter((policy) => startsCases(policy.Properties.PolicyDocument.Statement))
      .flatMap((policy) => policy.Properties.Roles);
    const fromRoles = Object.entries(synthesized.template.findResources('AWS::IAM::Role'))
      .filter(([, role]) => (role.Properties.Policies ?? []).some((inline: { PolicyDocument: { Statement: never[] } }) => startsCases(inline.PolicyDocument.Statement)))
      .map(([logicalId]) => ({ Ref: logicalId }));
    const starters = ROUTES.filter((route) => route.needs.workflow?.includes('start')).map((route) => synthesized.stack.httpApi.functions.get(routeKey(route))!.role);
    expect(starters.map((role) => synthesized.logicalId(role))).toContain(synthesized.logicalId(synthesized.stack.httpApi.functions.get('POST /v1/cases')!.role));
    const sweeperRole = synthesized.stack.outboxSweeper.function.role;
    const expected = [...starters, sweeperRole].map((role) => ({ Ref: synthesized.logicalId(role) }));
    expect([...fromPolicies, ...fromRoles]).toEqual(expect.arrayContaining(expected));
    expect([...fromPolicies, ...fromRoles]).toHaveLength(expected.length);
  });

  test('the state machine may start executions of itself only, to continue a long case (ContinueAsNew)', () => {
    const machine = synthesized.stack.workflow.stateMachine;
    const roleId = synthesized.logicalId(machine.role);
    const starts = statementsOfRole(synthesized.template, roleId).filter((statement) => actionsOf([statement]).includes('states:StartExecution'));
    expect(starts).toHaveLength(1);
    const resource = JSON.stringify(starts[0].Resource);
    const name = (resources()[synthesized.logicalId(machine)].Properties as { StateMachineName: string }).StateMachineName;
    expect(resource).toContain(`:stateMachine:${name}`);
    expect(resource).not.toContain('*');
  });

  test.each(ROUTES.map((route) => [routeKey(route), route]))('%s is granted exactly what its needs say', (key, route) => {
    const statements = statementsOfRoute(key);
    const actions = actionsOf(statements);
    const machineRef = { Ref: synthesized.logicalId(synthesized.stack.workflow.stateMachine) };
    const workflow = route.needs.workflow ?? [];

    const reads = route.needs.table === 'read' || route.needs.table === 'read-write';
    expect(actions.includes('dynamodb:Query')).toBe(reads);
    expect(actions.includes('dynamodb:GetItem')).toBe(reads);
    expect(actions.includes('dynamodb:DescribeTable')).toBe(route.needs.table === 'describe');
    expect(actions.includes('dynamodb:Scan')).toBe(false);
    for (const write of TABLE_WRITES) expect(actions.includes(write)).toBe(route.needs.table === 'read-write');
    expect(actions.includes('kms:Decrypt')).toBe(reads || workflow.some((kind) => kind !== 'status'));
    expect(actions.includes('states:StartExecution')).toBe(workflow.includes('start'));
    expect(actions.includes('states:SendTaskSuccess')).toBe(workflow.includes('callback'));
    expect(actions.includes('states:DescribeExecution')).toBe(workflow.includes('describe'));
    expect(actions.includes('states:GetExecutionHistory')).toBe(workflow.includes('describe'));
    expect(actions.includes('states:DescribeStateMachine')).toBe(workflow.includes('status'));
    // SMS to phone numbers, for a route that dispatches notifications: never to a topic (NotResource every topic).
    expect(actions.includes('sns:Publish')).toBe(route.needs.notifications === 'send');
    for (const statement of statements.filter((s) => actionsOf([s]).includes('sns:Publish'))) {
      const { Resource, NotResource } = statement as { Resource?: unknown; NotResource?: unknown };
      expect({ Resource, NotResource: JSON.stringify(NotResource) }).toEqual({ Resource: undefined, NotResource: expect.stringMatching(/:sns:\*:\*:\*"\]?\]?\}?$/) });
    }

    for (const statement of statements) {
      if (actionsOf([statement]).some((action) => /^states:(StartExecution|SendTask)/.test(action))) {
        expect(statement.Resource).toEqual(machineRef);
      }
    }
  });

  test('"*" resources only for actions that have no resource-level permissions', () => {
    const withoutResourceLevel = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;
    const policies = Object.values(synthesized.template.findResources('AWS::IAM::Policy'));
    const wildcardActions = policies
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => [statement.Resource].flat().includes('*'))
      .flatMap((statement) => actionsOf([statement]));
    expect(wildcardActions.length).toBeGreaterThan(0);
    expect(wildcardActions.filter((action) => !withoutResourceLevel.test(action))).toEqual([]);
    const allActions = policies.flatMap((policy) => actionsOf(policy.Properties.PolicyDocument.Statement));
    expect(allActions.filter((action) => action.includes('*'))).toEqual([]);
  });
});

describe('outputs', () => {
  test('name the API URL, table, topic and state machine', () => {
    const outputs = synthesized.template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(['AlertTopicArn', 'ApiUrl', 'CaseWorkflowArn', 'CasesTableName', 'OperationsTopicArn']);
    expect(outputs.CasesTableName.Value).toEqual({ Ref: synthesized.logicalId(synthesized.stack.table.table) });
    expect(outputs.AlertTopicArn.Value).toEqual({ Ref: synthesized.logicalId(synthesized.stack.alerts.topic) });
    expect(outputs.CaseWorkflowArn.Value).toEqual({ Ref: synthesized.logicalId(synthesized.stack.workflow.stateMachine) });
  });
});

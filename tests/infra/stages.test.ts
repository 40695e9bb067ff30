import { Template } from 'aws-cdk-lib/assertions';
import type { CfnElement } from 'aws-cdk-lib';
import { buildApp } from '../../infra/build-app';
import { cdkJsonContext, type Synthesized, synthesize } from './synth';

const STATEFUL_TYPES = ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::Logs::LogGroup'];

function policiesOf(synthesized: Synthesized, type: string) {
  const found = Object.values(synthesized.template.findResources(type));
  expect(found.length).toBeGreaterThan(0);
  return found.map((resource) => [resource.DeletionPolicy, resource.UpdateReplacePolicy]);
}

describe('the prod stage', () => {
  let prod: Synthesized;
  beforeAll(() => {
    prod = synthesize({
      context: {
        stage: 'prod',
        jwtIssuer: 'https://idp.city.example/realms/linked-resolution',
        jwtAudience: 'case-api, console',
        alertEmail: 'supervision@city.example',
        consoleOrigin: 'https://console.city.example',
      },
    });
  });
  afterAll(() => prod?.dispose());

  test('is its own stack', () => {
    expect(prod.stack.stackName).toBe('LinkedResolution-prod');
  });

  test.each(STATEFUL_TYPES)('retains every %s when the stack goes', (type) => {
    for (const policies of policiesOf(prod, type)) expect(policies).toEqual(['Retain', 'Retain']);
  });

  test('protects the table from deletion', () => {
    prod.template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  test('trusts the issuer and audiences the context names', () => {
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: {
        Issuer: 'https://idp.city.example/realms/linked-resolution',
        Audience: ['case-api', 'console'],
      },
    });
  });

  test('mails every alert to the supervision centre when an address is given', () => {
    const email = Object.values(prod.template.findResources('AWS::SNS::Subscription')).filter(
      (subscription) => subscription.Properties.Protocol === 'email',
    );
    expect(email).toHaveLength(1);
    expect(email[0].Properties).toMatchObject({
      Endpoint: 'supervision@city.example',
      TopicArn: { Ref: prod.logicalId(prod.stack.alerts.topic) },
    });
    expect(email[0].Properties.FilterPolicy).toBeUndefined();
  });

  test('lets the console origin call the API', () => {
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://console.city.example'],
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match'],
        ExposeHeaders: ['x-request-id', 'etag'],
      },
    });
  });
});

describe('the dev stage', () => {
  let dev: Synthesized;
  beforeAll(() => {
    dev = synthesize();
  });
  afterAll(() => dev?.dispose());

  test("is cdk.json's default", () => {
    expect(dev.stack.stackName).toBe('LinkedResolution-dev');
  });

  test.each(STATEFUL_TYPES)('deletes every %s with the stack', (type) => {
    for (const policies of policiesOf(dev, type)) expect(policies).toEqual(['Delete', 'Delete']);
  });

  test('leaves the table deletable', () => {
    const [table] = Object.values(dev.template.findResources('AWS::DynamoDB::Table'));
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
  });
});

describe('context checks', () => {
  const build = (overrides: Record<string, unknown>) => () =>
    buildApp({ context: { ...cdkJsonContext(), ...overrides, 'aws:cdk:bundling-stacks': [] } });

  test('refuse a stage that cannot be part of resource names', () => {
    expect(build({ stage: 'Prod Stage' })).toThrow(/stage/);
  });

  test('refuse an issuer that is not https', () => {
    expect(build({ jwtIssuer: 'http://auth.example.org/' })).toThrow(/jwtIssuer/);
  });

  test('refuse an empty audience', () => {
    expect(build({ jwtAudience: ' , ' })).toThrow(/jwtAudience/);
  });
});

describe('a stage in China (partition aws-cn)', () => {
  let cn: Synthesized;
  beforeAll(() => {
    cn = synthesize({ context: { stage: 'cn', region: 'cn-north-1', account: '123456789012' } });
  });
  afterAll(() => cn?.dispose());

  test('is in the aws-cn partition', () => {
    expect(cn.stack.region).toBe('cn-north-1');
    expect(cn.stack.partition).toBe('aws-cn');
  });

  test('names no ARN of the aws partition anywhere in its template', () => {
    const text = JSON.stringify(cn.template.toJSON());
    expect(text).not.toMatch(/arn:aws:/);
    expect(text).toContain('arn:aws-cn:');
  });

  test('runs both state machines with their service integrations in aws-cn', () => {
    const machines = Object.values(cn.template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(2);
    for (const machine of machines) {
      expect(machine.Properties.DefinitionSubstitutions.Partition).toBe('aws-cn');
      expect(machine.Properties.DefinitionString).toContain('arn:${Partition}:states:::lambda:invoke');
    }
  });

  test('has no console site: CloudFront Functions and origin access control are not available there', () => {
    expect(cn.stack.consoleSite).toBeUndefined();
    for (const type of ['AWS::CloudFront::Distribution', 'AWS::CloudFront::Function']) {
      expect(cn.template.findResources(type)).toEqual({});
    }
    // Its nested stacks are the units' email subscriptions and the alarms, no console.
    expect(Object.keys(cn.template.findResources('AWS::CloudFormation::Stack')).sort()).toEqual(
      [cn.stack.unitNotifications, cn.stack.operations.alarmsStack].map((nested) => cn.stack.getLogicalId(nested.nestedStackResource! as CfnElement)).sort(),
    );
  });

  test('sends no SMS through SNS (China has no SNS SMS): the dispatcher parks them until a provider adapter is configured', () => {
    const workflowFunction = cn.template.toJSON().Resources[cn.logicalId(cn.stack.workflow.taskFunction.function)].Properties;
    expect(workflowFunction.Environment.Variables).toMatchObject({ NOTIFICATION_LOG: 'table', SMS_PROVIDER: 'none' });
    const statements = Object.values(cn.template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ NotResource?: unknown }>);
    expect(statements.filter((statement) => statement.NotResource !== undefined)).toEqual([]);
    const nested = Template.fromStack(cn.stack.unitNotifications);
    const protocols = Object.values(nested.findResources('AWS::SNS::Subscription')).map((subscription) => subscription.Properties.Protocol);
    expect(new Set(protocols)).toEqual(new Set(['email']));
  });

  test('lets CloudWatch Logs in China use the log key (its service domain is amazonaws.com.cn)', () => {
    const key = cn.template.toJSON().Resources[cn.logicalId(cn.stack.keys.logs)].Properties;
    // logs.<region>.<URL suffix>: logs.cn-north-1.amazonaws.com.cn once CloudFormation fills it in China.
    expect(key.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } } }),
      ]),
    );
  });

  test('keeps the alarms and the dashboard', () => {
    expect(Object.keys(Template.fromStack(cn.stack.operations.alarmsStack).findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThan(60);
    Template.fromStack(cn.stack.operations.alarmsStack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('context checks for the region', () => {
  const build = (overrides: Record<string, unknown>) => () =>
    buildApp({ context: { ...cdkJsonContext(), ...overrides, 'aws:cdk:bundling-stacks': [] } }, { cfnGuard: false });

  test('refuse a region that is not a region name', () => {
    expect(build({ region: 'China North' })).toThrow(/region/);
  });

  test('refuse an account that is not 12 digits', () => {
    expect(build({ region: 'cn-north-1', account: '12345' })).toThrow(/account/);
  });
});

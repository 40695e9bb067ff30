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
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        ExposeHeaders: ['x-request-id'],
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

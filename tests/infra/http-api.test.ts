import { ROUTES } from '../../functions/api/routes';
import { routeKey } from '../../infra/constructs/http-api';
import { type Synthesized, synthesize } from './synth';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});
afterAll(() => synthesized?.dispose());

const resources = () => synthesized.template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const ofType = (type: string) => Object.entries(resources()).filter(([, resource]) => resource.Type === type);

describe('routes', () => {
  const routeFor = (key: string) => {
    const matching = ofType('AWS::ApiGatewayV2::Route').filter(([, route]) => route.Properties.RouteKey === key);
    expect(matching).toHaveLength(1);
    return matching[0][1].Properties;
  };
  const authorizerId = () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    return authorizers[0][0];
  };

  test('one route per entry of ROUTES and no others', () => {
    const keys = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey).sort();
    expect(keys).toEqual(ROUTES.map(routeKey).sort());
  });

  test.each(ROUTES.filter((route) => !route.public).map((route) => [routeKey(route)]))(
    '%s requires a valid JWT',
    (key) => {
      expect(routeFor(key)).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId() } });
    },
  );

  test.each(ROUTES.filter((route) => route.public).map((route) => [routeKey(route)]))('%s is public', (key) => {
    const route = routeFor(key);
    expect(route.AuthorizationType).toBe('NONE');
    expect(route.AuthorizerId).toBeUndefined();
  });

  test.each(ROUTES.map((route) => [routeKey(route)]))('%s reaches its own function', (key) => {
    const target = routeFor(key).Target['Fn::Join'][1][1].Ref as string;
    const integration = resources()[target].Properties;
    const fn = synthesized.stack.httpApi.functions.get(key)!;
    expect(integration.IntegrationType).toBe('AWS_PROXY');
    expect(integration.IntegrationUri).toEqual({ 'Fn::GetAtt': [synthesized.logicalId(fn.function), 'Arn'] });
  });

  test("the authorizer checks the Authorization header against cdk.json's issuer and audience", () => {
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://auth.example.org/', Audience: ['linked-resolution-api'] },
    });
  });
});

describe('the default stage', () => {
  const stage = () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    return stages[0][1].Properties;
  };

  test('deploys automatically and throttles', () => {
    expect(stage()).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) },
    });
  });

  test('writes JSON access logs with who, what, outcome and latency, and nothing of the request', () => {
    const settings = stage().AccessLogSettings;
    const logGroupId = settings.DestinationArn['Fn::GetAtt'][0];
    expect(resources()[logGroupId].Type).toBe('AWS::Logs::LogGroup');
    expect(resources()[logGroupId].Properties.RetentionInDays).toEqual(expect.any(Number));

    const format = JSON.parse(settings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    expect(settings.Format).not.toMatch(/requestBody|\$input|authorization|header/i);
  });

  test('has no CORS unless the context names the console origin', () => {
    const api = ofType('AWS::ApiGatewayV2::Api')[0][1].Properties;
    expect(api.CorsConfiguration).toBeUndefined();
  });
});

describe('functions', () => {
  const functions = () => ofType('AWS::Lambda::Function');

  test('every function runs Node.js 24 on arm64 with X-Ray, source maps and its own log group', () => {
    // One per route, the case workflow's function, the monthly report's planner, segment reader and writer, the outbox sweeper,
    // the retention job, the notification sweep, and the operations functions: the stopped-execution recorder and the calendar check.
    expect(functions().length).toBe(ROUTES.length + 9);
    for (const [, fn] of functions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(resources()[logGroupId].Type).toBe('AWS::Logs::LogGroup');
      expect(resources()[logGroupId].Properties.RetentionInDays).toEqual(expect.any(Number));
    }
  });

  test("no role carries an AWS managed policy: each function's role is written here", () => {
    for (const [, role] of ofType('AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test.each(ROUTES.map((route) => [routeKey(route), route]))('%s gets the environment its needs name', (key, route) => {
    const fn = synthesized.stack.httpApi.functions.get(key)!;
    const variables = resources()[synthesized.logicalId(fn.function)].Properties.Environment.Variables;
    const tableId = synthesized.logicalId(synthesized.stack.table.table);
    const machineId = synthesized.logicalId(synthesized.stack.workflow.stateMachine);

    if (route.needs.table) expect(variables.CASES_TABLE).toEqual({ Ref: tableId });
    else expect(variables.CASES_TABLE).toBeUndefined();
    if (route.needs.workflow?.length) expect(variables.CASE_WORKFLOW_ARN).toEqual({ Ref: machineId });
    else expect(variables.CASE_WORKFLOW_ARN).toBeUndefined();
    expect(variables.ALERT_TOPIC_ARN).toBeUndefined();
    // The notification log, for a route that reads or sends notifications (functions/notify/deployment.ts); SMS only where it sends.
    expect(variables.NOTIFICATION_LOG).toBe(route.needs.notifications ? 'table' : undefined);
    expect(variables.SMS_PROVIDER).toBe(route.needs.notifications === 'send' ? 'sns' : undefined);
  });
});

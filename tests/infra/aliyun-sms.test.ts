import { ROUTES } from '../../functions/api/routes';
import { buildApp } from '../../infra/build-app';
import { cdkJsonContext, type Synthesized, synthesize } from './synth';

/*
 * China's stage with the Aliyun SMS adapter switched on (`-c aliyunSmsSecretArn=…`,
 * docs/deployment.md): the functions that send SMS — the workflow's task function, the
 * notification sweep and the routes whose needs say `notifications: 'send'` — name the provider
 * and the secret, and may read that one secret; nothing else may. cdk-nag and cfn-guard check this stage in tests/infra/cdk-nag.test.ts.
 */
const SECRET = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:linked-resolution/aliyun-sms-AbC123';
const CN = { stage: 'cn', region: 'cn-north-1', account: '123456789012' };

describe('a China stage with the Aliyun SMS adapter', () => {
  let cn: Synthesized;
  beforeAll(() => {
    cn = synthesize({ context: { ...CN, aliyunSmsSecretArn: SECRET } });
  });
  afterAll(() => cn?.dispose());

  const resources = () => cn.template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  const statementsOf = (roleLogicalId: string) =>
    Object.values(resources())
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles).includes(roleLogicalId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource?: unknown; NotResource?: unknown }>);

  const senders = () => [
    cn.stack.workflow.taskFunction,
    cn.stack.notificationSweep.function,
    ...ROUTES.filter((route) => route.needs.notifications === 'send').map((route) => cn.stack.httpApi.functions.get(`${route.method} ${route.path}`)!),
  ];

  test('the workflow, the sweep and the routes that send go through Aliyun with the secret named, and may read that one secret only', () => {
    expect(senders().length).toBeGreaterThan(2);
    for (const fn of senders()) {
      const variables = resources()[cn.logicalId(fn.function)]!.Properties.Environment.Variables;
      expect(variables).toMatchObject({ NOTIFICATION_LOG: 'table', SMS_PROVIDER: 'aliyun', SMS_SECRET: SECRET });
      const reads = statementsOf(cn.logicalId(fn.role)).filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager'));
      expect(reads).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: SECRET })]);
    }
  });

  test('no other function is told the secret or may read any secret, and no one may publish SMS through SNS', () => {
    const sending = new Set(senders().map((fn) => cn.logicalId(fn.function)));
    for (const [id, resource] of Object.entries(resources())) {
      if (resource.Type !== 'AWS::Lambda::Function' || sending.has(id)) continue;
      expect({ id, secret: resource.Properties.Environment?.Variables?.SMS_SECRET }).toEqual({ id, secret: undefined });
    }
    const statements = Object.values(resources())
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource?: unknown; NotResource?: unknown }>);
    expect(statements.filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager'))).toHaveLength(senders().length);
    expect(statements.filter((statement) => statement.NotResource !== undefined)).toEqual([]);
  });
});

describe('the aliyunSmsSecretArn context', () => {
  const build = (overrides: Record<string, unknown>) => () =>
    buildApp({ context: { ...cdkJsonContext(), ...overrides, 'aws:cdk:bundling-stacks': [] } }, { cfnGuard: false });

  test('is refused outside China: there SMS go through SNS', () => {
    expect(build({ aliyunSmsSecretArn: SECRET.replace('aws-cn', 'aws').replace('cn-north-1', 'ap-east-1') })).toThrow(/aliyunSmsSecretArn/);
    expect(build({ aliyunSmsSecretArn: SECRET })).toThrow(/China's regions/);
  });

  test('must be a full secret ARN, so the grant needs no wildcard', () => {
    expect(build({ ...CN, aliyunSmsSecretArn: 'linked-resolution/aliyun-sms' })).toThrow(/full ARN/);
    expect(build({ ...CN, aliyunSmsSecretArn: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:linked-resolution/aliyun-sms-*' })).toThrow(/full ARN/);
  });
});

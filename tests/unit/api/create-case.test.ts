import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { ApiEvent } from '../../../functions/commons/http';
import { handler } from '../../../functions/api/create-case';

/**
 * The intake handler's own logic when the workflow engine does not answer: the case is
 * stored, and the caller is told how to finish without making a second case.
 */
// Read when first used, so setting them here is in time.
process.env.CASES_TABLE = 'cases';
process.env.CASE_WORKFLOW_ARN = 'arn:aws:states:cn-north-1:000000000000:stateMachine:case-workflow';
const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);

const event = (headers: Record<string, string>): ApiEvent =>
  ({
    routeKey: 'POST /v1/cases',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title: '路灯不亮', description: '小区门口路灯损坏', category: 'routine', reportedVia: 'phone' }),
    isBase64Encoded: false,
    requestContext: { requestId: 'r1', authorizer: { jwt: { claims: { sub: 'c', unit: 'community-xiling-shengli-silu', role: 'community' }, scopes: [] } } },
  }) as unknown as ApiEvent;

beforeEach(() => {
  sfn.reset();
  dynamo.reset();
  dynamo.on(TransactWriteCommand).resolves({});
  sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { name: 'ServiceUnavailable' }));
});

it('answers 503 naming the stored case, and asks for the same request with the same key', async () => {
  const result = await handler(event({ 'idempotency-key': 'k-1' }), {} as Context);
  expect(result.statusCode).toBe(503);
  expect(result.headers?.['content-type']).toMatch(/problem\+json/);
  const problem = JSON.parse(result.body as string);
  expect(problem.detail).toMatch(/^Case [0-9A-Z]{26} was recorded/);
  expect(problem.detail).toContain('with the same Idempotency-Key');
  expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
});

it('without a key, warns that sending it again would make a second case', async () => {
  const result = await handler(event({}), {} as Context);
  expect(result.statusCode).toBe(503);
  expect(JSON.parse(result.body as string).detail).toContain('do not send it again');
});

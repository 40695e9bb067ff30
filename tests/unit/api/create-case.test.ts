import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { ApiEvent } from '../../../functions/commons/http';
import { handler } from '../../../functions/api/create-case';

/**
 * The intake handler's own logic when the workflow engine does not answer: the case is stored
 * together with its outbox entry, so the caller gets the case and the sweeper starts its workflow.
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

it('answers 201 with the stored case, written with its outbox entry for the sweeper', async () => {
  const result = await handler(event({ 'idempotency-key': 'k-1' }), {} as Context);
  expect(result.statusCode).toBe(201);
  const view = JSON.parse(result.body as string);
  expect(view.id).toMatch(/^[0-9A-Z]{26}$/);
  expect(result.headers?.location).toBe(`/v1/cases/${view.id}`);
  const [write] = dynamo.commandCalls(TransactWriteCommand);
  const caseItem = write.args[0].input.TransactItems?.[0].Put?.Item;
  expect(caseItem).toMatchObject({ id: view.id, startPk: 'START', startSk: expect.stringContaining(`#${view.id}`) });
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
});

it('without a key, the same: the case is kept and nothing asks the caller to send it again', async () => {
  const result = await handler(event({}), {} as Context);
  expect(result.statusCode).toBe(201);
  expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
});

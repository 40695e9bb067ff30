import { mockClient } from 'aws-sdk-client-mock';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { ApiEvent } from '../../../functions/commons/http';
import { useClockSource } from '../../../functions/commons/clock';
import { handler } from '../../../functions/api/health';

/**
 * GET /health's own logic: what it calls (only DescribeTable and DescribeStateMachine without
 * the definition, what its role allows) and how a missing holiday calendar shows.
 */
process.env.CASES_TABLE = 'cases';
process.env.CASE_WORKFLOW_ARN = 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:case-workflow';
const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);

const event = { routeKey: 'GET /health', headers: {}, isBase64Encoded: false, requestContext: { requestId: 'r1' } } as unknown as ApiEvent;
const call = async () => {
  const result = await handler(event, {} as Context);
  return { status: result.statusCode, body: JSON.parse(result.body as string) };
};
const at = (shanghai: string) => () => Date.parse(`${shanghai}+08:00`);

beforeEach(() => {
  sfn.reset();
  dynamo.reset();
  dynamo.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  sfn.on(DescribeStateMachineCommand).resolves({});
  useClockSource(at('2026-12-06T12:00:00'));
});
afterAll(() => useClockSource(() => Date.now()));

it('answers ok, describing the table and the state machine without its (encrypted) definition', async () => {
  expect(await call()).toEqual({ status: 200, body: { status: 'ok', checks: { store: 'ok', workflow: 'ok', calendar: 'ok' } } });
  expect(dynamo.commandCalls(DescribeTableCommand)[0].args[0].input).toEqual({ TableName: 'cases' });
  expect(sfn.commandCalls(DescribeStateMachineCommand)[0].args[0].input).toEqual({
    stateMachineArn: process.env.CASE_WORKFLOW_ARN,
    includedData: 'METADATA_ONLY',
  });
});

it('from 1 October with no calendar for next year: 200, degraded, naming the year', async () => {
  useClockSource(at('2027-10-01T00:00:00'));
  expect(await call()).toEqual({
    status: 200,
    body: { status: 'degraded', checks: { store: 'ok', workflow: 'ok', calendar: 'missing' }, calendarYearsMissing: [2028] },
  });
});

it('on 30 September the next year is not due yet', async () => {
  useClockSource(at('2027-09-30T23:59:00'));
  expect((await call()).body.status).toBe('ok');
});

it('503 when the workflow engine does not answer', async () => {
  sfn.on(DescribeStateMachineCommand).rejects(new Error('AccessDenied'));
  expect(await call()).toEqual({ status: 503, body: { status: 'degraded', checks: { store: 'ok', workflow: 'unavailable', calendar: 'ok' } } });
});

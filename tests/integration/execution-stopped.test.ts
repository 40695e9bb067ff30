import { recordStoppedExecution, type Publish } from '../../functions/operations/execution-status';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * A case execution that stops is recorded on the case, in DynamoDB Local through the case store,
 * once per execution however often EventBridge delivers the event, and alerted.
 */
let t: TestStack;
const COMMUNITY = 'community-xiling-shengli-silu';

beforeAll(async () => {
  t = await startTestStack('stopped');
});
afterAll(() => t.stop());

const stopped = (caseId: string, executionName: string, status = 'FAILED') => ({
  version: '0',
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: {
    executionArn: `arn:aws:states:cn-north-1:000000000000:execution:case-workflow:${executionName}`,
    stateMachineArn: 'arn:aws:states:cn-north-1:000000000000:stateMachine:case-workflow',
    name: executionName,
    status,
    startDate: 1,
    stopDate: 2,
    input: null,
    output: null,
    error: 'States.TaskFailed',
    cause: 'the workflow function failed',
  },
});

test('records WORKFLOW_STOPPED on the case once per execution, and alerts each time it records', async () => {
  const token = await t.token(COMMUNITY, 'community');
  const created = await t.call('POST', '/v1/cases', {
    token,
    body: { title: '楼道堆放杂物', description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol' },
  });
  expect(created.status).toBe(201);
  const caseId = created.body.id as string;
  const published: unknown[] = [];
  const publish: Publish = async (attention) => published.push(attention.alert);

  expect(await recordStoppedExecution(stopped(caseId, caseId), publish)).toBe('recorded');
  // EventBridge delivers at least once: the same event again changes nothing.
  expect(await recordStoppedExecution(stopped(caseId, caseId), publish)).toBe('already-recorded');
  // The case's next execution (a continuation) stopping is another entry.
  expect(await recordStoppedExecution(stopped(caseId, `${caseId}-c1`, 'TIMED_OUT'), publish)).toBe('recorded');

  const view = await t.call('GET', `/v1/cases/${caseId}`, { token });
  const entries = (view.body.timeline as Array<{ type: string; data?: Record<string, unknown> }>).filter((e) => e.type === 'WORKFLOW_STOPPED');
  expect(entries.map((e) => [e.data?.status, e.data?.needsAttention])).toEqual([
    ['FAILED', true],
    ['TIMED_OUT', true],
  ]);
  expect(published).toEqual([
    expect.objectContaining({ type: 'WORKFLOW_STOPPED', caseId, tier: expect.any(Number) }),
    expect.objectContaining({ type: 'WORKFLOW_STOPPED', caseId }),
  ]);
});

test('an execution that names no case is reported, and nothing is written or alerted', async () => {
  const published: unknown[] = [];
  expect(await recordStoppedExecution(stopped('01JNOSUCHCASE0000000000000', '01JNOSUCHCASE0000000000000'), async (a) => published.push(a))).toBe('no-such-case');
  expect(published).toEqual([]);
});

test('a malformed event is refused before anything is read', async () => {
  await expect(recordStoppedExecution({ source: 'aws.states', detail: {} })).rejects.toThrow();
});

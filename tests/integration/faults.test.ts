import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * Faults in the parts around the domain: the workflow engine refusing to start a case, and SNS
 * refusing alerts for a moment or for longer than every retry. Nothing may be lost or doubled.
 * (DynamoDB throttling: tests/integration/throttling.test.ts. A killed process: tests/e2e.)
 */
let t: TestStack;
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const tokens: Record<string, string> = {};
const tokenFor = async (unit: string, role: string) => (tokens[`${unit}/${role}`] ??= await t.token(unit, role));
const community = () => tokenFor(COMMUNITY, 'community');
const supervisor = () => tokenFor('supervision-centre', 'supervisor');
const street = () => tokenFor(STREET, 'agency');

beforeAll(async () => {
  t = await startTestStack('faults');
});
beforeEach(() => t.fresh());
afterEach(() => jest.restoreAllMocks());
afterAll(() => t.stop());

const routineCase = { title: '楼道堆放杂物', description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol' };

async function intake(headers: Record<string, string> = {}): Promise<string> {
  const response = await t.call('POST', '/v1/cases', { token: await community(), body: routineCase, headers });
  expect(response.status).toBe(201);
  await t.advance(0);
  return response.body.id;
}

const executionOf = async (id: string) => t.call('GET', `/v1/cases/${id}/execution`, { token: await supervisor() });
const alertsOf = async (id: string) => (await t.call('GET', `/_local/alerts?caseId=${id}`)).body.items as Array<{ type: string; messageId: string }>;
const timelineTypes = async (id: string) =>
  ((await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body.timeline as Array<{ type: string }>).map((e) => e.type);

describe('the workflow cannot be started after intake stored the case', () => {
  const failStarts = () =>
    jest.spyOn(t.stack.stepFunctions, 'startExecution').mockRejectedValue(Object.assign(new Error('the workflow engine is down'), { name: 'ServiceUnavailable' }));

  test('intake still answers with the case; the outbox sweeper starts its workflow later, once', async () => {
    const refused = failStarts();
    const id = await intake();
    expect(refused).toHaveBeenCalled();
    expect((await executionOf(id)).status).toBe(404);
    expect((await t.call('GET', `/v1/cases/${id}`, { token: await community() })).body).toEqual(expect.objectContaining({ id, status: 'awaiting-sign-off' }));

    // While the engine is still down the sweep keeps the case waiting.
    expect((await t.stack.sweepOutbox()).workflowsFailed).toEqual([id]);

    refused.mockRestore();
    expect((await t.stack.sweepOutbox()).workflowsStarted).toEqual([id]);
    await t.advance(0);
    expect((await executionOf(id)).body).toEqual(expect.objectContaining({ status: 'RUNNING', currentState: 'AwaitSignOff' }));
    // Begun once: the entry left the outbox, so the next sweep has nothing to start.
    expect((await t.stack.sweepOutbox()).workflowsStarted).toEqual([]);
    expect((await t.stack.stepFunctions.listExecutions({ stateMachineArn: t.stack.caseWorkflowArn })).executions).toHaveLength(1);

    const signOff = await t.call('POST', `/v1/cases/${id}/sign-off`, { token: await street(), body: { handler: { name: '李娟' } } });
    expect(signOff.status).toBe(202);
    await t.advance(0);
    expect(await timelineTypes(id)).toEqual(expect.arrayContaining(['CASE_ACCEPTED', 'SIGNED_OFF']));
  });

  test('a restart finds the waiting case and starts it without being asked', async () => {
    failStarts();
    const id = await intake({ 'idempotency-key': 'restart-1' });
    jest.restoreAllMocks();
    await t.restart();
    await t.advance(0);
    expect((await executionOf(id)).body).toEqual(expect.objectContaining({ status: 'RUNNING', currentState: 'AwaitSignOff' }));
    // The client's retry with the same key answers with the same case and starts nothing new.
    const retried = await t.call('POST', '/v1/cases', { token: await community(), body: routineCase, headers: { 'idempotency-key': 'restart-1' } });
    expect(retried.body.id).toBe(id);
    expect((await t.stack.stepFunctions.listExecutions({ stateMachineArn: t.stack.caseWorkflowArn })).executions).toHaveLength(1);
  });

  test('the deadlines are those set at intake, however late the workflow starts', async () => {
    failStarts();
    const id = await intake();
    const before = (await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body;
    await t.advance(3600);
    jest.restoreAllMocks();
    await t.stack.sweepOutbox();
    await t.advance(0);
    const after = (await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body;
    expect(after.signOffDueAt).toBe(before.signOffDueAt);
    expect(after.resolveDueAt).toBe(before.resolveDueAt);
  });
});

describe('SNS refuses alerts', () => {
  async function urgedCase(): Promise<string> {
    const id = await intake();
    const urged = await t.call('POST', `/v1/cases/${id}/supervise`, { token: await supervisor(), body: { action: 'urge', note: '请尽快签收' } });
    expect(urged.status).toBe(202);
    return id;
  }

  test('for a moment: the workflow retries and the alert goes out exactly once', async () => {
    const publish = t.stack.sns.publish.bind(t.stack.sns);
    const refusals = jest
      .spyOn(t.stack.sns, 'publish')
      .mockRejectedValueOnce(new Error('SNS is throttling'))
      .mockRejectedValueOnce(new Error('SNS is throttling'))
      .mockImplementation(publish);
    const id = await urgedCase();
    await t.advance(0);
    expect(await alertsOf(id)).toEqual([]); // the retries wait on the clock
    await t.advance(60);
    expect((await alertsOf(id)).map((a) => a.type)).toEqual(['URGED']);
    expect(refusals).toHaveBeenCalledTimes(3);
    expect((await executionOf(id)).body).toEqual(expect.objectContaining({ status: 'RUNNING', currentState: 'AwaitSignOff' }));
  });

  test('for longer than every retry: the alert is held, the case goes on, and the sweeper sends it once SNS answers', async () => {
    const down = jest.spyOn(t.stack.sns, 'publish').mockRejectedValue(new Error('SNS is unavailable'));
    const id = await urgedCase();
    await t.advance(30 * 60);
    expect(down.mock.calls.length).toBeGreaterThan(3);
    expect(await alertsOf(id)).toEqual([]);
    // Not failed: the execution waits for the sign-off as before, and the unit can act.
    expect((await executionOf(id)).body).toEqual(expect.objectContaining({ status: 'RUNNING', currentState: 'AwaitSignOff' }));

    // Still down: the sweep keeps it.
    expect(await t.stack.sweepOutbox()).toEqual(expect.objectContaining({ alertsPublished: 0, alertsFailed: 1 }));
    down.mockRestore();
    expect(await t.stack.sweepOutbox()).toEqual(expect.objectContaining({ alertsPublished: 1, alertsFailed: 0 }));
    expect(await t.stack.sweepOutbox()).toEqual(expect.objectContaining({ alertsPublished: 0 }));
    const alerts = await alertsOf(id);
    expect(alerts.map((a) => a.type)).toEqual(['URGED']);
    expect(alerts[0]).toEqual(expect.objectContaining({ caseId: id, attributes: { type: 'URGED', tier: '0', unit: 'street-xiling-xiling', district: 'xiling', audience: '["street-xiling-xiling"]' } }));

    expect((await t.call('POST', `/v1/cases/${id}/sign-off`, { token: await street(), body: { handler: { name: '李娟' } } })).status).toBe(202);
  });
});

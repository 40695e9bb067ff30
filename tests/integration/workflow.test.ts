import { startTestStack, type TestStack } from '../support/local-stack';
import { caseReads } from '../support/case-reads';

/*
 * Every path of the case workflow, end to end: the exact ASL file on the local Step Functions
 * service, the real workflow function on DynamoDB Local, alerts on the local SNS, driven only
 * through the public API and the virtual clock. Each test asserts the states passed, the
 * alerts sent and the case record.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const DISTRICT_OFFICE = 'district-office-xiling';
const CITY_OFFICE = 'city-office';
const CONFERENCE = 'joint-conference';
const HOUSING = 'city-dept-housing';
const HOUR = 3600;
const DAY = 24 * HOUR;

let t: TestStack;
const tokens: Record<string, string> = {};
const tokenFor = async (unit: string, role: string) => (tokens[`${unit}/${role}`] ??= await t.token(unit, role));
const community = () => tokenFor(COMMUNITY, 'community');
const supervisor = () => tokenFor('supervision-centre', 'supervisor');
const agency = (unit: string) => tokenFor(unit, 'agency');
const office = (unit: string, role: string) => tokenFor(unit, role);

beforeAll(async () => {
  t = await startTestStack('workflow');
});
// Every path starts on Monday 9 March 2026, 09:00, with an empty workflow state.
beforeEach(() => t.fresh());
afterAll(() => t.stop());

async function createCase(overrides: Record<string, unknown> = {}): Promise<any> {
  const response = await t.call('POST', '/v1/cases', {
    token: await community(),
    body: { title: '楼道堆放杂物', description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol', ...overrides },
  });
  expect(response.status).toBe(201);
  await t.advance(0); // let the workflow reach its first wait
  return response.body;
}

async function act(id: string, action: string, token: string, body: unknown, expected = 202): Promise<any> {
  const response = await t.call('POST', `/v1/cases/${id}/${action}`, { token, body });
  expect({ action, status: response.status, body: response.body }).toEqual({ action, status: expected, body: expect.anything() });
  await t.advance(0); // the workflow applies it
  return response.body;
}

const { getCase, execution, alertTypes } = caseReads(() => t, supervisor);

/** The waits the execution passed through, in order (the graph's path without the plumbing). */
async function waits(id: string): Promise<string[]> {
  return (await execution(id)).path.filter((name: string) => name.startsWith('Await') || name === 'Closed');
}

async function clockNow(): Promise<number> {
  return (await t.call('GET', '/_local/clock')).body.nowMs;
}

/** Moves the clock to an instant given as ISO text. */
async function advanceTo(instant: string): Promise<void> {
  const seconds = Math.ceil((Date.parse(instant) - (await clockNow())) / 1000);
  if (seconds > 0) await t.advance(seconds);
}

const signOff = (id: string, token: string) => act(id, 'sign-off', token, { handler: { name: '李娟', phone: '0717-6221234' } });

it('happy path: sign-off, resolve, satisfied → closed with the unified reply', async () => {
  const created = await createCase();
  expect((await execution(created.id)).currentState).toBe('AwaitSignOff');
  // The task token the workflow waits on stays on the record, never in any answer.
  for (const response of [
    await t.call('GET', `/v1/cases/${created.id}`, { token: await supervisor() }),
    await t.call('GET', '/v1/cases', { token: await supervisor() }),
  ]) {
    expect(JSON.stringify(response.body)).not.toMatch(/pendingTask|taskToken|lastStep/);
  }
  await t.advance(2 * HOUR);
  await signOff(created.id, await agency(STREET));
  let c = await getCase(created.id);
  expect(c).toEqual(expect.objectContaining({ status: 'in-progress', light: 'green', handler: { name: '李娟', phone: '0717-6221234' } }));
  // 9 working days from sign-off at Monday 11:00 → Friday of the next week, 11:00.
  expect(c.resolveDueAt).toBe('2026-03-20T11:00:00.000+08:00');

  await act(created.id, 'progress', await agency(STREET), { note: '已联系物业' }, 201);
  await act(created.id, 'resolve', await agency(STREET), { summary: '杂物已清理', outcome: '楼道恢复畅通' });
  c = await getCase(created.id);
  expect(c.status).toBe('awaiting-evaluation');
  expect(c.evaluationDueAt).toBe('2026-03-12T11:00:00.000+08:00');

  await act(created.id, 'evaluate', await community(), { rating: 'satisfied' });
  c = await getCase(created.id);
  expect(c).toEqual(
    expect.objectContaining({
      status: 'closed',
      closedReason: 'satisfied',
      evaluation: expect.objectContaining({ rating: 'satisfied' }),
      resolution: expect.objectContaining({ summary: '杂物已清理', outcome: '楼道恢复畅通', unit: STREET }),
    }),
  );
  expect(c.timeline.map((e: any) => e.type)).toEqual(['CASE_ACCEPTED', 'SIGNED_OFF', 'PROGRESS', 'RESOLVED', 'EVALUATED', 'CLOSED']);
  expect(await alertTypes(created.id)).toEqual([]);
  const run = await execution(created.id);
  expect(run.status).toBe('SUCCEEDED');
  expect(await waits(created.id)).toEqual(['AwaitSignOff', 'AwaitResult', 'AwaitEvaluation', 'Closed']);
});

it('sign-off breached once: warning, overdue, red, supervision record, a second window', async () => {
  const created = await createCase();
  await advanceTo(created.signOffDueAt);
  const c = await getCase(created.id);
  expect(await alertTypes(created.id)).toEqual(['SIGN_OFF_WARNING', 'SIGN_OFF_OVERDUE']);
  expect(c).toEqual(expect.objectContaining({ status: 'awaiting-sign-off', light: 'red', tier: 0, assignedUnit: STREET, signOffBreaches: 1 }));
  // The second window: one more working day from the breach.
  expect(c.signOffDueAt).toBe('2026-03-11T09:00:00.000+08:00');
  expect(c.timeline.map((e: any) => e.type)).toEqual(
    expect.arrayContaining(['SIGN_OFF_WARNING', 'SIGN_OFF_OVERDUE', 'SUPERVISION_RECORD', 'SIGN_OFF_WINDOW_REOPENED']),
  );
  expect((await execution(created.id)).path).toEqual(expect.arrayContaining(['SignOffClock']));
});

it('sign-off breached twice: escalated to the district office with its own windows', async () => {
  const created = await createCase();
  await advanceTo(created.signOffDueAt);
  await advanceTo((await getCase(created.id)).signOffDueAt);
  const c = await getCase(created.id);
  expect(await alertTypes(created.id)).toEqual(['SIGN_OFF_WARNING', 'SIGN_OFF_OVERDUE', 'SIGN_OFF_WARNING', 'SIGN_OFF_OVERDUE', 'ESCALATED']);
  expect(c).toEqual(expect.objectContaining({ tier: 1, assignedUnit: DISTRICT_OFFICE, firstHandlerUnit: STREET, status: 'awaiting-sign-off', light: 'green' }));
  expect(c.involvedUnits).toEqual(expect.arrayContaining([COMMUNITY, STREET, DISTRICT_OFFICE]));
});

it('handling breached at every tier climbs to the joint conference, and stays there', async () => {
  const created = await createCase({ category: 'neighbour-family' });
  const climb = [
    { unit: STREET, token: await agency(STREET), tier: 0 },
    { unit: DISTRICT_OFFICE, token: await office(DISTRICT_OFFICE, 'district-office'), tier: 1 },
    { unit: CITY_OFFICE, token: await office(CITY_OFFICE, 'city-office'), tier: 2 },
    { unit: CONFERENCE, token: await office(CONFERENCE, 'conference'), tier: 3 },
  ];
  for (const step of climb) {
    const before = await getCase(created.id);
    expect(before).toEqual(expect.objectContaining({ tier: step.tier, assignedUnit: step.unit, status: 'awaiting-sign-off' }));
    await signOff(created.id, step.token);
    await advanceTo((await getCase(created.id)).resolveDueAt);
  }
  const c = await getCase(created.id);
  expect(c).toEqual(expect.objectContaining({ tier: 3, assignedUnit: CONFERENCE, status: 'in-progress', light: 'red', firstHandlerUnit: STREET }));
  const alerts = await alertTypes(created.id);
  expect(alerts.filter((a) => a === 'HANDLING_OVERDUE')).toHaveLength(4);
  expect(alerts.filter((a) => a === 'ESCALATED')).toHaveLength(3);
  expect(alerts.filter((a) => a === 'CONFERENCE_REQUIRED')).toHaveLength(1);
  expect(alerts.filter((a) => a === 'HANDLING_WARNING')).toHaveLength(8); // 50 % and 75 % at each tier
  const tiers = (await t.call('GET', `/_local/alerts?caseId=${created.id}&type=ESCALATED`)).body.items.map((a: any) => a.tier);
  expect(tiers).toEqual([1, 2, 3]);
  expect((await execution(created.id)).status).toBe('RUNNING');
});

it('the unit escalates; a stale resolve from the old unit gets 409', async () => {
  const created = await createCase();
  await signOff(created.id, await agency(STREET));
  await act(created.id, 'escalate', await agency(STREET), { reason: '涉及多个部门，街道无法协调' });
  const c = await getCase(created.id);
  expect(c).toEqual(expect.objectContaining({ tier: 1, assignedUnit: DISTRICT_OFFICE, status: 'awaiting-sign-off' }));
  expect(await alertTypes(created.id)).toEqual(['ESCALATED']);
  await act(created.id, 'resolve', await agency(STREET), { summary: 'x', outcome: 'y' }, 409);
});

it("escalation by level: a city department's case goes to the city office, then the joint conference", async () => {
  const created = await createCase({ category: 'environment-pollution' });
  expect(created.assignedUnit).toBe('city-dept-environment');
  await signOff(created.id, await agency('city-dept-environment'));
  await act(created.id, 'escalate', await agency('city-dept-environment'), { reason: '涉及多个市直部门' });
  expect(await getCase(created.id)).toEqual(expect.objectContaining({ tier: 2, assignedUnit: CITY_OFFICE, status: 'awaiting-sign-off' }));
  await act(created.id, 'sign-off', await office(CITY_OFFICE, 'city-office'), { handler: { name: '周强' } });
  await act(created.id, 'escalate', await office(CITY_OFFICE, 'city-office'), { reason: '需联席会议研究' });
  const c = await getCase(created.id);
  expect(c).toEqual(expect.objectContaining({ tier: 3, assignedUnit: CONFERENCE, firstHandlerUnit: 'city-dept-environment' }));
  expect(c.involvedUnits).not.toContain(DISTRICT_OFFICE);
  expect(await alertTypes(created.id)).toEqual(['ESCALATED', 'ESCALATED', 'CONFERENCE_REQUIRED']);
});

it('a second sign-off gets 409 and changes nothing', async () => {
  const created = await createCase();
  await signOff(created.id, await agency(STREET));
  const before = await getCase(created.id);
  await act(created.id, 'sign-off', await agency(STREET), { handler: { name: '王强' } }, 409);
  const after = await getCase(created.id);
  expect(after.timeline).toEqual(before.timeline);
  expect(after.handler.name).toBe('李娟');
});

it('a sign-off retried with its Idempotency-Key is answered 202 again and applied once; the key cannot be reused for another action', async () => {
  const created = await createCase();
  const headers = { 'idempotency-key': 'sign-off-retry-1' };
  const send = async (action: string, body: unknown) => t.call('POST', `/v1/cases/${created.id}/${action}`, { token: await agency(STREET), body, headers });
  const first = await send('sign-off', { handler: { name: '李娟' } });
  expect(first.status).toBe(202);
  await t.advance(0);
  const again = await send('sign-off', { handler: { name: '李娟' } });
  expect(again.status).toBe(202);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.body).toEqual(first.body);
  await t.advance(0);
  const c = await getCase(created.id);
  expect(c.timeline.filter((e: { type: string }) => e.type === 'SIGNED_OFF')).toHaveLength(1);
  expect(c).not.toHaveProperty('appliedRequests');
  const reused = await send('resolve', { summary: '已清理', outcome: '楼道畅通' });
  expect(reused.status).toBe(409);
  expect(reused.body.code).toBe('error.idempotency-key-other-action');
  expect(reused.body.detail).toContain('签收');
  // Without the key, a second sign-off is still 409.
  await act(created.id, 'sign-off', await agency(STREET), { handler: { name: '李娟' } }, 409);
});

it('return and reassign: back to the supervision centre, then a new unit with fresh windows', async () => {
  const created = await createCase();
  await act(created.id, 'return', await agency(STREET), { reason: '属于房管部门职责' });
  let c = await getCase(created.id);
  expect(c).toEqual(expect.objectContaining({ status: 'returned', assignedUnit: 'supervision-centre' }));
  // The street office still finds it in its 已退回 queue while it waits to be re-routed.
  const returnedQueue = async () => (await t.call('GET', '/v1/cases?status=returned', { token: await agency(STREET) })).body.items.map((item: any) => item.id);
  expect(await returnedQueue()).toEqual([created.id]);
  // The centre is late: one working day later it is alerted.
  await advanceTo(c.reRouteDueAt);
  expect(await alertTypes(created.id)).toEqual(['REROUTE_OVERDUE']);
  await act(created.id, 'supervise', await supervisor(), { action: 'reassign', toUnit: HOUSING, note: '转市房管局办理' });
  c = await getCase(created.id);
  expect(c).toEqual(expect.objectContaining({ status: 'awaiting-sign-off', assignedUnit: HOUSING, tier: 0, light: 'green' }));
  expect(await returnedQueue()).toEqual([]);
  expect(Date.parse(c.signOffDueAt)).toBeGreaterThan(await clockNow());
  expect(await waits(created.id)).toEqual(['AwaitSignOff', 'AwaitReRouting', 'AwaitReRouting', 'AwaitSignOff']);
});

it('extension approved moves the due date; a second request at the tier is refused', async () => {
  const created = await createCase();
  await signOff(created.id, await agency(STREET));
  const due = (await getCase(created.id)).resolveDueAt;
  await act(created.id, 'extension', await agency(STREET), { workingDays: 3, reason: '需等待鉴定结果' });
  expect((await getCase(created.id)).extension).toEqual(expect.objectContaining({ state: 'requested', workingDays: 3 }));
  await act(created.id, 'supervise', await supervisor(), { action: 'approve-extension', note: '同意延期' });
  const c = await getCase(created.id);
  expect(c.extension.state).toBe('approved');
  // Due Friday 20 March 09:00; three more working days → Wednesday 25 March 09:00.
  expect(due).toBe('2026-03-20T09:00:00.000+08:00');
  expect(c.resolveDueAt).toBe('2026-03-25T09:00:00.000+08:00');
  expect(c.timeline.find((e: any) => e.type === 'EXTENSION_APPROVED').data).toEqual(
    expect.objectContaining({ previousDueAt: due, resolveDueAt: c.resolveDueAt }),
  );
  await act(created.id, 'extension', await agency(STREET), { workingDays: 2, reason: '再延期' }, 409);
});

it('extension refused leaves the due date where it was', async () => {
  const created = await createCase();
  await signOff(created.id, await agency(STREET));
  const due = (await getCase(created.id)).resolveDueAt;
  await act(created.id, 'extension', await agency(STREET), { workingDays: 5, reason: '人手不足' });
  await act(created.id, 'supervise', await supervisor(), { action: 'refuse-extension', note: '理由不充分' });
  const c = await getCase(created.id);
  expect(c.extension.state).toBe('refused');
  expect(c.resolveDueAt).toBe(due);
});

it('unsatisfied then satisfied: reopened at the same unit with a new window, then closed', async () => {
  const created = await createCase();
  await signOff(created.id, await agency(STREET));
  await act(created.id, 'resolve', await agency(STREET), { summary: '已处理', outcome: '已清理' });
  await act(created.id, 'evaluate', await community(), { rating: 'unsatisfied', comment: '仍有杂物' });
  let c = await getCase(created.id);
  expect(c).toEqual(expect.objectContaining({ status: 'in-progress', assignedUnit: STREET, tier: 0, unsatisfiedCount: 1 }));
  expect(await alertTypes(created.id)).toEqual(['EVALUATION_UNSATISFIED']);
  await act(created.id, 'resolve', await agency(STREET), { summary: '再次清理', outcome: '已彻底清理' });
  await act(created.id, 'evaluate', await community(), { rating: 'satisfied' });
  c = await getCase(created.id);
  expect(c.status).toBe('closed');
  expect(c.resolution.summary).toBe('再次清理');
});

it('unsatisfied twice escalates one tier', async () => {
  const created = await createCase();
  await signOff(created.id, await agency(STREET));
  for (const rating of ['unsatisfied', 'not-implemented']) {
    await act(created.id, 'resolve', await agency(STREET), { summary: '已处理', outcome: '已处理' });
    await act(created.id, 'evaluate', await community(), { rating });
  }
  const c = await getCase(created.id);
  expect(c).toEqual(expect.objectContaining({ tier: 1, assignedUnit: DISTRICT_OFFICE, status: 'awaiting-sign-off' }));
  expect(await alertTypes(created.id)).toEqual(['EVALUATION_UNSATISFIED', 'EVALUATION_UNSATISFIED', 'ESCALATED']);
});

it('no evaluation within 3 working days closes the case as not evaluated', async () => {
  const created = await createCase();
  await signOff(created.id, await agency(STREET));
  await act(created.id, 'resolve', await agency(STREET), { summary: '已处理', outcome: '已处理' });
  await advanceTo((await getCase(created.id)).evaluationDueAt);
  const c = await getCase(created.id);
  expect(c).toEqual(expect.objectContaining({ status: 'closed', closedReason: 'not-evaluated' }));
  expect((await execution(created.id)).status).toBe('SUCCEEDED');
  await act(created.id, 'evaluate', await community(), { rating: 'satisfied' }, 409);
});

it('the supervisor urges: recorded on the timeline and alerted to the unit, nothing else changes', async () => {
  const created = await createCase();
  const before = await getCase(created.id);
  await act(created.id, 'supervise', await supervisor(), { action: 'urge', note: '请尽快签收' });
  const c = await getCase(created.id);
  expect(c.timeline.map((e: any) => e.type)).toEqual(['CASE_ACCEPTED', 'SUPERVISION_URGE', 'URGED']);
  expect(c).toEqual(expect.objectContaining({ status: before.status, signOffDueAt: before.signOffDueAt, assignedUnit: STREET }));
  const urged = (await t.call('GET', `/_local/alerts?caseId=${created.id}`)).body.items;
  expect(urged).toEqual([expect.objectContaining({ type: 'URGED', unit: STREET, tier: 0 })]);
});

it('actions from the wrong party are refused before anything is delivered', async () => {
  const created = await createCase();
  await act(created.id, 'sign-off', await agency(HOUSING), { handler: { name: 'x' } }, 403);
  await act(created.id, 'supervise', await agency(STREET), { action: 'urge', note: 'x' }, 403);
  await act(created.id, 'resolve', await agency(STREET), { summary: 'x', outcome: 'y' }, 409); // before sign-off
  await act(created.id, 'supervise', await supervisor(), { action: 'reassign', note: 'x' }, 400);
  expect((await getCase(created.id)).timeline.map((e: any) => e.type)).toEqual(['CASE_ACCEPTED']);
});

it('a restart in the middle of an open case continues where it was, timers included, nothing twice', async () => {
  const created = await createCase();
  await signOff(created.id, await agency(STREET));
  await t.advance(5 * DAY); // past the 50 % warning
  expect(await alertTypes(created.id)).toEqual(['HANDLING_WARNING']);
  await t.restart();
  expect((await execution(created.id)).currentState).toBe('AwaitResult');
  await advanceTo((await getCase(created.id)).resolveDueAt);
  expect(await alertTypes(created.id)).toEqual(['HANDLING_WARNING', 'HANDLING_WARNING', 'HANDLING_OVERDUE', 'ESCALATED']);
  await signOff(created.id, await office(DISTRICT_OFFICE, 'district-office'));
  expect((await getCase(created.id)).status).toBe('in-progress');
});

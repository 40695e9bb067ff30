import { startTestStack, type TestStack } from '../support/local-stack';
import { caseReads } from '../support/case-reads';

/*
 * 首办负责, 分线处理: the first unit owns the case and brings in co-handling units, each with its
 * own windows on the same case clock, over HTTP on the exact ASL and the local engine.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const HOUSING = 'city-dept-housing';
const ENVIRONMENT = 'city-dept-environment';
const OTHER_STREET = 'street-wujiagang-wujiagang';
const HOUR = 3600;

let t: TestStack;
const tokens: Record<string, string> = {};
const tokenFor = async (unit: string, role: string) => (tokens[`${unit}/${role}`] ??= await t.token(unit, role));
const community = () => tokenFor(COMMUNITY, 'community');
const supervisor = () => tokenFor('supervision-centre', 'supervisor');
const agency = (unit: string) => tokenFor(unit, 'agency');

beforeAll(async () => {
  t = await startTestStack('co-handling');
});
beforeEach(() => t.fresh());
afterAll(() => t.stop());

const { getCase, execution, alertTypes } = caseReads(() => t, supervisor);

async function call(method: string, path: string, token: string, body?: unknown) {
  const response = await t.call(method, path, { token, ...(body !== undefined ? { body } : {}) });
  await t.advance(0);
  return response;
}

/** A routine case at the street office, signed off: handling has begun. */
async function handledCase(): Promise<string> {
  const created = await t.call('POST', '/v1/cases', {
    token: await community(),
    body: { title: '小区供水中断', description: '3 栋停水三天，物业称水费欠缴。', category: 'routine', reportedVia: 'visit', complainant: { name: '王芳', phone: '13700001111' } },
  });
  expect(created.status).toBe(201);
  await t.advance(0);
  expect((await call('POST', `/v1/cases/${created.body.id}/sign-off`, await agency(STREET), { handler: { name: '李娟' } })).status).toBe(202);
  return created.body.id;
}

const coHandle = async (id: string, units: string[], workingDays = 2, extra: Record<string, unknown> = {}) =>
  call('POST', `/v1/cases/${id}/co-handlers`, await agency(STREET), { units, task: '核实欠费并协调恢复供水', workingDays, ...extra });

const part = (c: any, unit: string) => c.coHandlers.find((p: any) => p.unit === unit);

it('two co-handlers: one replies on time, one late (its own warning, breach and urge); the holder resolves after both', async () => {
  const id = await handledCase();
  expect((await coHandle(id, [HOUSING, ENVIRONMENT])).status).toBe(202);
  let c = await getCase(id);
  expect(c.coHandlers.map((p: any) => [p.unit, p.status])).toEqual([[HOUSING, 'requested'], [ENVIRONMENT, 'requested']]);
  expect((await execution(id)).currentState).toBe('AwaitCoHandlers');

  // Each sees it in its own queue; the complainant stays hidden (not asked for), the task is there.
  const queue = await t.call('GET', '/v1/cases?coHandling=true', { token: await agency(HOUSING) });
  expect(queue.body.items.map((item: any) => item.id)).toEqual([id]);
  const asHousing = (await t.call('GET', `/v1/cases/${id}`, { token: await agency(HOUSING) })).body;
  expect(asHousing.complainant).toBeUndefined();
  expect(asHousing.allowedActions).toEqual(['co-handler-sign-off', 'co-handler-reply', 'co-handler-return']);
  expect((await t.call('GET', `/v1/cases/${id}`, { token: await agency(STREET) })).body.allowedActions).not.toContain('resolve');

  // Housing signs off and replies at once.
  expect((await call('POST', `/v1/cases/${id}/co-handlers/${HOUSING}/sign-off`, await agency(HOUSING), { handler: { name: '陈刚' } })).status).toBe(202);
  expect((await call('POST', `/v1/cases/${id}/co-handlers/${HOUSING}/reply`, await agency(HOUSING), { summary: '已责成物业恢复供水' })).status).toBe(202);
  expect((await t.call('GET', '/v1/cases?coHandling=true', { token: await agency(HOUSING) })).body.items).toEqual([]);

  // Resolving while the environment bureau still owes its part: 409 naming it.
  const early = await t.call('POST', `/v1/cases/${id}/resolve`, { token: await agency(STREET), body: { summary: 'x', outcome: 'y' }, headers: { 'accept-language': 'en' } });
  expect(early.status).toBe(409);
  expect(early.body.code).toBe('error.co-handlers-outstanding');
  expect(early.body.detail).toContain('Yichang Environmental Protection Bureau');

  // The environment bureau signs off, then lets its reply window run out: warnings and breach are its own.
  await call('POST', `/v1/cases/${id}/co-handlers/${ENVIRONMENT}/sign-off`, await agency(ENVIRONMENT), {});
  await t.advance(54 * HOUR); // Monday 09:00 → Wednesday 15:00: past its reply deadline (Wednesday 09:00), before the new window's first warning
  c = await getCase(id);
  expect(part(c, ENVIRONMENT)).toEqual(expect.objectContaining({ status: 'signed-off', light: 'red', breaches: 1 }));
  expect(c.light).not.toBe('red');
  const alerts = (await t.call('GET', '/_local/alerts')).body.items.filter((a: any) => a.caseId === id);
  const coAlerts = alerts.filter((a: any) => a.type.startsWith('CO_HANDLER'));
  expect(coAlerts.map((a: any) => [a.type, a.unit])).toEqual([
    ['CO_HANDLER_WARNING', ENVIRONMENT],
    ['CO_HANDLER_WARNING', ENVIRONMENT],
    ['CO_HANDLER_OVERDUE', ENVIRONMENT],
  ]);
  expect(alerts.filter((a: any) => a.unit === HOUSING)).toEqual([]);
  expect(c.timeline.filter((e: any) => e.code === 'SUPERVISION_RECORD').map((e: any) => e.params.cause)).toEqual(['co-handler-overdue']);

  // The supervisor urges that part only.
  expect((await call('POST', `/v1/cases/${id}/supervise`, await supervisor(), { action: 'urge', coHandler: ENVIRONMENT, note: '请尽快答复' })).status).toBe(202);
  const urged = (await t.call('GET', '/_local/alerts')).body.items.filter((a: any) => a.caseId === id && a.type === 'URGED');
  expect(urged.map((a: any) => a.unit)).toEqual([ENVIRONMENT]);
  expect((await getCase(id)).metrics.urges).toBe(0);

  await call('POST', `/v1/cases/${id}/co-handlers/${ENVIRONMENT}/reply`, await agency(ENVIRONMENT), { summary: '已排查，无污染' });
  expect((await execution(id)).currentState).toBe('AwaitResult');
  expect((await call('POST', `/v1/cases/${id}/resolve`, await agency(STREET), { summary: '已恢复供水', outcome: '物业补缴水费，供水恢复' })).status).toBe(202);
  c = await getCase(id);
  expect(c.status).toBe('awaiting-evaluation');
  expect(c.coHandlers.map((p: any) => p.status)).toEqual(['replied', 'replied']);
  expect(await alertTypes(id)).not.toContain('HANDLING_OVERDUE');
});

it('the supervisor waives a missing reply with a reason; a co-handler returns its part; then the holder resolves', async () => {
  const id = await handledCase();
  await coHandle(id, [HOUSING, ENVIRONMENT]);
  const noReason = await t.call('POST', `/v1/cases/${id}/supervise`, { token: await supervisor(), body: { action: 'waive-co-handler', coHandler: HOUSING } });
  expect(noReason.status).toBe(400);
  expect((await call('POST', `/v1/cases/${id}/supervise`, await supervisor(), { action: 'waive-co-handler', coHandler: HOUSING, note: '住建局已另案处理' })).status).toBe(202);
  expect((await call('POST', `/v1/cases/${id}/co-handlers/${ENVIRONMENT}/return`, await agency(ENVIRONMENT), { reason: '不属环保职责' })).status).toBe(202);
  const c = await getCase(id);
  expect(c.coHandlers.map((p: any) => [p.unit, p.status])).toEqual([[HOUSING, 'waived'], [ENVIRONMENT, 'returned']]);
  expect(c.timeline.map((e: any) => e.code)).toEqual(expect.arrayContaining(['CO_HANDLERS_REQUESTED', 'CO_HANDLER_WAIVED', 'CO_HANDLER_RETURNED']));
  expect((await call('POST', `/v1/cases/${id}/resolve`, await agency(STREET), { summary: '已办结', outcome: '已恢复供水' })).status).toBe(202);
  // A reply after its part ended, and after the case closed: 409.
  expect((await call('POST', `/v1/cases/${id}/co-handlers/${HOUSING}/reply`, await agency(HOUSING), { summary: '迟到的答复' })).status).toBe(409);
  await call('POST', `/v1/cases/${id}/evaluate`, await community(), { rating: 'satisfied' });
  expect((await getCase(id)).status).toBe('closed');
  expect((await call('POST', `/v1/cases/${id}/co-handlers/${ENVIRONMENT}/reply`, await agency(ENVIRONMENT), { summary: '迟到的答复' })).status).toBe(409);
});

it('a part that needs the complainant: that co-handler sees the complainant, the other does not', async () => {
  const id = await handledCase();
  await coHandle(id, [HOUSING], 2, { sharePersonalData: true });
  await coHandle(id, [ENVIRONMENT]);
  expect((await t.call('GET', `/v1/cases/${id}`, { token: await agency(HOUSING) })).body.complainant).toEqual({ name: '王芳', phone: '13700001111' });
  expect((await t.call('GET', `/v1/cases/${id}`, { token: await agency(ENVIRONMENT) })).body.complainant).toBeUndefined();
});

it('bad input: the holder itself, a wrong kind, a unit already co-handling, more than ten, another unit acting on a part', async () => {
  const id = await handledCase();
  const before = await getCase(id);
  const refused = async (units: string[], path: string) => {
    const answer = await t.call('POST', `/v1/cases/${id}/co-handlers`, { token: await agency(STREET), body: { units, task: '协办', workingDays: 2 } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: any) => e.path)).toContain(path);
  };
  await refused([STREET], 'units.0');
  await refused([HOUSING, 'district-office-xiling'], 'units.1');
  await refused(Array.from({ length: 11 }, (_, i) => `street-${i}-x`), 'units');
  await refused([HOUSING, HOUSING], 'units');
  expect((await getCase(id)).timeline).toHaveLength(before.timeline.length);

  await coHandle(id, [HOUSING]);
  await refused([HOUSING], 'units.0');
  // Another unit acting on a part: 403, whether it names its own unit or the co-handler's.
  expect((await t.call('POST', `/v1/cases/${id}/co-handlers/${HOUSING}/reply`, { token: await agency(OTHER_STREET), body: { summary: 'x' } })).status).toBe(403);
  expect((await t.call('POST', `/v1/cases/${id}/co-handlers/${OTHER_STREET}/reply`, { token: await agency(OTHER_STREET), body: { summary: 'x' } })).status).toBe(403);
  // Only the holder brings in co-handlers.
  expect((await t.call('POST', `/v1/cases/${id}/co-handlers`, { token: await agency(HOUSING), body: { units: [ENVIRONMENT], task: 'x', workingDays: 1 } })).status).toBe(403);
});

it("a monthly report over HTTP credits the unit that did the work: a rightly returned and reassigned case counts for the second unit", async () => {
  // A community of another district, so its street office holds no other case of this file's table.
  const longpanhu = await tokenFor('community-wujiagang-longpanhu', 'community');
  const created = await t.call('POST', '/v1/cases', {
    token: longpanhu,
    body: { title: '楼道堆放杂物', description: '杂物堵塞消防通道。', category: 'routine', reportedVia: 'patrol' },
  });
  const id = created.body.id;
  expect(created.body.assignedUnit).toBe(OTHER_STREET);
  await t.advance(0);
  await call('POST', `/v1/cases/${id}/return`, await agency(OTHER_STREET), { reason: '属物业管理，不属街道职责' });
  await call('POST', `/v1/cases/${id}/supervise`, await supervisor(), { action: 'reassign', toUnit: HOUSING, note: '改派住建局' });
  await call('POST', `/v1/cases/${id}/sign-off`, await agency(HOUSING), { handler: { name: '陈刚' } });
  await call('POST', `/v1/cases/${id}/resolve`, await agency(HOUSING), { summary: '已责成物业清理', outcome: '通道畅通', approvedBy: { name: '周明', post: '局长' } });
  await call('POST', `/v1/cases/${id}/evaluate`, longpanhu, { rating: 'satisfied' });

  const report = await t.call('GET', '/v1/reports/2026-03', { token: await supervisor() });
  expect(report.status).toBe(200);
  const unit = (u: string) => report.body.units.find((entry: any) => entry.unit === u);
  expect(unit(HOUSING)).toEqual(expect.objectContaining({ received: 1, resolved: 1, satisfied: 1 }));
  // The street office answered in time (by returning it) and is not scored for a case that was not its own.
  expect(unit(OTHER_STREET)).toBeUndefined();
  const districtOfTheCase = report.body.districts.find((d: any) => d.district === 'wujiagang');
  expect(districtOfTheCase).toEqual(expect.objectContaining({ received: 1, resolved: 1, satisfied: 1, returns: 1 }));
});

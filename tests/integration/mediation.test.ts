import { startTestStack, type TestStack } from '../support/local-stack';
import { caseReads } from '../support/case-reads';

/*
 * Mediation (调解) over HTTP on the exact ASL and the local engine: a traffic accident referred at
 * intake to the traffic-accident mediation centre, two sessions, an agreement reported to the
 * traffic police, the file of documents and the fulfilment; a medical dispute that fails with the
 * advice to sue; a mediation that runs past its month; and the bad input of the issue.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const OTHER_COMMUNITY = 'community-wujiagang-longpanhu';
const TRAFFIC_POLICE = 'city-dept-traffic-police';
const HEALTH = 'city-dept-health';
const TRAFFIC = 'mediation-city-traffic-accident';
const MEDICAL = 'mediation-city-medical-dispute';
const STREET_COMMITTEE = 'mediation-xiling-xiling-street';
const DAY = 86400;

let t: TestStack;
const tokens: Record<string, string> = {};
const tokenFor = async (unit: string, role: string) => (tokens[`${unit}/${role}`] ??= await t.token(unit, role));
const community = () => tokenFor(COMMUNITY, 'community');
const supervisor = () => tokenFor('supervision-centre', 'supervisor');
const agency = (unit: string) => tokenFor(unit, 'agency');
const mediator = (unit: string) => tokenFor(unit, 'mediator');

beforeAll(async () => {
  t = await startTestStack('mediation');
});
beforeEach(() => t.fresh());
afterAll(() => t.stop());

const { getCase, execution, alertTypes } = caseReads(() => t, supervisor);

async function call(method: string, path: string, token: string, body?: unknown) {
  const response = await t.call(method, path, { token, ...(body !== undefined ? { body } : {}) });
  await t.advance(0);
  return response;
}

async function newCase(category: string, title: string, description: string): Promise<{ id: string; holder: string }> {
  const created = await t.call('POST', '/v1/cases', {
    token: await community(),
    body: { title, description, category, reportedVia: 'visit', complainant: { name: '王强', phone: '13800138000' } },
  });
  expect(created.status).toBe(201);
  await t.advance(0);
  return { id: created.body.id, holder: created.body.assignedUnit };
}

const trafficAccident = () => newCase('road-traffic-accident', '两车追尾赔偿', '夷陵大道两车追尾，交警已出具事故认定书，车损及误工费协商不成。');
const medicalDispute = () => newCase('medical-dispute', '术后感染赔偿', '患者术后感染，家属认为医院存在过错，要求赔偿。');

const session = (n: number) => ({
  // Held when recorded (never in the future): at the start, and two days on.
  at: n === 1 ? '2026-03-09T09:00:00+08:00' : '2026-03-11T09:00:00+08:00',
  record: n === 1 ? '双方陈述事故经过，保险公司说明理赔标准。' : '双方同意按事故责任比例赔偿。',
  participants: [
    { role: 'applicant', name: '王强' },
    { role: 'respondent', name: '李四' },
    { role: 'insurer', name: '某财产保险公司' },
  ],
  place: '调解中心第一调解室',
});
const agreement = {
  result: 'agreement',
  terms: '李四赔偿王强车辆维修费、误工费，由保险公司在交强险限额内直接赔付。',
  amounts: [{ payer: '李四', payee: '王强', amountYuan: 12800.5, dueBy: '2026-04-10' }],
  signed: true,
  // The clock starts at 09:00 on Monday 9 March: signed then, never in the future.
  signedAt: '2026-03-09T09:00:00+08:00',
};

/** The mediation statistics of March 2026 for one body (the table outlives each test: compare with a reading taken before). */
async function bodyFigures(body: string): Promise<Record<string, number>> {
  const stats = (await t.call('GET', '/v1/statistics/mediation?from=2026-03&to=2026-03', { token: await supervisor() })).body;
  const row = stats.byBody.find((r: any) => r.key === body) ?? { received: 0, mediated: 0, declined: 0, agreements: 0, failed: 0, concludedInTime: 0, fulfilled: 0, unfulfilled: 0, amountYuan: 0 };
  const { key: _key, successRate: _rate, ...counts } = row;
  return counts;
}
const plus = (before: Record<string, number>, change: Record<string, number>) =>
  Object.fromEntries(Object.entries(before).map(([k, v]) => [k, change[k] === undefined ? v : Math.round((v + change[k]!) * 100) / 100]));

it('a traffic accident referred at intake: two sessions, an agreement reported to the traffic police, the file of documents, the fulfilment', async () => {
  const figures = await bodyFigures(TRAFFIC);
  const { id, holder } = await trafficAccident();
  expect(holder).toBe(TRAFFIC_POLICE);
  // The accepting community may refer it at intake; nobody routed it to a committee by itself.
  expect((await t.call('GET', `/v1/cases/${id}`, { token: await community() })).body.allowedActions).toContain('mediate');
  expect((await call('POST', `/v1/cases/${id}/mediation`, await community(), { body: TRAFFIC, note: '双方均同意人民调解' })).status).toBe(202);
  let c = await getCase(id);
  expect(c.mediations).toEqual([expect.objectContaining({ body: TRAFFIC, status: 'referred', referredBy: COMMUNITY })]);
  expect((await execution(id)).currentState).toBe('AwaitMediation');

  // The centre finds it in its queue and may accept or decline it; the holder may do nothing meanwhile.
  const queue = await t.call('GET', '/v1/cases', { token: await mediator(TRAFFIC) });
  expect(queue.body.items.map((item: any) => item.id)).toEqual([id]);
  expect((await t.call('GET', `/v1/cases/${id}`, { token: await mediator(TRAFFIC) })).body.allowedActions).toEqual(['mediation-accept', 'mediation-decline']);
  // The holder may note progress, nothing else, while the body holds the case.
  expect((await t.call('GET', `/v1/cases/${id}`, { token: await agency(TRAFFIC_POLICE) })).body.allowedActions).toEqual(['progress']);
  expect((await call('POST', `/v1/cases/${id}/sign-off`, await agency(TRAFFIC_POLICE), { handler: { name: '赵警官' } })).status).toBe(409);

  expect((await call('POST', `/v1/cases/${id}/mediation/accept`, await mediator(TRAFFIC), {})).status).toBe(202);
  expect((await call('POST', `/v1/cases/${id}/mediation/sessions`, await mediator(TRAFFIC), session(1))).status).toBe(202);
  await t.advance(2 * DAY);
  expect((await call('POST', `/v1/cases/${id}/mediation/sessions`, await mediator(TRAFFIC), session(2))).status).toBe(202);
  expect((await call('POST', `/v1/cases/${id}/mediation/outcome`, await mediator(TRAFFIC), agreement)).status).toBe(202);

  c = await getCase(id);
  expect(c.mediations[0]).toEqual(
    expect.objectContaining({ status: 'agreed', concludedOnTime: true, agreement: expect.objectContaining({ performBy: '2026-04-10', signed: true, reportedTo: [TRAFFIC_POLICE] }) }),
  );
  expect(c.mediations[0].sessions).toHaveLength(2);
  expect((await execution(id)).currentState).toBe('AwaitMediation');
  // The agreement goes to the traffic police through the notifications.
  const told = (await t.call('GET', `/_local/notifications?caseId=${id}&unit=${TRAFFIC_POLICE}`)).body.items;
  expect(told.filter((n: any) => n.code === 'MEDIATION_AGREEMENT').length).toBeGreaterThan(0);

  // The file: application, registration, notice of rights and duties, both records, the agreement and its delivery receipt.
  const asCommunity = (await t.call('GET', `/v1/cases/${id}`, { token: await community() })).body;
  expect(asCommunity.documents.map((d: any) => d.kind)).toEqual(['application', 'registration', 'rights-notice', 'session-record-1', 'session-record-2', 'agreement', 'delivery-receipt']);
  for (const document of asCommunity.documents) {
    const printed = await t.call('GET', document.href, { token: await mediator(TRAFFIC) });
    expect(printed.status).toBe(200);
    expect(printed.headers.get('content-type')).toMatch(/^text\/html/);
    expect(printed.body).toContain('@media print');
    expect(printed.body).toContain(document.title.replace(/（.*$/, ''));
  }
  expect((await t.call('GET', `/v1/cases/${id}/documents/agreement`, { token: await community() })).body).toContain('12,800.50');
  // Someone not party to the case: 403; the auditor reads the case but not the parties' names.
  expect((await t.call('GET', `/v1/cases/${id}/documents/agreement`, { token: await tokenFor(OTHER_COMMUNITY, 'community') })).status).toBe(403);
  expect((await t.call('GET', `/v1/cases/${id}/documents/agreement`, { token: await mediator(MEDICAL) })).status).toBe(403);
  expect((await t.call('GET', `/v1/cases/${id}/documents/follow-up`, { token: await community() })).status).toBe(404);
  const asAuditor = (await t.call('GET', `/v1/cases/${id}`, { token: await tokenFor('supervision-centre', 'auditor') })).body;
  expect(asAuditor.mediations[0].sessions.flatMap((s: any) => s.participants.map((p: any) => p.name))).toEqual(Array(6).fill('（已隐去）'));
  expect(asAuditor.mediations[0].agreement.amounts[0]).toEqual(expect.objectContaining({ payer: '（已隐去）', payee: '（已隐去）', amountYuan: 12800.5 }));
  expect(asAuditor.complainant).toBeUndefined();

  // The fulfilment: carried out; the follow-up record joins the file and the case goes back to the holder, which never signed it off.
  expect((await call('POST', `/v1/cases/${id}/mediation/fulfilment`, await mediator(TRAFFIC), { fulfilled: true, note: '保险公司已全额赔付' })).status).toBe(202);
  c = await getCase(id);
  expect(c.mediations[0].status).toBe('fulfilled');
  expect(c.status).toBe('awaiting-sign-off');
  expect(c.documents.map((d: any) => d.kind)).toContain('follow-up');
  expect((await execution(id)).currentState).toBe('AwaitSignOff');
  expect((await t.call('GET', '/v1/cases', { token: await mediator(TRAFFIC) })).body.items).toEqual([]);
  expect(c.timeline.map((e: any) => e.code)).toEqual(
    expect.arrayContaining(['MEDIATION_REFERRED', 'MEDIATION_ACCEPTED', 'MEDIATION_SESSION', 'MEDIATION_AGREEMENT', 'MEDIATION_FULFILLED', 'MEDIATION_BACK_TO_HOLDER']),
  );
  // Done with it: the centre may do nothing more, and the case is not referred again.
  expect((await call('POST', `/v1/cases/${id}/mediation/fulfilment`, await mediator(TRAFFIC), { fulfilled: true, note: '再次登记' })).status).toBe(409);
  expect((await call('POST', `/v1/cases/${id}/mediation`, await agency(TRAFFIC_POLICE), { body: STREET_COMMITTEE, note: '再调解' })).status).toBe(409);

  // The statistics count it for the people's channel and the centre.
  expect(await bodyFigures(TRAFFIC)).toEqual(plus(figures, { received: 1, mediated: 1, agreements: 1, concludedInTime: 1, fulfilled: 1, amountYuan: 12800.5 }));
  const stats = (await t.call('GET', '/v1/statistics/mediation?from=2026-03&to=2026-03', { token: await supervisor() })).body;
  expect(stats.byChannel.map((r: any) => r.key)).toEqual(['people', 'administrative', 'judicial', 'police', 'procuratorate', 'third-party']);
  expect(stats.targets.map((target: any) => [target.key, target.goal])).toEqual([['mediationRate', 1], ['successRate', 0.95], ['administrativeMediationRate', 0.8], ['settledAtStreetOrBelow', 0.9]]);
});

it('a medical dispute that fails: the parties are advised to sue, and the case goes back to the holder, which reports it', async () => {
  const figures = await bodyFigures(MEDICAL);
  const { id, holder } = await medicalDispute();
  expect(holder).toBe(HEALTH);
  await call('POST', `/v1/cases/${id}/sign-off`, await agency(HEALTH), { handler: { name: '孙医生' } });
  expect((await call('POST', `/v1/cases/${id}/mediation`, await agency(HEALTH), { body: MEDICAL, note: '医患双方同意第三方调解' })).status).toBe(202);
  await call('POST', `/v1/cases/${id}/mediation/accept`, await mediator(MEDICAL), {});
  // No outcome before a session: 409.
  expect((await call('POST', `/v1/cases/${id}/mediation/outcome`, await mediator(MEDICAL), { result: 'failed', reason: '分歧', advice: 'litigation' })).status).toBe(409);
  // A session held in the future: 400.
  expect((await call('POST', `/v1/cases/${id}/mediation/sessions`, await mediator(MEDICAL), { at: '2026-03-20T10:00:00+08:00', record: '尚未举行' })).status).toBe(400);
  await call('POST', `/v1/cases/${id}/mediation/sessions`, await mediator(MEDICAL), { at: '2026-03-09T09:00:00+08:00', record: '双方对医疗过错认定分歧较大。', participants: [{ role: 'applicant', name: '王强' }] });
  // A failure without the advice given: 400, nothing changed.
  const noAdvice = await t.call('POST', `/v1/cases/${id}/mediation/outcome`, { token: await mediator(MEDICAL), body: { result: 'failed', reason: '分歧较大' } });
  expect(noAdvice.status).toBe(400);
  expect(noAdvice.body.errors.map((e: any) => e.path)).toEqual(['advice']);
  expect((await call('POST', `/v1/cases/${id}/mediation/outcome`, await mediator(MEDICAL), { result: 'failed', reason: '双方对医疗过错认定分歧较大', advice: 'litigation' })).status).toBe(202);

  const c = await getCase(id);
  expect(c.mediations[0]).toEqual(expect.objectContaining({ status: 'failed', failure: expect.objectContaining({ advice: 'litigation' }) }));
  expect(c.status).toBe('in-progress');
  expect((await execution(id)).currentState).toBe('AwaitResult');
  const failed = c.timeline.find((e: any) => e.code === 'MEDIATION_FAILED');
  expect(failed.text).toContain('向人民法院起诉');
  expect(c.documents.map((d: any) => d.kind)).toEqual(['application', 'registration', 'rights-notice', 'session-record-1', 'follow-up']);
  expect((await t.call('GET', `/v1/cases/${id}/documents/follow-up`, { token: await agency(HEALTH) })).body).toContain('向人民法院起诉');
  // The same committee cannot be asked again; the holder reports the result itself.
  expect((await call('POST', `/v1/cases/${id}/mediation`, await agency(HEALTH), { body: MEDICAL, note: '再次调解' })).status).toBe(409);
  expect((await call('POST', `/v1/cases/${id}/resolve`, await agency(HEALTH), { summary: '调解不成，已告知当事人可依法起诉', outcome: '告知诉讼途径', approvedBy: { name: '周主任', post: '主任' } })).status).toBe(202);
  expect((await getCase(id)).status).toBe('awaiting-evaluation');

  expect(await bodyFigures(MEDICAL)).toEqual(plus(figures, { received: 1, mediated: 1, failed: 1, concludedInTime: 1 }));
  // A mediator reads the statistics too.
  expect((await t.call('GET', '/v1/statistics/mediation?from=2026-03&to=2026-03', { token: await mediator(MEDICAL) })).status).toBe(200);
});

it('a mediation that runs past its month: the body is warned, breaches (red, a supervision record, a new window) and is urged', async () => {
  const figures = await bodyFigures(TRAFFIC);
  const { id } = await trafficAccident();
  await call('POST', `/v1/cases/${id}/mediation`, await community(), { body: TRAFFIC, note: '申请调解' });
  await call('POST', `/v1/cases/${id}/mediation/accept`, await mediator(TRAFFIC), {});
  const accepted = (await getCase(id)).mediations[0];
  await t.advance(40 * DAY); // 21 working days (a month) and the Qingming holidays gone, before the new window's first warning
  const c = await getCase(id);
  const mediationAlerts = (await t.call('GET', `/_local/alerts?caseId=${id}`)).body.items.filter((a: any) => a.type.startsWith('MEDIATION'));
  expect(mediationAlerts.map((a: any) => [a.type, a.unit])).toEqual([
    ['MEDIATION_WARNING', TRAFFIC],
    ['MEDIATION_WARNING', TRAFFIC],
    ['MEDIATION_OVERDUE', TRAFFIC],
  ]);
  expect(mediationAlerts[2].dueAt).toBe(accepted.dueAt);
  expect(c.light).toBe('red');
  expect(c.mediations[0]).toEqual(expect.objectContaining({ status: 'accepted', light: 'red', breaches: 1 }));
  expect(Date.parse(c.mediations[0].dueAt)).toBeGreaterThan(Date.parse(accepted.dueAt));
  expect(c.timeline.filter((e: any) => e.code === 'SUPERVISION_RECORD').map((e: any) => e.params.cause)).toEqual(['mediation-overdue']);
  // The body is not escalated; the holder's clock did not run meanwhile.
  expect(await alertTypes(id)).not.toEqual(expect.arrayContaining(['SIGN_OFF_OVERDUE']));
  expect(c.tier).toBe(0);

  // The supervisor urges the body.
  const asSupervisor = (await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body;
  expect(asSupervisor.supervisionActions).toEqual(['urge']);
  expect((await call('POST', `/v1/cases/${id}/supervise`, await supervisor(), { action: 'urge', note: '请尽快调结' })).status).toBe(202);
  const urged = (await t.call('GET', `/_local/alerts?caseId=${id}`)).body.items.filter((a: any) => a.type === 'URGED');
  expect(urged.map((a: any) => a.unit)).toEqual([TRAFFIC]);
  expect((await getCase(id)).mediations[0].breaches).toBe(1);

  expect(await bodyFigures(TRAFFIC)).toEqual(plus(figures, { received: 1, mediated: 1 }));
});

it('bad input: a body of the wrong kind or sector, one that declined, an agreement without terms or signatures, amounts negative or absurd, a mediator of another body', async () => {
  const { id } = await trafficAccident();
  const before = (await getCase(id)).timeline.length;
  const refer = async (body: unknown, token?: string) => t.call('POST', `/v1/cases/${id}/mediation`, { token: token ?? (await community()), body });
  const wrongKind = await refer({ body: 'street-xiling-xiling', note: '调解' });
  expect(wrongKind.status).toBe(400);
  expect(wrongKind.body.errors.map((e: any) => e.path)).toEqual(['body']);
  expect((await refer({ body: MEDICAL, note: '调解' })).status).toBe(400);
  expect((await refer({ body: TRAFFIC })).status).toBe(400);
  // Another community, and a mediator, may not refer it.
  expect((await refer({ body: TRAFFIC, note: '调解' }, await tokenFor(OTHER_COMMUNITY, 'community'))).status).toBe(403);
  expect((await refer({ body: TRAFFIC, note: '调解' }, await mediator(TRAFFIC))).status).toBe(403);
  expect((await getCase(id)).timeline).toHaveLength(before);

  // The centre declines; it cannot be asked again (409); another body can.
  await call('POST', `/v1/cases/${id}/mediation`, await community(), { body: TRAFFIC, note: '调解' });
  expect((await call('POST', `/v1/cases/${id}/mediation/accept`, await mediator(MEDICAL), {})).status).toBe(403);
  expect((await call('POST', `/v1/cases/${id}/mediation/decline`, await mediator(TRAFFIC), {})).status).toBe(400);
  expect((await call('POST', `/v1/cases/${id}/mediation/decline`, await mediator(TRAFFIC), { reason: '当事人未取得事故认定书' })).status).toBe(202);
  expect((await getCase(id)).status).toBe('awaiting-sign-off');
  expect((await refer({ body: TRAFFIC, note: '再次申请' })).status).toBe(409);
  // The declining centre is done with it: its action now is stale (409), not a stranger's.
  expect((await call('POST', `/v1/cases/${id}/mediation/accept`, await mediator(TRAFFIC), {})).status).toBe(409);
  expect((await call('POST', `/v1/cases/${id}/mediation`, await community(), { body: STREET_COMMITTEE, note: '由街道调委会调解' })).status).toBe(202);
  await call('POST', `/v1/cases/${id}/mediation/accept`, await mediator(STREET_COMMITTEE), {});
  await call('POST', `/v1/cases/${id}/mediation/sessions`, await mediator(STREET_COMMITTEE), session(1));
  const seq = (await getCase(id)).timeline.length;

  const outcome = async (body: unknown) => t.call('POST', `/v1/cases/${id}/mediation/outcome`, { token: await mediator(STREET_COMMITTEE), body });
  const pathsOf = async (body: unknown) => {
    const answer = await outcome(body);
    expect(answer.status).toBe(400);
    return answer.body.errors.map((e: any) => e.path);
  };
  expect(await pathsOf({ ...agreement, terms: undefined })).toEqual(['terms']);
  expect(await pathsOf({ ...agreement, signed: false })).toEqual(['signed']);
  expect(await pathsOf({ ...agreement, signedAt: undefined })).toEqual(['signedAt']);
  expect(await pathsOf({ ...agreement, amounts: [{ ...agreement.amounts[0], amountYuan: -500 }] })).toEqual(['amounts.0.amountYuan']);
  expect(await pathsOf({ ...agreement, amounts: [{ ...agreement.amounts[0], amountYuan: 9e12 }] })).toEqual(['amounts.0.amountYuan']);
  // A mediator of another body acting on the case: 403; the centre that declined it is done with it: 409.
  expect((await t.call('POST', `/v1/cases/${id}/mediation/outcome`, { token: await mediator(MEDICAL), body: agreement })).status).toBe(403);
  expect((await t.call('POST', `/v1/cases/${id}/mediation/outcome`, { token: await mediator(TRAFFIC), body: agreement })).status).toBe(409);
  expect((await t.call('POST', `/v1/cases/${id}/mediation/sessions`, { token: await mediator(MEDICAL), body: session(2) })).status).toBe(403);
  await t.advance(0);
  expect((await getCase(id)).timeline).toHaveLength(seq);
});

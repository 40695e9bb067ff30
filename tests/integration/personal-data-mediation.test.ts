import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * Erasing a complainant after a mediation: the names the mediation kept of the parties (session
 * participants by role, the agreement's payers and payees, and where its texts repeat them) go
 * with the complainant, over HTTP on DynamoDB Local and the local engine. Afterwards no case
 * view, list entry, document of the file or export shows them; the mediation's history and the
 * statistics read as before.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const TRAFFIC = 'mediation-city-traffic-accident';
const NAMES = ['王强', '李四', '赵调解员', '某财产保险公司'];

let t: TestStack;
const tokens: Record<string, string> = {};
const tokenFor = async (unit: string, role: string) => (tokens[`${unit}/${role}`] ??= await t.token(unit, role));
const community = () => tokenFor(COMMUNITY, 'community');
const supervisor = () => tokenFor('supervision-centre', 'supervisor');
const mediator = () => tokenFor(TRAFFIC, 'mediator');

beforeAll(async () => {
  t = await startTestStack('personal-data-mediation');
});
beforeEach(() => t.fresh());
afterAll(() => t.stop());

async function call(method: string, path: string, token: string, body?: unknown) {
  const response = await t.call(method, path, { token, ...(body !== undefined ? { body } : {}) });
  await t.advance(0);
  return response;
}

/** A traffic accident mediated to an agreement: one session with four named people, a payment between the parties. */
async function agreedCase(): Promise<string> {
  const created = await t.call('POST', '/v1/cases', {
    token: await community(),
    body: {
      title: '两车追尾赔偿',
      description: '夷陵大道两车追尾，交警已出具事故认定书，车损协商不成。',
      category: 'road-traffic-accident',
      reportedVia: 'visit',
      complainant: { name: '王强', phone: '13800138000', address: '西陵区胜利四路 8 号' },
    },
  });
  expect(created.status).toBe(201);
  await t.advance(0);
  const id = created.body.id;
  expect((await call('POST', `/v1/cases/${id}/mediation`, await community(), { body: TRAFFIC, note: '王强与李四均同意人民调解' })).status).toBe(202);
  expect((await call('POST', `/v1/cases/${id}/mediation/accept`, await mediator(), {})).status).toBe(202);
  const session = {
    at: '2026-03-09T09:00:00+08:00',
    record: '王强与李四陈述事故经过，某财产保险公司说明理赔标准，赵调解员主持调解。',
    participants: [
      { role: 'applicant', name: '王强' },
      { role: 'respondent', name: '李四' },
      { role: 'mediator', name: '赵调解员' },
      { role: 'insurer', name: '某财产保险公司' },
    ],
    place: '调解中心第一调解室',
  };
  expect((await call('POST', `/v1/cases/${id}/mediation/sessions`, await mediator(), session)).status).toBe(202);
  const agreement = {
    result: 'agreement',
    terms: '李四赔偿王强车辆维修费、误工费，由某财产保险公司在交强险限额内直接赔付。',
    amounts: [{ payer: '李四', payee: '王强', amountYuan: 12800.5, dueBy: '2026-04-10' }],
    signed: true,
    signedAt: '2026-03-09T09:00:00+08:00',
  };
  expect((await call('POST', `/v1/cases/${id}/mediation/outcome`, await mediator(), agreement)).status).toBe(202);
  return id;
}

/** Everything a reader may be shown of the case: its view to each party, the list entries, every document, the export. */
async function everythingShown(id: string): Promise<string> {
  const shown: string[] = [];
  for (const token of [await supervisor(), await community(), await mediator()]) {
    const view = await t.call('GET', `/v1/cases/${id}`, { token });
    expect(view.status).toBe(200);
    shown.push(JSON.stringify(view.body));
    const list = await t.call('GET', '/v1/cases', { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(id);
    shown.push(JSON.stringify(list.body.items.find((item: { id: string }) => item.id === id)));
  }
  const view = (await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body;
  expect(view.documents.map((d: { kind: string }) => d.kind)).toEqual(['application', 'registration', 'rights-notice', 'session-record-1', 'agreement', 'delivery-receipt']);
  for (const document of view.documents) {
    const printed = await t.call('GET', document.href, { token: await mediator() });
    expect(printed.status).toBe(200);
    shown.push(String(printed.body));
  }
  const exported = await fetch(`${t.url}/v1/cases/export?category=road-traffic-accident&complainant=true`, {
    headers: { authorization: `Bearer ${await supervisor()}`, 'accept-language': 'zh-CN' },
  });
  expect(exported.status).toBe(200);
  const csv = await exported.text();
  expect(csv).toContain(id);
  shown.push(csv);
  return shown.join('\n');
}

it('erasing the complainant after an agreement takes every party name out of the case view, the list, the documents and the export; the history stays', async () => {
  const id = await agreedCase();
  const before = await everythingShown(id);
  for (const name of NAMES) expect(before).toContain(name);
  const statistics = async () => (await t.call('GET', '/v1/statistics/mediation?from=2026-03&to=2026-03', { token: await supervisor() })).body;
  const figuresBefore = await statistics();
  const mediationBefore = (await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body.mediations;
  expect((await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body.allowedActions).toContain('erase-complainant');

  expect((await t.call('DELETE', `/v1/cases/${id}/complainant`, { token: await supervisor() })).status).toBe(204);

  const after = await everythingShown(id);
  for (const name of NAMES) expect(after).not.toContain(name);
  expect(after).not.toContain('13800138000');
  expect(after).toContain('（已删除）');
  const agreementDocument = (await t.call('GET', `/v1/cases/${id}/documents/agreement`, { token: await mediator() })).body;
  expect(agreementDocument).toContain('12,800.50');
  expect(agreementDocument).toContain('申请人：（已删除）');

  // The mediation's history is as it was, but for the names; the statistics read the same.
  const c = (await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body;
  expect(c.complainant).toBeUndefined();
  const [m] = c.mediations;
  const [was] = mediationBefore;
  expect(m.sessions[0].participants.map((p: { role: string; name: string }) => p.role)).toEqual(['applicant', 'respondent', 'mediator', 'insurer']);
  expect(m.sessions[0].participants.every((p: { name: string }) => p.name === '（已删除）')).toBe(true);
  expect(m.agreement.amounts).toEqual([{ payer: '（已删除）', payee: '（已删除）', amountYuan: 12800.5, dueBy: '2026-04-10' }]);
  for (const field of ['status', 'referredAt', 'acceptedAt', 'dueAt', 'concludedOnTime', 'breaches', 'body']) expect(m[field]).toEqual(was[field]);
  expect({ ...m.agreement, terms: '', amounts: [] }).toEqual({ ...was.agreement, terms: '', amounts: [] });
  expect(await statistics()).toEqual(figuresBefore);
  expect(c.timeline.filter((e: { type: string }) => e.type === 'PERSONAL_DATA_ERASED')).toHaveLength(1);

  // Nothing is left to erase: not offered, and a second erasure changes nothing. The mediation goes on.
  expect(c.allowedActions).not.toContain('erase-complainant');
  expect((await t.call('DELETE', `/v1/cases/${id}/complainant`, { token: await supervisor() })).status).toBe(204);
  expect((await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body.timeline.filter((e: { type: string }) => e.type === 'PERSONAL_DATA_ERASED')).toHaveLength(1);
  expect((await call('POST', `/v1/cases/${id}/mediation/fulfilment`, await mediator(), { fulfilled: true, note: '保险公司已全额赔付' })).status).toBe(202);
  expect((await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body.mediations[0].status).toBe('fulfilled');
});

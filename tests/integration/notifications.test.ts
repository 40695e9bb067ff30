import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * Who is told what, over HTTP on the local stack: the real workflow on DynamoDB Local, its
 * notifications read back from the local outbox (GET /_local/notifications).
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const DISTRICT_OFFICE = 'district-office-xiling';
const CENTRE = 'supervision-centre';
const STREET_PHONE = '13910166299';
const CENTRE_PHONE = '13910015838';
const COMMUNITY_PHONE = '13910190056';
const CITIZEN = '13800138000';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack('notifications');
});
beforeEach(() => t.fresh());
afterAll(() => t.stop());

interface Item {
  id: string;
  channel: string;
  to: string;
  unit?: string;
  caseId: string;
  code: string;
  text: string;
  at: string;
  status: string;
}
const notifications = async (query: string): Promise<Item[]> => {
  const response = await t.call('GET', `/_local/notifications?${query}`);
  expect(response.status).toBe(200);
  return response.body.items;
};
const sms = (items: Item[]) => items.filter((item) => item.channel === 'sms');

async function createCase(title = '楼道堆放杂物'): Promise<{ id: string; trackingCode: string; signOffDueAt: string }> {
  const response = await t.call('POST', '/v1/cases', {
    token: await t.token(COMMUNITY, 'community'),
    body: { title, description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol', complainant: { name: '张明', phone: CITIZEN } },
  });
  expect(response.status).toBe(201);
  await t.advance(0);
  return response.body;
}

it('a new routine case: one SMS to its street office naming the title, the office and the deadline; the citizen gets the tracking code', async () => {
  const created = await createCase();
  const items = await notifications(`caseId=${created.id}`);
  const toStreet = sms(items.filter((item) => item.unit === STREET));
  expect(toStreet).toHaveLength(1);
  expect(toStreet[0]).toMatchObject({ to: STREET_PHONE, code: 'NEW_CASE', status: 'sent' });
  // Monday 09:00 + 1 working day: Tuesday 10 March, 09:00 in Shanghai.
  expect(toStreet[0]!.text).toBe('新案件「楼道堆放杂物」交西陵街道办事处办理，请于3月10日 09:00前签收。');
  expect([...toStreet[0]!.text].length).toBeLessThanOrEqual(70);
  // Sent at the virtual instant the case was accepted: no clock moved in between.
  expect(Date.parse(toStreet[0]!.at)).toBe(Date.parse('2026-03-09T09:00:00+08:00'));
  const toCitizen = items.filter((item) => item.to === CITIZEN);
  expect(toCitizen).toHaveLength(1);
  expect(toCitizen[0]!.text).toContain(created.trackingCode);
  // Nobody else: the community accepted it itself, the centre has nothing to watch yet.
  expect(new Set(items.map((item) => item.unit ?? 'citizen'))).toEqual(new Set([STREET, 'citizen']));
});

it('the sign-off window running out: warning and breach to the office, the breach to the centre, nothing to others', async () => {
  const created = await createCase();
  await t.advance(25 * 3600);
  const items = sms(await notifications(`caseId=${created.id}`));
  const codesFor = (unit: string) => items.filter((item) => item.unit === unit).map((item) => item.code);
  expect(codesFor(STREET)).toEqual(['NEW_CASE', 'SIGN_OFF_WARNING', 'SIGN_OFF_OVERDUE']);
  expect(codesFor(CENTRE)).toEqual(['SUPERVISION_BREACH']);
  expect(items.find((item) => item.unit === CENTRE)!.to).toBe(CENTRE_PHONE);
  expect(new Set(items.map((item) => item.unit ?? 'citizen'))).toEqual(new Set([STREET, CENTRE, 'citizen']));
  // Every text fits one SMS segment.
  for (const item of items) expect({ text: item.text, length: [...item.text].length <= 70 }).toEqual({ text: item.text, length: true });
});

it('an escalation tells the district office, by SMS and email', async () => {
  const created = await createCase();
  const street = await t.token(STREET, 'agency');
  expect((await t.call('POST', `/v1/cases/${created.id}/sign-off`, { token: street, body: { handler: { name: '李娟' } } })).status).toBe(202);
  await t.advance(0);
  expect((await t.call('POST', `/v1/cases/${created.id}/escalate`, { token: street, body: { reason: '涉及多个部门，街道无法协调' } })).status).toBe(202);
  await t.advance(0);
  const toOffice = await notifications(`unit=${DISTRICT_OFFICE}`);
  expect(toOffice.map((item) => [item.channel, item.code])).toEqual([
    ['sms', 'ESCALATED'],
    ['email', 'ESCALATED'],
  ]);
  expect(toOffice[0]!.text).toMatch(/^「楼道堆放杂物」由西陵街道办事处提级至西陵区综治维稳信访(中心|办公室)?.*，请于.+前签收。$/);
});

it('a resolve sends the citizen one result SMS and the community the result; a restart sends nothing again', async () => {
  const created = await createCase();
  const street = await t.token(STREET, 'agency');
  expect((await t.call('POST', `/v1/cases/${created.id}/sign-off`, { token: street, body: { handler: { name: '李娟', phone: '13700137000' } } })).status).toBe(202);
  await t.advance(0);
  expect((await t.call('POST', `/v1/cases/${created.id}/resolve`, { token: street, body: { summary: '已清理', outcome: '楼道已畅通' } })).status).toBe(202);
  await t.advance(0);
  const result = (await notifications(`to=${CITIZEN}`)).filter((item) => item.code === 'COMPLAINANT_RESULT');
  expect(result).toHaveLength(1);
  // With the PIN (评价码) the complainant rates this result or reopens the case by (tests/integration/citizens.test.ts).
  expect(result[0]!.text).toMatch(/^「楼道堆放杂物」已办结，评价码\d{6}（凭查询码评价或申请重办）：楼道已畅通$/);
  expect(result[0]!.text).not.toContain('13700137000');
  expect((await notifications(`unit=${COMMUNITY}`)).map((item) => [item.code, item.to])).toContainEqual(['RESULT_TO_ORIGIN', COMMUNITY_PHONE]);
  const before = await notifications(`caseId=${created.id}`);
  await t.restart();
  await t.advance(3600);
  const after = await notifications(`caseId=${created.id}`);
  expect(new Set(after.map((item) => item.id)).size).toBe(after.length);
  expect(after.map((item) => item.id)).toEqual(before.map((item) => item.id));
});

describe('messages on a case', () => {
  it('the street office writes to the community: on the timeline as MESSAGE, and the community is notified', async () => {
    const created = await createCase();
    const street = await t.token(STREET, 'agency');
    const sent = await t.call('POST', `/v1/cases/${created.id}/messages`, { token: street, body: { text: '请协助联系3号楼住户，周三上午现场查看', toUnits: [COMMUNITY] } });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ type: 'MESSAGE', unit: STREET, note: '请协助联系3号楼住户，周三上午现场查看' });
    const toCommunity = sms(await notifications(`unit=${COMMUNITY}`));
    expect(toCommunity.map((item) => [item.code, item.to])).toEqual([['MESSAGE', COMMUNITY_PHONE]]);
    expect(toCommunity[0]!.text).toBe('西陵街道办事处就「楼道堆放杂物」留言：请协助联系3号楼住户，周三上午现场查看');
    // Only whom it addresses: not the centre, not the sender.
    expect((await notifications(`caseId=${created.id}`)).filter((item) => item.code === 'MESSAGE').map((item) => item.unit)).toEqual([COMMUNITY, COMMUNITY]);
    const read = await t.call('GET', `/v1/cases/${created.id}`, { token: await t.token(COMMUNITY, 'community') });
    const message = read.body.timeline.find((event: { type: string }) => event.type === 'MESSAGE');
    expect(message.text).toBe('西陵街道办事处留言：请协助联系3号楼住户，周三上午现场查看');
  });

  it('refuses a text over 2,000 characters (400) and a unit that is no party (403), writing nothing', async () => {
    const created = await createCase();
    const street = await t.token(STREET, 'agency');
    const before = (await t.call('GET', `/v1/cases/${created.id}`, { token: street })).body.timeline.length;
    expect((await t.call('POST', `/v1/cases/${created.id}/messages`, { token: street, body: { text: '长'.repeat(2001) } })).status).toBe(400);
    const stranger = await t.call('POST', `/v1/cases/${created.id}/messages`, { token: street, body: { text: '请协助', toUnits: ['street-wujiagang-wujiagang'] } });
    expect(stranger.status).toBe(403);
    expect(stranger.body.detail).toContain('伍家岗');
    const outsider = await t.call('POST', `/v1/cases/${created.id}/messages`, { token: await t.token('street-wujiagang-wujiagang', 'agency'), body: { text: '你好' } });
    expect(outsider.status).toBe(403);
    expect((await t.call('GET', `/v1/cases/${created.id}`, { token: street })).body.timeline.length).toBe(before);
    expect((await notifications(`caseId=${created.id}`)).filter((item) => item.code === 'MESSAGE')).toEqual([]);
  });
});

describe('reading notifications and contacts', () => {
  it('GET /v1/notifications: the unit’s own, newest first, a page at a time', async () => {
    const first = await createCase('楼道堆放杂物');
    const second = await createCase('路灯不亮');
    const street = await t.token(STREET, 'agency');
    const page = await t.call('GET', '/v1/notifications?limit=2', { token: street });
    expect(page.status).toBe(200);
    expect(page.body.items.map((item: Item) => [item.caseId, item.channel])).toEqual([
      [second.id, 'email'],
      [second.id, 'sms'],
    ]);
    const next = await t.call('GET', `/v1/notifications?limit=2&cursor=${page.body.nextCursor}`, { token: street });
    expect(next.body.items.map((item: Item) => item.caseId)).toEqual([first.id, first.id]);
    expect(next.body.nextCursor).toBeUndefined();
    for (const item of [...page.body.items, ...next.body.items]) expect(item.unit).toBe(STREET);
    // Another unit's: only for operators, who also see the complainant's SMS, masked.
    expect((await t.call('GET', `/v1/notifications?unit=${COMMUNITY}`, { token: street })).status).toBe(403);
    const operator = await t.call('GET', `/v1/notifications?caseId=${first.id}`, { token: await t.token('supervision-centre', 'operator') });
    expect(operator.body.items.map((item: Item) => item.to)).toContain('138****8000');
    expect(JSON.stringify(operator.body)).not.toContain(CITIZEN);
    expect((await t.call('GET', '/v1/notifications?status=parked', { token: await t.token('supervision-centre', 'operator') })).body.items).toEqual([]);
    expect((await t.call('GET', '/v1/notifications?limit=500', { token: street })).status).toBe(400);
  });

  it('GET /v1/units/{id}/contacts: the unit’s own, the supervisor’s and operators’; nobody else’s, and not in the public directory', async () => {
    const own = await t.call('GET', `/v1/units/${STREET}/contacts`, { token: await t.token(STREET, 'agency') });
    expect(own).toMatchObject({ status: 200, body: { unit: STREET, sms: [STREET_PHONE], email: ['duty@street-xiling-xiling.example.gov.cn'], quietHours: { from: '22:00', to: '07:30' } } });
    expect((await t.call('GET', `/v1/units/${STREET}/contacts`, { token: await t.token(CENTRE, 'supervisor') })).status).toBe(200);
    expect((await t.call('GET', `/v1/units/${STREET}/contacts`, { token: await t.token(COMMUNITY, 'community') })).status).toBe(403);
    expect((await t.call('GET', '/v1/units/street-nowhere/contacts', { token: await t.token(CENTRE, 'supervisor') })).status).toBe(404);
    expect(JSON.stringify((await t.call('GET', '/v1/units')).body)).not.toContain(STREET_PHONE);
  });
});

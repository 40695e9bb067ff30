import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * What a person reads and may do, over HTTP on the local stack: texts follow Accept-Language
 * (Chinese by default) with unit names and Shanghai times, every timeline event has a code,
 * params and the person who acted, allowedActions follows the case step by step, and the intake
 * preview shows where a case will go without storing anything.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';

const routine = {
  title: '楼道堆放杂物',
  description: '3 号楼二单元楼道长期堆放杂物，影响通行和消防安全。',
  category: 'routine',
  reportedVia: 'patrol',
  complainant: { name: '张明', phone: '13800138000' },
};

let t: TestStack;
let community: string;
let street: string;
let supervisor: string;

beforeAll(async () => {
  t = await startTestStack('texts');
  community = await t.token(COMMUNITY, 'community');
  street = await t.token(STREET, 'agency');
  supervisor = await t.token('supervision-centre', 'supervisor');
});
afterAll(() => t.stop());

const en = { 'accept-language': 'en' };

async function newCase(): Promise<string> {
  const created = await t.call('POST', '/v1/cases', { token: community, body: routine });
  expect(created.status).toBe(201);
  await t.advance(0);
  return created.body.id;
}

describe('texts follow Accept-Language', () => {
  it('refusals: Chinese by default, English on request, with the content language and Vary said', async () => {
    const body = { ...routine, complainant: { name: '张明', phone: '12345' } };
    const zh = await t.call('POST', '/v1/cases', { token: community, body });
    expect(zh.status).toBe(400);
    expect(zh.headers.get('content-language')).toBe('zh-CN');
    expect(zh.headers.get('vary')).toMatch(/accept-language/i);
    expect(zh.body.title).toBe('请求有误');
    expect(zh.body.errors).toEqual([{ path: 'complainant.phone', message: '请填写大陆手机号码，或带区号的固定电话' }]);

    const english = await t.call('POST', '/v1/cases', { token: community, body, headers: en });
    expect(english.headers.get('content-language')).toBe('en');
    expect(english.body.title).toBe('Bad Request');
    expect(english.body.errors).toEqual([{ path: 'complainant.phone', message: 'a mainland mobile number or a landline with area code' }]);

    // zod's own messages come from its locale for the language asked.
    const missing = await t.call('POST', '/v1/cases', { token: community, body: { ...routine, title: undefined } });
    expect(missing.body.errors[0].path).toBe('title');
    expect(missing.body.errors[0].message).toMatch(/[\u4e00-\u9fff]/);
    const missingEn = await t.call('POST', '/v1/cases', { token: community, body: { ...routine, title: undefined }, headers: en });
    expect(missingEn.body.errors[0].message).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('a refused action names the unit by name and gives a code', async () => {
    const id = await newCase();
    const other = await t.token('street-wujiagang-wujiagang', 'agency');
    const zh = await t.call('POST', `/v1/cases/${id}/sign-off`, { token: other, body: { handler: { name: '王' } } });
    expect(zh.status).toBe(403);
    expect(zh.body.code).toBe('error.not-your-case');
    expect(zh.body.detail).toContain('伍家岗街道办事处');
    const english = await t.call('POST', `/v1/cases/${id}/sign-off`, { token: other, body: { handler: { name: '王' } }, headers: en });
    expect(english.body.detail).toContain('Wujiagang Street Office');
  });

  it('timeline events and alerts carry code, params and text, and who acted', async () => {
    const id = await newCase();
    await t.advance(26 * 3600); // the sign-off window (one working day) runs out: warning, breach
    const signed = await t.call('POST', `/v1/cases/${id}/sign-off`, { token: street, body: { handler: { name: '李娟', phone: '13900001111' } } });
    expect(signed.status).toBe(202);
    await t.advance(0);

    const zh = await t.call('GET', `/v1/cases/${id}`, { token: supervisor });
    const byCode = (body: any, code: string) => body.timeline.find((event: any) => event.code === code);
    const overdue = byCode(zh.body, 'SIGN_OFF_OVERDUE');
    expect(overdue.params).toEqual(expect.objectContaining({ unit: STREET, tier: 0, dueAt: expect.any(String) }));
    expect(overdue.text).toBe('签收超时（红灯）：西陵街道办事处未在3月10日 09:00前签收');
    const accepted = byCode(zh.body, 'CASE_ACCEPTED');
    expect(accepted.text).toBe('胜利四路社区受理，交西陵街道办事处办理');
    expect(accepted.by).toEqual({ sub: `community@${COMMUNITY}` });
    const signedOff = byCode(zh.body, 'SIGNED_OFF');
    expect(signedOff.by).toEqual({ sub: `agency@${STREET}` });
    expect(signedOff.actor).toEqual(expect.objectContaining({ unit: STREET, role: 'agency' }));

    const english = await t.call('GET', `/v1/cases/${id}`, { token: supervisor, headers: en });
    expect(byCode(english.body, 'SIGN_OFF_OVERDUE').text).toBe('Sign-off overdue (red): Xiling Street Office did not sign off by 10 Mar 09:00');

    const alerts = (await t.call('GET', '/_local/alerts')).body.items.filter((alert: any) => alert.caseId === id);
    expect(alerts.map((alert: any) => alert.code)).toEqual(['SIGN_OFF_WARNING', 'SIGN_OFF_OVERDUE']);
    expect(alerts[1].detail).toBe(overdue.text);
    expect(alerts[1].detailEn).toBe(byCode(english.body, 'SIGN_OFF_OVERDUE').text);
  });
});

describe('allowedActions over HTTP', () => {
  it('follows the case: sign-off, then resolve, then the community evaluates; after close only reopening, for the community and the supervisor', async () => {
    const id = await newCase();
    const read = async (token: string) => (await t.call('GET', `/v1/cases/${id}`, { token })).body;

    // Either may refer it to mediation now: the unit holding it, or the community at intake (docs/mediation.md).
    expect((await read(street)).allowedActions).toEqual(['sign-off', 'progress', 'return', 'mediate']);
    expect((await read(community)).allowedActions).toEqual(['mediate']);
    const centre = await read(supervisor);
    expect(centre.allowedActions).toEqual(['supervise', 'erase-complainant']);
    expect(centre.supervisionActions).toEqual(['urge', 'reassign']);

    await t.call('POST', `/v1/cases/${id}/sign-off`, { token: street, body: { handler: { name: '李娟' } } });
    await t.advance(0);
    expect((await read(street)).allowedActions).toEqual(['progress', 'resolve', 'escalate', 'return', 'extension', 'co-handle', 'mediate']);
    expect((await read(community)).allowedActions).toEqual([]);

    await t.call('POST', `/v1/cases/${id}/resolve`, { token: street, body: { summary: '已清理', outcome: '楼道已畅通', approvedBy: { name: '周明', post: '主任' } } });
    await t.advance(0);
    expect((await read(street)).allowedActions).toEqual([]);
    expect((await read(community)).allowedActions).toEqual(['evaluate']);

    await t.call('POST', `/v1/cases/${id}/evaluate`, { token: community, body: { rating: 'satisfied' } });
    await t.advance(0);
    const closed = await read(community);
    expect(closed.status).toBe('closed');
    // Within the reopening window (config/policy.json reopenCalendarDays) the originating community and the supervisor may reopen it.
    expect(closed.allowedActions).toEqual(['reopen']);
    expect((await read(street)).allowedActions).toEqual([]);
    expect((await read(supervisor)).allowedActions).toEqual(['reopen', 'erase-complainant']);
    expect((await read(supervisor)).supervisionActions).toBeUndefined();
  });

  it('every action listed is accepted, and an action not listed is refused', async () => {
    const id = await newCase();
    const listed = (await t.call('GET', `/v1/cases/${id}`, { token: street })).body.allowedActions;
    expect(listed).not.toContain('resolve');
    const refused = await t.call('POST', `/v1/cases/${id}/resolve`, { token: street, body: { summary: 'x', outcome: 'y' } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('error.action-does-not-fit');
    const note = await t.call('POST', `/v1/cases/${id}/progress`, { token: street, body: { note: '已联系物业' } });
    expect(note.status).toBe(201);
    expect(note.body.actor).toEqual(expect.objectContaining({ unit: STREET, sub: `agency@${STREET}` }));
  });
});

describe('POST /v1/cases/preview', () => {
  it('shows where the case goes and when it is due, and stores nothing', async () => {
    const before = (await t.call('GET', '/v1/cases?limit=100', { token: supervisor })).body.items.length;
    const routed = await t.call('POST', '/v1/cases/preview', { token: community, body: routine });
    expect(routed.status).toBe(200);
    expect(routed.body).toEqual({
      assignedUnit: STREET,
      keptInCommunity: false,
      tier: 0,
      signOffDueAt: expect.any(String),
      resolveDueAt: expect.any(String),
    });
    const kept = await t.call('POST', '/v1/cases/preview', { token: community, body: { ...routine, assignedUnit: COMMUNITY } });
    expect(kept.body).toEqual({ assignedUnit: COMMUNITY, keptInCommunity: true, tier: 0, resolveDueAt: expect.any(String) });
    const bad = await t.call('POST', '/v1/cases/preview', { token: community, body: { ...routine, category: 'nonsense' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('category');
    const notIntake = await t.call('POST', '/v1/cases/preview', { token: street, body: routine });
    expect(notIntake.status).toBe(403);
    expect((await t.call('GET', '/v1/cases?limit=100', { token: supervisor })).body.items.length).toBe(before);
  });
});

describe('一笔审批: one approval for the result', () => {
  const resolveCase = async (body: Record<string, unknown>) => {
    const id = await newCase();
    await t.call('POST', `/v1/cases/${id}/sign-off`, { token: street, body: { handler: { name: '李娟' } } });
    await t.advance(0);
    expect((await t.call('POST', `/v1/cases/${id}/resolve`, { token: street, body: { summary: '已清理', outcome: '楼道已畅通', ...body } })).status).toBe(202);
    await t.advance(0);
    return id;
  };

  it('a resolve names the approving leader; the reply shows it', async () => {
    const id = await resolveCase({ approvedBy: { name: '周明', post: '街道办主任' } });
    const c = (await t.call('GET', `/v1/cases/${id}`, { token: supervisor })).body;
    expect(c.resolution.approval).toEqual({ state: 'approved', by: { name: '周明', post: '街道办主任' }, at: expect.any(String) });
    expect(c.timeline.find((e: any) => e.code === 'RESOLVED').text).toContain('（街道办主任周明审批）');
    expect((await t.call('POST', `/v1/cases/${id}/approval`, { token: street, body: { name: '周明', post: '街道办主任' } })).status).toBe(409);
  });

  it('an approval still pending is recorded later by the same unit, once, within the handling window only', async () => {
    const id = await resolveCase({});
    const read = async () => (await t.call('GET', `/v1/cases/${id}`, { token: street })).body;
    expect((await read()).resolution.approval).toEqual({ state: 'pending' });
    expect((await read()).allowedActions).toEqual(['approval']);
    expect((await t.call('POST', `/v1/cases/${id}/approval`, { token: community, body: { name: '周明', post: '主任' } })).status).toBe(403);
    expect((await t.call('POST', `/v1/cases/${id}/approval`, { token: street, body: { name: '周明' } })).status).toBe(400);
    const recorded = await t.call('POST', `/v1/cases/${id}/approval`, { token: street, body: { name: '周明', post: '主任' } });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toEqual(expect.objectContaining({ code: 'RESOLUTION_APPROVED', text: '办理结果已由主任周明审批' }));
    expect((await read()).resolution.approval).toEqual({ state: 'approved', by: { name: '周明', post: '主任' }, at: expect.any(String) });
    expect((await t.call('POST', `/v1/cases/${id}/approval`, { token: street, body: { name: '周明', post: '主任' } })).status).toBe(409);
  });

  it('after the handling window, a pending approval can no longer be recorded', async () => {
    const id = await resolveCase({});
    const due = Date.parse((await t.call('GET', `/v1/cases/${id}`, { token: street })).body.resolveDueAt);
    const clock = (await t.call('GET', '/_local/clock')).body.nowMs;
    // The community does not rate it meanwhile; the case closes as not evaluated after 3 working days, then the window ends.
    await t.advance(Math.ceil((due - clock) / 1000) + 60);
    const late = await t.call('POST', `/v1/cases/${id}/approval`, { token: street, body: { name: '周明', post: '主任' } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('error.approval-window-over');
  });
});

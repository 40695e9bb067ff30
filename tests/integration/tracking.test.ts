import { startTestStack, type TestStack } from '../support/local-stack';
import { TRACK_BUDGET } from '../../functions/api/track-case';

/*
 * Citizens follow their case without an account: the tracking code from intake opens a public
 * status page's data, with nothing personal in it; a mistyped code is a plain 404, and walking the
 * code space is throttled per client.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';

let t: TestStack;
let community: string;
let street: string;

beforeAll(async () => {
  t = await startTestStack('tracking');
  community = await t.token(COMMUNITY, 'community');
  street = await t.token(STREET, 'agency');
});
afterAll(() => t.stop());

const personal = { name: '王秀兰', phone: '13912345678', address: '胜利四路 12 号 3 栋 402' };
const handler = { name: '李娟', phone: '13700002222' };

it('intake gives a tracking code; anyone with it reads the public status, never anything personal or internal', async () => {
  const created = await t.call('POST', '/v1/cases', {
    token: community,
    body: { title: '楼道堆放杂物', description: '王秀兰反映：3 号楼楼道堆放杂物。', category: 'routine', reportedVia: 'visit', complainant: personal, location: { address: personal.address } },
  });
  expect(created.status).toBe(201);
  const code: string = created.body.trackingCode;
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
  await t.advance(0);
  await t.call('POST', `/v1/cases/${created.body.id}/sign-off`, { token: street, body: { handler, note: '内部备注：联系物业张经理' } });
  await t.advance(0);
  await t.call('POST', `/v1/cases/${created.body.id}/progress`, { token: street, body: { note: '内部进展：已约谈物业' } });
  await t.call('POST', `/v1/cases/${created.body.id}/resolve`, { token: street, body: { summary: '杂物已清理，楼道恢复畅通', outcome: '物业已整改' } });
  await t.advance(0);

  const status = await t.call('GET', `/v1/track/${code}`);
  expect(status.status).toBe(200);
  expect(status.body).toEqual({
    trackingCode: code,
    status: 'open',
    stage: 'resolved',
    category: 'routine',
    categoryName: expect.any(String),
    unitName: '西陵街道办事处',
    acceptedAt: created.body.createdAt,
    resolvedAt: expect.any(String),
    result: '杂物已清理，楼道恢复畅通',
    milestones: [
      { at: expect.any(String), code: 'ACCEPTED', text: '已受理，交西陵街道办事处办理' },
      { at: expect.any(String), code: 'SIGNED_OFF', text: '西陵街道办事处已签收，正在办理' },
      { at: expect.any(String), code: 'RESOLVED', text: '西陵街道办事处已办结，等待评价' },
    ],
  });
  const text = JSON.stringify(status.body);
  for (const secret of [personal.name, personal.phone, personal.address, handler.name, handler.phone, '内部', created.body.id]) expect(text).not.toContain(secret);

  const english = await t.call('GET', `/v1/track/${code.toLowerCase().replace(/-/g, ' ')}`, { headers: { 'accept-language': 'en' } });
  expect(english.body.unitName).toBe('Xiling Street Office');
});

it('a mistyped or unknown code is a plain 404 that says to check the code', async () => {
  const created = await t.call('POST', '/v1/cases', { token: community, body: { title: '噪音', description: '夜间施工噪音。', category: 'routine', reportedVia: 'phone' } });
  const code: string = created.body.trackingCode;
  const typo = code.slice(0, 2) + (code[2] === 'A' ? 'B' : 'A') + code.slice(3);
  for (const wrong of [typo, 'ZZZZ-ZZZZ-Z', 'nonsense']) {
    const answer = await t.call('GET', `/v1/track/${encodeURIComponent(wrong)}`);
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('error.track-not-found');
    expect(answer.body.detail).toContain('核对');
  }
});

it('walking the code space is throttled per client: 429 with Retry-After, and the budget returns with the next window', async () => {
  const clock = (await t.call('GET', '/_local/clock')).body.nowMs;
  // Start at the beginning of a budget window on the virtual clock.
  const windowMs = TRACK_BUDGET.windowSeconds * 1000;
  await t.advance(Math.ceil((windowMs - (clock % windowMs)) / 1000));
  const answers: number[] = [];
  for (let i = 0; i < TRACK_BUDGET.perWindow + 3; i++) answers.push((await t.call('GET', `/v1/track/ABCD-EFGH-${i % 10}`)).status);
  expect(answers.slice(0, TRACK_BUDGET.perWindow).every((status) => status === 404)).toBe(true);
  expect(answers.slice(TRACK_BUDGET.perWindow)).toEqual([429, 429, 429]);
  const limited = await t.call('GET', '/v1/track/ABCD-EFGH-1');
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(limited.body.code).toBe('error.too-many-lookups');
  await t.advance(Number(limited.headers.get('retry-after')));
  expect((await t.call('GET', '/v1/track/ABCD-EFGH-1')).status).toBe(404);
});

import { startTestStack, type TestStack } from '../support/local-stack';
import { defaultPolicy } from '../../functions/domain/policy';
import { PIN_MAX_FAILURES } from '../../functions/domain/complainant-pin';

/*
 * The complainant in the loop, over HTTP on the local stack and the exact state machine: the
 * result SMS carries a PIN (read here from the local outbox, as the complainant reads their
 * phone); with the tracking code and the PIN they rate the result once, or reopen the case within
 * the reopening window; five wrong PINs lock it for an hour. A community does not rate a result it
 * reported itself: the complainant does, or the supervision centre's follow-up call (回访).
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const DAY = 86_400;

let t: TestStack;
let community: string;
let street: string;
let supervisor: string;

beforeAll(async () => {
  t = await startTestStack('citizens');
  [community, street, supervisor] = await Promise.all([t.token(COMMUNITY, 'community'), t.token(STREET, 'agency'), t.token('supervision-centre', 'supervisor')]);
});
afterAll(() => t.stop());

let phones = 0;
/** A case with a complainant who gave a phone; routed to the street office, or kept by the community. */
async function newCase(kept = false): Promise<{ id: string; code: string; phone: string }> {
  const phone = `1391234${String(5000 + phones++).padStart(4, '0')}`;
  const created = await t.call('POST', '/v1/cases', {
    token: community,
    body: { title: '路灯不亮', description: '小区门口路灯坏了一周。', category: 'routine', reportedVia: 'phone', complainant: { name: '周敏', phone }, ...(kept ? { assignedUnit: COMMUNITY } : {}) },
  });
  expect(created.status).toBe(201);
  await t.advance(0);
  return { id: created.body.id, code: created.body.trackingCode, phone };
}

async function act(id: string, action: string, token: string, body: unknown, status = 202) {
  const answer = await t.call('POST', `/v1/cases/${id}/${action}`, { token, body });
  expect({ action, status: answer.status, body: answer.status === status ? undefined : answer.body }).toEqual({ action, status, body: undefined });
  await t.advance(0);
  return answer;
}

/** Signs off (a routed case) and reports the result, as the unit holding the case. */
async function resolve(id: string, kept = false): Promise<void> {
  if (!kept) await act(id, 'sign-off', street, { handler: { name: '李娟' } });
  await act(id, 'resolve', kept ? community : street, { summary: '路灯已更换', outcome: '已恢复照明' });
}

/** The PINs the complainant's phone received for the case, oldest first. */
async function pinsSent(id: string, phone: string): Promise<string[]> {
  const outbox = await t.call('GET', `/_local/notifications?caseId=${id}`);
  return outbox.body.items
    .filter((n: { code: string; to: string }) => n.code === 'COMPLAINANT_RESULT' && n.to === phone)
    .map((n: { text: string }) => /评价码(\d{6})/.exec(n.text)?.[1])
    .filter(Boolean);
}
async function pinOf(id: string, phone: string): Promise<string> {
  const pins = await pinsSent(id, phone);
  expect(pins.length).toBeGreaterThan(0);
  return pins.at(-1)!;
}
const wrongPin = (pin: string) => String((Number(pin) + 1) % 1_000_000).padStart(6, '0');

const read = async (id: string, token = supervisor) => (await t.call('GET', `/v1/cases/${id}`, { token })).body;
const rate = (code: string, body: Record<string, unknown>) => t.call('POST', `/v1/track/${code}/evaluation`, { body });
const reopenByPin = (code: string, body: Record<string, unknown>) => t.call('POST', `/v1/track/${code}/reopen`, { body });
const report = async () => (await t.call('GET', '/v1/reports/2026-03', { token: supervisor })).body;
const unitRow = (r: { units: Array<{ unit: string }> }, unit: string) => r.units.find((u) => u.unit === unit) as Record<string, number> | undefined;

describe('the complainant rates the result with the PIN from the result SMS', () => {
  it('resolve → PIN in the outbox (never in the case, its timeline or the public status) → rated → the monthly report counts it; twice → 409', async () => {
    const { id, code, phone } = await newCase();
    await resolve(id);
    const pin = await pinOf(id, phone);
    const sms = (await t.call('GET', `/_local/notifications?caseId=${id}`)).body.items.find((n: { code: string }) => n.code === 'COMPLAINANT_RESULT');
    expect(sms.text).toContain('已办结');
    for (const answer of [await t.call('GET', `/v1/cases/${id}`, { token: supervisor }), await t.call('GET', `/v1/cases/${id}`, { token: community }), await t.call('GET', `/v1/track/${code}`)]) {
      expect(JSON.stringify(answer.body)).not.toContain(pin);
    }
    const before = await report();

    // A wrong PIN: 403, and nothing changes.
    const wrong = await rate(code, { pin: wrongPin(pin), rating: 'unsatisfied' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('error.pin-wrong');
    await t.advance(0);
    expect((await read(id)).status).toBe('awaiting-evaluation');

    const rated = await rate(code, { pin, rating: 'satisfied', comment: '亮了，谢谢' });
    expect(rated.status).toBe(202);
    expect(rated.body).toEqual({ trackingCode: code, action: 'evaluation', status: 'accepted' });
    await t.advance(0);
    const after = await read(id);
    expect(after).toMatchObject({ status: 'closed', closedReason: 'satisfied', complainantEvaluation: { rating: 'satisfied', withinWindow: true, source: 'complainant' } });
    expect(after.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['COMPLAINANT_RATED', 'CLOSED']));
    expect(JSON.stringify(after)).not.toContain(pin);

    const counted = await report();
    expect(counted.city.satisfied).toBe(before.city.satisfied + 1);
    expect(counted.city.awaitingEvaluation).toBe(before.city.awaitingEvaluation - 1);

    const twice = await rate(code, { pin, rating: 'unsatisfied' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('error.complainant-rated-already');
    // The community's own rating after the complainant's has nothing left to rate.
    await act(id, 'evaluate', community, { rating: 'unsatisfied' }, 409);
  });

  it(`${PIN_MAX_FAILURES} wrong PINs lock the case's rating for an hour: 429 with Retry-After, even for the right PIN; then it works`, async () => {
    const { id, code, phone } = await newCase();
    await resolve(id);
    const pin = await pinOf(id, phone);
    for (let i = 0; i < PIN_MAX_FAILURES; i++) expect((await rate(code, { pin: wrongPin(pin), rating: 'satisfied' })).status).toBe(403);
    const locked = await rate(code, { pin, rating: 'satisfied' });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('error.pin-locked');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect((await reopenByPin(code, { pin, reason: '试试' })).status).toBe(409); // open: asked before the PIN
    await t.advance(0);
    expect((await read(id)).status).toBe('awaiting-evaluation');

    await t.advance(3601);
    const rated = await rate(code, { pin, rating: 'unsatisfied', comment: '还是不亮' });
    expect(rated.status).toBe(202);
    await t.advance(0);
    // Unsatisfied in the window does what the community's rating does: the street office works on it again.
    const after = await read(id);
    expect(after).toMatchObject({ status: 'in-progress', assignedUnit: STREET });
    expect(after.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['COMPLAINANT_RATED', 'EVALUATION_UNSATISFIED', 'REOPENED']));
  });

  it('a malformed PIN, an unknown code, a body with more: the same clear refusals, nothing changed', async () => {
    const { id, code, phone } = await newCase();
    await resolve(id);
    expect((await rate(code, { pin: 'abc', rating: 'satisfied' })).status).toBe(403);
    expect((await rate('ZZZZ-ZZZZ-Z', { pin: '123456', rating: 'satisfied' })).status).toBe(404);
    const extra = await rate(code, { pin: await pinOf(id, phone), rating: 'satisfied', caseId: id });
    expect(extra.status).toBe(400);
    const badRating = await rate(code, { pin: await pinOf(id, phone), rating: 'great' });
    expect(badRating.status).toBe(400);
    await t.advance(0);
    expect((await read(id)).status).toBe('awaiting-evaluation');
  });
});

describe('a case the community kept', () => {
  it("its community may not rate it (not offered, 403); the complainant's rating counts", async () => {
    const { id, code, phone } = await newCase(true);
    await resolve(id, true);
    expect((await read(id, community)).allowedActions).not.toContain('evaluate');
    const refused = await act(id, 'evaluate', community, { rating: 'satisfied' }, 403);
    expect(refused.body.code).toBe('error.community-rates-own-result');
    expect((await read(id)).allowedActions).toContain('follow-up');
    expect((await rate(code, { pin: await pinOf(id, phone), rating: 'satisfied' })).status).toBe(202);
    await t.advance(0);
    expect(await read(id)).toMatchObject({ status: 'closed', evaluation: { source: 'complainant', rating: 'satisfied' } });
  });

  it("or the supervision centre's follow-up call records the complainant's answer, which counts", async () => {
    const { id } = await newCase(true);
    await resolve(id, true);
    const before = await report();
    await act(id, 'follow-up', community, { rating: 'satisfied' }, 403);
    await act(id, 'follow-up', supervisor, { rating: 'not-implemented', comment: '电话回访：路灯仍不亮' });
    const after = await read(id);
    expect(after).toMatchObject({ status: 'in-progress', followUp: { rating: 'not-implemented' } });
    expect(after.timeline.map((e: { type: string }) => e.type)).toContain('FOLLOW_UP_RECORDED');
    expect((await report()).city.notImplemented).toBe(before.city.notImplemented + 1);
    // A routed case's result is the community's to rate: no follow-up call for it.
    const routed = await newCase();
    await resolve(routed.id);
    const notKept = await act(routed.id, 'follow-up', supervisor, { rating: 'satisfied' }, 409);
    expect(notKept.body.code).toBe('error.follow-up-kept-only');
  });
});

describe('reopening a closed case', () => {
  /** A routed case, resolved and rated satisfied by its community: closed. */
  async function closedCase() {
    const made = await newCase();
    await resolve(made.id);
    await act(made.id, 'evaluate', community, { rating: 'satisfied' });
    expect((await read(made.id)).status).toBe('closed');
    return made;
  }
  const execution = async (id: string) => (await t.call('GET', `/v1/cases/${id}/execution`, { token: supervisor })).body;

  it('by code + PIN: back to the street office with a new handling window in execution <id>-r1, history kept, counted against the unit; the PIN is spent', async () => {
    const { id, code, phone } = await closedCase();
    const pin = await pinOf(id, phone);
    await t.advance(DAY); // a day later the lamp is out again
    const before = await read(id);
    const reportBefore = await report();
    expect((await reopenByPin(code, { pin: wrongPin(pin), reason: '路灯又坏了' })).status).toBe(403);
    const reopened = await reopenByPin(code, { pin, reason: '路灯又坏了' });
    expect(reopened.status).toBe(202);
    await t.advance(0);
    const after = await read(id);
    expect(after).toMatchObject({ status: 'in-progress', assignedUnit: STREET, reopenings: 1, light: 'green' });
    expect(after.closedAt).toBeUndefined();
    expect(after.windowStartedAt > before.closedAt).toBe(true);
    expect(after.resolveDueAt > before.resolveDueAt).toBe(true);
    expect(after.timeline.slice(0, before.timeline.length)).toEqual(before.timeline);
    expect(after.timeline.at(-1)).toMatchObject({ type: 'CASE_REOPENED', note: '路灯又坏了', data: { by: 'complainant', reopening: 1 } });
    expect(await execution(id)).toMatchObject({ executionName: `${id}-r1`, status: 'RUNNING', currentState: 'AwaitResult' });
    // The street office is told it has the case again, with its new deadline.
    const told = (await t.call('GET', `/_local/notifications?caseId=${id}`)).body.items.filter((n: { code: string }) => n.code === 'REOPENED_TO_UNIT');
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((n: { unit: string }) => n.unit === STREET)).toBe(true);
    expect(unitRow(await report(), STREET)!.reopened).toBe((unitRow(reportBefore, STREET)?.reopened ?? 0) + 1);
    expect((await t.call('GET', `/v1/track/${code}`)).body.milestones.at(-1)).toMatchObject({ code: 'REOPENED' });

    // Reopened while open: 409. The next result brings a new PIN; the old one is refused.
    expect((await reopenByPin(code, { pin, reason: '再次申请' })).status).toBe(409);
    await act(id, 'resolve', street, { summary: '更换了线路', outcome: '已恢复照明' });
    const pins = await pinsSent(id, phone);
    expect(pins).toHaveLength(2);
    expect(pins[1]).not.toBe(pin);
    expect((await rate(code, { pin, rating: 'satisfied' })).status).toBe(403);
    expect((await rate(code, { pin: pins[1], rating: 'satisfied' })).status).toBe(202);
    await t.advance(0);
    expect(await read(id)).toMatchObject({ status: 'closed', reopenings: 1 });
  });

  it('by the originating community and by the supervisor, with a reason; not by the unit (403); twice in a row the second finds it open (409)', async () => {
    const first = await closedCase();
    await act(first.id, 'reopen', street, { reason: '…' }, 403);
    await act(first.id, 'reopen', community, { reason: '居民再次反映' });
    expect(await read(first.id)).toMatchObject({ status: 'in-progress', reopenings: 1 });
    const again = await act(first.id, 'reopen', community, { reason: '居民再次反映' }, 409);
    expect(again.body.code).toBe('error.reopen-while-open');
    await act(first.id, 'reopen', community, {}, 400);

    const second = await closedCase();
    await act(second.id, 'reopen', supervisor, { reason: '督查发现问题未解决' });
    const after = await read(second.id);
    expect(after.timeline.at(-1)).toMatchObject({ type: 'CASE_REOPENED', data: { by: 'supervisor' } });
    expect(after.allowedActions).not.toContain('reopen');
  });

  it(`after ${defaultPolicy.reopenCalendarDays} days: 409 for everyone, and the PIN has expired for a late rating`, async () => {
    const { id, code, phone } = await closedCase();
    const pin = await pinOf(id, phone);
    expect((await read(id, community)).allowedActions).toContain('reopen');
    await t.advance((defaultPolicy.reopenCalendarDays + 1) * DAY);
    expect((await read(id, community)).allowedActions).not.toContain('reopen');
    const late = await act(id, 'reopen', community, { reason: '…' }, 409);
    expect(late.body.code).toBe('error.reopen-window-over');
    expect((await reopenByPin(code, { pin, reason: '…' })).status).toBe(409);
    expect((await rate(code, { pin, rating: 'satisfied' })).status).toBe(403);
    expect((await read(id)).status).toBe('closed');
  });
});

import { startTestStack, type TestStack } from '../support/local-stack';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultPolicy } from '../../functions/domain/policy';
import { CaseStore } from '../../functions/store/case-store';
import { dynamoDbClient } from '../../local/dynamodb';

/*
 * Complainants' personal data leaves a case when the retention period after closing has passed
 * (the nightly retention job), and at once when the supervision centre erases it on request.
 * The case itself stays, with its timeline; nothing else changes.
 */
let t: TestStack;
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const DAY = 24 * 3600;
const tokens: Record<string, string> = {};
const tokenFor = async (unit: string, role: string) => (tokens[`${unit}/${role}`] ??= await t.token(unit, role));
const community = () => tokenFor(COMMUNITY, 'community');
const street = () => tokenFor(STREET, 'agency');
const supervisor = () => tokenFor('supervision-centre', 'supervisor');

beforeAll(async () => {
  t = await startTestStack('personal-data');
});
beforeEach(() => t.fresh());
afterAll(() => t.stop());

const complainant = { name: '张明', phone: '13800138000' };

async function newCase(): Promise<string> {
  const created = await t.call('POST', '/v1/cases', {
    token: await community(),
    body: { title: '楼道堆放杂物', description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol', complainant },
  });
  expect(created.status).toBe(201);
  await t.advance(0);
  return created.body.id;
}

async function act(id: string, action: string, token: string, body: unknown): Promise<void> {
  expect((await t.call('POST', `/v1/cases/${id}/${action}`, { token, body })).status).toBe(202);
  await t.advance(0);
}

async function closedCase(): Promise<string> {
  const id = await newCase();
  await act(id, 'sign-off', await street(), { handler: { name: '李娟' } });
  await act(id, 'resolve', await street(), { summary: '已清理', outcome: '楼道畅通' });
  await act(id, 'evaluate', await community(), { rating: 'satisfied' });
  return id;
}

const read = async (id: string) => (await t.call('GET', `/v1/cases/${id}`, { token: await supervisor() })).body;
const erasures = async (id: string) => (await read(id)).timeline.filter((event: { type: string }) => event.type === 'PERSONAL_DATA_ERASED');

describe('the retention job', () => {
  test('erases the complainant of a case closed longer ago than the retention period, once, and nothing else', async () => {
    const closed = await closedCase();
    const open = await newCase();
    expect((await read(closed)).status).toBe('closed');

    // A day before the period ends: kept.
    await t.advance((defaultPolicy.personalDataRetentionDays - 1) * DAY);
    expect(await t.stack.erasePersonalDataPastRetention()).toEqual({ erased: 0, deferred: 0 });
    expect((await read(closed)).complainant).toEqual(complainant);

    await t.advance(2 * DAY);
    const before = await read(closed);
    expect(await t.stack.erasePersonalDataPastRetention()).toEqual({ erased: 1, deferred: 0 });
    const after = await read(closed);
    expect(after.complainant).toBeUndefined();
    expect(await erasures(closed)).toEqual([expect.objectContaining({ type: 'PERSONAL_DATA_ERASED', data: { reason: 'retention' } })]);
    // Everything the assessment reads is as it was.
    const { complainant: _gone, timeline: _t1, allowedActions: offeredBefore, ...restBefore } = before;
    const { timeline: _t2, allowedActions: offeredAfter, ...restAfter } = after;
    expect(restAfter).toEqual(restBefore);
    // With nothing left to erase, erasing is no longer offered.
    expect(offeredBefore).toContain('erase-complainant');
    expect(offeredAfter).not.toContain('erase-complainant');

    // The open case keeps its complainant however old it is; a second run erases nothing.
    expect((await read(open)).complainant).toEqual(complainant);
    expect(await t.stack.erasePersonalDataPastRetention()).toEqual({ erased: 0, deferred: 0 });
    expect(await erasures(closed)).toHaveLength(1);
    // Three virtual years of an open case nobody handles: every clock point of it runs on the way.
  }, 180_000);
});

describe('erasure on request', () => {
  test('the supervisor erases the complainant of an open case; the case goes on; a second erasure changes nothing', async () => {
    const id = await newCase();
    const erased = await t.call('DELETE', `/v1/cases/${id}/complainant`, { token: await supervisor() });
    expect(erased.status).toBe(204);
    expect((await read(id)).complainant).toBeUndefined();
    expect(await erasures(id)).toEqual([
      expect.objectContaining({ data: { reason: 'request' }, actor: { unit: 'supervision-centre', role: 'supervisor' } }),
    ]);
    // The unit holding it sees no complainant either; the workflow still waits for its sign-off.
    expect((await t.call('GET', `/v1/cases/${id}`, { token: await street() })).body.complainant).toBeUndefined();
    await act(id, 'sign-off', await street(), { handler: { name: '李娟' } });

    expect((await t.call('DELETE', `/v1/cases/${id}/complainant`, { token: await supervisor() })).status).toBe(204);
    expect(await erasures(id)).toHaveLength(1);
  });

  test('nobody else may erase, and an unknown case is 404', async () => {
    const id = await newCase();
    for (const token of [await community(), await street(), await t.token('supervision-centre', 'auditor')]) {
      const refused = await t.call('DELETE', `/v1/cases/${id}/complainant`, { token });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await read(id)).complainant).toEqual(complainant);
    expect((await t.call('DELETE', '/v1/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV/complainant', { token: await supervisor() })).status).toBe(404);
  });
});

describe('intake retries', () => {
  test('the kept first answer holds no personal data; a retry shows the complainant as the case holds it now', async () => {
    const body = { title: '噪音扰民', description: '夜间施工噪音', category: 'routine', reportedVia: 'phone', complainant };
    const headers = { 'idempotency-key': 'retry-after-erasure' };
    const first = await t.call('POST', '/v1/cases', { token: await community(), body, headers });
    expect(first.body.complainant).toEqual(complainant);
    await t.advance(0);

    const client = DynamoDBDocumentClient.from(dynamoDbClient(process.env.AWS_ENDPOINT_URL_DYNAMODB as string));
    const kept = await new CaseStore(client, process.env.CASES_TABLE as string).getIdempotencyRecord(COMMUNITY, 'retry-after-erasure');
    expect(kept?.caseId).toBe(first.body.id);
    expect(JSON.stringify(kept)).not.toContain(complainant.phone);
    expect(JSON.stringify(kept)).not.toContain(complainant.name);

    const again = await t.call('POST', '/v1/cases', { token: await community(), body, headers });
    expect(again.body).toEqual(first.body);
    expect((await t.call('DELETE', `/v1/cases/${first.body.id}/complainant`, { token: await supervisor() })).status).toBe(204);
    const afterErasure = await t.call('POST', '/v1/cases', { token: await community(), body, headers });
    expect(afterErasure.body.id).toBe(first.body.id);
    expect(afterErasure.body.complainant).toBeUndefined();
  });
});

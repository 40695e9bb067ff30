import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startTestStack, MONDAY_0900, type TestStack } from '../support/local-stack';
import { CaseStore } from '../../functions/store/case-store';
import { acceptCase, CaseRecordSchema, currentLight, type CaseRecord } from '../../functions/domain/case';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultCalendar } from '../../functions/domain/calendar';
import { defaultRoutingRules } from '../../functions/domain/routing';

/*
 * GET /v1/cases/summary against a full scan of the table on DynamoDB Local, as the clock moves:
 * cases through the API (their workflows write the lights at each warning and breach), and cases
 * written straight through the store with no workflow at all, whose recorded light never moves,
 * so only the summary's correction can count them right.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';

let t: TestStack;
let client: DynamoDBDocumentClient;
let supervisor: string;
let community: string;
let street: string;

beforeAll(async () => {
  t = await startTestStack('summary');
  client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  [supervisor, community, street] = await Promise.all([
    t.token('supervision-centre', 'supervisor'),
    t.token(COMMUNITY, 'community'),
    t.token(STREET, 'agency'),
  ]);
});
afterAll(() => t.stop());

async function openCases(): Promise<CaseRecord[]> {
  const records: CaseRecord[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: process.env.CASES_TABLE, ExclusiveStartKey, FilterExpression: 'sk = :case', ExpressionAttributeValues: { ':case': 'CASE' } }));
    records.push(...(page.Items ?? []).map((item) => CaseRecordSchema.parse(item)));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return records.filter((r) => r.status !== 'closed');
}

/** The summary a full scan gives at `nowMs`, narrowed as the route narrows it. */
async function scanned(nowMs: number, fits: (r: CaseRecord) => boolean = () => true) {
  const open = (await openCases()).filter(fits);
  const byLight = { green: 0, yellow: 0, red: 0 };
  const byTier: Record<string, number> = { '0': 0, '1': 0, '2': 0, '3': 0 };
  const byDistrict: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  for (const r of open) {
    byLight[currentLight(r, nowMs, defaultCalendar)] += 1;
    byTier[String(r.tier)] += 1;
    byDistrict[r.district] = (byDistrict[r.district] ?? 0) + 1;
    byCategory[r.category] = (byCategory[r.category] ?? 0) + 1;
  }
  return { open: open.length, byLight, byTier, byDistrict, byCategory };
}

async function expectExact(token = supervisor, query = '', fits?: (r: CaseRecord) => boolean) {
  const response = await t.call('GET', `/v1/cases/summary${query}`, { token });
  expect(response.status).toBe(200);
  const { asOf, ...counts } = response.body;
  expect(counts).toEqual(await scanned(Date.parse(asOf), fits));
  return response;
}

async function createCase(body: Record<string, unknown> = {}): Promise<string> {
  const response = await t.call('POST', '/v1/cases', {
    token: community,
    body: { title: '楼道堆放杂物', description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol', ...body },
  });
  expect(response.status).toBe(201);
  return response.body.id;
}

/** A case written through the store only: counted from intake, and no workflow will ever write its light. */
async function storeOnly(n: number, nowMs: number, category: 'routine' | 'urban-management'): Promise<void> {
  const store = new CaseStore(client, process.env.CASES_TABLE as string);
  const { record, event } = acceptCase(
    { title: `直接写入 ${n}`, description: '没有工作流的事项', category, reportedVia: 'web' },
    {
      caller: { sub: 's', unit: COMMUNITY, role: 'community' },
      id: `01KK81QAM0N09MEBE73C2Q${String(n).padStart(4, '0')}`,
      nowMs,
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    },
  );
  await store.createCase({ ...record, version: 2 }, event);
}

it('counts every open case exactly as the clock passes warnings and deadlines, with and without workflows behind them', async () => {
  const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => createCase({ category: i % 2 ? 'routine' : 'urban-management' })));
  await t.advance(0);
  for (let n = 0; n < 8; n++) await storeOnly(n, MONDAY_0900 + n * 1_800_000, n % 2 ? 'routine' : 'urban-management');
  await expectExact();

  // One case signed off, resolved and rated: it leaves the counts when it closes.
  const first = ids[1]; // routine: the street office holds it
  expect((await t.call('POST', `/v1/cases/${first}/sign-off`, { token: street, body: { handler: { name: '李娟' } } })).status).toBe(202);
  await t.advance(0);
  await expectExact();

  // Through warnings, breaches and escalations: after each step of the clock, the same as a full scan.
  for (const seconds of [3600 * 5, 3600 * 2, 3600 * 3, 3600 * 12, 86_400, 86_400 * 2, 86_400 * 3]) {
    await t.advance(seconds);
    await expectExact();
  }
  const resolve = await t.call('POST', `/v1/cases/${first}/resolve`, {
    token: street,
    body: { summary: '已清理', outcome: '楼道已畅通', approvedBy: { name: '王强', post: '主任' } },
  });
  expect(resolve.status).toBe(202);
  await t.advance(0);
  await expectExact();
  expect((await t.call('POST', `/v1/cases/${first}/evaluate`, { token: community, body: { rating: 'satisfied' } })).status).toBe(202);
  await t.advance(0);
  expect((await t.call('GET', `/v1/cases/${first}`, { token: supervisor })).body.status).toBe('closed');
  const summary = await expectExact();
  expect(summary.body.byLight.red).toBeGreaterThan(0);
}, 120_000);

it('narrows by district, category and unit, and gives a unit its own', async () => {
  await expectExact(supervisor, '?category=routine', (r) => r.category === 'routine');
  await expectExact(supervisor, '?district=xiling&category=urban-management', (r) => r.district === 'xiling' && r.category === 'urban-management');
  await expectExact(supervisor, `?unit=${STREET}`, (r) => r.assignedUnit === STREET);
  await expectExact(street, '', (r) => r.assignedUnit === STREET);
  expect((await t.call('GET', `/v1/cases/summary?unit=${STREET}`, { token: community })).status).toBe(403);
  expect((await t.call('GET', '/v1/cases/summary?category=nonsense', { token: supervisor })).status).toBe(400);
}, 60_000);

it('answers 304 to a tag it gave while nothing changed, and a new tag once something did', async () => {
  const first = await t.call('GET', '/v1/cases/summary', { token: supervisor });
  const etag = first.headers.get('etag') as string;
  expect(etag).toMatch(/^W\/"/);
  const again = await fetch(`${t.url}/v1/cases/summary`, { headers: { authorization: `Bearer ${supervisor}`, 'if-none-match': etag } });
  expect(again.status).toBe(304);
  expect(await again.text()).toBe('');
  await createCase();
  await t.advance(0);
  const changed = await fetch(`${t.url}/v1/cases/summary`, { headers: { authorization: `Bearer ${supervisor}`, 'if-none-match': etag } });
  expect(changed.status).toBe(200);
  expect(changed.headers.get('etag')).not.toBe(etag);
}, 60_000);

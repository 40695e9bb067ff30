import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestStack, MONDAY_0900, type TestStack } from '../support/local-stack';
import { fixtureId } from '../support/seed-fixture';
import { CaseStore } from '../../functions/store/case-store';
import { listCasePage, type CaseListQuery } from '../../functions/store/case-list';
import { recountOpenSummary } from '../../scripts/open-summary-recount';
import { INDEXES } from '../../functions/store/table-design';
import { acceptCase, currentLight, type CaseRecord, type CaseStatus } from '../../functions/domain/case';
import { defaultCalendar, toShanghaiIso } from '../../functions/domain/calendar';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultRoutingRules } from '../../functions/domain/routing';

/*
 * A community's cases however long its history (issue 15), on DynamoDB Local: the byOriginUnit
 * index sorts a community's cases under their status, so a community with 600 closed and 30 open
 * cases lists exactly its 30 open ones by a key condition — reading no closed case, the first page
 * full — its closed ones most recently closed first, and every other filter and order of the list
 * still works over it. Items written before the key took the status are missed by a status list
 * until the recount rewrites them.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const NEIGHBOUR = 'community-xiling-luluo-lu';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const CLOSED = 600;
/** The 30 open cases: each open status, so every group of the community's home has some. */
const OPEN: ReadonlyArray<[CaseStatus, number]> = [
  ['awaiting-sign-off', 12],
  ['in-progress', 8],
  ['returned', 4],
  ['awaiting-evaluation', 6],
];

let t: TestStack;
let client: DynamoDBDocumentClient;
let table: string;
let community: string;
const records: CaseRecord[] = [];

/** Cases as intake makes them, then given the status they are listed by (the list reads the record, not its history). */
function make(origin: string, n: number, createdMs: number, status: CaseStatus): CaseRecord {
  const { record } = acceptCase(
    { title: `第 ${n} 号事项${n % 10 === 0 ? ' 路灯不亮' : ''}`, description: '网格员上报。', category: 'routine', reportedVia: 'patrol' },
    {
      caller: { sub: `seed@${origin}`, unit: origin, role: 'community' },
      id: fixtureId(createdMs, 15, n),
      nowMs: createdMs,
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    },
  );
  if (status === 'closed') {
    // Closed from 1 to 40 days after intake, so the order of closing is not the order of intake.
    return { ...record, version: 2, status, closedAt: toShanghaiIso(createdMs + (1 + ((n * 7) % 40)) * DAY), closedReason: 'satisfied' };
  }
  return { ...record, version: 2, status };
}

beforeAll(async () => {
  t = await startTestStack('community-cases');
  table = process.env.CASES_TABLE as string;
  client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  community = await t.token(COMMUNITY, 'community');
  let n = 0;
  // A year and a half of closed cases, oldest first (as an old community's history is), then the open ones of the last days.
  for (let k = 0; k < CLOSED; k++) records.push(make(COMMUNITY, n++, MONDAY_0900 - 600 * DAY + k * DAY - (k % 5) * HOUR, 'closed'));
  for (const [status, count] of OPEN) for (let k = 0; k < count; k++) records.push(make(COMMUNITY, n++, MONDAY_0900 - (n % 9) * 7 * HOUR - k * HOUR, status));
  // A neighbour's cases, in another partition of the same index.
  for (let k = 0; k < 5; k++) records.push(make(NEIGHBOUR, n++, MONDAY_0900 - k * HOUR, 'in-progress'));
  const store = new CaseStore(client, table);
  const queue = [...records];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await store.createCase(next, acceptedEvent(next));
    }),
  );
}, 180_000);
afterAll(() => t.stop());

/** The intake event of a seeded case, as acceptCase gives it (its timeline is not what this test reads). */
function acceptedEvent(record: CaseRecord) {
  return acceptCase(
    { title: record.title, description: record.description, category: record.category, reportedVia: record.reportedVia },
    {
      caller: { sub: `seed@${record.originUnit}`, unit: record.originUnit, role: 'community' },
      id: record.id,
      nowMs: Date.parse(record.createdAt),
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    },
  ).event;
}

const mine = (status?: CaseStatus) => records.filter((r) => r.originUnit === COMMUNITY && (status === undefined || r.status === status));
const byCreation = (a: CaseRecord, b: CaseRecord) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
const byClosingNewestFirst = (a: CaseRecord, b: CaseRecord) => (b.closedAt as string).localeCompare(a.closedAt as string) || a.id.localeCompare(b.id);

/** Every page of the community's list through the API: each full but the last; the ids in order. */
async function pages(query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 50; n++) {
    const response = await t.call('GET', `/v1/cases?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: community });
    expect(response.status).toBe(200);
    ids.push(...response.body.items.map((c: { id: string }) => c.id));
    cursor = response.body.nextCursor;
    if (!cursor) return ids;
    expect(response.body.items).toHaveLength(limit);
  }
  throw new Error('too many pages');
}

test('each open status of the community is one key range: exactly its cases, in creation order, reading no closed case', async () => {
  let open = 0;
  for (const [status, count] of OPEN) {
    const query: CaseListQuery = { source: { index: 'byOriginUnit', unit: COMMUNITY }, status, limit: 100, nowMs: MONDAY_0900 };
    const page = await listCasePage(client, table, query);
    expect(page.items.map((r) => r.id)).toEqual(mine(status).sort(byCreation).map((r) => r.id));
    expect(page.nextCursor).toBeUndefined();
    // What it read is what it lists: none of the 600 closed cases, none of another status.
    expect(page.scanned).toBe(count);
    open += page.items.length;
  }
  expect(open).toBe(30);
});

test("through the API, the community's open list is exactly its 30, the first page full", async () => {
  const first = await t.call('GET', '/v1/cases?status=awaiting-sign-off&limit=10', { token: community });
  expect(first.status).toBe(200);
  expect(first.body.items).toHaveLength(10);
  expect(first.body.nextCursor).toBeDefined();
  const open: string[] = [];
  for (const [status] of OPEN) {
    const ids = await pages(`&status=${status}`, 5);
    expect(ids).toEqual(mine(status).sort(byCreation).map((r) => r.id));
    open.push(...ids);
  }
  expect(new Set(open).size).toBe(30);
  expect(open.sort()).toEqual(records.filter((r) => r.originUnit === COMMUNITY && r.status !== 'closed').map((r) => r.id).sort());
});

test('its closed cases come most recently closed first, so the first page is the latest; paged through, each once', async () => {
  const latest = mine('closed').sort(byClosingNewestFirst);
  const first = await t.call('GET', '/v1/cases?status=closed&limit=20', { token: community });
  expect(first.status).toBe(200);
  expect(first.body.items.map((c: { id: string }) => c.id)).toEqual(latest.slice(0, 20).map((r) => r.id));
  expect(await pages('&status=closed', 100)).toEqual(latest.map((r) => r.id));
});

test('without a status the community lists all its 630 cases once, pages full; other filters and sort=light still apply in the query', async () => {
  const all = await pages('', 100);
  expect(all).toHaveLength(CLOSED + 30);
  expect(new Set(all)).toEqual(new Set(mine().map((r) => r.id)));

  // A month of its history, closed: the status in the key, the month as a filter.
  const month = mine('closed')[300].createdAt.slice(0, 7);
  expect(new Set(await pages(`&status=closed&month=${month}`, 7))).toEqual(new Set(mine('closed').filter((r) => r.createdAt.startsWith(month)).map((r) => r.id)));
  // A keyword over every status.
  expect(new Set(await pages(`&q=${encodeURIComponent('路灯不亮')}`, 9))).toEqual(new Set(mine().filter((r) => r.title.includes('路灯不亮')).map((r) => r.id)));
  // The light as shown now, within one status, and red first with sort=light.
  const signOff = mine('awaiting-sign-off');
  for (const light of ['green', 'yellow', 'red'] as const) {
    const want = signOff.filter((r) => currentLight(r, MONDAY_0900, defaultCalendar) === light).sort(byCreation);
    expect(await pages(`&status=awaiting-sign-off&light=${light}`, 3)).toEqual(want.map((r) => r.id));
  }
  const severity = { red: 0, yellow: 1, green: 2 } as const;
  const bySeverity = [...signOff].sort((a, b) => severity[currentLight(a, MONDAY_0900, defaultCalendar)] - severity[currentLight(b, MONDAY_0900, defaultCalendar)] || byCreation(a, b));
  expect(await pages('&status=awaiting-sign-off&sort=light', 4)).toEqual(bySeverity.map((r) => r.id));
  // A cursor of one status is refused for another.
  const cursor = (await t.call('GET', '/v1/cases?status=in-progress&limit=2', { token: community })).body.nextCursor as string;
  expect((await t.call('GET', `/v1/cases?status=awaiting-sign-off&limit=2&cursor=${encodeURIComponent(cursor)}`, { token: community })).status).toBe(400);
});

test('items written before the key took the status are missed by a status list until the recount rewrites them, closed ones included', async () => {
  const oldFormat = [...mine('in-progress').slice(0, 3), ...mine('closed').slice(-2)];
  const keyOf = async (id: string) =>
    (await client.send(new GetCommand({ TableName: table, Key: { pk: `CASE#${id}`, sk: 'CASE' }, ConsistentRead: true }))).Item?.[INDEXES.byOriginUnit.sortKey] as string;
  const written = new Map(await Promise.all(oldFormat.map(async (r) => [r.id, await keyOf(r.id)] as const)));
  for (const r of oldFormat) {
    // What an earlier version wrote: <createdAt>#<id>.
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `CASE#${r.id}`, sk: 'CASE' },
        UpdateExpression: 'SET #sk = :old',
        ExpressionAttributeNames: { '#sk': INDEXES.byOriginUnit.sortKey },
        ExpressionAttributeValues: { ':old': `${r.createdAt}#${r.id}` },
      }),
    );
  }
  expect(await pages('&status=in-progress', 100)).toHaveLength(8 - 3);

  const dry = await recountOpenSummary(client, table, { dryRun: true });
  expect(dry.indexDifferences.filter((d) => d.outcome === 'would-correct').map((d) => d.id).sort()).toEqual(oldFormat.map((r) => r.id).sort());
  expect(await pages('&status=in-progress', 100)).toHaveLength(8 - 3);

  const report = await recountOpenSummary(client, table);
  expect(report.indexDifferences).toEqual(
    oldFormat
      .map((r) => ({ id: r.id, attribute: INDEXES.byOriginUnit.sortKey, stored: `${r.createdAt}#${r.id}`, expected: written.get(r.id), outcome: 'corrected' }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  );
  expect(report.lightDifferences).toEqual([]);
  for (const r of oldFormat) expect(await keyOf(r.id)).toBe(written.get(r.id));
  expect(await pages('&status=in-progress', 100)).toEqual(mine('in-progress').sort(byCreation).map((r) => r.id));
  expect(await pages('&status=closed', 100)).toEqual(mine('closed').sort(byClosingNewestFirst).map((r) => r.id));
  const again = await recountOpenSummary(client, table);
  expect(again.indexDifferences).toEqual([]);
  expect(again.writeUnits).toBe(0);
});

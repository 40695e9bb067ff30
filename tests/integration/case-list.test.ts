import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startTestStack, MONDAY_0900, type TestStack } from '../support/local-stack';
import { CaseStore } from '../../functions/store/case-store';
import { acceptCase, CaseRecordSchema, currentLight, type CaseRecord } from '../../functions/domain/case';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultCalendar } from '../../functions/domain/calendar';
import { defaultRoutingRules } from '../../functions/domain/routing';

/*
 * GET /v1/cases with every filter applied in the query, over HTTP on DynamoDB Local: each page
 * holds `limit` cases unless it is the last, the pages together are exactly what a full scan
 * finds, and a cursor works only with the filter it came from.
 */
const COMMUNITIES = ['community-xiling-shengli-silu', 'community-wujiagang-longpanhu'];
const KEYWORDS = ['楼道堆放杂物', '噪音扰民', '路灯不亮', '垃圾清运'];
const CATEGORIES = ['routine', 'urban-management', 'environment-pollution'] as const;
const HOUR = 3_600_000;

let t: TestStack;
let client: DynamoDBDocumentClient;
let supervisor: string;
let auditor: string;

async function seed(count: number): Promise<void> {
  const store = new CaseStore(client, process.env.CASES_TABLE as string);
  for (let n = 0; n < count; n++) {
    const origin = COMMUNITIES[n % 2];
    const { record, event } = acceptCase(
      {
        title: `${KEYWORDS[n % 4]} ${n}`,
        description: n % 5 === 0 ? '居民反映夜间施工噪音扰民。' : '请尽快处理。',
        category: CATEGORIES[n % 3],
        reportedVia: 'web',
        ...(n % 6 === 0 ? { complainant: { name: '张明', phone: n % 12 === 0 ? '13800138000' : '13900139000' } } : {}),
        ...(n % 7 === 0 ? { location: { address: '西陵一路 3 号楼道' } } : {}),
      },
      {
        caller: { sub: 's', unit: origin, role: 'community' },
        id: `01KK81QAM0N09MEBE73C${String(n).padStart(6, '0')}`,
        // Accepted over four days, so at the test's time some are green, some yellow, some red.
        nowMs: MONDAY_0900 - (n % 9) * 10 * HOUR,
        directory: defaultDirectory,
        calendar: defaultCalendar,
        routingRules: defaultRoutingRules,
      },
    );
    await store.createCase({ ...record, tier: (n % 4 === 3 ? 1 : 0) as 0 | 1, version: 2 }, event);
  }
}

async function all(): Promise<CaseRecord[]> {
  const records: CaseRecord[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: process.env.CASES_TABLE, ExclusiveStartKey, FilterExpression: 'sk = :case', ExpressionAttributeValues: { ':case': 'CASE' } }));
    records.push(...(page.Items ?? []).map((item) => CaseRecordSchema.parse(item)));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return records;
}

/** Every page of a listing: each full but the last; the ids in order. */
async function pages(query: string, limit = 7, token = supervisor): Promise<{ ids: string[]; lights: string[] }> {
  const ids: string[] = [];
  const lights: string[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 100; n++) {
    const response = await t.call('GET', `/v1/cases?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(response.status).toBe(200);
    ids.push(...response.body.items.map((c: { id: string }) => c.id));
    lights.push(...response.body.items.map((c: { light: string }) => c.light));
    cursor = response.body.nextCursor;
    if (!cursor) return { ids, lights };
    // Short only at the end: a page with a next cursor is full.
    expect(response.body.items).toHaveLength(limit);
  }
  throw new Error('too many pages');
}

let records: CaseRecord[];
let nowMs: number;

beforeAll(async () => {
  t = await startTestStack('list');
  client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  [supervisor, auditor] = await Promise.all([t.token('supervision-centre', 'supervisor'), t.token('supervision-centre', 'auditor')]);
  await seed(90);
  records = await all();
  nowMs = (await t.call('GET', '/_local/clock')).body.nowMs;
}, 120_000);
afterAll(() => t.stop());

const open = () => records.filter((r) => r.status !== 'closed');
const expectSame = (got: string[], want: CaseRecord[]) => {
  expect(new Set(got).size).toBe(got.length);
  expect([...got].sort()).toEqual(want.map((r) => r.id).sort());
};

it.each([
  ['light=red', (r: CaseRecord) => currentLight(r, nowMs, defaultCalendar) === 'red'],
  ['light=yellow', (r: CaseRecord) => currentLight(r, nowMs, defaultCalendar) === 'yellow'],
  ['light=green', (r: CaseRecord) => currentLight(r, nowMs, defaultCalendar) === 'green'],
  ['category=urban-management', (r: CaseRecord) => r.category === 'urban-management'],
  ['district=wujiagang', (r: CaseRecord) => r.district === 'wujiagang'],
  ['tier=1', (r: CaseRecord) => r.tier === 1],
  [`q=${encodeURIComponent('噪音')}`, (r: CaseRecord) => r.title.includes('噪音') || r.description.includes('噪音')],
  [`q=${encodeURIComponent('西陵一路')}`, (r: CaseRecord) => (r.location?.address ?? '').includes('西陵一路')],
  ['q=01kk81qam0n09mebe73c00001', (r: CaseRecord) => r.id.startsWith('01KK81QAM0N09MEBE73C00001')],
  ['phone=13800138000', (r: CaseRecord) => r.complainant?.phone === '13800138000'],
  [`light=red&category=environment-pollution&q=${encodeURIComponent('尽快')}`, (r: CaseRecord) => currentLight(r, nowMs, defaultCalendar) === 'red' && r.category === 'environment-pollution' && r.description.includes('尽快')],
])('%s: every page full but the last, all of them exactly what a full scan finds', async (query, fits) => {
  const want = open().filter(fits);
  expect(want.length).toBeGreaterThan(0);
  const { ids } = await pages(`&${query}`);
  expectSame(ids, want);
}, 60_000);

it('sorts by light: every red case, then yellow, then green, across pages', async () => {
  const { ids, lights } = await pages('&sort=light', 11);
  expectSame(ids, open());
  const rank = { red: 0, yellow: 1, green: 2 } as Record<string, number>;
  expect(lights.map((l) => rank[l])).toEqual([...lights.map((l) => rank[l])].sort((a, b) => a - b));
  expect(new Set(lights)).toEqual(new Set(['red', 'yellow', 'green']));
}, 60_000);

it('refuses a cursor from another filter, a keyword of 1 or over 100 characters, and a phone filter from anyone but the supervisor', async () => {
  const first = await t.call('GET', '/v1/cases?limit=3&light=red', { token: supervisor });
  expect(first.body.nextCursor).toBeDefined();
  const other = await t.call('GET', `/v1/cases?limit=3&light=yellow&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: supervisor });
  expect(other.status).toBe(400);
  expect(other.body.errors[0].path).toBe('cursor');

  const short = await t.call('GET', '/v1/cases?q=a', { token: supervisor });
  expect(short.status).toBe(400);
  expect(short.body.errors[0]).toMatchObject({ path: 'q', message: '关键词须为 2 到 100 个字符' });
  const long = await t.call('GET', `/v1/cases?q=${'长'.repeat(101)}`, { token: supervisor, headers: { 'accept-language': 'en' } });
  expect(long.status).toBe(400);
  expect(long.body.errors[0]).toMatchObject({ path: 'q', message: 'a keyword of 2 to 100 characters' });

  const phone = await t.call('GET', '/v1/cases?phone=13800138000', { token: auditor });
  expect(phone.status).toBe(400);
  expect(phone.body.errors[0]).toMatchObject({ path: 'phone', message: '只有监管中心可以按投诉人电话查找事项' });
  const phoneEn = await t.call('GET', '/v1/cases?phone=13800138000', { token: auditor, headers: { 'accept-language': 'en' } });
  expect(phoneEn.body.errors[0].message).toMatch(/supervision centre/);
}, 60_000);

it('answers 304 to the tag of a page that has not changed', async () => {
  const first = await t.call('GET', '/v1/cases?limit=5&sort=light', { token: supervisor });
  const etag = first.headers.get('etag') as string;
  expect(etag).toMatch(/^W\//);
  const again = await fetch(`${t.url}/v1/cases?limit=5&sort=light`, { headers: { authorization: `Bearer ${supervisor}`, 'if-none-match': etag } });
  expect(again.status).toBe(304);
  const other = await fetch(`${t.url}/v1/cases?limit=6&sort=light`, { headers: { authorization: `Bearer ${supervisor}`, 'if-none-match': etag } });
  expect(other.status).toBe(200);
});

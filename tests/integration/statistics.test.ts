import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startTestStack, type TestStack } from '../support/local-stack';
import { scaledMix, simulateCases, writeCases } from '../support/seed-fixture';
import type { CaseRecord } from '../../functions/domain/case';

/*
 * GET /v1/statistics over HTTP on DynamoDB Local, on a month of cases simulated as the seed's
 * table was (its intake channels, its outcomes): the seed's other figures — the share of intake
 * by channel and the share resolved in the month of arrival — come out of the API exactly as the
 * cases hold them, by every breakdown, in JSON and CSV.
 */
let t: TestStack;
let supervisor: string;
let records: CaseRecord[];

beforeAll(async () => {
  t = await startTestStack('statistics');
  supervisor = await t.token('supervision-centre', 'supervisor');
  records = [...simulateCases({ months: ['2011-05'], monthWeights: [1], mix: scaledMix(1500), seed: 2011_05 })];
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  await writeCases(client, process.env.CASES_TABLE as string, records, { concurrency: 8 });
}, 120_000);
afterAll(() => t.stop());

const get = (query: string, token = supervisor) => t.call('GET', `/v1/statistics${query}`, { token });

it("reproduces the seed's shares of intake by channel, and the share resolved in the month of arrival", async () => {
  const response = await get('?from=2011-05&to=2011-05&by=channel');
  expect(response.status).toBe(200);
  const rows = response.body.rows as { key: string; received: number; resolved: number; resolvedSameMonth: number }[];
  const received = rows.reduce((sum, row) => sum + row.received, 0);
  expect(received).toBe(records.length);
  for (const row of rows) expect(row.received).toBe(records.filter((r) => r.reportedVia === row.key).length);
  const share = (keys: string[]) => (100 * rows.filter((row) => keys.includes(row.key)).reduce((sum, row) => sum + row.received, 0)) / received;
  // The seed: 52 % found by grid patrols, about 40 % by phone, SMS, the internet and the hotline.
  expect(share(['patrol'])).toBeGreaterThan(49);
  expect(share(['patrol'])).toBeLessThan(55);
  expect(share(['phone', 'sms', 'web', 'hotline', 'media'])).toBeGreaterThan(37);
  expect(share(['phone', 'sms', 'web', 'hotline', 'media'])).toBeLessThan(43);
  // Resolved in the month of arrival: exactly what the cases hold.
  const sameMonth = records.filter((r) => r.metrics.firstResolvedAt?.slice(0, 7) === r.createdAt.slice(0, 7)).length;
  expect(rows.reduce((sum, row) => sum + row.resolvedSameMonth, 0)).toBe(sameMonth);
  expect(sameMonth / records.length).toBeGreaterThan(0.5);
}, 60_000);

it.each(['month', 'district', 'street', 'category', 'unit'])('by %s: the rows add up to the same month', async (by) => {
  const response = await get(`?from=2011-04&to=2011-06&by=${by}`);
  expect(response.status).toBe(200);
  const rows = response.body.rows as Record<string, number | string | null>[];
  expect(rows.reduce((sum, row) => sum + (row.received as number), 0)).toBe(records.length);
  for (const row of rows) {
    expect(row.resolved as number).toBeLessThanOrEqual(row.received as number);
    expect(row.resolvedSameMonth as number).toBeLessThanOrEqual(row.resolved as number);
    if ((row.resolved as number) > 0) expect(row.resolveDaysP50 as number).toBeLessThanOrEqual(row.resolveDaysP90 as number);
  }
  if (by === 'month') expect(rows.map((row) => row.key)).toEqual(['2011-05']);
}, 60_000);

it('writes CSV with the same figures, its header row in the caller\'s language (Chinese unless asked otherwise)', async () => {
  const csvLines = async (lang?: string) => {
    const response = await fetch(`${t.url}/v1/statistics?from=2011-05&to=2011-05&by=channel&format=csv`, {
      headers: { authorization: `Bearer ${supervisor}`, ...(lang ? { 'accept-language': lang } : {}) },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    return (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
  };
  const lines = await csvLines();
  expect(lines[0]).toBe(
    '受理渠道,受理数,办结数,办结率（%）,社区就地化解数,满意数,满意率（%）,签收用时中位数（小时）,签收用时 90 分位（小时）,办结用时中位数（天）,办结用时 90 分位（天）,当月办结数',
  );
  const english = await csvLines('en-GB,en;q=0.9');
  expect(english[0]).toBe(
    'Channel,Received,Resolved,Resolution rate (%),Resolved in the community,Satisfied,Satisfaction rate (%),"Sign-off hours, median","Sign-off hours, 90th percentile","Days to resolve, median","Days to resolve, 90th percentile",Resolved in the month of arrival',
  );
  // Only the header differs: the rows are the same cells in either language.
  expect(english.slice(1)).toEqual(lines.slice(1));
  const json = (await get('?from=2011-05&to=2011-05&by=channel')).body.rows as Record<string, unknown>[];
  // The JSON keeps the contract's keys.
  expect(Object.keys(json[0])).toEqual(expect.arrayContaining(['key', 'received', 'resolvedSameMonth']));
  expect(lines.slice(1).map((line) => line.split(',')[1]).map(Number)).toEqual(json.map((row) => row.received));
});

it('refuses a range over 36 months, a range backwards, an unknown breakdown, and callers who may not read statistics', async () => {
  const long = await get('?from=2020-01&to=2023-01');
  expect(long.status).toBe(400);
  expect(long.body.errors[0]).toMatchObject({ path: 'to', message: '时间范围最多 36 个月' });
  const longEn = await t.call('GET', '/v1/statistics?from=2020-01&to=2023-01', { token: supervisor, headers: { 'accept-language': 'en' } });
  expect(longEn.body.errors[0].message).toBe('at most 36 months');
  expect((await get('?from=2020-01&to=2022-12')).status).toBe(200);
  expect((await get('?from=2011-06&to=2011-05')).status).toBe(400);
  const by = await get('?from=2011-05&to=2011-05&by=grid');
  expect(by.status).toBe(400);
  expect(by.body.errors[0].path).toBe('by');
  expect((await get('?from=2011-05&to=2011-05', await t.token('community-xiling-shengli-silu', 'community'))).status).toBe(403);
  expect((await get('?from=2011-05&to=2011-05', await t.token('supervision-centre', 'auditor'))).status).toBe(200);
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startTestStack, MONDAY_0900, type TestStack } from '../support/local-stack';
import { CaseStore } from '../../functions/store/case-store';
import { acceptCase } from '../../functions/domain/case';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultCalendar } from '../../functions/domain/calendar';
import { defaultRoutingRules } from '../../functions/domain/routing';

/*
 * Every CSV answer is measured before it is sent (functions/api/export-cases-limits.ts): over what
 * one Lambda answer carries (6 MB), AWS would answer a bare 502, so the API refuses it with a 400
 * that says how many rows matched and how to narrow them. The deployed budget needs about 20,000
 * cases; this stack lowers it (MAX_ANSWER_BYTES may only lower it) so 40 cases are over it.
 * Without the guard, every refusal below would be a 200.
 */
const BUDGET = 600;
/** Cases in every category, so statistics by category have a row each. */
const CATEGORIES = [
  'administrative-approval', 'laws-and-regulations', 'routine', 'road-traffic-accident', 'urban-management', 'property-management', 'demolition-compensation',
  'environment-pollution', 'labour-wages', 'medical-dispute', 'civil-affairs-relief', 'neighbour-family', 'other',
] as const;
process.env.MAX_ANSWER_BYTES = String(BUDGET);

let t: TestStack;
let supervisor: string;

beforeAll(async () => {
  t = await startTestStack('export-size');
  supervisor = await t.token('supervision-centre', 'supervisor');
  const store = new CaseStore(DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }), process.env.CASES_TABLE as string);
  for (let n = 0; n < 40; n++) {
    const { record, event } = acceptCase(
      {
        title: n === 7 ? '路灯不亮 唯一标题' : `楼道堆放杂物 ${n}`,
        description: '请尽快处理。',
        category: CATEGORIES[n % CATEGORIES.length],
        reportedVia: 'web',
        complainant: { name: '张明', phone: '13800138000' },
      },
      {
        caller: { sub: 's', unit: 'community-xiling-shengli-silu', role: 'community' },
        id: `01KK81QAM0N09MEBE73D${String(n).padStart(6, '0')}`,
        nowMs: MONDAY_0900 - n * 3_600_000,
        directory: defaultDirectory,
        calendar: defaultCalendar,
        routingRules: defaultRoutingRules,
      },
    );
    await store.createCase({ ...record, version: 2 }, event);
  }
}, 60_000);
afterAll(() => t.stop());

const get = (path: string, lang = 'zh-CN') => fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${supervisor}`, 'accept-language': lang } });

it('refuses a case export over the budget, naming how many cases matched, in the caller\'s language; narrowed, it goes through', async () => {
  const over = await get('/v1/cases/export');
  expect(over.status).toBe(400);
  expect(over.headers.get('content-type')).toMatch(/problem\+json/);
  const zh = (await over.json()) as { code: string; detail: string };
  expect(zh.code).toBe('error.export-too-large');
  expect(zh.detail).toMatch(/^符合条件的事项共 40 件，导出文件约 [\d.]+ KB，超过单次导出上限 0.6 KB。请缩小范围（按月份、区、单位、类别或灯色筛选）后分批导出。$/);
  const en = (await (await get('/v1/cases/export?category=routine', 'en')).json()) as { detail: string };
  expect(en.detail).toMatch(/^3 cases fit these filters, about [\d.]+ KB of CSV: more than the 0.6 KB one export can carry\. Narrow them/);

  const narrowed = await get(`/v1/cases/export?q=${encodeURIComponent('唯一标题')}`);
  expect(narrowed.status).toBe(200);
  const text = await narrowed.text();
  expect(text.trim().split('\r\n')).toHaveLength(2);
  expect(Buffer.byteLength(JSON.stringify(text))).toBeLessThanOrEqual(BUDGET);
});

it('measures the statistics and the assessment report the same way', async () => {
  const month = '2026-03';
  // One row (every case came in on the web) fits.
  const small = await get(`/v1/statistics?from=${month}&to=${month}&by=channel&format=csv`);
  expect(small.status).toBe(200);
  // A row for each of 13 categories does not, nor the month's assessment with a row for every unit.
  const wide = await get(`/v1/statistics?from=${month}&to=${month}&by=category&format=csv`);
  expect(wide.status).toBe(400);
  expect(((await wide.json()) as { detail: string }).detail).toMatch(/^结果共 13 行，约 [\d.]+ KB，超过单次导出上限 0.6 KB。请缩短月份范围/);
  const report = await get(`/v1/reports/${month}?format=csv`, 'en');
  expect(report.status).toBe(400);
  expect(((await report.json()) as { detail: string }).detail).toMatch(/^The answer has \d+ rows, about [\d.]+ KB: more than the 0.6 KB one export can carry\./);
  // The same answers as JSON are not downloads and are not measured here.
  expect((await get(`/v1/statistics?from=${month}&to=${month}&by=category`)).status).toBe(200);
  expect((await get(`/v1/reports/${month}`)).status).toBe(200);
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startTestStack, MONDAY_0900, type TestStack } from '../support/local-stack';
import { CaseStore } from '../../functions/store/case-store';
import { acceptCase } from '../../functions/domain/case';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultCalendar } from '../../functions/domain/calendar';
import { defaultRoutingRules } from '../../functions/domain/routing';
import Papa from 'papaparse';

/*
 * GET /v1/cases/export over HTTP on DynamoDB Local: a filtered list as CSV, the complainant only
 * when asked, formulas neutralised, and a list over the limit refused with a hint. The limit is
 * 100,000; this stack is started with 30 so the refusal can be seen with few cases.
 */
process.env.MAX_EXPORT_ROWS = '30';

let t: TestStack;
let supervisor: string;

beforeAll(async () => {
  t = await startTestStack('export');
  supervisor = await t.token('supervision-centre', 'supervisor');
  const store = new CaseStore(DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }), process.env.CASES_TABLE as string);
  for (let n = 0; n < 40; n++) {
    const { record, event } = acceptCase(
      {
        title: n === 0 ? '=HYPERLINK("http://example.com","点我")' : `楼道堆放杂物 ${n}`,
        description: '请尽快处理。',
        category: n % 2 ? 'routine' : 'urban-management',
        reportedVia: 'web',
        complainant: { name: '张明', phone: '13800138000' },
      },
      {
        caller: { sub: 's', unit: 'community-xiling-shengli-silu', role: 'community' },
        id: `01KK81QAM0N09MEBE73C${String(n).padStart(6, '0')}`,
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

async function csv(query: string, token = supervisor, lang = 'zh-CN') {
  const response = await fetch(`${t.url}/v1/cases/export${query}`, { headers: { authorization: `Bearer ${token}`, 'accept-language': lang } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

it('exports every case of a filtered list, with no complainant unless asked for', async () => {
  const out = await csv('?category=urban-management&format=csv');
  expect(out.status).toBe(200);
  expect(out.type).toMatch(/^text\/csv/);
  const lines = out.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toBe('事项编号,标题,类别,受理渠道,区,受理单位编号,受理单位,承办单位编号,承办单位,层级,状态,灯色,受理时间,当前期限,签收时间,首次办结时间,结案时间,地址');
  expect(lines).toHaveLength(1 + 20);
  expect(out.text).not.toContain('13800138000');

  const withComplainant = await csv('?category=urban-management&complainant=true');
  expect(withComplainant.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/,地址,投诉人,投诉人电话,投诉人地址$/);
  expect(withComplainant.text).toContain('13800138000');
});

it('writes the header row and the units\' names in the caller\'s language; the cells are the same otherwise', async () => {
  const rows = async (lang: string) => Papa.parse<string[]>((await csv('?category=urban-management&complainant=true', supervisor, lang)).text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
  const [zh, en] = [await rows('zh-CN'), await rows('en')];
  expect(en[0].join(',')).toBe(
    'Case ID,Title,Category,Channel,District,Accepting unit ID,Accepting unit,Assigned unit ID,Assigned unit,Tier,Status,Light,Accepted at,Due at,Signed off at,First resolved at,Closed at,Address,Complainant,Complainant phone,Complainant address',
  );
  expect(en).toHaveLength(1 + 20);
  expect(zh).toHaveLength(1 + 20);
  expect(zh[1][6]).toBe('胜利四路社区');
  expect(en[1][6]).toBe('Shengli Silu Community');
  // Ids, codes and times are the same whatever the language.
  const same = (cells: string[]) => cells.filter((_, i) => i !== 6 && i !== 8);
  expect(en.slice(1).map(same)).toEqual(zh.slice(1).map(same));
});

it('neutralises a cell that would start a formula', async () => {
  const out = await csv('?category=urban-management');
  expect(out.text).toContain(`"'=HYPERLINK(""http://example.com"",""点我"")"`);
  expect(out.text).not.toMatch(/(^|,)=HYPERLINK/m);
});

it('refuses a list over the limit with a hint to narrow it, and anyone but the supervisor', async () => {
  const over = await fetch(`${t.url}/v1/cases/export`, { headers: { authorization: `Bearer ${supervisor}` } });
  expect(over.status).toBe(400);
  expect(((await over.json()) as { detail: string }).detail).toMatch(/超过 30 件，请缩小范围/);
  const en = await fetch(`${t.url}/v1/cases/export`, { headers: { authorization: `Bearer ${supervisor}`, 'accept-language': 'en' } });
  expect(((await en.json()) as { detail: string }).detail).toMatch(/Narrow them/);
  expect((await csv('', await t.token('supervision-centre', 'auditor'))).status).toBe(403);
  // Narrowed, it goes through: the supervisor's phone filter and a category.
  expect((await csv('?phone=13800138000&category=routine&complainant=true')).status).toBe(200);
});

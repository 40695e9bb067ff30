import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startTestStack, type TestStack } from '../support/local-stack';
import { AssessmentReportSchema } from '../../functions/report/report-schema';
import { CSV_COLUMNS, csvHeaders } from '../../functions/domain/assessment-csv';
import { SEED_FIGURES, seedCases, writeCases } from '../support/seed-fixture';

/*
 * The report routes through the local stack (the deployed handlers, the JWT check, DynamoDB
 * Local), and the monthly schedule firing on the virtual clock: the report state machine runs,
 * the report is stored, its files are written and REPORT_PUBLISHED is published.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';

let t: TestStack;
let supervisor: string;
let auditor: string;
let community: string;
let street: string;

async function createCase(body: Record<string, unknown>): Promise<string> {
  const response = await t.call('POST', '/v1/cases', {
    token: community,
    body: { title: '楼道堆放杂物', description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol', ...body },
  });
  expect(response.status).toBe(201);
  await t.advance(0);
  return response.body.id;
}

async function act(id: string, action: string, token: string, body: unknown): Promise<void> {
  const response = await t.call('POST', `/v1/cases/${id}/${action}`, { token, body });
  expect(response.status).toBe(202);
  await t.advance(0);
}

async function raw(path: string, token?: string, lang?: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${t.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(lang ? { 'accept-language': lang } : {}) } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

beforeAll(async () => {
  t = await startTestStack('report');
  [supervisor, auditor, community, street] = await Promise.all([
    t.token('supervision-centre', 'supervisor'),
    t.token('supervision-centre', 'auditor'),
    t.token(COMMUNITY, 'community'),
    t.token(STREET, 'agency'),
  ]);
  // March 2026 so far: one case kept and resolved by the community, one resolved by the street office, one not signed off.
  const kept = await createCase({ assignedUnit: COMMUNITY });
  await act(kept, 'resolve', community, { summary: '已清理', outcome: '楼道已畅通' });
  // A community does not rate a result it reported itself: the supervision centre's follow-up call does, with the complainant's answer.
  await act(kept, 'follow-up', supervisor, { rating: 'satisfied' });
  const routed = await createCase({});
  await act(routed, 'sign-off', street, { handler: { name: '李娟' } });
  await act(routed, 'resolve', street, { summary: '已协调', outcome: '已处理' });
  await createCase({});
}, 60_000);
afterAll(() => t.stop());

describe('GET /v1/reports/{month}', () => {
  it('computes the running month on demand, marked provisional', async () => {
    const response = await t.call('GET', '/v1/reports/2026-03', { token: supervisor });
    expect(response.status).toBe(200);
    expect(AssessmentReportSchema.safeParse(response.body).error).toBeUndefined();
    expect(response.body).toMatchObject({
      source: 'computed',
      provisional: true,
      period: { from: '2026-03', to: '2026-03' },
      city: { received: 3, routed: 2, resolved: 2, resolvedInCommunity: 1, satisfied: 1, awaitingEvaluation: 1, openAtEnd: 2 },
    });
    expect(response.body.city.rates).toMatchObject({ resolution: 66.67, resolvedInCommunity: 50, satisfaction: 50 });
    expect(response.body.units.map((u: any) => u.unit).sort()).toEqual([COMMUNITY, STREET].sort());
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('is for the supervision centre and auditors only', async () => {
    expect((await t.call('GET', '/v1/reports/2026-03', { token: auditor })).status).toBe(200);
    const refused = await t.call('GET', '/v1/reports/2026-03', { token: community });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await t.call('GET', '/v1/reports/2026-03')).status).toBe(401);
  });

  it('refuses a malformed month, and has no report for a month that has not begun', async () => {
    const malformed = await t.call('GET', '/v1/reports/2026-3', { token: supervisor });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].path).toBe('month');
    expect((await t.call('GET', '/v1/reports/2026-05', { token: supervisor })).status).toBe(404);
    expect((await t.call('GET', '/v1/reports/2026-03?format=xml', { token: supervisor })).status).toBe(400);
  });

  it('answers text/csv with format=csv: one row per scope', async () => {
    const response = await raw('/v1/reports/2026-03?format=csv', supervisor);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="assessment-2026-03.csv"');
    const lines = response.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(response.headers.get('vary')).toContain('Accept-Language');
    expect(lines[0]).toBe(csvHeaders('zh-CN').join(','));
    const city = lines[1].split(',');
    expect(city.slice(0, 3)).toEqual(['全市', '2026-03', '全市（暂定）']);
    expect(city[CSV_COLUMNS.indexOf('received')]).toBe('3');
    expect(city[CSV_COLUMNS.indexOf('resolutionRate')]).toBe('66.67');
  });

  it('writes the CSV header row and scope column in English for Accept-Language: en', async () => {
    const response = await raw('/v1/reports/2026-03?format=csv', supervisor, 'en');
    expect(response.status).toBe(200);
    const lines = response.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe(csvHeaders('en').join(','));
    expect(lines[1].split(',').slice(0, 3)).toEqual(['city', '2026-03', 'City (provisional)']);
    expect(lines[1].split(',')[CSV_COLUMNS.indexOf('received')]).toBe('3');
  });
});

describe('GET /v1/reports?from=&to=', () => {
  it('adds up a period of months', async () => {
    const response = await t.call('GET', '/v1/reports?from=2026-01&to=2026-03', { token: auditor });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ period: { from: '2026-01', to: '2026-03', months: ['2026-01', '2026-02', '2026-03'] }, provisional: true, city: { received: 3 } });
  });

  it('checks the period', async () => {
    expect((await t.call('GET', '/v1/reports?from=2026-03&to=2026-01', { token: supervisor })).body.errors[0].path).toBe('to');
    expect((await t.call('GET', '/v1/reports?from=2026-01&to=2026-04', { token: supervisor })).status).toBe(400);
    expect((await t.call('GET', '/v1/reports?from=2026-01', { token: supervisor })).status).toBe(400);
    expect((await t.call('GET', '/v1/reports?from=2022-01&to=2026-03', { token: supervisor })).status).toBe(400);
    expect((await t.call('GET', '/v1/reports?from=2026-04&to=2026-04', { token: supervisor })).status).toBe(404);
    expect((await t.call('GET', '/v1/reports?from=2026-01&to=2026-03', { token: community })).status).toBe(403);
  });

  it("shows the seed's Jan–Oct 2011 figures exactly", async () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
    await writeCases(client, process.env.CASES_TABLE as string, seedCases(), { concurrency: 16 });
    const response = await t.call('GET', '/v1/reports?from=2011-01&to=2011-10', { token: supervisor });
    expect(response.status).toBe(200);
    expect(response.body.city).toMatchObject(SEED_FIGURES);
    expect(response.body.city.rates).toMatchObject({ resolution: 93.45, resolvedInCommunity: 91.9, satisfaction: 99.2 });
    expect(response.body).toMatchObject({ provisional: false, source: 'computed', cutoff: '2011-11-01T00:00:00.000+08:00' });
  }, 90_000);
});

describe('the monthly schedule on the virtual clock', () => {
  it('publishes March at 01:00 on 1 April: stored report, files and a REPORT_PUBLISHED alert', async () => {
    const nowMs = (await t.call('GET', '/_local/clock')).body.nowMs;
    await t.advance(Math.ceil((Date.parse('2026-04-01T01:00:30+08:00') - nowMs) / 1000));

    const alerts = (await t.call('GET', '/_local/alerts?type=REPORT_PUBLISHED')).body.items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'REPORT_PUBLISHED', caseId: null, tier: 0, attributes: { type: 'REPORT_PUBLISHED', tier: '0' } });
    expect(alerts[0].report).toMatchObject({ month: '2026-03', provisional: false, headline: { received: 3 } });
    expect(existsSync(fileURLToPath(alerts[0].report.objects.csv))).toBe(true);

    const response = await t.call('GET', '/v1/reports/2026-03', { token: supervisor });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ source: 'stored', provisional: false, cutoff: '2026-04-01T00:00:00.000+08:00', city: { received: 3 } });
    expect(response.body.runId).toEqual(expect.any(String));
    // The single-month period is the stored report too.
    expect((await t.call('GET', '/v1/reports?from=2026-03&to=2026-03', { token: supervisor })).body.source).toBe('stored');

    // The next run is armed for 1 May.
    const pending = (await t.call('GET', '/_local/clock')).body.pendingTimers;
    expect(pending).toBeGreaterThan(0);
  }, 90_000);
});

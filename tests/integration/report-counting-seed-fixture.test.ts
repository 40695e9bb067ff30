import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureCasesTable } from '../../local/dynamodb';
import { VirtualClock } from '../../local/clock';
import { startLocalReports, type LocalReports } from '../../local/report-schedule';
import { CaseStore } from '../../functions/store/case-store';
import { computePartial, computeReport } from '../../functions/report/compute';
import { ReportStore } from '../../functions/report/report-store';
import { handler as readSegmentHandler } from '../../functions/report/read-segment';
import { handler as writeReportHandler, SegmentsIncomplete } from '../../functions/report/write-report';
import { planRun } from '../../functions/report/plan-run';
import { foldPartials } from '../../functions/domain/assessment';
import { monthsBetween } from '../../functions/domain/assessment-period';
import { SEED_FIGURES, SEED_PERIOD, seedCases, writeCases } from '../support/seed-fixture';

/*
 * The seed's own table (Yichang urban centres, January–October 2011) made through the domain
 * layer, written to DynamoDB Local, and reported on as the system does: the period report must
 * show the seed's counts exactly, and the monthly job's state machine must give the same
 * figures, idempotently, however its segments are retried.
 */
const tableName = `report-seed-${Date.now()}`;
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const store = new CaseStore(client, tableName);
const reports = new ReportStore(client, tableName);
/** Mid-November 2011: January to October are all finished months. */
const NOW = Date.parse('2011-11-15T10:00:00+08:00');

let folder: string;
let local: LocalReports;
const published: Array<{ Message: string; MessageAttributes?: Record<string, { DataType: string; StringValue?: string }> }> = [];

beforeAll(async () => {
  process.env.CASES_TABLE = tableName;
  await ensureCasesTable(new DynamoDBClient({}), tableName);
  const written = await writeCases(client, tableName, seedCases(), { concurrency: 16 });
  expect(written).toBe(SEED_FIGURES.received);

  folder = await mkdtemp(join(tmpdir(), 'lr-report-seed-'));
  local = await startLocalReports({
    clock: new VirtualClock({ startMs: NOW, timeScale: 0 }),
    stateDir: folder,
    alertTopicArn: 'arn:aws:sns:cn-north-1:000000000000:alerts',
    publishSns: async (params) => {
      published.push(params);
      return { MessageId: `m-${published.length}` };
    },
    schedule: false,
  });
}, 120_000);

afterAll(async () => {
  await local?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe("the seed's table, January to October 2011", () => {
  it('gives the period report exactly the seed\'s counts and rates', async () => {
    const { report, provisional, segments } = await computeReport({ store, from: SEED_PERIOD.from, to: SEED_PERIOD.to, nowMs: NOW });
    expect(provisional).toBe(false);
    expect(segments).toBe(304); // a segment per day, 1 January to 31 October
    expect(report.cutoff).toBe('2011-11-01T00:00:00.000+08:00');
    expect(report.city).toMatchObject({
      received: 14_662,
      resolved: 13_702,
      resolvedInCommunity: 12_592,
      satisfied: 13_593,
    });
    expect(report.city.rates).toMatchObject({ resolution: 93.45, resolvedInCommunity: 91.9, satisfaction: 99.2 });
    // The parts add up to the whole.
    const sum = (rows: ReadonlyArray<{ received: number; resolved: number }>, field: 'received' | 'resolved') => rows.reduce((n, row) => n + row[field], 0);
    for (const scopes of [report.districts, report.tiers, report.categories]) {
      expect(sum(scopes, 'received')).toBe(14_662);
      expect(sum(scopes, 'resolved')).toBe(13_702);
    }
    // Units are scored for their own parts: a case counts for every unit that held it (escalation and
    // reassignment add one each), and not for a unit that rightly returned it.
    const unitsReceived = sum(report.units, 'received');
    expect(unitsReceived).toBeGreaterThanOrEqual(14_662 - report.city.returns);
    expect(unitsReceived).toBeLessThanOrEqual(14_662 + report.city.escalations + report.city.returns);
    expect(sum(report.units, 'resolved')).toBeGreaterThanOrEqual(13_702);
    const c = report.city;
    expect(c.satisfied + c.unsatisfied + c.notImplemented + c.notEvaluated + c.awaitingEvaluation).toBe(c.resolved);
    expect(report.units[0].rank).toBe(1);
  });

  it('adds the ten months, each read at the period\'s cutoff, up to exactly the period', async () => {
    const period = await computePartial({ store, from: SEED_PERIOD.from, to: SEED_PERIOD.to, nowMs: NOW });
    const cutoffMs = Date.parse(period.partial.cutoff);
    const months = await Promise.all(
      monthsBetween(SEED_PERIOD.from, SEED_PERIOD.to).map(
        async (month) => (await computePartial({ store, from: month, to: month, nowMs: NOW, cutoffMs, concurrency: 2 })).partial,
      ),
    );
    expect(foldPartials(months)).toEqual(period.partial);
    // Each month's own report measures it at its own end: a result reported in a later month
    // counts in the period's figures, not in the month's.
    const ownEnd = await Promise.all(monthsBetween('2011-01', '2011-03').map(async (month) => (await computePartial({ store, from: month, to: month, nowMs: NOW })).partial));
    const january = months[0];
    expect(ownEnd[0].city.received).toBe(january.city.received);
    expect(ownEnd[0].city.resolved).toBeLessThanOrEqual(january.city.resolved);
  });

  describe('the monthly job (report state machine, run locally)', () => {
    it('publishes October 2011 with the same figures as the report computed directly', async () => {
      const execution = await local.run({ month: '2011-10' });
      expect(execution.status).toBe('SUCCEEDED');
      const output = JSON.parse(execution.output!);
      expect(output).toMatchObject({ month: '2011-10', provisional: false, segmentsRead: 31 });

      const stored = await reports.getReport('2011-10');
      const direct = await computePartial({ store, from: '2011-10', to: '2011-10', nowMs: NOW });
      expect(stored?.partial.city).toEqual(direct.partial.city);
      expect(stored?.partial.units).toEqual(direct.partial.units);
      expect(stored?.headline.received).toBe(direct.partial.city.received);

      const csv = await readFile(new URL(output.report.csv), 'utf8');
      expect(csv.split('\r\n')[1]).toMatch(/^全市,2011-10,/);
      const json = JSON.parse(await readFile(new URL(output.report.json), 'utf8'));
      expect(json).toMatchObject({ source: 'stored', period: { from: '2011-10', to: '2011-10' } });

      const alert = published.at(-1)!;
      expect(alert.MessageAttributes).toEqual({ type: { DataType: 'String', StringValue: 'REPORT_PUBLISHED' }, tier: { DataType: 'Number', StringValue: '0' } });
      expect(JSON.parse(alert.Message)).toMatchObject({ type: 'REPORT_PUBLISHED', caseId: null, tier: 0, report: { month: '2011-10' } });
    });

    it('gives the same report when a month is run again (the write overwrites by key)', async () => {
      const first = await reports.getReport('2011-10');
      const execution = await local.run({ month: '2011-10' });
      expect(execution.status).toBe('SUCCEEDED');
      const second = await reports.getReport('2011-10');
      expect(second?.runId).not.toBe(first?.runId);
      expect(second?.partial).toEqual(first?.partial);
    });

    it('counts a retried segment once, and will not write a report with a segment missing', async () => {
      const plan = planRun({ runId: 'retry-test', request: { month: '2011-09' } }, NOW);
      const base = { runId: plan.runId, month: plan.month, cutoffMs: plan.cutoffMs };
      // Every segment but the last, and segment 3 twice (a retry after a lost answer).
      for (const segment of plan.segments.slice(0, -1)) await readSegmentHandler({ ...base, segment });
      await readSegmentHandler({ ...base, segment: plan.segments[3] });
      const write = { ...base, provisional: plan.provisional, segmentCount: plan.segmentCount };
      await expect(writeReportHandler(write)).rejects.toBeInstanceOf(SegmentsIncomplete);

      await readSegmentHandler({ ...base, segment: plan.segments[plan.segments.length - 1] });
      await writeReportHandler(write);
      const stored = await reports.getReport('2011-09');
      const direct = await computePartial({ store, from: '2011-09', to: '2011-09', nowMs: NOW });
      expect(stored?.partial).toEqual(direct.partial);
    });
  });
});

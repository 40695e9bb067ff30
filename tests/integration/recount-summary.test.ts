import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestStack, MONDAY_0900, type TestStack } from '../support/local-stack';
import { fixtureId } from '../support/seed-fixture';
import { CaseStore } from '../../functions/store/case-store';
import { OpenSummaryStore, lightAttributes } from '../../functions/store/open-summary-store';
import { LIGHT_ITEM_ATTRIBUTES, recountOpenSummary } from '../../scripts/open-summary-recount';
import { OPEN_SUMMARY_PARTITION } from '../../functions/store/table-design';
import { acceptCase, CaseRecordSchema, currentLight, type CaseRecord } from '../../functions/domain/case';
import { bucketKey, bucketOf, summarize } from '../../functions/domain/open-summary';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultCalendar } from '../../functions/domain/calendar';
import { defaultRoutingRules } from '../../functions/domain/routing';
import { CATEGORY_IDS } from '../../functions/domain/categories';

/*
 * The recount (npm run recount-summary, scripts/open-summary-recount.ts) on DynamoDB
 * Local: counters and light attributes corrupted by hand are put back to what the cases say, so
 * the summary equals a full scan again; a second run changes nothing; a case that moves while the
 * recount scans is left to its own transaction, not "corrected" from a stale scan.
 */
const HOUR_MS = 3_600_000;
const run = promisify(execFile);

let t: TestStack;
let client: DynamoDBDocumentClient;
let store: CaseStore;
let table: string;
const ids: string[] = [];

beforeAll(async () => {
  t = await startTestStack('recount');
  table = process.env.CASES_TABLE as string;
  client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  store = new CaseStore(client, table);
  const communities = defaultDirectory.ofKind('community').map((unit) => unit.id);
  for (let n = 0; n < 30; n++) {
    const origin = communities[n % communities.length];
    const createdMs = MONDAY_0900 - n * 5 * HOUR_MS;
    const { record, event } = acceptCase(
      { title: `第 ${n} 号事项`, description: '网格员上报。', category: CATEGORY_IDS[n % CATEGORY_IDS.length], reportedVia: 'patrol' },
      {
        caller: { sub: `seed@${origin}`, unit: origin, role: 'community' },
        id: fixtureId(createdMs, 21, n),
        nowMs: createdMs,
        directory: defaultDirectory,
        calendar: defaultCalendar,
        routingRules: defaultRoutingRules,
      },
    );
    // The last one closed: it counts nowhere and carries no light attributes.
    const written: CaseRecord = n === 29 ? { ...record, version: 2, status: 'closed', closedAt: record.createdAt } : { ...record, version: 2 };
    await store.createCase(written, event);
    ids.push(record.id);
  }
}, 60_000);
afterAll(() => t.stop());

async function caseItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey, ConsistentRead: true, FilterExpression: 'sk = :case', ExpressionAttributeValues: { ':case': 'CASE' } }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The summary as GET /v1/cases/summary computes it, and what a full scan of the cases counts, at `nowMs`. */
async function summaryAndScan(nowMs: number) {
  const summaries = new OpenSummaryStore(client, table);
  const [{ counters }, { records }] = await Promise.all([summaries.counters(), summaries.changedBy(nowMs)]);
  const summary = summarize(counters, records, nowMs, defaultCalendar);
  const open = (await caseItems()).map((item) => CaseRecordSchema.parse(item)).filter((r) => r.status !== 'closed');
  const scan = { open: open.length, byLight: { green: 0, yellow: 0, red: 0 }, byTier: { '0': 0, '1': 0, '2': 0, '3': 0 } as Record<string, number>, byDistrict: {} as Record<string, number>, byCategory: {} as Record<string, number> };
  for (const r of open) {
    scan.byLight[currentLight(r, nowMs, defaultCalendar)] += 1;
    scan.byTier[String(r.tier)] += 1;
    scan.byDistrict[r.district] = (scan.byDistrict[r.district] ?? 0) + 1;
    scan.byCategory[r.category] = (scan.byCategory[r.category] ?? 0) + 1;
  }
  return { summary, scan };
}

const counterKey = async (n: number) => bucketKey(bucketOf(CaseRecordSchema.parse((await caseItems()).find((item) => item.id === ids[n])))!);
const caseKey = (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' });
const recountCli = async (...args: string[]) => {
  try {
    const { stdout } = await run('npx', ['tsx', 'scripts/recount-summary.ts', '--table', table, ...args], { cwd: `${__dirname}/../..`, env: process.env });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
};

it('puts corrupted counters and light attributes back, so the summary equals a full scan; a second run changes nothing', async () => {
  const later = MONDAY_0900 + 30 * HOUR_MS;
  const right = await summaryAndScan(later);
  expect(right.summary).toEqual(right.scan);

  // Corrupt: one counter 5 too high, one deleted, a counter for a bucket with no case, one case's
  // light times wrong and another's lightChanges entry gone, and a closed case with light attributes.
  const [high, gone] = [await counterKey(0), await counterKey(1)];
  expect(high).not.toBe(gone);
  await client.send(new UpdateCommand({ TableName: table, Key: { pk: OPEN_SUMMARY_PARTITION, sk: high }, UpdateExpression: 'ADD #open :five', ExpressionAttributeNames: { '#open': 'open' }, ExpressionAttributeValues: { ':five': 5 } }));
  await client.send(new DeleteCommand({ TableName: table, Key: { pk: OPEN_SUMMARY_PARTITION, sk: gone } }));
  const phantom = 'street-xiling-xiling#xiling#routine#2#red';
  await client.send(new PutCommand({ TableName: table, Item: { pk: OPEN_SUMMARY_PARTITION, sk: phantom, open: 3 } }));
  await client.send(new UpdateCommand({ TableName: table, Key: caseKey(ids[2]), UpdateExpression: 'SET lightYellowFrom = :wrong, lightRedFrom = :wrong', ExpressionAttributeValues: { ':wrong': '2030-01-01T00:00:00.000+08:00' } }));
  await client.send(new UpdateCommand({ TableName: table, Key: caseKey(ids[3]), UpdateExpression: 'REMOVE lightPk, lightSk' }));
  await client.send(new UpdateCommand({ TableName: table, Key: caseKey(ids[29]), UpdateExpression: 'SET lightRedFrom = :now, lightPk = :p, lightSk = :s', ExpressionAttributeValues: { ':now': '', ':p': 'LIGHT', ':s': `2026-03-01T00:00:00.000+08:00#${ids[29]}` } }));
  const wrong = await summaryAndScan(later);
  expect(wrong.summary).not.toEqual(wrong.scan);

  // A dry run shows every difference and writes nothing.
  const dry = await recountCli('--dry-run');
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain(`counter ${high}: `);
  expect(dry.stdout).toContain(`counter ${gone}: 0 -> `);
  expect(dry.stdout).toContain(`counter ${phantom}: 3 -> 0  would-correct`);
  expect(dry.stdout).toContain(`case ${ids[2]} lightYellowFrom: 2030-01-01T00:00:00.000+08:00 -> `);
  expect(dry.stdout).toContain(`case ${ids[3]} lightSk: (none) -> `);
  expect(dry.stdout).toContain(`case ${ids[29]} lightPk: LIGHT -> (none)  would-correct`);
  expect(dry.stdout).toContain('dry run: nothing written');
  expect(await summaryAndScan(later)).toEqual(wrong);

  // The run corrects them.
  const fixed = await recountCli();
  expect(fixed.code).toBe(0);
  expect(fixed.stdout).toContain(`counter ${phantom}: 3 -> 0  corrected`);
  expect(fixed.stdout).not.toMatch(/would-correct|busy/);
  for (const at of [MONDAY_0900, later, MONDAY_0900 + 100 * HOUR_MS]) {
    const { summary, scan } = await summaryAndScan(at);
    expect(summary).toEqual(scan);
  }
  // Every case item carries the light attributes the write path would give it, and the closed one none.
  for (const item of await caseItems()) {
    const want = lightAttributes(CaseRecordSchema.parse(item));
    expect(Object.fromEntries(LIGHT_ITEM_ATTRIBUTES.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]))).toEqual(want);
  }

  // A second run finds nothing and writes nothing.
  const again = await recountOpenSummary(client, table);
  expect(again.counterDifferences).toEqual([]);
  expect(again.lightDifferences).toEqual([]);
  expect(again.writeUnits).toBe(0);
  expect(again.open).toBe(29);
  const cli = await recountCli();
  expect(cli.code).toBe(0);
  expect(cli.stdout).toContain('counters: all equal to the cases');
  expect(cli.stdout).toContain('light attributes: all as the write path keeps them');
}, 120_000);

it('leaves a counter a case moved through while it scanned, and corrects the others', async () => {
  const moving = CaseRecordSchema.parse((await caseItems()).find((item) => item.id === ids[4]));
  const [from, to] = [bucketKey(bucketOf(moving)!), bucketKey(bucketOf({ ...moving, light: 'red' })!)];
  const off = await counterKey(5);
  expect(new Set([from, to, off]).size).toBe(3);
  await client.send(new UpdateCommand({ TableName: table, Key: { pk: OPEN_SUMMARY_PARTITION, sk: off }, UpdateExpression: 'ADD #open :two', ExpressionAttributeNames: { '#open': 'open' }, ExpressionAttributeValues: { ':two': 2 } }));

  // The workflow writes the case red (and moves its count) right after the scan read it in its old bucket.
  let moved = false;
  const racing = {
    send: async (command: unknown) => {
      const answer = await client.send(command as never);
      if (command instanceof ScanCommand && !moved) {
        moved = true;
        await store.saveStep(moving, { ...moving, light: 'red' }, [], { key: 'test-breach', outcome: 'red', alerts: [] });
      }
      return answer;
    },
  } as unknown as DynamoDBDocumentClient;
  const report = await recountOpenSummary(racing, table, { segments: 1 });
  expect(moved).toBe(true);
  // The scan saw the case in its old bucket: that count and the new one are stale, and left alone.
  expect(report.counterDifferences).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ bucket: from, outcome: 'busy' }),
      expect.objectContaining({ bucket: to, outcome: 'busy' }),
      expect.objectContaining({ bucket: off, outcome: 'corrected' }),
    ]),
  );
  // The case's light attributes: written by its own step, so the recount's version condition left them.
  expect(report.lightDifferences).toEqual([]);
  const { summary, scan } = await summaryAndScan(MONDAY_0900);
  expect(summary).toEqual(scan);
  const again = await recountOpenSummary(client, table);
  expect(again.counterDifferences).toEqual([]);
  expect(again.lightDifferences).toEqual([]);
}, 60_000);

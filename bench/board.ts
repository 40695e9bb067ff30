/**
 * `npm run bench:board [-- --cases 100000]`: the supervision board at city scale, on DynamoDB
 * Local in memory. Seeds N open cases directly through the store's items (caseItem, and the
 * open-case counters as the store keeps them), then measures:
 *  - the summary (counters + the cases whose light changed since written) against a full scan of
 *    the table at the same instant: equal, and how long each takes;
 *  - the first page (20) of each filter: full, with the items read and the read units it took;
 *  - one idle board tab with 10,000 open cases: API calls, DynamoDB read units and cost an hour
 *    and a working month, before (the console re-read the first 500 cases every 5 s) and after
 *    (summary and first page every 60 s when idle, each 304 while unchanged; see docs/scale.md).
 * Results go to bench/results.md (section `board`).
 */
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient, ScanCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbClient, ensureCasesTable, startDynamoDbLocal } from '../local/dynamodb';
import { caseItem } from '../functions/store/case-store';
import { listCasePage, type CaseListQuery } from '../functions/store/case-list';
import { OpenSummaryStore } from '../functions/store/open-summary-store';
import { acceptCase, CaseRecordSchema, currentLight, type CaseRecord } from '../functions/domain/case';
import { defaultDirectory } from '../functions/domain/directory';
import { defaultCalendar } from '../functions/domain/calendar';
import { defaultRoutingRules } from '../functions/domain/routing';
import { CATEGORY_IDS } from '../functions/domain/categories';
import { bucketChanges, bucketKey, summarize, type Bucket } from '../functions/domain/open-summary';
import { OPEN_SUMMARY_PARTITION, TABLE_KEYS } from '../functions/store/table-design';
import { freePort } from '../tests/support/free-port';
import { writeSection } from './results-file';

const NOW = Date.parse('2026-03-20T10:00:00+08:00');
const HOUR = 3_600_000;
const PRICES = { apiPerMillion: 1.0, readUnitPerMillion: 0.125, lambdaPerMillion: 0.2, lambdaGbSecond: 0.0000166667 };
/** A working month of an open board tab: 22 days of 8 hours. */
const MONTH_HOURS = 22 * 8;
/** Cases whose light changed a moment ago and whose workflow has not written it yet. */
const STALE_SHARE = 0.001;
const fmt = (n: number) => n.toLocaleString('en');

function* openCases(count: number, staleShare: number): Generator<CaseRecord> {
  const communities = defaultDirectory.ofKind('community').map((u) => u.id);
  const categories = CATEGORY_IDS.filter((c) => c !== 'other');
  for (let n = 0; n < count; n++) {
    const { record } = acceptCase(
      { title: `${n % 7 === 0 ? '噪音扰民' : '楼道堆放杂物'} ${n}`, description: '请尽快处理。', category: categories[n % categories.length], reportedVia: 'web' },
      {
        caller: { sub: 'bench', unit: communities[n % communities.length], role: 'community' },
        id: `01KK8${String(n).padStart(21, '0')}`,
        // Accepted over the last twelve days: green, yellow and red all present.
        nowMs: NOW - ((n * 7919) % (12 * 24)) * HOUR,
        directory: defaultDirectory,
        calendar: defaultCalendar,
        routingRules: defaultRoutingRules,
      },
    );
    // The workflows have written each light at its point, but for a few that are late (their correction is the summary's).
    const stale = (n % 1000) / 1000 < staleShare;
    yield { ...record, version: 2, tier: (n % 13 === 0 ? 1 : 0) as 0 | 1, light: stale ? record.light : currentLight(record, NOW, defaultCalendar) };
  }
}

async function seed(client: DynamoDBDocumentClient, table: string, count: number): Promise<void> {
  const counters = new Map<string, { bucket: Bucket; open: number }>();
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    let items = batch.map((Item) => ({ PutRequest: { Item } }));
    batch = [];
    while (items.length) {
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
      items = (out.UnprocessedItems?.[table] ?? []) as typeof items;
    }
  };
  const pending: Promise<void>[] = [];
  for (const record of openCases(count, STALE_SHARE)) {
    for (const { bucket, delta } of bucketChanges(undefined, record)) {
      const key = bucketKey(bucket);
      counters.set(key, { bucket, open: (counters.get(key)?.open ?? 0) + delta });
    }
    batch.push(caseItem(record));
    if (batch.length === 25) {
      pending.push(flush());
      if (pending.length >= 16) await Promise.all(pending.splice(0));
    }
  }
  pending.push(flush());
  await Promise.all(pending);
  for (const [key, { open }] of counters) batch.push({ [TABLE_KEYS.partitionKey]: OPEN_SUMMARY_PARTITION, [TABLE_KEYS.sortKey]: key, open });
  while (batch.length) {
    const rest = batch.splice(25);
    await flush();
    batch = rest;
  }
}

async function fullScan(client: DynamoDBDocumentClient, table: string) {
  const byLight = { green: 0, yellow: 0, red: 0 };
  let open = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey, FilterExpression: 'sk = :case', ExpressionAttributeValues: { ':case': 'CASE' } }));
    for (const item of page.Items ?? []) {
      const record = CaseRecordSchema.parse(item);
      if (record.status === 'closed') continue;
      open += 1;
      byLight[currentLight(record, NOW, defaultCalendar)] += 1;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { open, byLight };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' } } });
  const count = Number(values.cases);
  process.env.LOG_LEVEL = 'silent';
  const dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  const low = dynamoDbClient(dynamoDb.endpoint);
  const client = DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } });
  try {
    const table = `bench-board-${count}`;
    await ensureCasesTable(low, table);
    const loadStarted = performance.now();
    await seed(client, table, count);
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    // The summary, five times; the full scan once.
    const store = new OpenSummaryStore(client, table);
    const times: number[] = [];
    let summary: ReturnType<typeof summarize> | undefined;
    let summaryUnits = 0;
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      const [counters, changed] = await Promise.all([store.counters(), store.changedBy(NOW)]);
      summary = summarize(counters.counters, changed.records, NOW, defaultCalendar);
      times.push(performance.now() - started);
      summaryUnits = counters.capacityUnits + changed.capacityUnits;
    }
    const scanStarted = performance.now();
    const scanned = await fullScan(client, table);
    const scanMs = performance.now() - scanStarted;
    const exact = summary!.open === scanned.open && JSON.stringify(summary!.byLight) === JSON.stringify(scanned.byLight);

    // The first page of each filter.
    const filters: Array<[string, Partial<CaseListQuery>]> = [
      ['every open case (by due)', {}],
      ['light=red', { light: 'red' }],
      ['light=yellow', { light: 'yellow' }],
      ['light=green', { light: 'green' }],
      ['sort=light', { sort: 'light' }],
      ['category=urban-management', { category: 'urban-management' }],
      ['district=wujiagang', { district: 'wujiagang' }],
      ['tier=1', { tier: 1 }],
      ['q=噪音', { q: '噪音' }],
      ['light=red & category=routine', { light: 'red', category: 'routine' }],
    ];
    const pageRows: string[] = [];
    for (const [name, filter] of filters) {
      const started = performance.now();
      const page = await listCasePage(client, table, { source: { index: 'openByDue' }, limit: 20, nowMs: NOW, ...filter });
      const ms = performance.now() - started;
      pageRows.push(`| ${name} | ${page.items.length} | ${fmt(page.scanned)} | ${page.capacityUnits.toFixed(1)} | ${ms.toFixed(0)} |`);
    }

    // One idle board tab at 10,000 open cases: before, the console read the first 500 cases every 5 s.
    const fiveHundred = { units: 0 };
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const read = await listCasePage(client, table, { source: { index: 'openByDue' }, limit: 100, nowMs: NOW, ...(cursor ? { cursor } : {}) });
      fiveHundred.units += read.capacityUnits;
      cursor = read.nextCursor;
    }
    const firstPage = await listCasePage(client, table, { source: { index: 'openByDue' }, limit: 20, nowMs: NOW });
    // DynamoDB Local reports strongly consistent units; the list reads eventually consistent in AWS (half), the counters strongly.
    const before = { callsPerHour: (3600 / 5) * 5, readsPerHour: (3600 / 5) * (fiveHundred.units / 2) };
    const after = { callsPerHour: (3600 / 60) * 2, readsPerHour: (3600 / 60) * (summaryUnits + firstPage.capacityUnits / 2) };
    const cost = (x: { callsPerHour: number; readsPerHour: number }) =>
      MONTH_HOURS *
      ((x.callsPerHour * (PRICES.apiPerMillion + PRICES.lambdaPerMillion)) / 1e6 + x.callsPerHour * 0.256 * 0.1 * PRICES.lambdaGbSecond + (x.readsPerHour * PRICES.readUnitPerMillion) / 1e6);

    writeSection(
      'board',
      `## The supervision board at city scale (\`npm run bench:board -- --cases ${count}\`)
${fmt(count)} open cases seeded through the store's items and counters (in ${loadSeconds.toFixed(0)} s), on DynamoDB Local in memory; 0.1 % of them with a light their workflow has not written yet, so the summary's correction has work.

**Summary exact against a full scan**: ${exact ? 'yes' : 'NO'} — open ${fmt(summary!.open)}, red ${fmt(summary!.byLight.red)}, yellow ${fmt(summary!.byLight.yellow)}, green ${fmt(summary!.byLight.green)}. Summary median of 5: **${median(times).toFixed(0)} ms** (${summaryUnits.toFixed(1)} read units); the full scan: ${(scanMs / 1000).toFixed(1)} s.

**First page (20) of each filter** over every open case:

| filter | items | items read | read units | ms |
|---|---|---|---|---|
${pageRows.join('\n')}

**One idle board tab** (list prices: HTTP API $1.00/M, Lambda $0.20/M and 256 MB × 100 ms, DynamoDB $0.125/M read units; a working month of ${MONTH_HOURS} h). The first 500 cases cost ${fiveHundred.units.toFixed(0)} read units strongly consistent here (half in AWS, eventually consistent).

| | API calls / hour | DynamoDB read units / hour | a working month |
|---|---|---|---|
| before: first 500 cases every 5 s | ${fmt(before.callsPerHour)} | ${fmt(Math.round(before.readsPerHour))} | $${cost(before).toFixed(2)} |
| after: summary + first page every 60 s when idle (304 while unchanged) | ${fmt(after.callsPerHour)} | ${fmt(Math.round(after.readsPerHour))} | $${cost(after).toFixed(3)} |
`,
    );
    console.log(`summary ${median(times).toFixed(0)} ms, exact ${exact}; scan ${(scanMs / 1000).toFixed(1)} s; month before $${cost(before).toFixed(2)} after $${cost(after).toFixed(3)}`);
  } finally {
    low.destroy();
    await dynamoDb.stop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * `npm run bench:report [-- --sizes 10000,100000,1000000]`: the monthly report's time and peak
 * memory as a month grows, on DynamoDB Local (in memory by default: loading is then fast
 * enough to reach large months; `--storage disk` runs it on disk as the local stack does).
 *
 * For each size the month's cases are made through the domain (tests/support/seed-fixture.ts,
 * the seed's mix, scaled) and written with BatchWrite; then a fresh process computes the
 * month's report exactly as `npm run report` does (the byMonth partition read in one segment
 * per day, 16 at a time, folded as pages arrive) and reports its time, the read capacity the
 * queries consumed, and its peak memory. Results go to bench/results.md (section `report`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDbClient, ensureCasesTable, startDynamoDbLocal } from '../local/dynamodb';
import { CaseStore } from '../functions/store/case-store';
import { computeReport } from '../functions/report/compute';
import { AssessedCaseSchema } from '../functions/report/segment-reader';
import { addCase, ASSESSED_FIELDS, emptyPartial } from '../functions/domain/assessment';
import { defaultCalendar } from '../functions/domain/calendar';
import { monthEndMs } from '../functions/domain/assessment-period';
import { caseItem } from '../functions/store/case-store';
import { scaledMix, simulateCases, writeCases } from '../tests/support/seed-fixture';
import { freePort } from '../tests/support/free-port';
import { memoryPeak, writeSection } from './results-file';

const MONTH = '2026-10';

interface Measured {
  readonly cases: number;
  readonly seconds: number;
  readonly segments: number;
  readonly capacityUnits: number;
  readonly peakRssMiB: number;
  readonly peakHeapMiB: number;
  readonly baselineRssMiB: number;
  readonly received: number;
}

/** Child-process mode: compute one report and print what it measured as JSON. */
async function measure(endpoint: string, table: string, concurrency: number, pageSize: number): Promise<void> {
  process.env.LOG_LEVEL = 'silent';
  const low = dynamoDbClient(endpoint);
  const store = new CaseStore(DynamoDBDocumentClient.from(low), table);
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRssMiB = process.memoryUsage().rss / 2 ** 20;
  const peak = memoryPeak();
  const started = performance.now();
  const computed = await computeReport({ store, from: MONTH, to: MONTH, nowMs: monthEndMs(MONTH) + 3_600_000, concurrency, pageSize });
  const seconds = (performance.now() - started) / 1000;
  const { rssMiB, heapMiB } = peak.stop();
  const result: Measured = {
    cases: computed.partial.cases,
    seconds,
    segments: computed.segments,
    capacityUnits: computed.capacityUnits,
    peakRssMiB: rssMiB,
    peakHeapMiB: heapMiB,
    baselineRssMiB,
    received: computed.report.city.received,
  };
  process.stdout.write(JSON.stringify(result));
  low.destroy();
}

/**
 * The report's own work per case, without the database: unmarshalling a DynamoDB item (the
 * projected fields), validating it and folding it. This is the CPU a segment Lambda spends
 * per case on top of waiting for its query pages.
 */
function cpuPerCase(count: number): { microseconds: number; itemBytes: number } {
  const items = [];
  let bytes = 0;
  for (const record of simulateCases({ months: [MONTH], mix: scaledMix(count), seed: 7 })) {
    const full = caseItem(record);
    bytes += JSON.stringify(full).length;
    const projected = Object.fromEntries(ASSESSED_FIELDS.filter((f) => f in full).map((f) => [f, (full as Record<string, unknown>)[f]]));
    items.push(marshall(projected, { removeUndefinedValues: true }));
  }
  const partial = emptyPartial([MONTH], monthEndMs(MONTH));
  const options = { calendar: defaultCalendar };
  for (const item of items.slice(0, 2000)) addCase(emptyPartial([MONTH], monthEndMs(MONTH)), AssessedCaseSchema.parse(unmarshall(item)), options);
  const started = performance.now();
  for (const item of items) addCase(partial, AssessedCaseSchema.parse(unmarshall(item)), options);
  return { microseconds: ((performance.now() - started) * 1000) / items.length, itemBytes: bytes / items.length };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000,1000000' },
      concurrency: { type: 'string', default: '16' },
      measure: { type: 'boolean', default: false },
      endpoint: { type: 'string' },
      table: { type: 'string' },
      storage: { type: 'string', default: 'memory' },
      'page-size': { type: 'string', default: '500' },
    },
  });
  const concurrency = Number(values.concurrency);
  const pageSize = Number(values['page-size']);
  if (values.measure) return measure(values.endpoint as string, values.table as string, concurrency, pageSize);

  process.env.LOG_LEVEL = 'silent';
  const sizes = (values.sizes as string).split(',').map(Number);
  const root = await mkdtemp(join(tmpdir(), 'lr-bench-report-'));
  // DynamoDB Local keeps every index copy in its JVM: give it room (JAVA_TOOL_OPTIONS reaches the JVM it starts).
  process.env.JAVA_TOOL_OPTIONS = process.env.JAVA_TOOL_OPTIONS ?? '-Xmx18g';
  const onDisk = values.storage !== 'memory';
  const dynamoDb = await startDynamoDbLocal({ port: await freePort(), ...(onDisk ? { dataDir: join(root, 'dynamodb') } : {}) });
  const low = dynamoDbClient(dynamoDb.endpoint);
  const client = DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } });
  const rows: string[] = [];
  const measured: Array<{ size: number; loadSeconds: number; seconds: number }> = [];
  try {
    for (const size of sizes) {
      const table = `bench-report-${size}`;
      await ensureCasesTable(low, table);
      const loadStarted = performance.now();
      let lastPrint = 0;
      await writeCases(client, table, simulateCases({ months: [MONTH], mix: scaledMix(size), seed: size }), {
        concurrency: 16,
        onWritten: (count) => {
          if (process.stderr.isTTY && performance.now() - lastPrint > 500) {
            lastPrint = performance.now();
            process.stderr.write(`\rloading ${fmt(count)} / ${fmt(size)} cases`);
          }
        },
      });
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      if (process.stderr.isTTY) process.stderr.write('\n');

      const output = execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', __filename, '--measure', '--endpoint', dynamoDb.endpoint, '--table', table, '--concurrency', String(concurrency), '--page-size', String(pageSize)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const m = JSON.parse(output) as Measured;
      if (m.received !== size) throw new Error(`the report counted ${m.received} cases received, not ${size}`);
      measured.push({ size, loadSeconds, seconds: m.seconds });
      console.log(`${fmt(size)} cases: loaded in ${fmt(loadSeconds, 1)} s; report in ${fmt(m.seconds, 1)} s, peak RSS ${fmt(m.peakRssMiB)} MiB`);
      rows.push(
        `| ${fmt(size)} | ${fmt(m.seconds, 1)} s | ${fmt(size / m.seconds)} | ${m.segments} | ${fmt(m.peakRssMiB)} MiB | ${fmt(m.peakHeapMiB)} MiB | ${fmt(m.peakRssMiB - m.baselineRssMiB)} MiB | ${fmt(m.capacityUnits)} | ${fmt(loadSeconds, 1)} s |`,
      );
    }
  } finally {
    low.destroy();
    await dynamoDb.stop();
    await rm(root, { recursive: true, force: true });
  }

  /** When the largest size is under a million, say why and what the measured rates predict for one. */
  const notMeasured = (): string[] => {
    const largest = Math.max(...sizes);
    if (largest >= 1_000_000) return [];
    const last = measured[measured.length - 1];
    const writeRate = last.size / last.loadSeconds;
    const perCase = last.seconds / last.size;
    return [
      '',
      `1,000,000 cases were not loaded: DynamoDB Local takes BatchWrite at about ${fmt(writeRate)} cases/s on this machine (every case item`,
      `is also written to the four indexes), so loading a million would take about ${fmt(1_000_000 / writeRate / 60)} minutes, past the 10-minute budget. The largest`,
      `month measured is ${fmt(largest)} cases. Report time grows linearly and memory does not grow; at the measured ${fmt(perCase * 1e6, 1)} µs per case end to end,`,
      `a million-case month would take about ${fmt(perCase * 1_000_000)} s here.`,
    ];
  };
  const cpu = cpuPerCase(100_000);
  console.log(`CPU per case (unmarshall, validate, fold): ${fmt(cpu.microseconds, 1)} µs; average case item ${fmt(cpu.itemBytes)} bytes`);

  writeSection(
    'report',
    [
      `## Monthly report (\`npm run bench:report -- --sizes ${sizes.join(',')}\`)`,
      '',
      `One month (${MONTH}) of cases made through the domain (the seed's mix, scaled), on DynamoDB Local (${onDisk ? 'on disk, as the local stack runs it' : 'in memory'}).`,
      `The report reads the month's byMonth partition in one segment per day, ${concurrency} at a time, in pages of ${pageSize} cases (DynamoDB Local`,
      'answers such pages several times faster than 1 MB ones; in AWS the segment reader takes 1 MB pages), folding each page',
      'as it arrives (the code of `npm run report` and of the API; the state machine runs the same reader per segment).',
      'Memory is that of the report process alone (DynamoDB Local is its own JVM); "growth" is peak RSS over the RSS before the run.',
      '',
      '| cases in the month | report time | cases/s | segments | peak RSS | peak heap | growth | read units (as DynamoDB Local counts them) | load time (BatchWrite) |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Report CPU per case, without the database (unmarshal the projected item, validate, fold; 100,000 cases): **${fmt(cpu.microseconds, 1)} µs**.`,
      `Average case item as stored (JSON, index attributes included): ${fmt(cpu.itemBytes)} bytes.`,
      ...notMeasured(),
    ].join('\n'),
  );
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});

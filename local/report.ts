/**
 * `npm run report -- --month 2026-10` (or `--from 2026-01 --to 2026-10`): the assessment from
 * the local stack's table, computed here with the same code the API and the state machine use
 * (the month's index partition read in parallel segments, folded as it streams). Prints the
 * ranking as a table and writes the CSV to a file it names.
 *
 * It reads the running stack's DynamoDB Local (DYNAMODB_PORT, default 8000); when the stack is
 * not running it starts DynamoDB Local on the stack's data folder for the time of the report.
 * "Now" is the stack's virtual clock (from the running stack, else the clock it saved).
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createServer } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CaseStore } from '../functions/store/case-store';
import { computeReport, type ComputeProgress } from '../functions/report/compute';
import { reportCsv } from '../functions/domain/assessment-csv';
import { isMonth } from '../functions/domain/assessment-period';
import { toShanghaiIso } from '../functions/domain/calendar';
import type { AssessmentReport, UnitScores } from '../functions/domain/assessment';
import { adoptSharedDatabase, dynamoDbClient, startDynamoDbLocal, type RunningDynamoDb } from './dynamodb';
import { loadOrCreateServiceCredentials, type ServiceCredentials } from './credentials';
import { localSettings } from './settings';
import { LOCAL_PAGE_SIZE } from './report-schedule';

const USAGE = `usage: npm run report -- --month yyyy-mm | --from yyyy-mm --to yyyy-mm
  [--out file.csv] [--json] [--top N] [--slices-per-day 1|2|4|…] [--concurrency N] [--page-size N] [--now ISO-instant]`;

/* ---------- text layout (CJK characters take two columns) ---------- */

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
export const displayWidth = (text: string): number => [...text].reduce((width, ch) => width + (WIDE.test(ch) ? 2 : 1), 0);

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly ('left' | 'right')[]): string {
  const widths = headers.map((header, i) => Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[i] ?? ''))));
  const line = (cells: readonly string[]) => cells.map((cell, i) => pad(cell, widths[i], align[i] ?? 'left')).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const rate = (value: number | null) => (value === null ? '–' : value.toFixed(2));

export function rankingTable(report: AssessmentReport, top?: number): string {
  const units: UnitScores[] = top ? report.units.slice(0, top) : [...report.units];
  return table(
    ['rank', 'unit', 'kind', 'received', 'resolved', 'resolved %', 'community %', 'on time %', 'satisfied %', 'breaches', 'score'],
    units.map((u) => [
      String(u.rank ?? ''),
      u.name,
      u.kind,
      String(u.received),
      String(u.resolved),
      rate(u.rates.resolution),
      rate(u.rates.resolvedInCommunity),
      rate(u.rates.onTimeResolution),
      rate(u.rates.satisfaction),
      String(u.lateSignOffs + u.handlingBreaches),
      u.composite ? u.composite.score.toFixed(2) : '',
    ]),
    ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

export function headlineText(report: AssessmentReport): string {
  const c = report.city;
  const period = report.period.from === report.period.to ? report.period.from : `${report.period.from} – ${report.period.to}`;
  return [
    `Assessment ${period}${report.provisional ? ' (provisional: the period has not ended)' : ''}, measured at ${report.cutoff}`,
    `  received ${c.received}   resolved ${c.resolved} (${rate(c.rates.resolution)} %)   in communities ${c.resolvedInCommunity} (${rate(c.rates.resolvedInCommunity)} % of resolved)`,
    `  satisfied ${c.satisfied} (${rate(c.rates.satisfaction)} %)   on time ${rate(c.rates.onTimeResolution)} %   signed off on time ${rate(c.rates.signOffOnTime)} %   open at the end ${c.openAtEnd} (${c.redAtEnd} red)`,
  ].join('\n');
}

/* ---------- progress ---------- */

function progressBar(stream: NodeJS.WriteStream) {
  const started = Date.now();
  let last = 0;
  return {
    update(p: ComputeProgress) {
      const nowMs = Date.now();
      if (nowMs - last < 100 && p.segmentsDone < p.segmentsTotal) return;
      last = nowMs;
      const width = 30;
      const filled = Math.round((p.segmentsDone / Math.max(1, p.segmentsTotal)) * width);
      const seconds = (nowMs - started) / 1000;
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.segmentsDone}/${p.segmentsTotal} segments  ${p.cases.toLocaleString('en')} cases  ${Math.round(p.cases / Math.max(seconds, 0.001)).toLocaleString('en')}/s `,
      );
    },
    done() {
      stream.write('\n');
    },
  };
}

/* ---------- where the data and the clock are ---------- */

const freePortOnLoopback = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port'))));
    });
  });

async function answers(endpoint: string, credentials: ServiceCredentials): Promise<boolean> {
  const client = dynamoDbClient(endpoint, credentials);
  try {
    await client.send(new ListTablesCommand({}));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

async function virtualNow(port: number, stateDir: string): Promise<{ nowMs: number; from: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_local/clock`, { signal: AbortSignal.timeout(1000) });
    if (response.ok) return { nowMs: ((await response.json()) as { nowMs: number }).nowMs, from: 'the running stack' };
  } catch {
    // Not running: the clock it saved.
  }
  try {
    const saved = JSON.parse(await readFile(join(stateDir, 'clock.json'), 'utf8')) as { nowMs: number };
    return { nowMs: saved.nowMs, from: 'the clock the stack saved' };
  } catch {
    return { nowMs: Date.now(), from: 'this machine' };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      month: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      top: { type: 'string' },
      'slices-per-day': { type: 'string' },
      concurrency: { type: 'string' },
      'page-size': { type: 'string' },
      now: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const from = values.month ?? values.from;
  const to = values.month ?? values.to ?? values.from;
  if (!from || !to || !isMonth(from) || !isMonth(to) || (values.month && (values.from || values.to))) throw new Error(USAGE);

  const settings = localSettings();
  // The stack keeps its tables under its own key id: read them with it.
  const credentials = await loadOrCreateServiceCredentials(settings.keysDir);
  let dynamoDb: RunningDynamoDb | undefined;
  let endpoint = `http://127.0.0.1:${settings.dynamoDbPort}`;
  if (!(await answers(endpoint, credentials))) {
    // The stack is not running: open its data folder with a DynamoDB Local of our own for the report.
    adoptSharedDatabase(join(settings.stateDir, 'dynamodb'), credentials.accessKeyId);
    dynamoDb = await startDynamoDbLocal({ port: await freePortOnLoopback(), dataDir: join(settings.stateDir, 'dynamodb'), sharedDb: false, credentials });
    endpoint = dynamoDb.endpoint;
    console.error(`The local stack is not running: reading ${join(settings.stateDir, 'dynamodb')} directly.`);
  }
  const low = dynamoDbClient(endpoint, credentials);
  try {
    const { TableNames = [] } = await low.send(new ListTablesCommand({}));
    if (!TableNames.includes(settings.tableName)) {
      throw new Error(`No table ${settings.tableName} at ${endpoint}: start the local stack (npm start) once, or set CASES_TABLE.`);
    }
    const clock = values.now ? { nowMs: Date.parse(values.now), from: '--now' } : await virtualNow(settings.port, settings.stateDir);
    if (!Number.isFinite(clock.nowMs)) throw new Error(`--now is not an instant: ${values.now}`);
    console.error(`Now is ${toShanghaiIso(clock.nowMs)} (${clock.from}).`);

    const store = new CaseStore(DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } }), settings.tableName);
    const bar = process.stderr.isTTY ? progressBar(process.stderr) : undefined;
    const started = Date.now();
    const computed = await computeReport({
      store,
      from,
      to,
      nowMs: clock.nowMs,
      ...(values['slices-per-day'] ? { slicesPerDay: Number(values['slices-per-day']) } : {}),
      ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
      pageSize: Number(values['page-size'] ?? LOCAL_PAGE_SIZE),
      ...(bar ? { onProgress: (p: ComputeProgress) => bar.update(p) } : {}),
    });
    bar?.done();
    const { report } = computed;

    const name = from === to ? from : `${from}_${to}`;
    const out = resolve(values.out ?? join(settings.dataDir, 'reports', `assessment-${name}.csv`));
    await mkdir(resolve(out, '..'), { recursive: true });
    await writeFile(out, reportCsv(report));

    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(headlineText(report));
      console.log('');
      console.log(report.units.length ? rankingTable(report, values.top ? Number(values.top) : undefined) : '(no unit received a case in this period)');
      console.log('');
    }
    console.error(
      `${computed.partial.cases.toLocaleString('en')} cases in ${computed.segments} segments, ${((Date.now() - started) / 1000).toFixed(1)} s. CSV written to ${out}`,
    );
  } finally {
    low.destroy();
    await dynamoDb?.stop();
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}

import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanInSegments } from '../scripts/parallel-scan';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { ensureCasesTable, localCredentials, LOCAL_REGION, startDynamoDbLocal } from '../local/dynamodb';
import { loadOrCreateKeys, signToken } from '../local/jwt';
import { defaultDirectory } from '../functions/domain/directory';
import { defaultCalendar } from '../functions/domain/calendar';
import { defaultRoutingRules } from '../functions/domain/routing';
import { acceptCase, type CaseRecord, type TimelineEvent } from '../functions/domain/case';
import { CaseStore } from '../functions/store/case-store';
import { INDEXES } from '../functions/store/table-design';
import { textContext } from '../functions/commons/http';
import { CATEGORY_IDS } from '../functions/domain/categories';
import { caseView } from '../functions/api/case-view';
import { freePort } from '../tests/support/free-port';
import { requestFor, type LoadClientInput, type LoadClientOutput } from './load-client';
import { writeSection } from './results-file';

/*
 * Intake under load: POST /v1/cases against the local stack (HTTP API, handlers, DynamoDB
 * Local, local Step Functions) at the highest rate it sustains, then a count of what was
 * stored: every acknowledged case exists, no request made two cases, and each case has
 * exactly one workflow execution. The rate is set against what DynamoDB Local alone does with
 * intake's own transaction (case + first event + idempotency record, all conditional) in the
 * same run: the write every intake must make, with nothing else around it.
 *
 * The load generator (autocannon) runs in a worker thread (bench/load-client.ts), so it has
 * its own event loop; the stack runs on this thread, as `npm start` would; DynamoDB Local is
 * its own JVM. All three share the machine's cores.
 *
 * Fired timers: before intake is measured, --timer-cases cases go in through the API (all at the
 * same virtual instant) and the virtual clock is moved (POST /_local/clock/advance, an hour of
 * virtual time per call) past the last of their sign-off deadlines, so each case's warning and
 * breach fire, and the next windows' of the cases escalated meanwhile. Counted: the timers fired
 * (the clock's own count, with the timeline events they wrote), the wall seconds the advances
 * took, and every DynamoDB call the stack made meanwhile, by operation. Fired timers per second
 * are set against the same bare rate as intake.
 *
 * --dynamodb memory (default: DynamoDB Local -inMemory, as before), disk (-dbPath, durable, as
 * `npm start` runs it), or memory,disk: each mode in a process of its own (the stack's clients
 * are per process, as per Lambda container), one after the other, and one section comparing them.
 *
 * npm run bench:load [-- --seconds 60] [--connections N (skips the search)] [--probe-seconds 10]
 *                       [--bare-concurrency 8,16,32,64] [--search 4,8,16,32,64] [--timer-cases 2000 (0: none)]
 *                       [--dynamodb memory|disk|memory,disk] [--no-write (print only)]
 * A quick look: npm run bench:load -- --seconds 10 --timer-cases 300
 */

/** What to stop if the run fails half-way: DynamoDB Local is a child JVM that would outlive us. */
const cleanups: Array<() => Promise<unknown>> = [];

const MONDAY_0900 = Date.parse('2026-03-09T09:00:00+08:00');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const list = (text: string) => text.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ---------------------------------------------------------------------------------------------
// CPU accounting: this process (every thread), this thread (the stack), and the JVM.

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The DynamoDB Local JVM: our child `java` started with `-port <port>`. */
function javaPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const i = cmdline.indexOf('-port');
      if (cmdline.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && i >= 0 && cmdline[i + 1] === String(port)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
  } catch {
    return NaN;
  }
}

/** CPU seconds the whole machine spent busy (every process), from /proc/stat. */
function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + (steal ?? 0)) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

interface CpuShare {
  /** CPU seconds per wall second, i.e. cores in use. */
  readonly stackThread: number;
  readonly nodeProcess: number;
  readonly jvm: number;
  /** Share of wall time the stack's event loop was busy. */
  readonly stackEventLoop: number;
  /** Cores busy on the whole machine, and of those, outside this benchmark (node process and JVM). */
  readonly machine: number;
  readonly others: number;
}

/** This thread's CPU time (Node 23.9+; NaN before). */
const threadCpu = (since?: NodeJS.CpuUsage): NodeJS.CpuUsage =>
  typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage(since) : { user: NaN, system: NaN };

function cpuMeter(jvm: number | undefined): { stop(): CpuShare } {
  const wall = performance.now();
  const thread = threadCpu();
  const proc = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const java = processCpuSeconds(jvm);
  const busy = machineBusySeconds();
  return {
    stop: () => {
      const seconds = (performance.now() - wall) / 1000;
      const t = threadCpu(thread);
      const p = process.cpuUsage(proc);
      const nodeProcess = (p.user + p.system) / 1e6 / seconds;
      const javaCores = (processCpuSeconds(jvm) - java) / seconds;
      const machine = (machineBusySeconds() - busy) / seconds;
      return {
        stackThread: (t.user + t.system) / 1e6 / seconds,
        nodeProcess,
        jvm: javaCores,
        stackEventLoop: performance.eventLoopUtilization(elu).utilization,
        machine,
        others: Math.max(0, machine - nodeProcess - javaCores),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The bare write: CaseStore.createCase itself (the same TransactWriteItems, items and conditions
// as intake) on a table of the same design, from a client with nothing else to do.

interface Template {
  readonly unit: string;
  readonly record: CaseRecord;
  readonly event: TimelineEvent;
  readonly view: unknown;
}

function bareTemplates(communities: readonly string[]): Template[] {
  const templates: Template[] = [];
  // Every (community, category) pair the load sends, with bodies of the same shape and length.
  for (let n = 0; n < communities.length * CATEGORY_IDS.length; n++) {
    const { unitIndex, body } = requestFor('bare', 100000 + n, communities.length);
    const caller = { sub: 'bench', unit: communities[unitIndex], role: 'community' as const };
    const { record, event } = acceptCase(body, {
      caller,
      id: ulid(MONDAY_0900),
      nowMs: MONDAY_0900,
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    });
    templates.push({ unit: caller.unit, record, event, view: caseView(record, [event], caller, MONDAY_0900, textContext('zh-CN')) });
  }
  return templates;
}

interface BareResult {
  readonly concurrency: number;
  readonly seconds: number;
  readonly writes: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpu: CpuShare;
}

/** Idempotency keys of the bare writes, unique across every bare run of the process. */
let bareSequence = 0;

async function bareRun(store: CaseStore, templates: Template[], concurrency: number, seconds: number, jvm: number | undefined): Promise<BareResult> {
  const latency = createHistogram();
  let writes = 0;
  let failed = 0;
  const cpu = cpuMeter(jvm);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const n = bareSequence++;
        const t = templates[n % templates.length];
        const id = ulid(MONDAY_0900);
        const record = { ...t.record, id };
        const begin = performance.now();
        try {
          const outcome = await store.createCase(record, t.event, {
            scope: t.unit,
            key: `bare-${n}`,
            record: { requestHash: 'f'.repeat(64), statusCode: 201, body: { ...(t.view as object), id }, caseId: id },
            expiresAtSeconds: Math.floor(MONDAY_0900 / 1000) + 24 * 3600,
          });
          // A key seen before would make a cancelled transaction and a read instead of a write.
          if (!outcome.created) throw new Error(`bare key bare-${n} was used before`);
          latency.record(Math.max(1, Math.round((performance.now() - begin) * 1000)));
          writes += 1;
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    concurrency,
    seconds: elapsed,
    writes,
    failed,
    perSecond: writes / elapsed,
    p50: latency.percentile(50) / 1000,
    p99: latency.percentile(99) / 1000,
    cpu: cpu.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// Intake runs: autocannon in a worker thread.

interface IntakeRun {
  readonly tag: string;
  readonly output: LoadClientOutput;
  readonly created: number;
  readonly perSecond: number;
  /** After the run: until every execution started by it reached its first wait. */
  readonly drainSeconds: number;
  /** Cases per second counting the drain: what the stack sustains end to end. */
  readonly sustainedPerSecond: number;
  readonly cpu: CpuShare;
}

function runClient(input: Omit<LoadClientInput, 'role'>): Promise<LoadClientOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'load-client.ts'), { workerData: { role: 'load-client', ...input } satisfies LoadClientInput });
    worker.once('message', (message: { ok: true; output: LoadClientOutput } | { ok: false; error: string }) => {
      if (message.ok) resolve(message.output);
      else reject(new Error(`load client: ${message.error}`));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------

/** POST with no client timeout: an advance waits for every workflow it woke to go idle again. */
function postJson(url: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) >= 300) reject(new Error(`POST ${url}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** The table's timeline events by type, and the last sign-off deadline of its cases. */
async function tableCensus(documents: DynamoDBDocumentClient, tableName: string): Promise<{ eventTypes: Map<string, number>; lastSignOffDueMs: number }> {
  const eventTypes = new Map<string, number>();
  let lastSignOffDueMs = 0;
  await scanInSegments(documents, { TableName: tableName, ProjectionExpression: 'sk, signOffDueAt, #type', ExpressionAttributeNames: { '#type': 'type' } }, 4, (page) => {
    for (const item of page.Items ?? []) {
      if (item.sk === 'CASE' && typeof item.signOffDueAt === 'string') lastSignOffDueMs = Math.max(lastSignOffDueMs, Date.parse(item.signOffDueAt));
      else if (String(item.sk).startsWith('EVENT#')) eventTypes.set(String(item.type), (eventTypes.get(String(item.type)) ?? 0) + 1);
    }
  });
  return { eventTypes, lastSignOffDueMs };
}

type Mode = 'memory' | 'disk';
const MODE_NAMES: Record<Mode, string> = { memory: 'DynamoDB Local in memory (`-inMemory`)', disk: 'DynamoDB Local on disk (`-dbPath`, durable, as `npm start` runs it)' };

interface Settings {
  readonly seconds: number;
  readonly probeSeconds: number;
  readonly fixedConnections: number | undefined;
  readonly bareLevels: number[];
  readonly searchLevels: number[];
  readonly timerCases: number;
  readonly command: string;
}

/** What the fired timers cost: the clock advance after intake of `cases` cases at one instant. */
interface TimerPhase {
  readonly cases: number;
  readonly intakeSeconds: number;
  readonly advances: number;
  readonly virtualHours: number;
  readonly fired: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** DynamoDB calls the stack made during the advances, by operation. */
  readonly calls: Record<string, number>;
  /** Timeline events the advances wrote, by type. */
  readonly events: Record<string, number>;
  readonly cpu: CpuShare;
  readonly load: [number, number];
  /** The bare rate measured right after the advance, at the best concurrency. */
  readonly bareAfter: number;
}

/** One mode's results: the detailed text, and the figures the comparison of modes needs. */
interface ModeResult {
  readonly mode: Mode;
  readonly body: string;
  readonly ok: boolean;
  readonly bare: number;
  readonly bareConcurrency: number;
  readonly intake: number;
  readonly intakeRatio: number;
  readonly timers?: TimerPhase;
  readonly timerRatio?: number;
  readonly callsPerCase: string;
  readonly load: [number, number];
}

const operations = (calls: Record<string, number>, per: number) =>
  Object.entries(calls)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name.replace(/Command$/, '')} ${(count / Math.max(1, per)).toFixed(2)}`)
    .join(', ') || 'none counted';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      connections: { type: 'string' },
      'probe-seconds': { type: 'string' },
      'bare-concurrency': { type: 'string', default: '8,16,32,64' },
      search: { type: 'string', default: '4,8,16,32,64' },
      'timer-cases': { type: 'string', default: '2000' },
      dynamodb: { type: 'string', default: 'memory' },
      'no-write': { type: 'boolean', default: false },
      // Internal: a child run of one mode writes its result here for the parent that compares modes.
      'result-file': { type: 'string' },
      command: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const probeSeconds = Number(values['probe-seconds'] ?? Math.min(10, seconds));
  const fixedConnections = values.connections === undefined ? undefined : Number(values.connections);
  const bareLevels = list(values['bare-concurrency']);
  const searchLevels = list(values.search);
  const timerCases = Number(values['timer-cases']);
  const modes = values.dynamodb.split(',').map((m) => m.trim());
  if (
    !(seconds > 0) ||
    !(probeSeconds > 0) ||
    (fixedConnections !== undefined && !(fixedConnections > 0)) ||
    !bareLevels.length ||
    !searchLevels.length ||
    !Number.isInteger(timerCases) ||
    timerCases < 0 ||
    timerCases > 100_000 ||
    !modes.length ||
    modes.some((m) => m !== 'memory' && m !== 'disk') ||
    new Set(modes).size !== modes.length
  ) {
    throw new Error(
      'usage: bench/load.ts [--seconds 60] [--connections N] [--probe-seconds 10] [--bare-concurrency 8,16,32,64] [--search 4,8,16,32,64] ' +
        '[--timer-cases 2000 (0 to 100000)] [--dynamodb memory|disk|memory,disk] [--no-write]',
    );
  }
  const command = values.command ?? ['npm run bench:load', ...(process.argv.slice(2).length ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const settings: Settings = { seconds, probeSeconds, fixedConnections, bareLevels, searchLevels, timerCases, command };

  let results: ModeResult[];
  if (modes.length === 1) {
    results = [await measure(modes[0] as Mode, settings)];
    if (values['result-file']) {
      writeFileSync(values['result-file'], JSON.stringify(results[0]));
      return;
    }
  } else {
    // Each mode in a process of its own, one after the other: the stack's clients and the Lambda
    // modules' caches are per process, and the two JVMs must not share the cores.
    results = [];
    const dir = await mkdtemp(join(tmpdir(), 'lr-load-modes-'));
    const passOn = process.argv.slice(2).filter((arg, i, all) => !(arg.startsWith('--dynamodb') || all[i - 1] === '--dynamodb') && arg !== '--no-write');
    for (const mode of modes) {
      const file = join(dir, `${mode}.json`);
      console.log(`[load] === ${MODE_NAMES[mode as Mode]}`);
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, ...passOn, '--dynamodb', mode, '--result-file', file, '--command', command], { stdio: 'inherit' });
      if (child.status !== 0) throw new Error(`the ${mode} run failed (exit ${child.status})`);
      results.push(JSON.parse(readFileSync(file, 'utf8')) as ModeResult);
    }
    await rm(dir, { recursive: true, force: true });
  }
  const body = composeSection(command, results);
  if (!values['no-write']) writeSection('load', body);
  console.log(`\n${body}`);
  if (!results.every((r) => r.ok)) {
    console.error('load: verification FAILED');
    process.exitCode = 1;
  }
}

async function measure(mode: Mode, settings: Settings): Promise<ModeResult> {
  const { seconds, probeSeconds, fixedConnections, bareLevels, searchLevels, timerCases, command } = settings;
  const loadAtStart = loadavg()[0];
  // Before the stack's modules load: the logger takes its level when it is created.
  process.env.LOG_LEVEL = 'silent';
  const { startLocalStack } = await import('../local/stack');
  const log = (line: string) => console.log(`[load] ${line}`);

  const root = await mkdtemp(join(tmpdir(), 'lr-load-'));
  const dynamoPort = await freePort();
  const dynamoDb = await startDynamoDbLocal({ port: dynamoPort, ...(mode === 'disk' ? { dataDir: join(root, 'dynamodb') } : {}) });
  cleanups.push(() => dynamoDb.stop(), () => rm(root, { recursive: true, force: true }));
  const jvm = javaPid(dynamoPort);
  const tableName = 'load-cases';
  const stack = await startLocalStack({
    port: await freePort(),
    stateDir: join(root, 'state'),
    keysDir: join(root, 'keys'),
    tableName,
    dynamoDbEndpoint: dynamoDb.endpoint,
    timeScale: 0,
    startMs: MONDAY_0900,
  });
  cleanups.unshift(() => stack.stop());
  // What intake asks of DynamoDB, counted on the stack's own client (one per process, as per Lambda container).
  const { dynamoDb: stackDynamoDb } = await import('../functions/commons/clients/dynamodb');
  const dynamoCalls = new Map<string, number>();
  let counting: Map<string, number> | undefined;
  stackDynamoDb().middlewareStack.add(
    (next, context) => async (args) => {
      if (counting) counting.set(context.commandName ?? '?', (counting.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchLoadCallCounter' },
  );
  const keys = await loadOrCreateKeys(join(root, 'keys'));
  const communities = defaultDirectory.ofKind('community').map((unit) => unit.id);
  const tokens = await Promise.all(communities.map((unit) => signToken(keys, { sub: 'bench-load', unit, role: 'community' })));
  const raw = new DynamoDBClient({
    endpoint: dynamoDb.endpoint,
    region: LOCAL_REGION,
    credentials: localCredentials,
    // Enough sockets for the widest concurrency, so the client's pool never queues a write.
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: Math.max(64, ...bareLevels) }) },
  });
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });

  // 1. The bare write rate.
  const bareTable = 'load-bare';
  await ensureCasesTable(raw, bareTable);
  const bareStore = new CaseStore(documents, bareTable);
  const templates = bareTemplates(communities);
  // DynamoDB Local is a JVM: its JIT needs thousands of transactions to reach full speed on this
  // path, and a cold denominator would flatter intake. Warm it with at least 3,000 writes, until two
  // 2-second windows in a row agree within 5 % (at most 30 s); the bare rate is measured again after
  // intake, and the better of the two counts.
  const warmUpLimit = Math.max(30, 3 * probeSeconds);
  const warmUpStarted = performance.now();
  let previous = 0;
  let steady = 0;
  let warmUpWrites = 0;
  while ((steady < 2 || warmUpWrites < 3000) && performance.now() - warmUpStarted < warmUpLimit * 1000) {
    const window = await bareRun(bareStore, templates, 16, 2, jvm);
    warmUpWrites += window.writes;
    steady = previous > 0 && Math.abs(window.perSecond - previous) <= 0.05 * previous ? steady + 1 : 0;
    previous = window.perSecond;
  }
  const warmUpSeconds = (performance.now() - warmUpStarted) / 1000;
  log(`bare TransactWriteItems: warm-up ${warmUpSeconds.toFixed(0)} s (last ${fmt(previous)} writes/s), then concurrency ${bareLevels.join('/')} for ${probeSeconds} s each`);
  const bare: BareResult[] = [];
  for (const concurrency of bareLevels) {
    const result = await bareRun(bareStore, templates, concurrency, probeSeconds, jvm);
    bare.push(result);
    log(
      `  concurrency ${concurrency}: ${fmt(result.perSecond)} writes/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, failed ${result.failed}; ` +
        `CPU: node ${result.cpu.nodeProcess.toFixed(2)}, JVM ${result.cpu.jvm.toFixed(2)}, others ${result.cpu.others.toFixed(2)} cores`,
    );
  }
  const bestBefore = bare.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));

  // 2. Intake through the API.
  const runs: IntakeRun[] = [];
  const intake = async (tag: string, connections: number, runSeconds: number, amount?: number): Promise<IntakeRun> => {
    const cpu = cpuMeter(jvm);
    const output = await runClient({ url: stack.url, tokens, tag, connections, seconds: runSeconds, ...(amount ? { amount } : {}) });
    const share = cpu.stop();
    const ended = performance.now();
    await sleep(100); // answers still on their way back
    await stack.stepFunctions.idle();
    const drainSeconds = (performance.now() - ended) / 1000;
    const created = output.answers.filter(([, status]) => status === 201).length;
    const run: IntakeRun = {
      tag,
      output,
      created,
      perSecond: created / output.durationSeconds,
      drainSeconds,
      sustainedPerSecond: created / (output.durationSeconds + drainSeconds),
      cpu: share,
    };
    runs.push(run);
    log(
      `  ${connections} connections, ${amount ? `${fmt(amount)} requests` : `${runSeconds} s`}: ${fmt(run.perSecond)} cases/s (${fmt(run.sustainedPerSecond)}/s with ${drainSeconds.toFixed(1)} s drain), ` +
        `p50 ${output.latency.p50} ms, p99 ${output.latency.p99} ms, non-2xx ${output.non2xx}, errors ${output.errors}; ` +
        `CPU: stack thread ${share.stackThread.toFixed(2)}, node ${share.nodeProcess.toFixed(2)}, JVM ${share.jvm.toFixed(2)}, others ${share.others.toFixed(2)} cores`,
    );
    return run;
  };

  // 2a. Fired timers, before the intake runs fill the table: timerCases cases at one instant (the
  //     clock is frozen), then the clock moved an hour of virtual time per call past the last of
  //     their sign-off deadlines. Every DynamoDB call the stack makes meanwhile is counted.
  let timers: TimerPhase | undefined;
  let bareTimers: BareResult | undefined;
  if (timerCases > 0) {
    const loadBefore = loadavg()[0];
    log(`timers: ${fmt(timerCases)} cases through the API at ${new Date(stack.clock.now()).toISOString()}`);
    const intakeStarted = performance.now();
    const timerRun = await intake('timers', 8, 0, timerCases);
    const intakeSeconds = (performance.now() - intakeStarted) / 1000;
    const before = await tableCensus(documents, tableName);
    const target = before.lastSignOffDueMs + 1000;
    const startedAt = stack.clock.now();
    log(`timers: advancing the clock to ${new Date(target).toISOString()}, one virtual hour per call`);
    const calls = new Map<string, number>();
    const cpu = cpuMeter(jvm);
    let fired = 0;
    let advances = 0;
    let wall = 0;
    counting = calls;
    while (stack.clock.now() < target) {
      const step = Math.min(3600, Math.ceil((target - stack.clock.now()) / 1000));
      const began = performance.now();
      const answer = (await postJson(`${stack.url}/_local/clock/advance`, { seconds: step })) as { fired: number };
      const took = (performance.now() - began) / 1000;
      wall += took;
      fired += answer.fired;
      advances += 1;
      if (answer.fired > 0) log(`  to ${new Date(stack.clock.now()).toISOString()}: ${fmt(answer.fired)} timers in ${took.toFixed(1)} s (${fmt(answer.fired / took)}/s)`);
    }
    counting = undefined;
    const share = cpu.stop();
    const after = await tableCensus(documents, tableName);
    const events: Record<string, number> = {};
    for (const [type, count] of after.eventTypes) {
      const added = count - (before.eventTypes.get(type) ?? 0);
      if (added > 0) events[type] = added;
    }
    const bareAfterTimers = await bareRun(bareStore, templates, bestBefore.concurrency, probeSeconds, jvm);
    bareTimers = bareAfterTimers;
    timers = {
      cases: timerRun.created,
      intakeSeconds,
      advances,
      virtualHours: (stack.clock.now() - startedAt) / 3_600_000,
      fired,
      seconds: wall,
      perSecond: fired / wall,
      calls: Object.fromEntries(calls),
      events,
      cpu: share,
      load: [loadBefore, loadavg()[0]],
      bareAfter: bareAfterTimers.perSecond,
    };
    log(
      `timers: ${fmt(fired)} fired in ${wall.toFixed(1)} s (${fmt(timers.perSecond)}/s); per timer: ${operations(timers.calls, fired)}; ` +
        `bare after, concurrency ${bareAfterTimers.concurrency}: ${fmt(bareAfterTimers.perSecond)} writes/s`,
    );
  }

  // The stack's JIT (and the JVM's, on the paths intake adds) warms up too: 8 connections until two
  // windows in a row agree within 5 %, at most 45 s, so the search below compares connection counts
  // and not warm-up.
  log('intake: warm-up');
  const intakeWindow = Math.min(5, probeSeconds);
  const intakeWarmUpStarted = performance.now();
  let previousIntake = 0;
  let steadyIntake = 0;
  let warmWindow = 0;
  while (steadyIntake < 2 && performance.now() - intakeWarmUpStarted < Math.max(45, 3 * probeSeconds) * 1000) {
    const run = await intake(`w${warmWindow++}`, 8, intakeWindow);
    steadyIntake = previousIntake > 0 && Math.abs(run.perSecond - previousIntake) <= 0.05 * previousIntake ? steadyIntake + 1 : 0;
    previousIntake = run.perSecond;
  }
  const intakeWarmUpSeconds = (performance.now() - intakeWarmUpStarted) / 1000;
  let connections = fixedConnections;
  const search: IntakeRun[] = [];
  if (connections === undefined) {
    log(`intake: closed-loop search over ${searchLevels.join('/')} connections, ${probeSeconds} s each`);
    let best: IntakeRun | undefined;
    let flat = 0;
    for (const level of searchLevels) {
      const run = await intake(`c${level}`, level, probeSeconds);
      search.push(run);
      // Ranked by what the stack sustains, workflow drain included: a backlog is not throughput.
      if (!best || run.sustainedPerSecond > best.sustainedPerSecond * 1.03) {
        best = run;
        flat = 0;
      } else if (++flat >= 2) break; // stopped rising
    }
    // The fewest connections within 5 % of the best: more only add queueing, i.e. latency.
    const top = Math.max(...search.map((r) => r.sustainedPerSecond));
    connections = search.find((r) => r.sustainedPerSecond >= 0.95 * top)?.output.connections ?? (best as IntakeRun).output.connections;
  }
  log(`intake: ${seconds} s at ${connections} connections`);
  counting = dynamoCalls;
  const mainRun = await intake('main', connections, seconds);
  counting = undefined;
  // The bare write once more, now that the JVM has also run intake: the limit is the better of the two.
  const bareAfter = await bareRun(bareStore, templates, bestBefore.concurrency, probeSeconds, jvm);
  log(
    `bare TransactWriteItems after intake, concurrency ${bareAfter.concurrency}: ${fmt(bareAfter.perSecond)} writes/s, p99 ${bareAfter.p99.toFixed(1)} ms; ` +
      `CPU: node ${bareAfter.cpu.nodeProcess.toFixed(2)}, JVM ${bareAfter.cpu.jvm.toFixed(2)}, others ${bareAfter.cpu.others.toFixed(2)} cores`,
  );
  const bestBare = [bestBefore, ...(bareTimers ? [bareTimers] : []), bareAfter].reduce((a, b) => (b.perSecond > a.perSecond ? b : a));

  // 3. What the runs stored. Requests still in flight when a run stopped (and any that timed out)
  //    have no answer: they are sent again with the same key and body, as a client would, and must
  //    yield exactly one case whether or not the first attempt got through. A sample of answered
  //    requests is sent again too: each must return the same case, marked as replayed.
  await sleep(500);
  await stack.stepFunctions.idle();
  const acknowledged = new Map<string, string>(); // key -> case id
  const problems: string[] = [];
  // Without a 201: no answer (in flight at the stop, or timed out) or another status. A client
  // sends these again with the same key; so does this check.
  const toResend: Array<{ tag: string; n: number }> = [];
  let requestsSent = 0;
  let answeredOtherwise = 0;
  for (const run of runs) {
    const created = new Set<number>();
    requestsSent += run.output.sent;
    for (const [n, status, id] of run.output.answers) {
      if (status !== 201 || !id) {
        answeredOtherwise += 1;
        continue;
      }
      const { key } = requestFor(run.tag, n, communities.length);
      if (acknowledged.has(key)) problems.push(`two answers for ${key}`);
      acknowledged.set(key, id);
      created.add(n);
    }
    for (let n = 0; n < run.output.sent; n++) if (!created.has(n)) toResend.push({ tag: run.tag, n });
  }
  const acknowledgedBefore = acknowledged.size;
  const replay = async (tag: string, n: number): Promise<{ status: number; id?: string; replayed: boolean }> => {
    const { unitIndex, key, body } = requestFor(tag, n, communities.length);
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${stack.url}/v1/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[unitIndex]}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 500 && attempt < 3) {
        await sleep(200);
        continue;
      }
      const id = response.status === 201 ? (JSON.parse(text) as { id: string }).id : undefined;
      return { status: response.status, ...(id ? { id } : {}), replayed: response.headers.get('idempotent-replayed') === 'true' };
    }
  };
  let resentThatHadLanded = 0;
  for (const { tag, n } of toResend) {
    const { key } = requestFor(tag, n, communities.length);
    const answer = await replay(tag, n);
    if (answer.status !== 201 || !answer.id) {
      problems.push(`resending ${key}: ${answer.status}`);
      continue;
    }
    if (answer.replayed) resentThatHadLanded += 1;
    acknowledged.set(key, answer.id);
  }
  const sampleKeys = [...acknowledged.entries()].filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 200)) === 0).slice(0, 200);
  let sampleSame = 0;
  for (const [key, id] of sampleKeys) {
    const match = /^load-(.+)-(\d+)$/.exec(key) as RegExpExecArray;
    const answer = await replay(match[1], Number(match[2]));
    if (answer.status === 201 && answer.replayed && answer.id === id) sampleSame += 1;
    else problems.push(`resending answered ${key}: ${answer.status}, replayed ${answer.replayed}, id ${answer.id} (first ${id})`);
  }
  await sleep(200);
  await stack.stepFunctions.idle();

  // The table: every case item and idempotency record, in parallel scan segments.
  const cases = new Map<string, { description: string; pendingTask: boolean }>();
  const idempotency = new Map<string, string>(); // key -> caseId
  let eventItems = 0;
  const firstEvents = new Set<string>(); // case ids with EVENT#000001
  await scanInSegments(documents, { TableName: tableName, ProjectionExpression: 'pk, sk, id, description, caseId, pendingTask' }, 4, (page) => {
    for (const item of page.Items ?? []) {
      if (item.sk === 'CASE') cases.set(item.id as string, { description: item.description as string, pendingTask: item.pendingTask !== undefined });
      else if (item.sk === 'IDEMPOTENCY') idempotency.set(String(item.pk).split('#').slice(2).join('#'), item.caseId as string);
      else if (String(item.sk).startsWith('EVENT#')) {
        eventItems += 1;
        if (item.sk === 'EVENT#000001') firstEvents.add(String(item.pk).slice('CASE#'.length));
      }
    }
  });
  // The executions, through ListExecutions as a client of the service sees them.
  const executions = new Map<string, number>(); // name -> count
  const statuses = new Map<string, number>();
  let nextToken: string | undefined;
  do {
    const page = await stack.stepFunctions.listExecutions({ stateMachineArn: stack.caseWorkflowArn, maxResults: 1000, nextToken });
    for (const execution of page.executions) {
      executions.set(execution.name, (executions.get(execution.name) ?? 0) + 1);
      statuses.set(execution.status, (statuses.get(execution.status) ?? 0) + 1);
    }
    nextToken = page.nextToken;
  } while (nextToken);

  const ackIds = new Set(acknowledged.values());
  const lost = [...ackIds].filter((id) => !cases.has(id));
  const keyOfCase = new Map<string, number>();
  for (const { description } of cases.values()) {
    const key = /(load-\S+?-\d+)：/.exec(description)?.[1] ?? description;
    keyOfCase.set(key, (keyOfCase.get(key) ?? 0) + 1);
  }
  const duplicated = [...keyOfCase.values()].filter((count) => count > 1).length;
  const unknownCases = [...keyOfCase.keys()].filter((key) => !acknowledged.has(key)).length;
  const idempotencyMismatch = [...acknowledged].filter(([key, id]) => idempotency.get(key) !== id).length;
  const executionsTwice = [...executions.values()].filter((count) => count > 1).length;
  const casesWithoutExecution = [...cases.keys()].filter((id) => !executions.has(id)).length;
  const executionsWithoutCase = [...executions.keys()].filter((name) => !cases.has(name)).length;
  const notWaiting = [...cases.values()].filter((c) => !c.pendingTask).length;
  const running = statuses.get('RUNNING') ?? 0;
  const checks: Array<[string, boolean, string]> = [
    ['acknowledged cases (201) missing from the table (lost)', lost.length === 0, String(lost.length)],
    ['requests that made more than one case (duplicated)', duplicated === 0, String(duplicated)],
    ['case items = distinct acknowledged cases = requests sent', cases.size === ackIds.size && ackIds.size === acknowledged.size && acknowledged.size === requestsSent, `${fmt(cases.size)} = ${fmt(ackIds.size)} = ${fmt(requestsSent)}`],
    ['cases no request accounts for', unknownCases === 0, String(unknownCases)],
    ['idempotency records = cases, each naming the case its request was answered with', idempotency.size === cases.size && idempotencyMismatch === 0, `${fmt(idempotency.size)}, ${idempotencyMismatch} mismatched`],
    ['cases with their intake event (EVENT#000001)', [...cases.keys()].every((id) => firstEvents.has(id)) && firstEvents.size === cases.size, `${fmt(firstEvents.size)} (${fmt(eventItems)} events in all)`],
    ['executions = cases, one per case, named by its id', executions.size === cases.size && executionsTwice === 0 && casesWithoutExecution === 0, `${fmt(executions.size)}, ${executionsTwice} twice, ${casesWithoutExecution} cases without one`],
    ['executions for a case that does not exist', executionsWithoutCase === 0, String(executionsWithoutCase)],
    ['executions RUNNING (waiting for sign-off), none failed', running === executions.size, [...statuses].map(([s, c]) => `${s} ${fmt(c)}`).join(', ')],
    ['cases whose workflow is waiting on its callback token', notWaiting === 0, `${fmt(cases.size - notWaiting)} of ${fmt(cases.size)}`],
    [`answered requests sent again (sample): same case, marked replayed`, sampleSame === sampleKeys.length, `${sampleSame} of ${sampleKeys.length}`],
    ['bare writes that failed (the denominator is sound)', [...bare, ...(bareTimers ? [bareTimers] : []), bareAfter].every((b) => b.failed === 0), String([...bare, ...(bareTimers ? [bareTimers] : []), bareAfter].reduce((sum, b) => sum + b.failed, 0))],
    ['other problems', problems.length === 0, problems.length ? problems.slice(0, 3).join('; ') : 'none'],
  ];
  const ok = checks.every(([, pass]) => pass);

  raw.destroy();
  for (const cleanup of cleanups.splice(0)) await cleanup();

  // 4. Results.
  const m = mainRun.output;
  const ratio = mainRun.perSecond / bestBare.perSecond;
  const cores = (c: CpuShare) =>
    `stack thread ${c.stackThread.toFixed(2)} (event loop busy ${(c.stackEventLoop * 100).toFixed(0)} %), whole node process ${c.nodeProcess.toFixed(2)}, ` +
    `JVM ${c.jvm.toFixed(2)}; machine ${c.machine.toFixed(2)} of ${availableParallelism()}, other processes ${c.others.toFixed(2)}`;
  const c = mainRun.cpu;
  const jvmPerCase = (c.jvm * 1000) / mainRun.perSecond;
  const jvmPerWrite = (bestBare.cpu.jvm * 1000) / bestBare.perSecond;
  const writesPerCase = jvmPerCase / jvmPerWrite;
  const loop = `the stack's one thread (HTTP, JWT check, handlers, SDK calls and the local Step Functions) had its event loop busy ${(c.stackEventLoop * 100).toFixed(0)} % of the run`;
  const saturated = c.machine > availableParallelism() - 0.3;
  const jvmCores = [...bare, bareAfter].map((b) => b.cpu.jvm);
  const jvmFlat = bare.length > 1 && Math.max(...jvmCores) / Math.min(...jvmCores) < 1.15;
  const jvmCeiling = Math.max(...jvmCores);
  const bound =
    c.jvm >= 0.9 * jvmCeiling
      ? `DynamoDB Local. A case costs its JVM ${jvmPerCase.toFixed(1)} ms of CPU, ${writesPerCase.toFixed(1)} bare writes' worth, and the JVM ran at ` +
        `${c.jvm.toFixed(2)} cores, about as much as it ever took in the bare runs (${Math.min(...jvmCores).toFixed(2)}–${jvmCeiling.toFixed(2)}${
          jvmFlat ? `, whatever the concurrency from ${bare[0].concurrency} to ${bare[bare.length - 1].concurrency}` : ''
        }): ${c.jvm.toFixed(2)}/${bestBare.cpu.jvm.toFixed(2)} ÷ ${writesPerCase.toFixed(1)} = ${(c.jvm / bestBare.cpu.jvm / writesPerCase).toFixed(2)}, the ratio above. ` +
        `Close behind, ${loop} (${c.stackThread.toFixed(2)} cores)${
          saturated ? `; with the JVM's, the machine's ${availableParallelism()} cores were ${((c.machine / availableParallelism()) * 100).toFixed(0)} % busy` : ''
        }`
      : c.stackEventLoop > 0.9 && !saturated
        ? `the local stack: ${loop} while DynamoDB Local had room (${c.jvm.toFixed(2)} cores against ${bestBare.cpu.jvm.toFixed(2)} in the bare run)`
        : saturated
          ? `the machine's ${availableParallelism()} cores, all busy (node ${c.nodeProcess.toFixed(2)} + JVM ${c.jvm.toFixed(2)} + other processes ${c.others.toFixed(2)}); ${loop}`
          : `neither CPU: DynamoDB Local used ${c.jvm.toFixed(2)} cores (${bestBare.cpu.jvm.toFixed(2)} in the bare run) and ${loop}; more connections would add waiting, not cases`;
  const callsPerCase =
    [...dynamoCalls]
      .sort((a, b) => b[1] - a[1])
      .map(([name, count]) => `${name.replace(/Command$/, '')} ${(count / mainRun.created).toFixed(2)}`)
      .join(', ') || 'none counted';
  const noisy = Math.max(c.others, bestBare.cpu.others, bareAfter.cpu.others) > 0.25;
  const timerRatio = timers ? timers.perSecond / bestBare.perSecond : undefined;
  const timerBound = (t: CpuShare) =>
    t.jvm >= 0.9 * jvmCeiling
      ? `DynamoDB Local: its JVM ran at ${t.jvm.toFixed(2)} cores, about its ceiling in the bare runs (${jvmCeiling.toFixed(2)})`
      : t.stackEventLoop > 0.9
        ? `the stack's one thread (the local Step Functions, the workflow function, SDK calls): its event loop busy ${(t.stackEventLoop * 100).toFixed(0)} %`
        : t.machine > availableParallelism() - 0.3
          ? `the machine's ${availableParallelism()} cores, all busy (node ${t.nodeProcess.toFixed(2)} + JVM ${t.jvm.toFixed(2)} + other processes ${t.others.toFixed(2)})`
          : `no CPU: the JVM at ${t.jvm.toFixed(2)} cores (ceiling ${jvmCeiling.toFixed(2)}), the stack's event loop busy ${(t.stackEventLoop * 100).toFixed(0)} %: the steps wait on DynamoDB Local's answers (on disk: its writes to the file)`;
  const timerTable = timers
    ? `

Fired timers: ${fmt(timers.cases)} cases through the API first (8 connections, ${timers.intakeSeconds.toFixed(1)} s), all accepted at the same virtual
instant; then \`POST /_local/clock/advance\` ${timers.advances} times, an hour of virtual time each (${timers.virtualHours.toFixed(1)} h in all), past the last
of their sign-off deadlines: every sign-off warning (75 %) and breach fires, and the next window's points of the cases escalated meanwhile.
Each advance waits for the workflows to go idle before and after it, so its wall time covers every step the timers woke.

| fired timers | value |
|---|---|
| timers fired (the clock's count) | ${fmt(timers.fired)}, ${(timers.fired / Math.max(1, timers.cases)).toFixed(2)} per case |
| timeline events the advance wrote | ${Object.entries(timers.events).sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ${fmt(n)}`).join(', ') || 'none'} |
| wall time of the advances | ${timers.seconds.toFixed(1)} s: **${fmt(timers.perSecond, 1)} timers/s** |
| **fired timers / bare** | **${(timerRatio as number).toFixed(2)}** (bare ${fmt(bestBare.perSecond)} writes/s, the same denominator as intake; measured right after the advance: ${fmt(timers.bareAfter)}) |
| DynamoDB calls per fired timer (counted on the stack's client) | ${operations(timers.calls, timers.fired)}: ${(Object.values(timers.calls).reduce((a, b) => a + b, 0) / Math.max(1, timers.fired)).toFixed(2)} in all |
| CPU during the advance (cores) | ${cores(timers.cpu)} |
| what bounds it | ${timerBound(timers.cpu)} |
| load average (1 min) before / after | ${timers.load[0].toFixed(1)} / ${timers.load[1].toFixed(1)} |`
    : '';
  const body = `### ${MODE_NAMES[mode]}

\`POST /v1/cases\` against the local stack (HTTP API with JWT check, the create-case handler, ${MODE_NAMES[mode]},
the local Step Functions starting one execution per case), closed loop with autocannon in a worker thread; every request
a new case with its own Idempotency-Key, ${communities.length} communities × ${CATEGORY_IDS.length} categories. The virtual clock is frozen (time scale 0) while intake is measured, so no
timer fires then: each execution runs to its first wait (sign-off) and stays there.
Bare rate: \`CaseStore.createCase\` itself (the TransactWriteItems of intake: case, first event and idempotency record, each
\`attribute_not_exists\`) on a table of the same design (${Object.keys(INDEXES).length} GSIs) in the same DynamoDB Local, from this process with nothing else
to do, ${probeSeconds} s per concurrency.

| measure | value |
|---|---|
| bare TransactWriteItems (best of ${bare.map((b) => b.concurrency).join('/')} before intake, and again after) | **${fmt(bestBare.perSecond)} writes/s** at concurrency ${bestBare.concurrency}, ${bestBare === bareAfter ? 'after' : 'before'} intake (p50 ${bestBare.p50.toFixed(1)} ms, p99 ${bestBare.p99.toFixed(1)} ms); before ${fmt(bestBefore.perSecond)}, after ${fmt(bareAfter.perSecond)} |
| intake, ${fmt(m.durationSeconds)} s at ${m.connections} connections | **${fmt(mainRun.perSecond)} cases/s** (${fmt(mainRun.created)} cases; per second: mean ${fmt(m.requestsPerSecond.mean)}, sd ${fmt(m.requestsPerSecond.stddev)}, min ${fmt(m.requestsPerSecond.min)}) |
| **intake / bare** | **${ratio.toFixed(2)}** |
| workflow drain after the run | ${mainRun.drainSeconds.toFixed(1)} s until every execution reached its first wait: ${fmt(mainRun.sustainedPerSecond)} cases/s end to end |
| latency p50 / p90 / p99 / max | ${m.latency.p50} / ${m.latency.p90} / ${m.latency.p99} / ${m.latency.max} ms (mean ${m.latency.mean.toFixed(1)} ms) |
| non-2xx / errors / timeouts | ${m.non2xx} / ${m.errors} / ${m.timeouts} (status codes: ${Object.entries(m.statusCodes).map(([code, count]) => `${code} × ${fmt(count)}`).join(', ')}) |
| CPU during the run (cores) | ${cores(mainRun.cpu)}; load generator (worker thread) ${m.clientCpu.toFixed(2)}, its event loop busy ${(m.clientEventLoopUtilization * 100).toFixed(0)} % |
| CPU during the best bare run (cores) | ${cores(bestBare.cpu)} |
| DynamoDB Local CPU per case / per bare write | ${jvmPerCase.toFixed(1)} ms / ${jvmPerWrite.toFixed(1)} ms: a case costs the JVM ${(jvmPerCase / jvmPerWrite).toFixed(1)} bare writes |

${
  search.length
    ? `After a ${intakeWarmUpSeconds.toFixed(0)} s warm-up of intake at 8 connections, connections (closed loop, ${probeSeconds} s each; ranked by cases/s with the drain counted; the fewest within 5 % of the best is taken): ${search
        .map((r) => `${r.output.connections} → ${fmt(r.perSecond)}/s (${fmt(r.sustainedPerSecond)} with drain, p99 ${r.output.latency.p99} ms)`)
        .join('; ')}.`
    : `Connections fixed at ${connections} (no search).`
} Bare, after a ${warmUpSeconds.toFixed(0)} s warm-up of the JVM: ${bare.map((b) => `${b.concurrency} → ${fmt(b.perSecond)}/s (p99 ${b.p99.toFixed(1)} ms)`).join('; ')}; after intake ${bareAfter.concurrency} → ${fmt(bareAfter.perSecond)}/s.

Verification, over every request of every run (warm-up, search, main): ${fmt(requestsSent)} requests, ${fmt(acknowledgedBefore)} answered 201,
${fmt(answeredOtherwise)} answered otherwise; the ${fmt(toResend.length)} without a 201 (most of them in flight when a run stopped) were sent again
with the same key and body, as a client would: ${fmt(resentThatHadLanded)} had landed and were answered as replays${
    toResend.length > resentThatHadLanded ? `, the other ${fmt(toResend.length - resentThatHadLanded)} made their case then` : ''
  }.

| check | result | |
|---|---|---|
${checks.map(([name, pass, detail]) => `| ${name} | ${detail} | ${pass ? 'ok' : '**FAIL**'} |`).join('\n')}

DynamoDB calls per case in the main run (intake, then its execution's first steps, counted on the stack's client): ${callsPerCase}.
What bounds it: ${bound}.${
    noisy
      ? ` The machine was not quiet (other processes used up to ${Math.max(c.others, bestBare.cpu.others, bareAfter.cpu.others).toFixed(2)} of its cores during these runs): both rates are lower than on an idle machine, their ratio less so.`
      : ''
  }`;
  return {
    mode,
    body: body + timerTable,
    ok,
    bare: bestBare.perSecond,
    bareConcurrency: bestBare.concurrency,
    intake: mainRun.perSecond,
    intakeRatio: ratio,
    ...(timers ? { timers, timerRatio } : {}),
    callsPerCase,
    load: [loadAtStart, loadavg()[0]],
  };
}

const INTAKE_TARGET = 0.8;
const TIMER_TARGET = 0.9;

/** The section: the modes side by side against issue 17's targets, then each mode's details. */
function composeSection(command: string, results: ModeResult[]): string {
  const total = (t: TimerPhase) => Object.values(t.calls).reduce((a, b) => a + b, 0) / Math.max(1, t.fired);
  const rows = results.map(
    (r) =>
      `| ${r.mode === 'memory' ? 'in memory' : 'on disk (durable)'} | ${fmt(r.bare)} (concurrency ${r.bareConcurrency}) | ${fmt(r.intake)} | **${r.intakeRatio.toFixed(2)}** | ` +
      `${r.timers ? `${fmt(r.timers.perSecond, 1)} (${fmt(r.timers.fired)} in ${r.timers.seconds.toFixed(0)} s)` : '—'} | ${r.timerRatio !== undefined ? `**${r.timerRatio.toFixed(2)}**` : '—'} | ` +
      `${r.callsPerCase} | ${r.timers ? `${operations(r.timers.calls, r.timers.fired)} (${total(r.timers).toFixed(2)})` : '—'} | ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)} |`,
  );
  const lines: string[] = [];
  for (const r of results) {
    const name = r.mode === 'memory' ? 'In memory' : 'On disk';
    lines.push(
      `${name}: intake ${r.intakeRatio.toFixed(2)} of bare (target ≥ ${INTAKE_TARGET.toFixed(2)}: ${r.intakeRatio >= INTAKE_TARGET ? 'met' : 'not met'})` +
        (r.timerRatio !== undefined ? `, fired timers ${r.timerRatio.toFixed(2)} of bare (target ≥ ${TIMER_TARGET.toFixed(2)}: ${r.timerRatio >= TIMER_TARGET ? 'met' : 'not met'})` : '') +
        '.',
    );
  }
  const memory = results.find((r) => r.mode === 'memory');
  const disk = results.find((r) => r.mode === 'disk');
  if (memory && disk) {
    const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;
    lines.push(
      `Durable against in memory: bare writes ${pct(disk.bare, memory.bare)}, intake ${pct(disk.intake, memory.intake)}` +
        (disk.timers && memory.timers ? `, fired timers ${pct(disk.timers.perSecond, memory.timers.perSecond)}` : '') +
        ` of the in-memory rate: a simulation on the durable table runs at that share of the in-memory speed wherever DynamoDB Local bounds it.`,
    );
  }
  const anyTimers = results.find((r) => r.timers);
  if (anyTimers?.timers) {
    lines.push(
      `What a fired timer costs today: ${total(anyTimers.timers).toFixed(2)} DynamoDB calls (${operations(anyTimers.timers.calls, anyTimers.timers.fired)}) — ` +
        'the timeout step reads the case with its timeline in one query, writes the step (state, events, counters) in a transaction and dispatches ' +
        'the notifications from what it read and wrote; the next wait writes its task token (docs/workflow.md: how that write could join the step\'s transaction).',
    );
  }
  return `## Intake and fired timers under load (\`${command}\`)

Issue 17's targets, as ratios measured in one run (the bare rate, intake and the clock advance in the same process against the same
DynamoDB Local): intake ≥ ${INTAKE_TARGET.toFixed(2)} of bare TransactWriteItems, fired timers per second ≥ ${TIMER_TARGET.toFixed(2)} of it.

| DynamoDB Local | bare writes/s | intake cases/s | intake / bare | fired timers/s | timers / bare | DynamoDB calls per case (intake) | per fired timer | load average (1 min), start → end |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${lines.join('\n')}

${results.map((r) => r.body).join('\n\n')}`;
}

main().catch(async (error: Error) => {
  console.error(error);
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  process.exit(1);
});

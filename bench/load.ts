import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
 * npm run bench:load [-- --seconds 60] [--connections N (skips the search)] [--probe-seconds 10]
 *                       [--bare-concurrency 8,16,32,64] [--search 4,8,16,32,64] [--no-write (print only)]
 * A quick look: npm run bench:load -- --seconds 10
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      connections: { type: 'string' },
      'probe-seconds': { type: 'string' },
      'bare-concurrency': { type: 'string', default: '8,16,32,64' },
      search: { type: 'string', default: '4,8,16,32,64' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const probeSeconds = Number(values['probe-seconds'] ?? Math.min(10, seconds));
  const fixedConnections = values.connections === undefined ? undefined : Number(values.connections);
  const bareLevels = list(values['bare-concurrency']);
  const searchLevels = list(values.search);
  if (!(seconds > 0) || !(probeSeconds > 0) || (fixedConnections !== undefined && !(fixedConnections > 0)) || !bareLevels.length || !searchLevels.length) {
    throw new Error('usage: bench/load.ts [--seconds 60] [--connections N] [--probe-seconds 10] [--bare-concurrency 8,16,32,64] [--search 4,8,16,32,64] [--no-write]');
  }
  const command = ['npm run bench:load', ...(process.argv.slice(2).length ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  // Before the stack's modules load: the logger takes its level when it is created.
  process.env.LOG_LEVEL = 'silent';
  const { startLocalStack } = await import('../local/stack');
  const log = (line: string) => console.log(`[load] ${line}`);

  const root = await mkdtemp(join(tmpdir(), 'lr-load-'));
  const dynamoPort = await freePort();
  const dynamoDb = await startDynamoDbLocal({ port: dynamoPort });
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
  let countCalls = false;
  stackDynamoDb().middlewareStack.add(
    (next, context) => async (args) => {
      if (countCalls) dynamoCalls.set(context.commandName ?? '?', (dynamoCalls.get(context.commandName ?? '?') ?? 0) + 1);
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
  const intake = async (tag: string, connections: number, runSeconds: number): Promise<IntakeRun> => {
    const cpu = cpuMeter(jvm);
    const output = await runClient({ url: stack.url, tokens, tag, connections, seconds: runSeconds });
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
      `  ${connections} connections, ${runSeconds} s: ${fmt(run.perSecond)} cases/s (${fmt(run.sustainedPerSecond)}/s with ${drainSeconds.toFixed(1)} s drain), ` +
        `p50 ${output.latency.p50} ms, p99 ${output.latency.p99} ms, non-2xx ${output.non2xx}, errors ${output.errors}; ` +
        `CPU: stack thread ${share.stackThread.toFixed(2)}, node ${share.nodeProcess.toFixed(2)}, JVM ${share.jvm.toFixed(2)}, others ${share.others.toFixed(2)} cores`,
    );
    return run;
  };

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
  countCalls = true;
  const mainRun = await intake('main', connections, seconds);
  countCalls = false;
  // The bare write once more, now that the JVM has also run intake: the limit is the better of the two.
  const bareAfter = await bareRun(bareStore, templates, bestBefore.concurrency, probeSeconds, jvm);
  log(
    `bare TransactWriteItems after intake, concurrency ${bareAfter.concurrency}: ${fmt(bareAfter.perSecond)} writes/s, p99 ${bareAfter.p99.toFixed(1)} ms; ` +
      `CPU: node ${bareAfter.cpu.nodeProcess.toFixed(2)}, JVM ${bareAfter.cpu.jvm.toFixed(2)}, others ${bareAfter.cpu.others.toFixed(2)} cores`,
  );
  const bestBare = bareAfter.perSecond > bestBefore.perSecond ? bareAfter : bestBefore;

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
  await Promise.all(
    Array.from({ length: 4 }, async (_, segment) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: 4,
            ProjectionExpression: 'pk, sk, id, description, caseId, pendingTask',
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          if (item.sk === 'CASE') cases.set(item.id as string, { description: item.description as string, pendingTask: item.pendingTask !== undefined });
          else if (item.sk === 'IDEMPOTENCY') idempotency.set(String(item.pk).split('#').slice(2).join('#'), item.caseId as string);
          else if (String(item.sk).startsWith('EVENT#')) {
            eventItems += 1;
            if (item.sk === 'EVENT#000001') firstEvents.add(String(item.pk).slice('CASE#'.length));
          }
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }),
  );
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
    ['bare writes that failed (the denominator is sound)', [...bare, bareAfter].every((b) => b.failed === 0), String([...bare, bareAfter].reduce((sum, b) => sum + b.failed, 0))],
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
  const body = `## Intake under load (\`${command}\`)

\`POST /v1/cases\` against the local stack (HTTP API with JWT check, the create-case handler, DynamoDB Local in memory,
the local Step Functions starting one execution per case), closed loop with autocannon in a worker thread; every request
a new case with its own Idempotency-Key, ${communities.length} communities × ${CATEGORY_IDS.length} categories. The virtual clock is frozen (time scale 0), so no
timer fires: each execution runs to its first wait (sign-off) and stays there.
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
  if (!values['no-write']) writeSection('load', body);
  console.log(`\n${body}`);
  if (!ok) {
    console.error('load: verification FAILED');
    process.exitCode = 1;
  }
}

main().catch(async (error: Error) => {
  console.error(error);
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  process.exit(1);
});

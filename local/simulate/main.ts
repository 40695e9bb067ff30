/**
 * `npm run simulate -- --preset yichang-2011`: a preset's months replayed through the local stack
 * (its HTTP API, case workflows, timers and monthly reports on the virtual clock), then the
 * reports the system produced printed beside the source's figures. docs/simulation.md.
 *
 * The simulation starts the stack in its own process rather than attaching to a running
 * `npm start`: it must hold the virtual clock still and move it itself, and a running stack's
 * clock follows real time. Stop `npm start` first; afterwards `npm start` shows what was replayed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { monthOf, nextMonth } from '../../functions/domain/assessment-period';
import { toShanghaiIso } from '../../functions/domain/calendar';
import { loadOrCreateServiceCredentials } from '../credentials';
import { startDynamoDbLocal, type RunningDynamoDb } from '../dynamodb';
import { loadOrCreateKeys, signToken } from '../jwt';
import { localSettings } from '../settings';
import { startLocalStack, type LocalStack } from '../stack';
import { expectedFigures, expectedMediation, planSimulation, type MediationFigures, type Plan } from './plan';
import { parseSimulationOptions, resolvePreset, SimulationInputError, type Preset, type SimulationOptions } from './preset';
import { runPlan, type RunResult, type SimulationTarget } from './runner';
import { readMediationFigures, sectorRows, stillOpen } from './sector';
import { formatTable, tableRows, type SimulatedFigures } from './table';
import type { Counts } from '../../functions/domain/assessment';

type Print = (line: string) => void;

const DEFAULT_CONCURRENCY = 16;

/** Reads the reports the system produced: the period's (city row) and each month's own. */
export async function readSimulatedFigures(target: SimulationTarget, months: readonly string[]): Promise<SimulatedFigures> {
  const token = await target.tokenFor('supervision-centre', 'supervisor');
  const get = async (path: string) => {
    const response = await fetch(`${target.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as any;
    if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${body?.detail ?? ''}`);
    return body;
  };
  const period = await get(`/v1/reports?from=${months[0]}&to=${months[months.length - 1]}`);
  let received = 0;
  let resolved = 0;
  for (const month of months) {
    const answer = await get(`/v1/reports/${month}`);
    received += answer.city.received;
    resolved += answer.city.resolved;
  }
  return { city: period.city as Counts, monthly: { received, resolved } };
}

/** Whether the stack's table holds any case. */
async function holdsCases(tableName: string): Promise<boolean> {
  const client = new DynamoDBClient({});
  try {
    let start: Record<string, any> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: tableName, FilterExpression: 'sk = :case', ExpressionAttributeValues: { ':case': { S: 'CASE' } }, ProjectionExpression: 'pk', Limit: 1000, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      if ((page.Items ?? []).length > 0) return true;
      start = page.LastEvaluatedKey;
    } while (start);
    return false;
  } finally {
    client.destroy();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const duration = (ms: number) => (ms < 60_000 ? seconds(ms) : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

export function printTimings(result: RunResult, print: Print): void {
  const t = result.timings;
  const other = result.elapsedMs - t.intakeMs - t.actionsMs - t.clockMs - t.reportsMs;
  print(`time: ${duration(result.elapsedMs)} end to end — intake ${seconds(t.intakeMs)} (${result.created.toLocaleString('en')} cases, ${(result.created / Math.max(t.intakeMs / 1000, 0.001)).toFixed(0)}/s), other actions ${seconds(t.actionsMs)} (${result.actions.toLocaleString('en')}), clock advance ${seconds(t.clockMs)} (${result.firedTimers.toLocaleString('en')} timers fired, ${(result.firedTimers / Math.max(t.clockMs / 1000, 0.001)).toFixed(0)}/s), monthly reports ${seconds(t.reportsMs)}, other ${seconds(other)}`);
  const kinds = Object.entries(result.byKind)
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(([kind, k]) => `${kind} ${k.count.toLocaleString('en')} × ${(k.ms / Math.max(k.count, 1)).toFixed(0)} ms`);
  print(`  ${result.slots.toLocaleString('en')} slots; each kind of step sent, by summed latency: ${kinds.join(', ')}`);
}

export function printComparison(preset: Preset, plan: Plan, figures: SimulatedFigures, print: Print): boolean {
  const reference = preset.seedFigures;
  const expected = expectedFigures(plan, plan.endMs);
  const rows = tableRows(reference ?? expected, figures);
  print('');
  print(reference ? `The seed's figures and the system's own reports (${plan.months[0]} to ${plan.months[plan.months.length - 1]}):` : `What the plan expected and the system's own reports (${plan.months[0]} to ${plan.months[plan.months.length - 1]}):`);
  for (const line of formatTable(rows, reference ? 'seed' : 'planned')) print(`  ${line}`);
  return rows.every((row) => row.within !== false);
}

/** The mediation bodies a preset refers cases to, the sector's body first. */
export function mediationBodies(preset: Preset): string[] {
  const bodies = new Set<string>(preset.sectorFigures ? [preset.sectorFigures.body] : []);
  for (const body of Object.values(preset.mediation?.bodies ?? {})) bodies.add(body!);
  return [...bodies];
}

const mediationLine = (f: MediationFigures) =>
  `${f.received.toLocaleString('en')} received, ${f.mediated.toLocaleString('en')} mediated, ${f.declined} declined, ${f.agreements.toLocaleString('en')} agreements, ${f.failed} failed, ${stillOpen(f)} still open, ${f.fulfilled.toLocaleString('en')} carried out, ${f.amountYuan.toLocaleString('en')} yuan`;

/**
 * The mediation part of the comparison, from GET /v1/statistics/mediation: for the sector's body
 * the source's figures beside the system's (with the difference and the bound), and for every
 * body the plan's expectation beside the system's. True when every bounded row is within.
 */
export function printMediation(preset: Preset, plan: Plan, figures: ReadonlyMap<string, MediationFigures>, print: Print): boolean {
  let ok = true;
  for (const [body, system] of figures) {
    const planned = expectedMediation(plan, body);
    print('');
    print(`Mediation by ${body} (GET /v1/statistics/mediation, ${plan.months[0]} to ${plan.months[plan.months.length - 1]}):`);
    print(`  the plan expected: ${mediationLine(planned)}`);
    print(`  the system counts: ${mediationLine(system)}`);
    const same = (Object.keys(planned) as Array<keyof MediationFigures>).every((k) => planned[k] === system[k]);
    if (!same) {
      print('  the system differs from the plan');
      ok = false;
    }
    const sector = preset.sectorFigures;
    if (sector?.body === body) {
      const rows = sectorRows(sector, system);
      print('');
      print(`The sector's figures and the system's own statistics: ${sector.source}`);
      for (const line of formatTable(rows, 'seed')) print(`  ${line}`);
      ok &&= rows.every((row) => row.within !== false);
    }
  }
  return ok;
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'error';
  let options: SimulationOptions;
  let preset: Preset;
  let plan: Plan;
  try {
    // `--cases -5` is a negative size to refuse with its bound, not an option missing its value.
    const argv = process.argv.slice(2);
    const args = argv.flatMap((arg, i) => (/^--(cases|months|seed|speed)$/.test(arg) && /^-\d/.test(argv[i + 1] ?? '') ? [] : /^-\d/.test(arg) && /^--(cases|months|seed|speed)$/.test(argv[i - 1] ?? '') ? [`${argv[i - 1]}=${arg}`] : [arg]));
    const { values } = parseArgs({
      args,
      options: {
        preset: { type: 'string' },
        cases: { type: 'string' },
        months: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        add: { type: 'boolean' },
        'in-memory': { type: 'boolean' },
      },
      allowNegative: false,
      strict: true,
    });
    options = parseSimulationOptions(values);
    preset = resolvePreset(options);
    plan = planSimulation(preset);
  } catch (error) {
    const message = (error as Error).message;
    throw new SimulationInputError((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? `${message} (see docs/simulation.md)` : message);
  }

  const settings = localSettings();
  if (!settings.dynamoDbEndpoint) {
    try {
      execFileSync('java', ['-version'], { stdio: 'ignore' });
    } catch {
      throw new SimulationInputError('DynamoDB Local needs Java 17: run `sh scripts/ensure-java.sh`.');
    }
  }
  const url = `http://127.0.0.1:${settings.port}`;
  const running = await fetch(`${url}/health`).then(
    () => true,
    () => false,
  );
  if (running) {
    throw new SimulationInputError(`Something already answers on ${url} (npm start?). Stop it first: the simulation runs the stack in its own process, to hold and move its virtual clock; afterwards npm start shows what was replayed.`);
  }

  const print: Print = (line) => console.log(line);
  print(`simulate ${options.preset}: ${preset.cases.toLocaleString('en')} cases over ${preset.months} months from ${preset.start}, seed ${preset.seed}; ${plan.steps.toLocaleString('en')} planned actions`);
  const planned = expectedFigures(plan, plan.endMs);
  print(`the plan expects: ${planned.received.toLocaleString('en')} received, ${planned.resolved.toLocaleString('en')} resolved, ${planned.resolvedInCommunity.toLocaleString('en')} in the community, ${planned.satisfied.toLocaleString('en')} satisfied, ${planned.urges} urged`);
  for (const body of mediationBodies(preset)) print(`the plan expects of ${body}: ${mediationLine(expectedMediation(plan, body))}`);

  // In memory: DynamoDB Local without a data folder and the stack's other state in a temporary one; nothing is left behind.
  let temporary: string | undefined;
  let memoryDb: RunningDynamoDb | undefined;
  if (options.inMemory) {
    temporary = await mkdtemp(join(tmpdir(), 'lr-simulate-'));
    memoryDb = await startDynamoDbLocal({ port: settings.dynamoDbPort, sharedDb: false, credentials: await loadOrCreateServiceCredentials(settings.keysDir) });
  }
  const stateDir = temporary ?? settings.stateDir;
  const start = (startMs: number, reset = false) =>
    startLocalStack({
      port: settings.port,
      stateDir,
      keysDir: settings.keysDir,
      tableName: settings.tableName,
      dynamoDbPort: settings.dynamoDbPort,
      ...(memoryDb ? { dynamoDbEndpoint: memoryDb.endpoint } : settings.dynamoDbEndpoint ? { dynamoDbEndpoint: settings.dynamoDbEndpoint } : {}),
      timeScale: 0,
      startMs,
      reset,
      housekeepingSeconds: 0,
      print: (line) => {
        if (line.startsWith('error') || line.startsWith('report')) print(`  ${line}`);
      },
    });

  let stack: LocalStack = await start(plan.startMs);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stack.stop();
    await memoryDb?.stop();
    if (temporary) await rm(temporary, { recursive: true, force: true });
  };
  try {
    if (await holdsCases(settings.tableName)) {
      if (!options.add) {
        throw new SimulationInputError(`The stack in ${settings.stateDir} holds cases already. Add the simulated ones to them with --add, or start empty with \`npm start -- --reset\` (stop it) or --in-memory.`);
      }
      // Added to what is there: the replay starts with the month after the clock's.
      const startMonth = nextMonth(monthOf(stack.clock.now()));
      plan = planSimulation({ ...preset, start: startMonth });
      print(`adding to the cases already in the stack: the replay starts in ${startMonth}`);
    } else if (stack.clock.now() > plan.startMs) {
      // Nothing to keep, but a clock past the start: the virtual clock never goes back, so the state starts afresh.
      await stack.stop();
      stack = await start(plan.startMs, true);
    }

    const keys = await loadOrCreateKeys(settings.keysDir);
    const target: SimulationTarget = { url: stack.url, tokenFor: (unit, role) => signToken(keys, { sub: `simulate@${unit}`, unit, role }) };
    const abort = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts += 1;
      if (interrupts > 1) process.exit(130);
      print('\nstopping after the actions in flight… (Ctrl-C again to quit at once)');
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    const tty = process.stdout.isTTY;
    const result = await runPlan(plan, target, {
      concurrency: options.speed ?? DEFAULT_CONCURRENCY,
      signal: abort.signal,
      runId: `${preset.seed}-${plan.months[0]}-${Date.now().toString(36)}`,
      progressEveryMs: tty ? 1000 : 10_000,
      onProgress: (p) => {
        const line = `${p.month}  cases ${p.created.toLocaleString('en')}/${p.totalCases.toLocaleString('en')}  actions ${p.stepsDone.toLocaleString('en')}/${p.totalSteps.toLocaleString('en')}  timers ${p.firedTimers.toLocaleString('en')}  ${p.stepsPerSecond.toFixed(0)} steps/s  ${p.etaMs === undefined ? '' : `ETA ${duration(p.etaMs)}`}`;
        if (tty) process.stdout.write(`\r${line.padEnd(110)}`);
        else print(line);
      },
    });
    if (tty) process.stdout.write('\n');
    process.off('SIGINT', onSigint);

    if (!result.completed) {
      print(`stopped at ${toShanghaiIso(result.reachedMs)} (virtual): ${result.created.toLocaleString('en')} of ${plan.cases.length.toLocaleString('en')} cases created, ${result.actions.toLocaleString('en')} actions sent. What was sent is applied and stays in the stack; npm start continues from there.`);
      printTimings(result, print);
      process.exitCode = 130;
      return;
    }
    if (result.failures > 0) {
      print(`${result.failures} action(s) refused; those cases were left to the system's timers. First ones:`);
      for (const sample of result.failureSamples) print(`  ${sample}`);
    }
    const reportsStarted = performance.now();
    const figures = await readSimulatedFigures(target, plan.months);
    let ok = printComparison(preset, plan, figures, print);
    if (preset.mediation) {
      const mediation = new Map<string, MediationFigures>();
      for (const body of mediationBodies(preset)) mediation.set(body, await readMediationFigures(target, plan.months, body));
      ok = printMediation(preset, plan, mediation, print) && ok;
    }
    print('');
    printTimings(result, print);
    print(`reading the reports: ${seconds(performance.now() - reportsStarted)}`);
    print(
      options.inMemory
        ? 'In memory: nothing is left behind.'
        : `The replayed months stay in the stack (${stateDir}): npm start shows them in the console and GET /v1/reports/${plan.months[plan.months.length - 1]}.`,
    );
    if (!ok) process.exitCode = 2;
  } finally {
    await stop();
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error instanceof SimulationInputError ? `simulate: ${error.message}` : error.stack ?? error.message);
    process.exit(error instanceof SimulationInputError ? 64 : 1);
  });
}

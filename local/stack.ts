import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { useClockSource } from '../functions/commons/clock';
import { caseWorkflowSubstitutions, readCaseWorkflowDefinition, substitute } from '../statemachines/definitions';
import { createApiListener, readBody, sendProblem } from './api-server';
import { VirtualClock } from './clock';
import { LocalSns, type HttpSubscriber } from './sns';
import { LocalOutbox } from './notifications';
import { defaultContacts } from '../functions/domain/notifications/contacts';
import { notificationSender, useNotificationLog, useNotificationSender } from '../functions/notify/sender';
import { LocalStepFunctions } from './stepfunctions/service';
import type { ExecutionLimits } from './stepfunctions/interpreter';
import { createStepFunctionsRequestListener } from './stepfunctions/http';
import { adoptSharedDatabase, ensureCasesTable, dynamoDbClient, startDynamoDbLocal, LOCAL_REGION, type RunningDynamoDb } from './dynamodb';
import { loadOrCreateKeys } from './jwt';
import { loadOrCreateServiceCredentials } from './credentials';
import { guardRequest } from './request-guards';
import { invokeLocalFunction, localFunctionArn } from './functions';
import { createConsoleListener } from './console-files';
import { startLocalReports } from './report-schedule';
import { sweepOutbox as sweep, type SweepResult } from '../functions/housekeeping/outbox-sweeper';
import { erasePastRetention, type RetentionResult } from '../functions/housekeeping/personal-data-retention';

/*
 * The whole system on one machine: DynamoDB Local, the case workflow's ASL on the local Step
 * Functions service, the local SNS, the HTTP API, and one virtual clock under all of them.
 * The handlers are the deployed ones; only endpoints, credentials and the clock differ.
 */
export interface LocalStackOptions {
  readonly port: number;
  readonly stateDir: string;
  readonly keysDir: string;
  readonly tableName: string;
  /** Use a DynamoDB that is already running (tests); otherwise start DynamoDB Local on this port. */
  readonly dynamoDbEndpoint?: string;
  readonly dynamoDbPort?: number;
  /** Virtual ms per real ms; 0 freezes virtual time (tests move it with the clock endpoint). */
  readonly timeScale: number;
  /** Where a new (or reset) stack's clock starts. Default: now. */
  readonly startMs?: number;
  readonly reset?: boolean;
  readonly subscribers?: readonly HttpSubscriber[];
  readonly print?: (line: string) => void;
  /**
   * Real seconds between housekeeping runs: the outbox sweep (cases whose workflow did not start,
   * alerts SNS refused) and the retention job (on virtual time); 0: only at start-up and on demand. Default 10.
   */
  readonly housekeepingSeconds?: number;
  /** AWS's limits on an execution (one year, 25,000 events), smaller for tests; `false` for none. Default: AWS's. */
  readonly executionLimits?: Partial<ExecutionLimits> | false;
}

export interface LocalStack {
  readonly url: string;
  readonly clock: VirtualClock;
  readonly stepFunctions: LocalStepFunctions;
  readonly sns: LocalSns;
  /** The local SMS, email and webhook provider: every notification delivered (GET /_local/notifications). */
  readonly outbox: LocalOutbox;
  readonly caseWorkflowArn: string;
  /** One outbox sweep now, as the scheduled sweeper does in AWS every minute. */
  sweepOutbox(): Promise<SweepResult>;
  /** One run of the retention job now, as it runs in AWS every night. */
  erasePersonalDataPastRetention(): Promise<RetentionResult>;
  stop(): Promise<void>;
}

export const LOCAL_ALERT_TOPIC_ARN = `arn:aws:sns:${LOCAL_REGION}:000000000000:linked-resolution-alerts`;
const AdvanceBodySchema = z.strictObject({ seconds: z.number().min(0).max(10 * 366 * 86400) });

/** The HTTP subscribers for local alerts: local/subscribers.json when present. */
export function readSubscribers(file = join(__dirname, 'subscribers.json')): HttpSubscriber[] {
  if (!existsSync(file)) return [];
  const parsed = z
    .object({ subscribers: z.array(z.object({ url: z.url(), filter: z.record(z.string(), z.array(z.string())).optional() })) })
    .parse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.subscribers;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const print = options.print ?? (() => undefined);
  if (options.reset) await rm(options.stateDir, { recursive: true, force: true });
  await mkdir(options.stateDir, { recursive: true });

  // The stack's own credentials: its functions sign with them, its endpoints accept no others.
  const serviceCredentials = await loadOrCreateServiceCredentials(options.keysDir);

  // DynamoDB first: everything else keeps its state there or beside it. Its own DynamoDB Local keeps the
  // tables under the stack's key id, out of reach of callers without it (see startDynamoDbLocal).
  let dynamoDb: RunningDynamoDb | undefined;
  let dynamoDbEndpoint = options.dynamoDbEndpoint;
  if (!dynamoDbEndpoint) {
    const dataDir = join(options.stateDir, 'dynamodb');
    if (adoptSharedDatabase(dataDir, serviceCredentials.accessKeyId)) print('DynamoDB Local: the tables of this data folder now live under the stack\'s own key');
    dynamoDb = await startDynamoDbLocal({ port: options.dynamoDbPort ?? 8000, dataDir, sharedDb: false, credentials: serviceCredentials });
    dynamoDbEndpoint = dynamoDb.endpoint;
  }
  const admin = dynamoDbClient(dynamoDbEndpoint, serviceCredentials);
  await ensureCasesTable(admin, options.tableName);
  admin.destroy();

  // The virtual clock resumes where it stopped, so a restart loses no virtual time and skips none. Every
  // instant is on disk before the clock reaches it (a mark a few seconds ahead while it runs), so even
  // after a kill -9 it resumes at or after every time it stamped on a case, never before.
  const clockFile = join(options.stateDir, 'clock.json');
  const saved = await readFile(clockFile, 'utf8').then(
    (text) => JSON.parse(text) as { nowMs: number; durableUntilMs?: number },
    () => undefined,
  );
  const savedNow = saved ? Math.max(saved.nowMs, saved.durableUntilMs ?? saved.nowMs) : undefined;
  const writeClockFile = (nowMs: number, durableUntilMs: number) => {
    const temporary = `${clockFile}.tmp`;
    writeFileSync(temporary, JSON.stringify({ nowMs, durableUntilMs }));
    renameSync(temporary, clockFile);
  };
  let clock: VirtualClock | undefined;
  // Many cases' timers may fire at once: each execution's steps overlap their DynamoDB round trips.
  clock = new VirtualClock({
    startMs: savedNow ?? options.startMs ?? Date.now(),
    timeScale: options.timeScale,
    maxConcurrentTimers: 32,
    // Each execution's timers touch only its own case; anything else (the report schedule) waits for them.
    isIndependent: (timer) => timer.key.startsWith('sfn:'),
    reserve: (untilMs) => writeClockFile(clock?.now() ?? untilMs, untilMs),
    // Five real seconds of virtual time ahead while the clock runs; exactly the target of each advance when frozen.
    reserveAheadMs: () => Math.round((clock?.timeScale ?? options.timeScale) * 5000),
  });
  const saveClock = async () => {
    if (clock) writeClockFile(clock.now(), clock.durableUntil);
  };
  useClockSource(() => clock.now());

  const url = `http://127.0.0.1:${options.port}`;
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: serviceCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: serviceCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDbEndpoint,
    // The local Step Functions service answers on the API's own port (it is told apart by X-Amz-Target).
    AWS_ENDPOINT_URL_SFN: url,
    CASES_TABLE: options.tableName,
    ALERT_TOPIC_ARN: LOCAL_ALERT_TOPIC_ARN,
  });

  const sns = new LocalSns({
    file: join(options.stateDir, 'alerts.jsonl'),
    subscribers: options.subscribers ?? [],
    print,
    now: () => clock.now(),
  });
  await sns.open();
  // Contacts are checked before anything runs: a bad phone, address or URL stops the start, naming its unit.
  defaultContacts();
  const outbox = new LocalOutbox({ file: join(options.stateDir, 'notifications.jsonl'), now: () => clock.now(), print });
  useNotificationSender(outbox);
  useNotificationLog(outbox);

  const stepFunctions = new LocalStepFunctions({
    dataDir: join(options.stateDir, 'stepfunctions'),
    clock,
    region: LOCAL_REGION,
    integrations: {
      invokeLambda: invokeLocalFunction,
      publishSns: (params) => sns.publish(params),
    },
    ...(options.executionLimits !== undefined ? { limits: options.executionLimits } : {}),
  });
  await stepFunctions.open();
  const definition = substitute(
    readCaseWorkflowDefinition(),
    caseWorkflowSubstitutions({ workflowFunctionArn: localFunctionArn('case-workflow'), alertTopicArn: LOCAL_ALERT_TOPIC_ARN }),
  );
  // Create, or update to the file's current definition: the local stack always runs the ASL on disk.
  const { stateMachineArn: caseWorkflowArn } = stepFunctions.deployStateMachine({
    name: 'case-workflow',
    definition,
    roleArn: `arn:aws:iam::000000000000:role/case-workflow`,
  });
  process.env.CASE_WORKFLOW_ARN = caseWorkflowArn;
  // The monthly assessment: its state machine, and its schedule on the virtual clock (01:00 on the 1st).
  const reports = await startLocalReports({ clock, stateDir: options.stateDir, alertTopicArn: LOCAL_ALERT_TOPIC_ARN, publishSns: (params) => sns.publish(params), print });

  const keys = await loadOrCreateKeys(options.keysDir);
  const api = createApiListener(keys);
  const sfnListener = createStepFunctionsRequestListener(stepFunctions, { credentials: serviceCredentials, region: LOCAL_REGION });
  // The supervision console (console/dist) under /console/, and its local sign-in.
  const consoleFiles = createConsoleListener({ keys });

  const localControls = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (path === '/_local/clock' && req.method === 'GET') {
      sendJson(res, 200, { now: new Date(clock.now()).toISOString(), nowMs: clock.now(), timeScale: clock.timeScale, pendingTimers: clock.pending().length });
      return true;
    }
    if (path === '/_local/clock/advance' && req.method === 'POST') {
      const raw = await readBody(req, 4096);
      let parsed: z.ZodSafeParseResult<{ seconds: number }>;
      try {
        parsed = AdvanceBodySchema.safeParse(JSON.parse(raw?.toString('utf8') || 'null'));
      } catch {
        sendProblem(res, 400, 'Bad Request', 'The body is not valid JSON: send {"seconds": N}.');
        return true;
      }
      if (!parsed.success) {
        sendProblem(res, 400, 'Bad Request', 'Send {"seconds": N} with N between 0 and ten years.');
        return true;
      }
      await stepFunctions.idle();
      const { fired } = await clock.advance(parsed.data.seconds * 1000);
      await stepFunctions.idle();
      await saveClock();
      sendJson(res, 200, { now: new Date(clock.now()).toISOString(), nowMs: clock.now(), fired });
      return true;
    }
    if (path === '/_local/alerts' && req.method === 'GET') {
      const params = new URL(req.url ?? '/', url).searchParams;
      const filter = { caseId: params.get('caseId') ?? undefined, type: params.get('type') ?? undefined };
      sendJson(res, 200, { items: (await sns.list(filter)).map((m) => ({ ...m.message as object, messageId: m.messageId, attributes: m.attributes })) });
      return true;
    }
    if (path === '/_local/notifications' && req.method === 'GET') {
      const params = new URL(req.url ?? '/', url).searchParams;
      const filter = { to: params.get('to') ?? undefined, unit: params.get('unit') ?? undefined, caseId: params.get('caseId') ?? undefined };
      sendJson(res, 200, { items: outbox.list(filter) });
      return true;
    }
    return false;
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', url).pathname;
    const handle = async () => {
      const refusal = guardRequest({ method: req.method, path, headers: req.headers }, options.port);
      if (refusal) {
        req.resume();
        return sendProblem(res, refusal.status, refusal.title, refusal.detail);
      }
      if (req.headers['x-amz-target']) return sfnListener(req, res);
      if (await localControls(req, res, path)) return;
      if (await consoleFiles(req, res, path)) return;
      if (await api(req, res)) return;
      sendProblem(res, 404, 'Not Found', `No route for ${req.method} ${path}.`);
    };
    handle().catch((error: Error) => {
      print(`error  ${req.method} ${path}: ${error.message}`);
      if (!res.headersSent) sendProblem(res, 500, 'Internal Server Error', 'The local stack could not answer; see its console.');
      else res.end();
    });
  });
  // Requests Node refuses before any handler runs (headers over 16 KiB, broken HTTP) still get a problem document.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const title = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
    const body = JSON.stringify({ type: 'about:blank', title, status, detail: tooLarge ? 'The request line and headers must stay under 16 KiB.' : 'The request is not valid HTTP.' });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\ncontent-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${randomUUID()}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  if (options.timeScale > 0) clock.start();

  // Housekeeping: first for whatever a crash left behind, then on a real-time interval.
  // No grace period here: starting an execution that intake is starting too is harmless (same name).
  let sweeping: Promise<SweepResult> | undefined;
  const sweepOutbox = () =>
    (sweeping ??= sweep({ graceSeconds: 0 }, (message) => sns.publish(message)).finally(() => {
      sweeping = undefined;
    }));
  const reportSweep = ({ workflowsStarted, alertsPublished }: SweepResult) => {
    if (workflowsStarted.length) print(`outbox started the workflow of ${workflowsStarted.join(', ')}`);
    if (alertsPublished) print(`outbox published ${alertsPublished} held alert(s)`);
  };
  let erasing: Promise<RetentionResult> | undefined;
  const erasePersonalDataPastRetention = () =>
    (erasing ??= erasePastRetention().finally(() => {
      erasing = undefined;
    }));
  const housekeeping = async () => {
    reportSweep(await sweepOutbox());
    const { erased } = await erasePersonalDataPastRetention();
    if (erased) print(`retention erased the personal data of ${erased} closed case(s)`);
  };
  await housekeeping();
  const sweepSeconds = options.housekeepingSeconds ?? 10;
  const sweeper =
    sweepSeconds > 0 ? setInterval(() => void housekeeping().catch((error: Error) => print(`error  housekeeping: ${error.message}`)), sweepSeconds * 1000) : undefined;
  sweeper?.unref();

  return {
    url,
    clock,
    stepFunctions,
    sns,
    outbox,
    caseWorkflowArn,
    sweepOutbox,
    erasePersonalDataPastRetention,
    stop: async () => {
      clearInterval(sweeper);
      // A run in progress finishes (or fails: it is logged by the interval) before the table goes.
      await Promise.allSettled([sweeping, erasing]);
      clock.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stepFunctions.close();
      await reports.stop();
      await sns.settled();
      await outbox.close();
      if (notificationSender() === outbox) {
        useNotificationSender(undefined);
        useNotificationLog(undefined);
      }
      await saveClock();
      await dynamoDb?.stop();
    },
  };
}

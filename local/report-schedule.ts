/**
 * The monthly report in the local stack: the schedule fires on the virtual clock (one timer,
 * `report:<yyyy-mm>`, at 01:00 Shanghai on the next 1st), and each run executes the very
 * report state machine the CDK stack deploys (statemachines/report.asl.json) on a local Step
 * Functions service, with the report functions run in this process and the stack's local SNS.
 *
 * The report machine gets a Step Functions service of its own, on a clock of its own that
 * follows real time: its only timers are retry back-offs, and keeping them apart means it never
 * touches the timers of the case workflows on the stack's virtual clock. The functions read the
 * virtual clock as every handler does, so report months and cutoffs follow virtual time.
 */
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { nextScheduledRun } from '../functions/domain/assessment-period';
import { toShanghaiIso } from '../functions/domain/calendar';
import { readReportWorkflowDefinition, reportWorkflowSubstitutions, substitute } from '../statemachines/definitions';
import { VirtualClock } from './clock';
import { LOCAL_REGION } from './dynamodb';
import { LocalStepFunctions, type ExecutionDescription, type ServiceIntegrations } from './stepfunctions';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** The report functions by name, as the local ARNs name them. */
const REPORT_FUNCTIONS: Record<string, () => Promise<{ handler: Handler }>> = {
  'report-plan': () => import('../functions/report/plan-run') as unknown as Promise<{ handler: Handler }>,
  'report-segment': () => import('../functions/report/read-segment') as unknown as Promise<{ handler: Handler }>,
  'report-writer': () => import('../functions/report/write-report') as unknown as Promise<{ handler: Handler }>,
};

/** Items per query page in the local stack. */
export const LOCAL_PAGE_SIZE = 500;

const functionArn = (name: string, qualifier?: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${name}${qualifier ? `:${qualifier}` : ''}`;

/** Calls a report function in this process, as lambda:invoke would: JSON in, JSON out, the error's name as its type. */
export async function invokeReportFunction(arn: string, payload: unknown): Promise<unknown> {
  const name = arn.split(':')[6] ?? '';
  const load = REPORT_FUNCTIONS[name];
  if (!load) {
    const error = new Error(`Function not found: ${arn}`);
    error.name = 'Lambda.ResourceNotFoundException';
    throw error;
  }
  const { handler } = await load();
  const context = { functionName: name, invokedFunctionArn: arn, awsRequestId: `local-${Date.now()}`, getRemainingTimeInMillis: () => 900_000 } as Context;
  return JSON.parse(JSON.stringify((await handler(JSON.parse(JSON.stringify(payload ?? null)), context)) ?? null));
}

/**
 * Keeps one timer `report:<yyyy-mm>` on the clock at the next scheduled run (01:00 on the 1st,
 * Shanghai) and, when it fires, runs the report for the month before, then arms the next one.
 * Returns a function that stops the schedule.
 */
export function keepMonthlySchedule(clock: VirtualClock, run: (month: string, scheduledMs: number) => Promise<void>): () => void {
  const arm = () => {
    for (const timer of clock.pending()) if (timer.key.startsWith('report:')) clock.cancel(timer.key);
    const next = nextScheduledRun(clock.now());
    clock.schedule({ key: `report:${next.month}`, at: next.atMs, payload: { month: next.month } });
  };
  arm();
  const detach = clock.onFire(async (timer) => {
    if (!timer.key.startsWith('report:')) return;
    try {
      await run(timer.key.slice('report:'.length), timer.at);
    } finally {
      arm();
    }
  });
  return () => {
    detach();
    for (const timer of clock.pending()) if (timer.key.startsWith('report:')) clock.cancel(timer.key);
  };
}

export interface LocalReportsOptions {
  /** The stack's virtual clock: the schedule fires on it. */
  readonly clock: VirtualClock;
  readonly stateDir: string;
  readonly alertTopicArn: string;
  readonly publishSns: ServiceIntegrations['publishSns'];
  readonly print?: (line: string) => void;
  /** Keep the monthly schedule on the clock (default true). */
  readonly schedule?: boolean;
}

export interface LocalReports {
  readonly stepFunctions: LocalStepFunctions;
  readonly stateMachineArn: string;
  /** Runs the report state machine for a month (or, with a scheduled time, the month before it) and waits for the end. */
  run(request: { month?: string; scheduledTime?: string }): Promise<ExecutionDescription>;
  stop(): Promise<void>;
}

export async function startLocalReports(options: LocalReportsOptions): Promise<LocalReports> {
  const print = options.print ?? (() => undefined);
  process.env.REPORT_DIR = join(options.stateDir, 'reports');
  // DynamoDB Local answers pages of a few hundred items much faster than 1 MB pages (bench/results.md).
  process.env.REPORT_PAGE_SIZE ??= String(LOCAL_PAGE_SIZE);
  const ownClock = new VirtualClock({ startMs: Date.now(), timeScale: 1 });
  ownClock.start();
  const stepFunctions = new LocalStepFunctions({
    dataDir: join(options.stateDir, 'report-stepfunctions'),
    clock: ownClock,
    region: LOCAL_REGION,
    integrations: { invokeLambda: invokeReportFunction, publishSns: options.publishSns },
  });
  await stepFunctions.open();
  const definition = substitute(
    readReportWorkflowDefinition(),
    reportWorkflowSubstitutions({
      planFunctionArn: functionArn('report-plan'),
      segmentFunctionArn: functionArn('report-segment', 'live'),
      writerFunctionArn: functionArn('report-writer'),
      alertTopicArn: options.alertTopicArn,
    }),
  );
  const { stateMachineArn } = stepFunctions.deployStateMachine({
    name: 'monthly-report',
    definition,
    roleArn: 'arn:aws:iam::000000000000:role/monthly-report',
  });

  const run = async (request: { month?: string; scheduledTime?: string }): Promise<ExecutionDescription> => {
    const { executionArn } = await stepFunctions.startExecution({ stateMachineArn, input: JSON.stringify(request) });
    for (;;) {
      const execution = await stepFunctions.describeExecution({ executionArn });
      if (execution.status !== 'RUNNING') return execution;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  const stopSchedule =
    options.schedule === false
      ? () => undefined
      : keepMonthlySchedule(options.clock, async (month, scheduledMs) => {
          const execution = await run({ scheduledTime: new Date(scheduledMs).toISOString() });
          if (execution.status === 'SUCCEEDED') {
            const output = JSON.parse(execution.output ?? '{}') as { report?: { cases: number; csv: string } };
            print(`report ${month}: ${output.report?.cases ?? 0} cases, published at ${toShanghaiIso(scheduledMs)} → ${output.report?.csv ?? ''}`);
          } else {
            print(`report ${month} failed: ${execution.error ?? execution.status} ${execution.cause ?? ''}`);
          }
        });

  return {
    stepFunctions,
    stateMachineArn,
    run,
    stop: async () => {
      stopSchedule();
      await stepFunctions.close();
      ownClock.stop();
    },
  };
}

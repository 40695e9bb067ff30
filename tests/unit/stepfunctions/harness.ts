/** A local Step Functions over a temporary folder, a frozen virtual clock and scripted integrations. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../../local/clock';
import { LocalStepFunctions } from '../../../local/stepfunctions';
import type { ServiceIntegrations } from '../../../local/stepfunctions';
import type { LocalStepFunctionsOptions } from '../../../local/stepfunctions/service';

export const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);
export const ROLE = 'arn:aws:iam::000000000000:role/local-sfn';

export type LambdaHandler = (payload: any) => unknown;

export interface Harness {
  dataDir: string;
  clock: VirtualClock;
  sfn: LocalStepFunctions;
  /** Lambda functions by name (the last part of the function ARN, without qualifier). */
  lambdas: Map<string, LambdaHandler>;
  lambdaCalls: Array<{ functionArn: string; payload: any }>;
  snsMessages: Array<Parameters<ServiceIntegrations['publishSns']>[0]>;
  dynamoCalls: Array<{ action: string; params: unknown }>;
  integrations: ServiceIntegrations;
  /** A new service (and optionally clock) over the same data folder, as after a restart. */
  restart(clock?: VirtualClock): Promise<void>;
  cleanup(): Promise<void>;
}

export function functionName(functionArn: string): string {
  return functionArn.split(':')[6];
}

export async function createHarness(
  opts: { region?: string; dataDir?: string; service?: Pick<LocalStepFunctionsOptions, 'callGraceMs' | 'minCallGraceMs' | 'limits'> } = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sfn-test-'));
  const lambdas = new Map<string, LambdaHandler>();
  const lambdaCalls: Harness['lambdaCalls'] = [];
  const snsMessages: Harness['snsMessages'] = [];
  const dynamoCalls: Harness['dynamoCalls'] = [];
  const integrations: ServiceIntegrations = {
    async invokeLambda(functionArn, payload) {
      lambdaCalls.push({ functionArn, payload });
      const handler = lambdas.get(functionName(functionArn));
      if (!handler) {
        const error = new Error(`Function not found: ${functionArn}`);
        error.name = 'Lambda.ResourceNotFoundException';
        throw error;
      }
      return handler(payload);
    },
    async publishSns(params) {
      snsMessages.push(params);
      return { MessageId: `msg-${snsMessages.length}` };
    },
    async dynamodb(action, params) {
      dynamoCalls.push({ action, params });
      return action === 'getItem' ? { Item: { pk: { S: 'case#1' }, status: { S: 'OPEN' } } } : {};
    },
  };
  const harness: Harness = {
    dataDir,
    clock: new VirtualClock({ startMs: T0, timeScale: 0 }),
    sfn: undefined as unknown as LocalStepFunctions,
    lambdas,
    lambdaCalls,
    snsMessages,
    dynamoCalls,
    integrations,
    async restart(clock) {
      // With a new clock the old service is simply abandoned, as after a crash; on the same clock it must let go of it.
      if (clock) harness.clock = clock;
      else await harness.sfn.close();
      harness.sfn = new LocalStepFunctions({ dataDir, clock: harness.clock, integrations, region: opts.region, ...opts.service });
      await harness.sfn.open();
    },
    async cleanup() {
      await harness.sfn.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  harness.sfn = new LocalStepFunctions({ dataDir, clock: harness.clock, integrations, region: opts.region, ...opts.service });
  await harness.sfn.open();
  return harness;
}

let machineCounter = 0;

export async function deploy(h: Harness, definition: object, name = `machine-${++machineCounter}`): Promise<string> {
  return h.sfn.deployStateMachine({ name, definition: JSON.stringify(definition), roleArn: ROLE }).stateMachineArn;
}

export async function start(h: Harness, stateMachineArn: string, input: unknown = {}, name?: string): Promise<string> {
  const { executionArn } = await h.sfn.startExecution({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) });
  await h.sfn.idle();
  return executionArn;
}

/** Deploys `definition`, runs it on `input` until it waits or ends, and describes it. */
export async function run(h: Harness, definition: object, input: unknown = {}) {
  const executionArn = await start(h, await deploy(h, definition), input);
  return describe(h, executionArn);
}

export async function describe(h: Harness, executionArn: string) {
  const description = await h.sfn.describeExecution({ executionArn });
  return { ...description, result: description.output === undefined ? undefined : JSON.parse(description.output) };
}

export async function history(h: Harness, executionArn: string) {
  return (await h.sfn.getExecutionHistory({ executionArn, maxResults: 1000 })).events;
}

/** A single Pass-free machine around one state, ending right after it. */
export function single(state: Record<string, unknown>): object {
  return { StartAt: 'S', States: { S: { ...state, End: true } } };
}

export async function advance(h: Harness, ms: number): Promise<void> {
  await h.clock.advance(ms);
  await h.sfn.idle();
}

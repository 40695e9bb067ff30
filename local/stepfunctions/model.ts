/**
 * The persisted form of an execution. Everything an execution needs to continue after a restart is
 * in ExecutionRecord: where each thread of control is, what it is waiting for (timer keys and their
 * instants, task tokens, in-flight invocations with their request) and the counters that keep keys
 * and tokens unique. It is plain JSON.
 */
import { randomBytes } from 'node:crypto';
import type { ScopeStep } from './definition';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  formatVersion: 1;
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  roleArn: string;
  /** Key of the definition text the execution started with (updates to the machine do not affect it). */
  definitionHash: string;
  status: ExecutionStatus;
  /** Epoch ms on the virtual clock. */
  startDate: number;
  stopDate?: number;
  /** JSON text, as given to StartExecution. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** History events 1..eventCount belong to the execution; the history file may hold more after a crash. */
  eventCount: number;
  lastEventId: number;
  counters: { timer: number; invocation: number; thread: number; token: number };
  executionTimeout?: { key: string; at: number };
  /** The end of the longest time a standard execution may run (one year in AWS). */
  durationLimit?: { key: string; at: number };
  /** The top-level thread while the execution runs; dropped once it closes. */
  root?: ThreadRecord;
}

/** A thread of control: the top level, one Parallel branch or one Map iteration. */
export interface ThreadRecord {
  id: string;
  /** Where the thread's States container is in the definition. */
  scope: ScopeStep[];
  /** Branch index or iteration index within the parent state. */
  slot: number;
  state: string;
  /** Raw input of the current state. */
  input: unknown;
  status: 'active' | 'succeeded' | 'failed' | 'aborted';
  output?: unknown;
  error?: { error: string; cause: string };
  /** The StateEntered event of the current state has been recorded (retries do not record it again). */
  entered: boolean;
  enteredAt: number;
  /** Retry attempts used per retrier of the current state. */
  retryCounts: number[];
  lastEventId: number;
  step?: StepRecord;
}

export type StepRecord = TaskStep | TimerStep | BranchesStep;

export type Outcome = { ok: true; value: unknown } | { ok: false; error: string; cause: string };

export interface TaskStep {
  kind: 'task';
  /** invoking: the integration call is in flight; submitted: a callback task waits for its token. */
  phase: 'invoking' | 'submitted';
  invocationId: number;
  /** The resolved request, kept so an interrupted call can be made again after a restart. */
  request: unknown;
  token?: string;
  timeoutKey?: string;
  timeoutAt?: number;
  heartbeatSeconds?: number;
  heartbeatKey?: string;
  heartbeatAt?: number;
  /** Set when the task has finished (result, failure, timeout); the state moves on when next driven. */
  outcome?: Outcome;
}

/** A Wait state, or the pause before a retry. */
export interface TimerStep {
  kind: 'wait' | 'retry';
  timerKey: string;
  until: number;
  fired: boolean;
}

export interface BranchesStep {
  kind: 'parallel' | 'map';
  /** Threads started and not yet finished. */
  children: ThreadRecord[];
  results: unknown[];
  total: number;
  /** Map: index of the next iteration to start (iterations start as concurrency allows). */
  nextIndex: number;
  /** Map: input of each iteration not started yet (null once started). */
  pendingInputs: unknown[];
  maxConcurrency: number;
}

/** A history event as stored: timestamp in epoch ms, details under the SDK's `<type>EventDetails` key. */
export interface StoredHistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** Task tokens name their execution, so a callback finds it without any index held in memory. */
export function encodeTaskToken(executionArn: string, seq: number): string {
  const body = JSON.stringify({ v: 1, e: executionArn, n: seq, r: randomBytes(12).toString('hex') });
  return Buffer.from(body, 'utf8').toString('base64url');
}

export function decodeTaskToken(token: unknown): { executionArn: string } | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; e?: unknown; n?: unknown };
    if (parsed.v === 1 && typeof parsed.e === 'string' && typeof parsed.n === 'number') return { executionArn: parsed.e };
  } catch {
    // not one of ours
  }
  return undefined;
}

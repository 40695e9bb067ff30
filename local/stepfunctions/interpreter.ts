/**
 * Runs one execution of a state machine over its ExecutionRecord.
 *
 * The runner never awaits. Everything that takes time is a wait recorded in the thread tree: an
 * integration call in flight, a task token, a timer on the virtual clock. Something arriving (a call's
 * result, a callback, a timer) is recorded on the waiting step, then drive() moves every thread as far
 * as it can go. Because the record is plain data and each of these steps is synchronous, the service
 * can persist the record after every step and resume it exactly after a restart.
 *
 * Parallel branches and Map iterations are child threads inside their state's step, so waits inside
 * them are as durable as waits at the top level.
 */
import { chooseNext, parseTimestamp } from './choice';
import { applyInputPath, applyOutputPath, applyResultPath, readPath, resolveDynamicValue, resolveTemplate } from './dataflow';
import { resolveContainer, type Retrier, type ScopeStep, type StateDefinition, type StateMachineDefinition } from './definition';
import { StatesError, STATES_RUNTIME } from './errors';
import { describeResource, parseResource, type AwsLocation, type TaskResource } from './integrations';
import {
  encodeTaskToken,
  type BranchesStep,
  type ExecutionRecord,
  type ExecutionStatus,
  type Outcome,
  type StepRecord,
  type StoredHistoryEvent,
  type TaskStep,
  type ThreadRecord,
} from './model';

export interface InvocationRequest {
  invocationId: number;
  resource: TaskResource;
  request: unknown;
}

/** What the runner needs from the service around it. */
export interface RunnerHost {
  now(): number;
  readonly location: AwsLocation;
  appendEvent(event: StoredHistoryEvent): void;
  scheduleTimer(key: string, at: number): void;
  cancelTimer(key: string): void;
  /** Called while the record is being changed; the service starts the call only after persisting the record. */
  requestInvocation(request: InvocationRequest): void;
  /** AWS's limits on a standard execution; absent: none. */
  readonly limits?: ExecutionLimits;
}

export interface ExecutionLimits {
  /** An execution still running this long after it started ends TIMED_OUT (States.Timeout). AWS: one year. */
  readonly maxDurationSeconds: number;
  /** An execution whose history would grow past this many events fails (States.Runtime). AWS: 25,000. */
  readonly maxHistoryEvents: number;
}

/** Thrown by emit() when the history is full: the step stops there and the execution fails. */
class HistoryFull extends Error {}

export interface ActiveState {
  stateName: string;
  stateType: string;
  /** Enclosing Parallel / Map states, outermost first, e.g. ["Reviews[2]"] for Map iteration 2. */
  path: string[];
  enteredAt: number;
  waitingFor: 'invocation' | 'taskToken' | 'timer' | 'retryBackoff' | 'branches' | 'running';
  wakeAt?: number;
  timeoutAt?: number;
  heartbeatAt?: number;
  taskToken?: string;
}

/** States.* error names that States.ALL does not match (States.Runtime is not caught at all). */
const NOT_MATCHED_BY_ALL = new Set(['States.Runtime', 'States.DataLimitExceeded']);
const MAX_PAYLOAD_BYTES = 256 * 1024;
/** Transitions one thread may make without waiting; guards against a Pass/Choice loop spinning forever. */
const MAX_SYNCHRONOUS_TRANSITIONS = 10_000;

export class ExecutionRunner {
  private readonly parsedInput: unknown;
  /** Set while the execution writes its closing events (a full history still takes them). */
  private closing = false;

  constructor(
    readonly record: ExecutionRecord,
    private readonly definition: StateMachineDefinition,
    private readonly host: RunnerHost,
  ) {
    this.parsedInput = JSON.parse(record.input);
  }

  get isOpen(): boolean {
    return this.record.status === 'RUNNING';
  }

  start(): void {
    const r = this.record;
    this.emit(undefined, 'ExecutionStarted', {
      executionStartedEventDetails: { input: r.input, inputDetails: { truncated: false }, roleArn: r.roleArn },
    });
    r.root = this.newThread(undefined, [], this.definition.StartAt, this.parsedInput, 0);
    if (this.definition.TimeoutSeconds) {
      r.executionTimeout = { key: this.newTimerKey(), at: this.host.now() + this.definition.TimeoutSeconds * 1000 };
      this.host.scheduleTimer(r.executionTimeout.key, r.executionTimeout.at);
    }
    if (this.host.limits) {
      r.durationLimit = { key: `sfn:${r.stateMachineName}:${r.name}:limit`, at: r.startDate + this.host.limits.maxDurationSeconds * 1000 };
      this.host.scheduleTimer(r.durationLimit.key, r.durationLimit.at);
    }
  }

  /** Whether a fault is the history reaching its limit (see emit), which ends the execution as AWS ends it. */
  static isHistoryFull(fault: unknown): boolean {
    return fault instanceof HistoryFull;
  }

  /** The history is full: the execution fails with its last event, as AWS fails it at 25,000 events. */
  failHistoryFull(): void {
    if (!this.isOpen) return;
    this.close('FAILED', {
      error: STATES_RUNTIME,
      cause: `The execution history reached the limit of ${this.host.limits?.maxHistoryEvents} events.`,
    });
  }

  /** Moves every thread until it waits or finishes; closes the execution when the top level finishes. */
  drive(): void {
    const root = this.record.root;
    if (!this.isOpen || !root) return;
    this.advance(root);
    if (root.status === 'succeeded') this.close('SUCCEEDED', { output: root.output });
    else if (root.status === 'failed') {
      // A Fail state without Error / Cause (or SendTaskFailure without them) leaves them out of the result.
      const { error, cause } = root.error ?? { error: STATES_RUNTIME, cause: '' };
      this.close('FAILED', { error: error || undefined, cause: cause || undefined });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Things arriving from outside. Each returns false when nothing is waiting for it (stale).

  onInvocationResult(invocationId: number, result: Outcome): boolean {
    const thread = this.findThread((t) => t.step?.kind === 'task' && t.step.invocationId === invocationId);
    const step = thread?.step as TaskStep | undefined;
    if (!thread || !step || step.outcome || step.phase !== 'invoking') return false;
    const resource = this.resourceOf(this.stateOf(thread));
    if (!result.ok) {
      this.recordTaskFailure(thread, resource, result.error, result.cause);
      step.outcome = result;
      return true;
    }
    if (resource.waitForTaskToken) {
      step.phase = 'submitted';
      this.emit(thread, 'TaskSubmitted', {
        taskSubmittedEventDetails: { ...describeResource(resource), output: JSON.stringify(result.value), outputDetails: { truncated: false } },
      });
      // For callback tasks the heartbeat clock starts once the call has returned.
      if (step.heartbeatSeconds) {
        step.heartbeatKey = this.newTimerKey();
        step.heartbeatAt = this.host.now() + step.heartbeatSeconds * 1000;
        this.host.scheduleTimer(step.heartbeatKey, step.heartbeatAt);
      }
      return true;
    }
    this.recordTaskSuccess(thread, resource, result.value);
    step.outcome = result;
    return true;
  }

  /** SendTaskSuccess / SendTaskFailure. False when no task is waiting on the token. */
  completeTask(token: string, outcome: Outcome): boolean {
    const thread = this.findThread((t) => t.step?.kind === 'task' && t.step.token === token && !t.step.outcome);
    if (!thread) return false;
    const resource = this.resourceOf(this.stateOf(thread));
    if (outcome.ok) this.recordTaskSuccess(thread, resource, outcome.value);
    else this.recordTaskFailure(thread, resource, outcome.error, outcome.cause);
    (thread.step as TaskStep).outcome = outcome;
    return true;
  }

  heartbeat(token: string): boolean {
    const thread = this.findThread((t) => t.step?.kind === 'task' && t.step.token === token && !t.step.outcome);
    if (!thread) return false;
    const step = thread.step as TaskStep;
    if (step.phase === 'submitted' && step.heartbeatSeconds && step.heartbeatKey) {
      step.heartbeatAt = this.host.now() + step.heartbeatSeconds * 1000;
      this.host.scheduleTimer(step.heartbeatKey, step.heartbeatAt);
    }
    return true;
  }

  /** True while a task still waits for the result of this integration call. */
  awaitsInvocation(invocationId: number): boolean {
    return this.findThread((t) => t.step?.kind === 'task' && t.step.invocationId === invocationId && t.step.phase === 'invoking' && !t.step.outcome) !== undefined;
  }

  /** The virtual instant at which the task waiting for this call times out, if it has a timeout. */
  invocationTimeoutAt(invocationId: number): number | undefined {
    const thread = this.findThread((t) => t.step?.kind === 'task' && t.step.invocationId === invocationId);
    return (thread?.step as TaskStep | undefined)?.timeoutAt;
  }

  onTimer(key: string): boolean {
    const r = this.record;
    if (!this.isOpen) return false;
    if (r.executionTimeout?.key === key) {
      r.executionTimeout = undefined;
      this.close('TIMED_OUT', { error: 'States.Timeout', cause: `The execution ran longer than its TimeoutSeconds (${this.definition.TimeoutSeconds})` });
      return true;
    }
    if (r.durationLimit?.key === key) {
      r.durationLimit = undefined;
      const days = (this.host.limits?.maxDurationSeconds ?? 0) / 86400;
      this.close('TIMED_OUT', { error: 'States.Timeout', cause: `The execution reached the longest time a standard execution may run (${days} days)` });
      return true;
    }
    const thread = this.findThread((t) => stepTimerKeys(t.step).includes(key));
    const step = thread?.step;
    if (!thread || !step) return false;
    if (step.kind === 'wait' || step.kind === 'retry') {
      step.fired = true;
      return true;
    }
    if (step.kind !== 'task' || step.outcome) return false;
    const heartbeat = step.heartbeatKey === key;
    if (heartbeat) step.heartbeatKey = undefined;
    else step.timeoutKey = undefined;
    const error = heartbeat ? 'States.HeartbeatTimeout' : 'States.Timeout';
    const cause = heartbeat
      ? `No heartbeat was received within HeartbeatSeconds (${step.heartbeatSeconds})`
      : 'The task did not finish within its TimeoutSeconds';
    const resource = this.resourceOf(this.stateOf(thread));
    if (resource.kind === 'lambda:function') this.emit(thread, 'LambdaFunctionTimedOut', { lambdaFunctionTimedOutEventDetails: { error, cause } });
    else this.emit(thread, 'TaskTimedOut', { taskTimedOutEventDetails: { ...describeResource(resource), error, cause } });
    step.outcome = { ok: false, error, cause };
    return true;
  }

  stop(error: string | undefined, cause: string | undefined): void {
    if (!this.isOpen) return;
    this.close('ABORTED', { error, cause });
  }

  /** An internal fault must not leave the execution hanging: it fails with States.Runtime. */
  crash(fault: unknown): void {
    if (!this.isOpen) return;
    const cause = `Internal error in the local Step Functions interpreter: ${fault instanceof Error ? fault.stack ?? fault.message : String(fault)}`;
    try {
      this.close('FAILED', { error: STATES_RUNTIME, cause });
    } catch {
      const r = this.record;
      r.status = 'FAILED';
      r.stopDate = this.host.now();
      r.error = STATES_RUNTIME;
      r.cause = cause;
      r.root = undefined;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Restoring after a restart and reporting

  /** Every timer the record is waiting on, to register again on the clock. */
  timers(): Array<{ key: string; at: number }> {
    const out: Array<{ key: string; at: number }> = [];
    if (this.record.executionTimeout) out.push(this.record.executionTimeout);
    if (this.record.durationLimit) out.push(this.record.durationLimit);
    this.forEachThread((t) => {
      const s = t.step;
      if (!s) return;
      if ((s.kind === 'wait' || s.kind === 'retry') && !s.fired) out.push({ key: s.timerKey, at: s.until });
      if (s.kind === 'task' && !s.outcome) {
        if (s.timeoutKey && s.timeoutAt !== undefined) out.push({ key: s.timeoutKey, at: s.timeoutAt });
        if (s.heartbeatKey && s.heartbeatAt !== undefined) out.push({ key: s.heartbeatKey, at: s.heartbeatAt });
      }
    });
    return out;
  }

  /** Calls that were in flight when the process stopped; the service makes them again (at-least-once). */
  interruptedInvocations(): InvocationRequest[] {
    const out: InvocationRequest[] = [];
    this.forEachThread((t) => {
      const s = t.step;
      if (s?.kind === 'task' && s.phase === 'invoking' && !s.outcome) {
        out.push({ invocationId: s.invocationId, resource: this.resourceOf(this.stateOf(t)), request: s.request });
      }
    });
    return out;
  }

  activeStates(): ActiveState[] {
    const out: ActiveState[] = [];
    const visit = (t: ThreadRecord, path: string[]) => {
      if (t.status !== 'active') return;
      const state = this.stateOf(t);
      const s = t.step;
      const entry: ActiveState = { stateName: t.state, stateType: state.Type, path, enteredAt: t.enteredAt, waitingFor: 'running' };
      if (s?.kind === 'task') {
        entry.waitingFor = s.outcome ? 'running' : s.phase === 'invoking' ? 'invocation' : 'taskToken';
        if (s.token) entry.taskToken = s.token;
        if (s.timeoutAt !== undefined && s.timeoutKey) entry.timeoutAt = s.timeoutAt;
        if (s.heartbeatAt !== undefined && s.heartbeatKey) entry.heartbeatAt = s.heartbeatAt;
      } else if (s?.kind === 'wait' || s?.kind === 'retry') {
        entry.waitingFor = s.kind === 'wait' ? 'timer' : 'retryBackoff';
        entry.wakeAt = s.until;
      } else if (s?.kind === 'parallel' || s?.kind === 'map') {
        entry.waitingFor = 'branches';
      }
      out.push(entry);
      if (s?.kind === 'parallel' || s?.kind === 'map') {
        for (const child of s.children) visit(child, [...path, `${t.state}[${child.slot}]`]);
      }
    };
    if (this.record.root && this.isOpen) visit(this.record.root, []);
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // The interpreter proper

  private advance(t: ThreadRecord): void {
    for (let transitions = 0; t.status === 'active'; transitions++) {
      const state = this.stateOf(t);
      if (transitions > MAX_SYNCHRONOUS_TRANSITIONS) {
        this.handleError(t, state, STATES_RUNTIME, `More than ${MAX_SYNCHRONOUS_TRANSITIONS} transitions without waiting: the state machine loops`);
        return;
      }
      try {
        if (!t.step) this.begin(t, state);
        else if (!this.resume(t, state)) return;
      } catch (error) {
        if (!(error instanceof StatesError)) throw error;
        this.handleError(t, state, error.error, error.cause);
      }
    }
  }

  private begin(t: ThreadRecord, state: StateDefinition): void {
    if (!t.entered) {
      t.entered = true;
      t.enteredAt = this.host.now();
      this.emit(t, `${state.Type}StateEntered`, {
        stateEnteredEventDetails: { name: t.state, input: JSON.stringify(t.input), inputDetails: { truncated: false } },
      });
    }
    const context = this.context(t);
    switch (state.Type) {
      case 'Pass': {
        const effective = applyInputPath(t.state, t.input, state.InputPath, context);
        const result =
          state.Result !== undefined
            ? state.Result
            : state.Parameters !== undefined
              ? resolveTemplate(t.state, 'Parameters', state.Parameters, effective, context)
              : effective;
        this.completeWithResult(t, state, result);
        return;
      }
      case 'Choice': {
        const effective = applyInputPath(t.state, t.input, state.InputPath, context);
        const next = chooseNext(t.state, state.Choices ?? [], state.Default, effective, context);
        if (next === undefined) throw new StatesError('States.NoChoiceMatched', `No Matches! No choice rule of state '${t.state}' matched and there is no Default`);
        this.exit(t, state, applyOutputPath(t.state, effective, state.OutputPath, context), next);
        return;
      }
      case 'Succeed': {
        const effective = applyInputPath(t.state, t.input, state.InputPath, context);
        this.exit(t, state, applyOutputPath(t.state, effective, state.OutputPath, context), undefined);
        return;
      }
      case 'Fail': {
        const error = state.ErrorPath !== undefined ? this.stringFrom(t, 'ErrorPath', state.ErrorPath, context) : state.Error;
        const cause = state.CausePath !== undefined ? this.stringFrom(t, 'CausePath', state.CausePath, context) : state.Cause;
        t.status = 'failed';
        t.error = { error: error ?? '', cause: cause ?? '' };
        return;
      }
      case 'Wait':
        this.beginWait(t, state, context);
        return;
      case 'Task':
        this.beginTask(t, state);
        return;
      case 'Parallel':
        this.beginParallel(t, state, context);
        return;
      case 'Map':
        this.beginMap(t, state, context);
        return;
    }
  }

  /** Continues a state that was waiting; false while it still waits. */
  private resume(t: ThreadRecord, state: StateDefinition): boolean {
    const step = t.step as StepRecord;
    switch (step.kind) {
      case 'wait': {
        if (!step.fired) return false;
        t.step = undefined;
        const context = this.context(t);
        const effective = applyInputPath(t.state, t.input, state.InputPath, context);
        this.exit(t, state, applyOutputPath(t.state, effective, state.OutputPath, context), state.End ? undefined : state.Next);
        return true;
      }
      case 'retry':
        if (!step.fired) return false;
        t.step = undefined; // begin() runs the state again; StateEntered is not recorded twice
        return true;
      case 'task': {
        const outcome = step.outcome;
        if (!outcome) return false;
        this.clearStep(t, false);
        if (outcome.ok) this.completeWithResult(t, state, outcome.value);
        else this.handleError(t, state, outcome.error, outcome.cause);
        return true;
      }
      case 'parallel':
      case 'map':
        return this.resumeBranches(t, state, step);
    }
  }

  private beginWait(t: ThreadRecord, state: StateDefinition, context: unknown): void {
    const now = this.host.now();
    const effective = applyInputPath(t.state, t.input, state.InputPath, context);
    let until: number;
    if (state.Seconds !== undefined) {
      until = now + state.Seconds * 1000;
    } else if (state.SecondsPath !== undefined) {
      const seconds = readPath(state.SecondsPath, effective, context);
      if (!seconds.found || typeof seconds.value !== 'number' || !Number.isInteger(seconds.value) || seconds.value < 0) {
        throw new StatesError(STATES_RUNTIME, `The SecondsPath '${state.SecondsPath}' of state '${t.state}' must reference a non-negative integer`);
      }
      until = now + seconds.value * 1000;
    } else {
      const source = state.Timestamp !== undefined ? { found: true, value: state.Timestamp } : readPath(state.TimestampPath as string, effective, context);
      const nanos = source.found ? parseTimestamp(source.value) : undefined;
      if (nanos === undefined) {
        throw new StatesError(STATES_RUNTIME, `The TimestampPath '${state.TimestampPath}' of state '${t.state}' must reference an RFC 3339 timestamp`);
      }
      // A Wait's timestamp counts in whole seconds, as in AWS: the fraction is dropped (…T10:00:00.900Z waits until 10:00:00).
      until = Number(nanos / 1_000_000_000n) * 1000;
    }
    if (until <= now) {
      this.exit(t, state, applyOutputPath(t.state, effective, state.OutputPath, context), state.End ? undefined : state.Next);
      return;
    }
    const key = this.newTimerKey();
    t.step = { kind: 'wait', timerKey: key, until, fired: false };
    this.host.scheduleTimer(key, until);
  }

  private beginTask(t: ThreadRecord, state: StateDefinition): void {
    const resource = this.resourceOf(state);
    const baseContext = this.context(t);
    const effective = applyInputPath(t.state, t.input, state.InputPath, baseContext);
    const token = resource.waitForTaskToken ? encodeTaskToken(this.record.executionArn, ++this.record.counters.token) : undefined;
    const context = token ? this.context(t, { token }) : baseContext;
    const request = state.Parameters !== undefined ? resolveTemplate(t.state, 'Parameters', state.Parameters, effective, context) : effective;
    // AWS resolves the *Path variants against the state's effective input.
    const timeoutSeconds = this.positiveSeconds(t, 'TimeoutSecondsPath', state.TimeoutSeconds, state.TimeoutSecondsPath, effective, context);
    const heartbeatSeconds = this.positiveSeconds(t, 'HeartbeatSecondsPath', state.HeartbeatSeconds, state.HeartbeatSecondsPath, effective, context);

    const step: TaskStep = { kind: 'task', phase: 'invoking', invocationId: ++this.record.counters.invocation, request };
    if (token) step.token = token;
    if (heartbeatSeconds && resource.waitForTaskToken) step.heartbeatSeconds = heartbeatSeconds;
    t.step = step;

    if (resource.kind === 'lambda:function') {
      this.emit(t, 'LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: {
          resource: resource.functionArn,
          input: JSON.stringify(request),
          inputDetails: { truncated: false },
          ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}),
        },
      });
      this.emit(t, 'LambdaFunctionStarted', {});
    } else {
      const described = describeResource(resource);
      this.emit(t, 'TaskScheduled', {
        taskScheduledEventDetails: {
          ...described,
          region: this.host.location.region,
          parameters: JSON.stringify(request),
          ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}),
          ...(heartbeatSeconds ? { heartbeatInSeconds: heartbeatSeconds } : {}),
        },
      });
      this.emit(t, 'TaskStarted', { taskStartedEventDetails: described });
    }
    if (timeoutSeconds) {
      step.timeoutKey = this.newTimerKey();
      step.timeoutAt = this.host.now() + timeoutSeconds * 1000;
      this.host.scheduleTimer(step.timeoutKey, step.timeoutAt);
    }
    this.host.requestInvocation({ invocationId: step.invocationId, resource, request });
  }

  private beginParallel(t: ThreadRecord, state: StateDefinition, context: unknown): void {
    const effective = applyInputPath(t.state, t.input, state.InputPath, context);
    const input = state.Parameters !== undefined ? resolveTemplate(t.state, 'Parameters', state.Parameters, effective, context) : effective;
    const branches = state.Branches ?? [];
    this.emit(t, 'ParallelStateStarted', {});
    t.step = {
      kind: 'parallel',
      children: branches.map((branch, i) => this.newThread(t, [...t.scope, { state: t.state, branch: i }], branch.StartAt, input, i)),
      results: branches.map(() => null),
      total: branches.length,
      nextIndex: branches.length,
      pendingInputs: [],
      maxConcurrency: 0,
    };
  }

  private beginMap(t: ThreadRecord, state: StateDefinition, context: unknown): void {
    const effective = applyInputPath(t.state, t.input, state.InputPath, context);
    const items = state.ItemsPath !== undefined ? readPath(state.ItemsPath, effective, context) : { found: true, value: effective };
    if (!items.found || !Array.isArray(items.value)) {
      throw new StatesError(
        STATES_RUNTIME,
        `An error occurred while executing the state '${t.state}'. The ItemsPath '${state.ItemsPath ?? '$'}' must reference a JSON array`,
      );
    }
    const selector = state.ItemSelector ?? state.Parameters;
    const inputs = items.value.map((value, index) =>
      selector === undefined ? value : resolveTemplate(t.state, 'ItemSelector', selector, effective, this.context(t, { mapItem: { index, value } })),
    );
    let maxConcurrency = state.MaxConcurrency ?? 0;
    if (state.MaxConcurrencyPath !== undefined) {
      const found = readPath(state.MaxConcurrencyPath, effective, context);
      if (!found.found || typeof found.value !== 'number' || !Number.isInteger(found.value) || found.value < 0) {
        throw new StatesError(STATES_RUNTIME, `The MaxConcurrencyPath of state '${t.state}' must reference a non-negative integer`);
      }
      maxConcurrency = found.value;
    }
    this.emit(t, 'MapStateStarted', { mapStateStartedEventDetails: { length: inputs.length } });
    t.step = {
      kind: 'map',
      children: [],
      results: inputs.map(() => null),
      total: inputs.length,
      nextIndex: 0,
      pendingInputs: inputs,
      maxConcurrency,
    };
  }

  /** Starts Map iterations as concurrency allows, advances every child, and completes or fails the state. */
  private resumeBranches(t: ThreadRecord, state: StateDefinition, step: BranchesStep): boolean {
    for (;;) {
      let changed = false;
      if (step.kind === 'map') {
        const limit = step.maxConcurrency > 0 ? step.maxConcurrency : Infinity;
        const processor = state.ItemProcessor ?? state.Iterator;
        while (step.nextIndex < step.total && step.children.length < limit && processor) {
          const index = step.nextIndex++;
          t.lastEventId = this.record.lastEventId;
          this.emit(t, 'MapIterationStarted', { mapIterationStartedEventDetails: { name: t.state, index } });
          step.children.push(this.newThread(t, [...t.scope, { state: t.state }], processor.StartAt, step.pendingInputs[index], index));
          step.pendingInputs[index] = null;
          changed = true;
        }
      }
      for (const child of step.children) if (child.status === 'active') this.advance(child);

      const failed = step.children.find((c) => c.status === 'failed');
      if (failed) {
        t.lastEventId = this.record.lastEventId;
        if (step.kind === 'map') this.emit(t, 'MapIterationFailed', { mapIterationFailedEventDetails: { name: t.state, index: failed.slot } });
        this.emit(t, step.kind === 'map' ? 'MapStateFailed' : 'ParallelStateFailed', {});
        const { error, cause } = failed.error ?? { error: STATES_RUNTIME, cause: '' };
        throw new StatesError(error, cause); // handled like any error of this state: Retry, Catch, or the thread fails
      }
      const finished = step.children.filter((c) => c.status === 'succeeded');
      if (finished.length) {
        t.lastEventId = this.record.lastEventId;
        for (const child of finished) {
          step.results[child.slot] = child.output;
          if (step.kind === 'map') this.emit(t, 'MapIterationSucceeded', { mapIterationSucceededEventDetails: { name: t.state, index: child.slot } });
        }
        step.children = step.children.filter((c) => c.status === 'active');
        changed = true;
      }
      if (step.children.length === 0 && step.nextIndex >= step.total) {
        t.lastEventId = this.record.lastEventId;
        this.emit(t, step.kind === 'map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded', {});
        t.step = undefined;
        this.completeWithResult(t, state, step.results);
        return true;
      }
      if (!changed) return false;
    }
  }

  /** ResultSelector → ResultPath → OutputPath, then on to Next (or the end of the thread). */
  private completeWithResult(t: ThreadRecord, state: StateDefinition, result: unknown): void {
    const context = this.context(t);
    const selected =
      state.ResultSelector !== undefined && state.Type !== 'Pass'
        ? resolveTemplate(t.state, 'ResultSelector', state.ResultSelector, result, context)
        : result;
    const combined = applyResultPath(t.state, t.input, state.ResultPath, selected);
    const output = applyOutputPath(t.state, combined, state.OutputPath, context);
    if (Buffer.byteLength(JSON.stringify(output) ?? '', 'utf8') > MAX_PAYLOAD_BYTES) {
      throw new StatesError('States.DataLimitExceeded', `The output of state '${t.state}' is larger than 256 KiB`);
    }
    this.exit(t, state, output, state.End ? undefined : state.Next);
  }

  private exit(t: ThreadRecord, state: StateDefinition, output: unknown, next: string | undefined): void {
    this.emit(t, `${state.Type}StateExited`, {
      stateExitedEventDetails: { name: t.state, output: JSON.stringify(output), outputDetails: { truncated: false } },
    });
    t.step = undefined;
    if (next === undefined) {
      t.status = 'succeeded';
      t.output = output;
      return;
    }
    t.state = next;
    t.input = output;
    t.entered = false;
    t.retryCounts = [];
  }

  /** Retry if a retrier matches and has attempts left, else Catch, else the thread fails. */
  private handleError(t: ThreadRecord, state: StateDefinition, error: string, cause: string): void {
    this.clearStep(t, true);
    if ((state.Type === 'Task' || state.Type === 'Parallel' || state.Type === 'Map') && error !== STATES_RUNTIME) {
      const retriers = state.Retry ?? [];
      for (let i = 0; i < retriers.length; i++) {
        if (!errorMatches(retriers[i].ErrorEquals, error)) continue;
        const attempts = t.retryCounts[i] ?? 0;
        if (attempts < (retriers[i].MaxAttempts ?? 3)) {
          t.retryCounts[i] = attempts + 1;
          const key = this.newTimerKey();
          const until = this.host.now() + retryDelayMs(retriers[i], attempts);
          t.step = { kind: 'retry', timerKey: key, until, fired: false };
          this.host.scheduleTimer(key, until);
          return;
        }
        break; // the first matching retrier is exhausted: go on to Catch
      }
      for (const catcher of state.Catch ?? []) {
        if (!errorMatches(catcher.ErrorEquals, error)) continue;
        let output: unknown;
        try {
          output = applyResultPath(t.state, t.input, catcher.ResultPath, { Error: error, Cause: cause });
        } catch (conflict) {
          if (!(conflict instanceof StatesError)) throw conflict;
          t.status = 'failed';
          t.error = { error: conflict.error, cause: conflict.cause };
          return;
        }
        this.exit(t, state, output, catcher.Next);
        return;
      }
    }
    t.status = 'failed';
    t.error = { error, cause };
  }

  /** Cancels what the current step waits on; child threads are aborted. */
  private clearStep(t: ThreadRecord, recordAborts: boolean): void {
    const step = t.step;
    if (!step) return;
    for (const key of stepTimerKeys(step)) this.host.cancelTimer(key);
    if (step.kind === 'parallel' || step.kind === 'map') {
      for (const child of step.children) {
        if (child.status !== 'active') continue;
        this.abortThread(child, recordAborts);
        if (recordAborts && step.kind === 'map') {
          this.emit(t, 'MapIterationAborted', { mapIterationAbortedEventDetails: { name: t.state, index: child.slot } });
        }
      }
    }
    t.step = undefined;
  }

  private abortThread(t: ThreadRecord, recordAborts: boolean): void {
    if (t.status !== 'active') return;
    const hadStep = t.step !== undefined;
    this.clearStep(t, recordAborts);
    if (recordAborts && hadStep && t.entered) this.emit(t, `${this.stateOf(t).Type}StateAborted`, {});
    t.status = 'aborted';
  }

  private close(status: Exclude<ExecutionStatus, 'RUNNING'>, details: { output?: unknown; error?: string; cause?: string }): void {
    const r = this.record;
    // The events that close an execution are always written, even into a full history.
    this.closing = true;
    if (r.root) this.abortThread(r.root, status === 'ABORTED' || status === 'TIMED_OUT');
    if (r.executionTimeout) this.host.cancelTimer(r.executionTimeout.key);
    r.executionTimeout = undefined;
    if (r.durationLimit) this.host.cancelTimer(r.durationLimit.key);
    r.durationLimit = undefined;
    r.status = status;
    r.stopDate = this.host.now();
    const errorDetails = { ...(details.error !== undefined ? { error: details.error } : {}), ...(details.cause !== undefined ? { cause: details.cause } : {}) };
    switch (status) {
      case 'SUCCEEDED':
        r.output = JSON.stringify(details.output ?? null);
        this.emit(undefined, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: r.output, outputDetails: { truncated: false } } });
        break;
      case 'FAILED':
        this.emit(undefined, 'ExecutionFailed', { executionFailedEventDetails: errorDetails });
        break;
      case 'ABORTED':
        this.emit(undefined, 'ExecutionAborted', { executionAbortedEventDetails: errorDetails });
        break;
      case 'TIMED_OUT':
        this.emit(undefined, 'ExecutionTimedOut', { executionTimedOutEventDetails: errorDetails });
        break;
    }
    if (details.error !== undefined) r.error = details.error;
    if (details.cause !== undefined) r.cause = details.cause;
    r.root = undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Helpers

  private recordTaskSuccess(t: ThreadRecord, resource: TaskResource, value: unknown): void {
    const output = JSON.stringify(value);
    if (resource.kind === 'lambda:function') {
      this.emit(t, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output, outputDetails: { truncated: false } } });
    } else {
      this.emit(t, 'TaskSucceeded', { taskSucceededEventDetails: { ...describeResource(resource), output, outputDetails: { truncated: false } } });
    }
  }

  private recordTaskFailure(t: ThreadRecord, resource: TaskResource, error: string, cause: string): void {
    if (resource.kind === 'lambda:function') this.emit(t, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error, cause } });
    else this.emit(t, 'TaskFailed', { taskFailedEventDetails: { ...describeResource(resource), error, cause } });
  }

  private positiveSeconds(
    t: ThreadRecord,
    pathField: string,
    fixed: number | undefined,
    path: string | undefined,
    effective: unknown,
    context: unknown,
  ): number | undefined {
    if (path === undefined) return fixed;
    const found = readPath(path, effective, context);
    if (!found.found || typeof found.value !== 'number' || !Number.isInteger(found.value) || found.value <= 0) {
      throw new StatesError(
        STATES_RUNTIME,
        `An error occurred while executing the state '${t.state}'. The ${pathField} '${path}' must reference a positive integer`,
      );
    }
    return found.value;
  }

  private stringFrom(t: ThreadRecord, field: string, expression: string, context: unknown): string {
    const value = resolveDynamicValue(t.state, field, expression, t.input, context);
    if (typeof value !== 'string') throw new StatesError(STATES_RUNTIME, `The ${field} of state '${t.state}' must resolve to a string`);
    return value;
  }

  private context(t: ThreadRecord, extra: { token?: string; mapItem?: { index: number; value: unknown } } = {}): Record<string, unknown> {
    const r = this.record;
    return {
      Execution: {
        Id: r.executionArn,
        Name: r.name,
        Input: this.parsedInput,
        StartTime: new Date(r.startDate).toISOString(),
        RoleArn: r.roleArn,
        RedriveCount: 0,
      },
      StateMachine: { Id: r.stateMachineArn, Name: r.stateMachineName },
      State: { Name: t.state, EnteredTime: new Date(t.enteredAt).toISOString(), RetryCount: t.retryCounts.reduce((a, b) => a + (b ?? 0), 0) },
      ...(extra.token ? { Task: { Token: extra.token } } : {}),
      ...(extra.mapItem ? { Map: { Item: { Index: extra.mapItem.index, Value: extra.mapItem.value } } } : {}),
    };
  }

  private stateOf(t: ThreadRecord): StateDefinition {
    const state = resolveContainer(this.definition, t.scope).States[t.state];
    if (!state) throw new Error(`definition has no state '${t.state}'`);
    return state;
  }

  private resourceOf(state: StateDefinition): TaskResource {
    const { resource, reason } = parseResource(state.Resource ?? '');
    if (!resource) throw new StatesError(STATES_RUNTIME, reason ?? 'unsupported resource');
    return resource;
  }

  private newThread(parent: ThreadRecord | undefined, scope: ScopeStep[], startAt: string, input: unknown, slot: number): ThreadRecord {
    const id = ++this.record.counters.thread;
    return {
      id: String(id),
      scope,
      slot,
      state: startAt,
      input,
      status: 'active',
      entered: false,
      enteredAt: this.host.now(),
      retryCounts: [],
      lastEventId: parent ? parent.lastEventId : this.record.lastEventId,
    };
  }

  private newTimerKey(): string {
    const r = this.record;
    return `sfn:${r.stateMachineName}:${r.name}:${++r.counters.timer}`;
  }

  private emit(t: ThreadRecord | undefined, type: string, details: Record<string, unknown>): void {
    const r = this.record;
    // The last place in a full history is kept for the ExecutionFailed that ends it.
    const limit = this.host.limits?.maxHistoryEvents;
    if (limit !== undefined && !this.closing && r.eventCount + 1 >= limit) throw new HistoryFull();
    const id = ++r.eventCount;
    const previousEventId = t ? t.lastEventId : r.lastEventId;
    this.host.appendEvent({ timestamp: this.host.now(), type, id, previousEventId, ...details });
    if (t) t.lastEventId = id;
    r.lastEventId = id;
  }

  private findThread(predicate: (t: ThreadRecord) => boolean): ThreadRecord | undefined {
    let found: ThreadRecord | undefined;
    this.forEachThread((t) => {
      if (!found && t.status === 'active' && predicate(t)) found = t;
    });
    return found;
  }

  private forEachThread(visit: (t: ThreadRecord) => void): void {
    const walk = (t: ThreadRecord) => {
      visit(t);
      if (t.step?.kind === 'parallel' || t.step?.kind === 'map') t.step.children.forEach(walk);
    };
    if (this.record.root) walk(this.record.root);
  }
}

function stepTimerKeys(step: StepRecord | undefined): string[] {
  if (!step) return [];
  if (step.kind === 'wait' || step.kind === 'retry') return [step.timerKey];
  if (step.kind === 'task') return [step.timeoutKey, step.heartbeatKey].filter((k): k is string => k !== undefined);
  return [];
}

export function errorMatches(errorEquals: string[], error: string): boolean {
  if (error === STATES_RUNTIME) return false;
  if (errorEquals.includes(error)) return true;
  if (errorEquals.includes('States.ALL')) return !NOT_MATCHED_BY_ALL.has(error);
  // States.TaskFailed matches any error except States.Timeout.
  if (errorEquals.includes('States.TaskFailed')) return error !== 'States.Timeout' && !NOT_MATCHED_BY_ALL.has(error);
  return false;
}

export function retryDelayMs(retrier: Retrier, attemptsSoFar: number): number {
  let seconds = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attemptsSoFar;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = Math.random() * seconds;
  return Math.round(seconds * 1000);
}

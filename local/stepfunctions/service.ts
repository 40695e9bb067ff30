/**
 * The local Step Functions service: state machines, executions, task tokens and history, with the
 * API of the AWS SDK (dates as Date objects; the HTTP face turns them into epoch seconds).
 *
 * Durability: every change to an execution (a step, a callback, a timer) is committed to the store
 * before anything it causes starts (an integration call). A restart over the same data folder
 * restores every RUNNING execution where it was: its timers go back on the clock, its task tokens
 * stay valid, and only calls that were in flight at the crash are made again (at-least-once, like AWS).
 * Closed executions are not kept in memory; Describe / GetHistory / List read them from the store.
 */
import { randomUUID } from 'node:crypto';
import type { Timer, VirtualClock } from '../clock';
import { checkDefinition, type StateMachineDefinition } from './definition';
import { StepFunctionsError } from './errors';
import { runTask, TaskFailure, type AwsLocation, type ServiceIntegrations } from './integrations';
import { ExecutionRunner, type ActiveState, type ExecutionLimits, type InvocationRequest } from './interpreter';
import { decodeTaskToken, type ExecutionRecord, type ExecutionStatus, type Outcome, type StoredHistoryEvent } from './model';
import { FileExecutionStore, type ExecutionStore, type StateMachineRecord } from './store';

export interface LocalStepFunctionsOptions {
  /** Folder for state machines, executions and histories (created if missing). */
  dataDir: string;
  /** The local stack's clock; the service registers its timers (keys `sfn:...`) on it. */
  clock: VirtualClock;
  integrations: ServiceIntegrations;
  region?: string;
  accountId?: string;
  /** Replaces the file store under dataDir (e.g. for tests). */
  store?: ExecutionStore;
  logger?: Pick<Console, 'warn' | 'error'>;
  /**
   * Real milliseconds the clock waits at most for an integration call (default 30,000, the local
   * functions' time limit), and no longer than the call's task has left before its TimeoutSeconds,
   * but always at least `minCallGraceMs` (default 5,000: a slow machine must not turn a slow call into
   * a timeout). Past that, the call holds only its own execution: the clock moves on, so the task's
   * timeout can fire, and a result that comes after the task ended is ignored.
   */
  callGraceMs?: number;
  minCallGraceMs?: number;
  /**
   * AWS's limits on a standard execution, enforced as AWS enforces them: one year (TIMED_OUT,
   * States.Timeout) and 25,000 history events (FAILED, States.Runtime). Smaller ones for tests; `false`: none.
   */
  limits?: Partial<ExecutionLimits> | false;
}

export const AWS_EXECUTION_LIMITS: ExecutionLimits = { maxDurationSeconds: 365 * 86400, maxHistoryEvents: 25_000 };

export interface StateMachineDescription {
  stateMachineArn: string;
  name: string;
  status: 'ACTIVE';
  definition: string;
  roleArn: string;
  type: 'STANDARD';
  creationDate: Date;
  revisionId: string;
  loggingConfiguration: { level: 'OFF'; includeExecutionData: false };
  tracingConfiguration: { enabled: false };
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  inputDetails: { included: true };
  output?: string;
  outputDetails?: { included: true };
  error?: string;
  cause?: string;
  redriveCount: 0;
}

export type ExecutionListItem = Pick<ExecutionDescription, 'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'stopDate'>;

export interface HistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

export interface ExecutionPosition {
  executionArn: string;
  status: ExecutionStatus;
  /** The states in progress, parents (Parallel / Map) before their branches. Empty once closed. */
  activeStates: Array<Omit<ActiveState, 'enteredAt' | 'wakeAt' | 'timeoutAt' | 'heartbeatAt'> & {
    enteredAt: Date;
    wakeAt?: Date;
    timeoutAt?: Date;
    heartbeatAt?: Date;
  }>;
}

interface OpenExecution {
  arn: string;
  runner: ExecutionRunner;
  pendingEvents: StoredHistoryEvent[];
  pendingInvocations: InvocationRequest[];
  /** Integration calls in flight, with the invocation each one answers. */
  inflight: Map<Promise<void>, number>;
  /** Executions its tasks started (states:startExecution): a timer of this one waits for their first steps too. */
  spawned: Set<OpenExecution>;
}

const MAX_PAYLOAD_BYTES = 256 * 1024;
const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export class LocalStepFunctions {
  private readonly clock: VirtualClock;
  private readonly integrations: ServiceIntegrations;
  private readonly store: ExecutionStore;
  private readonly location: AwsLocation;
  private readonly logger: Pick<Console, 'warn' | 'error'>;
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly definitions = new Map<string, StateMachineDefinition>();
  private readonly openExecutions = new Map<string, OpenExecution>();
  private readonly inflight = new Map<Promise<void>, OpenExecution>();
  /** When (performance.now()) the clock stops waiting for each call in flight. */
  private readonly releaseAt = new Map<Promise<void>, number>();
  /** Resolved (and replaced) on every change to an execution and every call that ends: settle() looks again then. */
  private changed = signal();
  private readonly callGraceMs: number;
  private readonly minCallGraceMs: number;
  private readonly limits: ExecutionLimits | undefined;
  private detachClock: (() => void) | undefined;
  private opened = false;

  constructor(opts: LocalStepFunctionsOptions) {
    this.clock = opts.clock;
    this.integrations = opts.integrations;
    this.store = opts.store ?? new FileExecutionStore(opts.dataDir);
    const region = opts.region ?? 'us-east-1';
    this.location = { region, accountId: opts.accountId ?? '000000000000', partition: partitionOf(region) };
    this.logger = opts.logger ?? console;
    this.callGraceMs = opts.callGraceMs ?? 30_000;
    this.minCallGraceMs = Math.min(opts.minCallGraceMs ?? 5_000, this.callGraceMs);
    this.limits = opts.limits === false ? undefined : { ...AWS_EXECUTION_LIMITS, ...opts.limits };
  }

  /** Loads state machines and RUNNING executions, puts their timers back on the clock and re-makes interrupted calls. */
  async open(): Promise<void> {
    if (this.opened) return;
    for (const machine of this.store.loadStateMachines()) this.machines.set(machine.name, machine);
    const ownTimers = new Set<string>();
    const interrupted: Array<[OpenExecution, InvocationRequest[]]> = [];
    for (const { stateMachineName, name } of this.store.listOpenExecutions()) {
      const record = this.store.readExecution(stateMachineName, name);
      if (!record || record.status !== 'RUNNING') {
        this.store.clearOpenMarker(stateMachineName, name);
        continue;
      }
      this.store.repairHistory(record);
      const ex = this.track(record);
      for (const timer of ex.runner.timers()) {
        this.clock.schedule({ key: timer.key, at: timer.at, payload: { executionArn: record.executionArn } });
        ownTimers.add(timer.key);
      }
      interrupted.push([ex, ex.runner.interruptedInvocations()]);
    }
    // A restored clock may still carry timers of this service's executions that have closed (or moved on) since.
    // Timers of another instance sharing the clock (other data folder) are left alone.
    for (const timer of this.clock.pending()) {
      if (!timer.key.startsWith('sfn:') || ownTimers.has(timer.key)) continue;
      const arn = (timer.payload as { executionArn?: unknown } | null)?.executionArn;
      const parts = typeof arn === 'string' ? parseExecutionArn(arn) : undefined;
      if (parts && this.store.readExecution(parts.machine, parts.name)?.executionArn === arn) this.clock.cancel(timer.key);
    }
    this.detachClock = this.clock.onFire((timer) => this.fireTimer(timer));
    this.opened = true;
    for (const [ex, invocations] of interrupted) for (const invocation of invocations) this.launch(ex, invocation);
  }

  /** Stops listening to the clock and waits for calls in flight. Open executions stay persisted as they are. */
  async close(): Promise<void> {
    this.detachClock?.();
    this.detachClock = undefined;
    await this.idle();
    this.openExecutions.clear();
    this.opened = false;
  }

  /**
   * Resolves once no integration call that an execution still waits for is in flight: every execution
   * is waiting (token, timer) or closed. Calls whose task has already timed out or been stopped are not waited for.
   */
  async idle(): Promise<void> {
    await this.settle(() => [...this.inflight].filter(([job, ex]) => this.stillAwaited(ex, ex.inflight.get(job))).map(([job]) => job));
  }

  /** The clock handler: timers with other prefixes belong to other subsystems and are ignored. */
  async fireTimer(timer: Timer): Promise<void> {
    if (!timer.key.startsWith('sfn:')) return;
    const arn = (timer.payload as { executionArn?: unknown } | null)?.executionArn;
    const ex = typeof arn === 'string' ? this.openExecutions.get(arn) : undefined;
    if (!ex) return;
    const alreadyInFlight = new Set(ex.inflight.keys());
    ex.spawned.clear();
    this.apply(ex, (runner) => runner.onTimer(timer.key));
    // Let the execution reach its next wait before the clock moves on, so virtual time stays consistent.
    // Only calls started from here are waited for: one already in flight may hang (the timer may be its timeout).
    // An execution it started on the way (a case continued in a new execution) is waited for the same way.
    await this.settle(() => [
      ...[...ex.inflight].filter(([job, invocationId]) => !alreadyInFlight.has(job) && this.stillAwaited(ex, invocationId)).map(([job]) => job),
      ...[...ex.spawned].flatMap((child) => [...child.inflight].filter(([, invocationId]) => this.stillAwaited(child, invocationId)).map(([job]) => job)),
    ]);
  }

  // ------------------------------------------------------------------------------------------
  // State machines

  createStateMachine(input: { name: string; definition: string; roleArn: string; type?: string }): { stateMachineArn: string; creationDate: Date } {
    this.ensureOpen();
    validateName(input?.name, 'state machine');
    if (input.type !== undefined && input.type !== 'STANDARD') {
      throw new StepFunctionsError('ValidationException', 'Only STANDARD state machines are supported by the local stack');
    }
    requireString(input.roleArn, 'roleArn');
    const definition = this.checkDefinitionText(input.definition);
    const hash = this.store.saveDefinition(input.definition);
    const existing = this.machines.get(input.name);
    if (existing) {
      if (existing.definitionHash === hash && existing.roleArn === input.roleArn) {
        return { stateMachineArn: existing.stateMachineArn, creationDate: new Date(existing.creationDate) };
      }
      throw new StepFunctionsError('StateMachineAlreadyExists', `State Machine Already Exists: '${existing.stateMachineArn}'`);
    }
    const machine: StateMachineRecord = {
      name: input.name,
      stateMachineArn: `arn:${this.location.partition}:states:${this.location.region}:${this.location.accountId}:stateMachine:${input.name}`,
      definitionHash: hash,
      roleArn: input.roleArn,
      type: 'STANDARD',
      creationDate: this.clock.now(),
      revisionId: randomUUID(),
    };
    this.store.saveStateMachine(machine);
    this.machines.set(machine.name, machine);
    this.definitions.set(hash, definition);
    return { stateMachineArn: machine.stateMachineArn, creationDate: new Date(machine.creationDate) };
  }

  /** Running executions keep the definition they started with. */
  updateStateMachine(input: { stateMachineArn: string; definition?: string; roleArn?: string }): { updateDate: Date; revisionId: string } {
    this.ensureOpen();
    const machine = this.machineByArn(input?.stateMachineArn);
    const updated: StateMachineRecord = { ...machine };
    if (input.definition !== undefined) {
      const definition = this.checkDefinitionText(input.definition);
      updated.definitionHash = this.store.saveDefinition(input.definition);
      this.definitions.set(updated.definitionHash, definition);
    }
    if (input.roleArn !== undefined) updated.roleArn = requireString(input.roleArn, 'roleArn');
    if (updated.definitionHash !== machine.definitionHash || updated.roleArn !== machine.roleArn) {
      updated.updateDate = this.clock.now();
      updated.revisionId = randomUUID();
      this.store.saveStateMachine(updated);
      this.machines.set(updated.name, updated);
    }
    return { updateDate: new Date(updated.updateDate ?? updated.creationDate), revisionId: updated.revisionId };
  }

  /** Creates the machine, or updates its definition and role when it exists: what a deploy on startup wants. */
  deployStateMachine(input: { name: string; definition: string; roleArn: string }): { stateMachineArn: string } {
    this.ensureOpen();
    const existing = this.machines.get(input?.name);
    if (!existing) return { stateMachineArn: this.createStateMachine(input).stateMachineArn };
    this.updateStateMachine({ stateMachineArn: existing.stateMachineArn, definition: input.definition, roleArn: input.roleArn });
    return { stateMachineArn: existing.stateMachineArn };
  }

  describeStateMachine(input: { stateMachineArn: string }): StateMachineDescription {
    this.ensureOpen();
    return this.describeMachine(this.machineByArn(input?.stateMachineArn));
  }

  /** The state machine as the execution saw it: the definition it started with. */
  describeStateMachineForExecution(input: { executionArn: string }): StateMachineDescription {
    this.ensureOpen();
    const record = this.recordOf(input?.executionArn);
    const machine = this.machines.get(record.stateMachineName);
    const base = machine ?? this.pseudoMachine(record);
    return { ...this.describeMachine(base), definition: this.store.loadDefinition(record.definitionHash) };
  }

  listStateMachines(input: { maxResults?: number; nextToken?: string } = {}): {
    stateMachines: Array<{ stateMachineArn: string; name: string; type: 'STANDARD'; creationDate: Date }>;
    nextToken?: string;
  } {
    this.ensureOpen();
    const all = [...this.machines.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((m) => ({ stateMachineArn: m.stateMachineArn, name: m.name, type: m.type, creationDate: new Date(m.creationDate) }));
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return { stateMachines: page, ...(nextToken ? { nextToken } : {}) };
  }

  // ------------------------------------------------------------------------------------------
  // Executions

  /**
   * Standard-workflow idempotency: the same name with the same input while that execution is RUNNING
   * returns it; a closed one or a different input is ExecutionAlreadyExists.
   */
  async startExecution(input: { stateMachineArn: string; name?: string; input?: string }): Promise<{ executionArn: string; startDate: Date }> {
    this.ensureOpen();
    const machine = this.machineByArn(input?.stateMachineArn);
    const name = input.name ?? randomUUID();
    validateName(name, 'execution');
    const text = input.input ?? '{}';
    checkJsonText(text, 'InvalidExecutionInput', 'input');
    const executionArn = this.executionArnOf(machine.name, name);
    const existing = this.openExecutions.get(executionArn)?.runner.record ?? this.store.readExecution(machine.name, name);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === text) return { executionArn, startDate: new Date(existing.startDate) };
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      formatVersion: 1,
      executionArn,
      stateMachineArn: machine.stateMachineArn,
      stateMachineName: machine.name,
      name,
      roleArn: machine.roleArn,
      definitionHash: machine.definitionHash,
      status: 'RUNNING',
      startDate: this.clock.now(),
      input: text,
      eventCount: 0,
      lastEventId: 0,
      counters: { timer: 0, invocation: 0, thread: 0, token: 0 },
    };
    const ex = this.track(record);
    this.apply(ex, (runner) => {
      runner.start();
      return true;
    });
    return { executionArn, startDate: new Date(record.startDate) };
  }

  async describeExecution(input: { executionArn: string }): Promise<ExecutionDescription> {
    this.ensureOpen();
    const r = this.recordOf(input?.executionArn);
    return {
      ...listItemOf(r),
      input: r.input,
      inputDetails: { included: true },
      ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true as const } } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
      redriveCount: 0,
    };
  }

  /** Newest first. */
  async listExecutions(input: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }): Promise<{ executions: ExecutionListItem[]; nextToken?: string }> {
    this.ensureOpen();
    const machine = this.machineByArn(input?.stateMachineArn);
    const all = this.store
      .listExecutions(machine.name)
      .map((r) => this.openExecutions.get(r.executionArn)?.runner.record ?? r)
      .filter((r) => !input.statusFilter || r.status === input.statusFilter)
      .sort((a, b) => b.startDate - a.startDate || (a.name < b.name ? 1 : -1))
      .map(listItemOf);
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return { executions: page, ...(nextToken ? { nextToken } : {}) };
  }

  async getExecutionHistory(input: {
    executionArn: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  }): Promise<{ events: HistoryEvent[]; nextToken?: string }> {
    this.ensureOpen();
    const record = this.recordOf(input?.executionArn);
    const { page, nextToken } = historyPage(this.store.readHistory(record), input);
    const withData = input.includeExecutionData !== false;
    return { events: page.map((e) => toHistoryEvent(e, withData)), ...(nextToken ? { nextToken } : {}) };
  }

  async stopExecution(input: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    this.ensureOpen();
    const record = this.recordOf(input?.executionArn);
    checkErrorAndCause(input.error, input.cause);
    const ex = this.openExecutions.get(record.executionArn);
    if (ex) {
      this.apply(ex, (runner) => {
        runner.stop(input.error, input.cause);
        return true;
      });
    }
    return { stopDate: new Date(ex ? (ex.runner.record.stopDate as number) : (record.stopDate ?? this.clock.now())) };
  }

  /** Where an open execution is, for a console's graph: every state in progress and what it waits for. */
  async getExecutionPosition(input: { executionArn: string }): Promise<ExecutionPosition> {
    this.ensureOpen();
    const record = this.recordOf(input?.executionArn);
    const ex = this.openExecutions.get(record.executionArn);
    const optionalDate = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
    return {
      executionArn: record.executionArn,
      status: record.status,
      activeStates: (ex?.runner.activeStates() ?? []).map((s) => {
        const { enteredAt, wakeAt, timeoutAt, heartbeatAt, ...rest } = s;
        return dropUndefined({
          ...rest,
          enteredAt: new Date(enteredAt),
          wakeAt: optionalDate(wakeAt),
          timeoutAt: optionalDate(timeoutAt),
          heartbeatAt: optionalDate(heartbeatAt),
        });
      }),
    };
  }

  // ------------------------------------------------------------------------------------------
  // Task tokens

  async sendTaskSuccess(input: { taskToken: string; output: string }): Promise<Record<string, never>> {
    this.ensureOpen();
    const ex = this.executionForToken(input?.taskToken);
    checkJsonText(input.output, 'InvalidOutput', 'output');
    const value = JSON.parse(input.output) as unknown;
    if (!this.apply(ex, (runner) => runner.completeTask(input.taskToken, { ok: true, value }))) throw taskGone();
    return {};
  }

  async sendTaskFailure(input: { taskToken: string; error?: string; cause?: string }): Promise<Record<string, never>> {
    this.ensureOpen();
    const ex = this.executionForToken(input?.taskToken);
    checkErrorAndCause(input.error, input.cause);
    const outcome: Outcome = { ok: false, error: input.error ?? '', cause: input.cause ?? '' };
    if (!this.apply(ex, (runner) => runner.completeTask(input.taskToken, outcome))) throw taskGone();
    return {};
  }

  async sendTaskHeartbeat(input: { taskToken: string }): Promise<Record<string, never>> {
    this.ensureOpen();
    const ex = this.executionForToken(input?.taskToken);
    if (!this.apply(ex, (runner) => runner.heartbeat(input.taskToken))) throw taskGone();
    return {};
  }

  // ------------------------------------------------------------------------------------------
  // Internals

  /** Applies a change to an execution, drives it, commits it, then starts the calls it asked for. */
  private apply(ex: OpenExecution, change: (runner: ExecutionRunner) => boolean): boolean {
    try {
      if (!change(ex.runner)) return false;
      ex.runner.drive();
    } catch (fault) {
      if (ExecutionRunner.isHistoryFull(fault)) ex.runner.failHistoryFull();
      else {
        this.logger.error(`local Step Functions: execution ${ex.arn} failed internally`, fault);
        ex.runner.crash(fault);
      }
    }
    const events = ex.pendingEvents;
    ex.pendingEvents = [];
    this.store.commitExecution(ex.runner.record, events);
    const requests = ex.pendingInvocations;
    ex.pendingInvocations = [];
    this.notifyChange();
    if (!ex.runner.isOpen) {
      this.openExecutions.delete(ex.arn);
      return true;
    }
    for (const request of requests) this.launch(ex, request);
    return true;
  }

  private notifyChange(): void {
    this.changed.resolve();
    this.changed = signal();
  }

  /**
   * Waits until `waitingFor` is empty. It is asked again whenever anything changes (a call ends, a
   * timer times a task out, a callback arrives), as a call may stop being awaited without ending,
   * and finished calls may start new ones. A call past its grace (see callGraceMs) is not waited for.
   */
  private async settle(waitingFor: () => Array<Promise<void>>): Promise<void> {
    const awaited = () => {
      const realNow = performance.now();
      return waitingFor().filter((job) => (this.releaseAt.get(job) ?? Infinity) > realNow);
    };
    for (;;) {
      const jobs = awaited();
      if (jobs.length === 0) {
        // A result handler may start new calls on a later turn; look once more before declaring quiet.
        await new Promise((resolve) => setImmediate(resolve));
        if (awaited().length === 0) return;
        continue;
      }
      const firstRelease = Math.min(...jobs.map((job) => this.releaseAt.get(job) ?? Infinity));
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const graceOver = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, Math.max(0, firstRelease - performance.now()) + 1);
      });
      try {
        await Promise.race([Promise.allSettled(jobs), this.changed.promise, graceOver]);
      } finally {
        clearTimeout(graceTimer);
      }
    }
  }

  /** Makes an integration call outside the synchronous step that asked for it, and feeds its result back. */
  private launch(ex: OpenExecution, request: InvocationRequest): void {
    const job = (async () => {
      await Promise.resolve();
      let outcome: Outcome;
      try {
        outcome = { ok: true, value: await runTask(this.integrationsFor(ex), request.resource, request.request, this.location) };
      } catch (error) {
        outcome =
          error instanceof TaskFailure
            ? { ok: false, error: error.error, cause: error.cause }
            : { ok: false, error: 'States.TaskFailed', cause: error instanceof Error ? error.message : String(error) };
      }
      if (this.openExecutions.get(ex.arn) !== ex) return; // closed meanwhile, or the service was closed
      try {
        this.apply(ex, (runner) => runner.onInvocationResult(request.invocationId, outcome));
      } catch (fault) {
        this.logger.error(`local Step Functions: could not record a task result for ${ex.arn}`, fault);
      }
    })();
    this.inflight.set(job, ex);
    ex.inflight.set(job, request.invocationId);
    // The clock waits for this call as long as real time allows, never past the virtual time its task has left.
    const timeoutAt = ex.runner.invocationTimeoutAt(request.invocationId);
    const taskLeftMs = timeoutAt === undefined ? Infinity : Math.max(0, timeoutAt - this.clock.now());
    this.releaseAt.set(job, performance.now() + Math.max(this.minCallGraceMs, Math.min(this.callGraceMs, taskLeftMs)));
    void job.finally(() => {
      this.inflight.delete(job);
      ex.inflight.delete(job);
      this.releaseAt.delete(job);
      this.notifyChange();
    });
  }

  /** The integrations as one execution's tasks see them: states:startExecution is this service's own unless the stack gave one. */
  private integrationsFor(ex: OpenExecution): ServiceIntegrations {
    if (this.integrations.startExecution) return this.integrations;
    return {
      ...this.integrations,
      startExecution: async (params) => {
        const started = await this.startExecution(params);
        const child = this.openExecutions.get(started.executionArn);
        if (child) ex.spawned.add(child);
        return started;
      },
    };
  }

  private track(record: ExecutionRecord): OpenExecution {
    const ex: OpenExecution = {
      arn: record.executionArn,
      runner: undefined as unknown as ExecutionRunner,
      pendingEvents: [],
      pendingInvocations: [],
      inflight: new Map(),
      spawned: new Set(),
    };
    ex.runner = new ExecutionRunner(record, this.definitionFor(record.definitionHash), {
      now: () => this.clock.now(),
      location: this.location,
      appendEvent: (event) => ex.pendingEvents.push(event),
      scheduleTimer: (key, at) => this.clock.schedule({ key, at, payload: { executionArn: record.executionArn } }),
      cancelTimer: (key) => this.clock.cancel(key),
      requestInvocation: (invocation) => ex.pendingInvocations.push(invocation),
      ...(this.limits ? { limits: this.limits } : {}),
    });
    this.openExecutions.set(record.executionArn, ex);
    return ex;
  }

  private stillAwaited(ex: OpenExecution, invocationId: number | undefined): boolean {
    return invocationId !== undefined && this.openExecutions.get(ex.arn) === ex && ex.runner.awaitsInvocation(invocationId);
  }

  private definitionFor(hash: string): StateMachineDefinition {
    let definition = this.definitions.get(hash);
    if (!definition) {
      definition = JSON.parse(this.store.loadDefinition(hash)) as StateMachineDefinition;
      this.definitions.set(hash, definition);
    }
    return definition;
  }

  private checkDefinitionText(text: unknown): StateMachineDefinition {
    if (typeof text !== 'string') throw new StepFunctionsError('InvalidDefinition', 'Invalid State Machine Definition: the definition must be a string');
    const { definition, problems } = checkDefinition(text);
    if (!definition) {
      const detail = problems.map((p) => `${p.message} at ${p.at || '/'}`).join('; ');
      throw new StepFunctionsError('InvalidDefinition', `Invalid State Machine Definition: '${detail}'`);
    }
    return definition;
  }

  private executionForToken(token: unknown): OpenExecution {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) {
      throw new StepFunctionsError('ValidationException', 'taskToken must be a string of 1 to 2048 characters');
    }
    const ref = decodeTaskToken(token);
    if (!ref) throw new StepFunctionsError('InvalidToken', 'Invalid Token: the task token could not be parsed');
    const ex = this.openExecutions.get(ref.executionArn);
    if (ex) return ex;
    const parts = parseExecutionArn(ref.executionArn);
    if (parts && this.store.readExecution(parts.machine, parts.name)) throw taskGone();
    throw new StepFunctionsError('TaskDoesNotExist', 'Task Does Not Exist: no execution is waiting on this task token');
  }

  private machineByArn(arn: unknown): StateMachineRecord {
    if (typeof arn !== 'string') throw new StepFunctionsError('ValidationException', 'stateMachineArn is required');
    const m = /^arn:[a-z-]+:states:[^:]*:[^:]*:stateMachine:([^:]+)$/.exec(arn);
    if (!m) throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${arn}'`);
    const machine = this.machines.get(m[1]);
    if (!machine || machine.stateMachineArn !== arn) throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private recordOf(arn: unknown): ExecutionRecord {
    if (typeof arn !== 'string') throw new StepFunctionsError('ValidationException', 'executionArn is required');
    const open = this.openExecutions.get(arn);
    if (open) return open.runner.record;
    const parts = parseExecutionArn(arn);
    if (!parts) throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${arn}'`);
    const record = this.store.readExecution(parts.machine, parts.name);
    if (!record || record.executionArn !== arn) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private executionArnOf(machineName: string, name: string): string {
    return `arn:${this.location.partition}:states:${this.location.region}:${this.location.accountId}:execution:${machineName}:${name}`;
  }

  private describeMachine(machine: StateMachineRecord): StateMachineDescription {
    return {
      stateMachineArn: machine.stateMachineArn,
      name: machine.name,
      status: 'ACTIVE',
      definition: this.store.loadDefinition(machine.definitionHash),
      roleArn: machine.roleArn,
      type: 'STANDARD',
      creationDate: new Date(machine.creationDate),
      revisionId: machine.revisionId,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  private pseudoMachine(record: ExecutionRecord): StateMachineRecord {
    return {
      name: record.stateMachineName,
      stateMachineArn: record.stateMachineArn,
      definitionHash: record.definitionHash,
      roleArn: record.roleArn,
      type: 'STANDARD',
      creationDate: record.startDate,
      revisionId: record.definitionHash,
    };
  }

  private ensureOpen(): void {
    if (!this.opened) throw new Error('LocalStepFunctions: call open() before using the service');
  }
}

/** What ListExecutions shows of an execution; DescribeExecution adds its input, output and error. */
function listItemOf(r: ExecutionRecord): ExecutionListItem {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: new Date(r.startDate),
    ...(r.stopDate !== undefined ? { stopDate: new Date(r.stopDate) } : {}),
  };
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function parseExecutionArn(arn: string): { machine: string; name: string } | undefined {
  const m = /^arn:[a-z-]+:states:[^:]*:[^:]*:execution:([^:]+):([^:]+)$/.exec(arn);
  return m ? { machine: m[1], name: m[2] } : undefined;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function validateName(name: unknown, what: string): void {
  if (typeof name !== 'string' || name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name) || /^\.+$/.test(name)) {
    throw new StepFunctionsError('InvalidName', `Invalid Name: '${String(name)}' is not a valid ${what} name`);
  }
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new StepFunctionsError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function checkJsonText(text: unknown, code: 'InvalidExecutionInput' | 'InvalidOutput', field: string): void {
  if (typeof text !== 'string') throw new StepFunctionsError(code, `Invalid ${field}: it must be JSON text`);
  if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) throw new StepFunctionsError(code, `Invalid ${field}: it is larger than 256 KiB`);
  try {
    JSON.parse(text);
  } catch {
    throw new StepFunctionsError(code, `Invalid ${field}: it is not valid JSON`);
  }
}

function checkErrorAndCause(error: unknown, cause: unknown): void {
  if (error !== undefined && (typeof error !== 'string' || error.length > 256)) {
    throw new StepFunctionsError('ValidationException', 'error must be a string of at most 256 characters');
  }
  if (cause !== undefined && (typeof cause !== 'string' || cause.length > 32768)) {
    throw new StepFunctionsError('ValidationException', 'cause must be a string of at most 32768 characters');
  }
}

/** What AWS answers for a token whose task has completed, timed out or whose execution has stopped. */
function taskGone(): StepFunctionsError {
  return new StepFunctionsError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
}

function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { page: T[]; nextToken?: string } {
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 1000)) {
    throw new StepFunctionsError('ValidationException', 'maxResults must be an integer from 0 to 1000');
  }
  const size = maxResults || 100;
  let offset = 0;
  if (nextToken !== undefined) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!decoded) throw new StepFunctionsError('InvalidToken', 'Invalid Token: the nextToken is not valid');
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  return { page, ...(more ? { nextToken: Buffer.from(`o${offset + size}`, 'utf8').toString('base64url') } : {}) };
}

/**
 * A page of an execution's history, oldest first or (reverseOrder) newest first, as AWS pages it:
 * the token names the last event returned, so events appended while a client pages newest first
 * neither repeat nor push older ones out of reach. A token is for the order it was made in.
 */
export function historyPage<T extends { id: number }>(
  events: readonly T[],
  input: { maxResults?: number; nextToken?: string; reverseOrder?: boolean },
): { page: T[]; nextToken?: string } {
  if (input.maxResults !== undefined && (!Number.isInteger(input.maxResults) || input.maxResults < 0 || input.maxResults > 1000)) {
    throw new StepFunctionsError('ValidationException', 'maxResults must be an integer from 0 to 1000');
  }
  const size = input.maxResults || 100;
  const order = input.reverseOrder ? 'r' : 'f';
  let after: number | undefined;
  if (input.nextToken !== undefined) {
    const decoded = /^h([rf])(\d+)$/.exec(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
    if (!decoded || decoded[1] !== order) throw new StepFunctionsError('InvalidToken', 'Invalid Token: the nextToken is not valid');
    after = Number(decoded[2]);
  }
  // Event ids run 1, 2, 3, … in the order events were written.
  const rest = input.reverseOrder
    ? events.filter((e) => after === undefined || e.id < after).reverse()
    : events.filter((e) => after === undefined || e.id > after);
  const page = rest.slice(0, size);
  const more = rest.length > size;
  return { page, ...(more ? { nextToken: Buffer.from(`h${order}${page.at(-1)!.id}`, 'utf8').toString('base64url') } : {}) };
}

function toHistoryEvent(event: StoredHistoryEvent, includeData: boolean): HistoryEvent {
  const { timestamp, ...rest } = event;
  const out: HistoryEvent = { ...rest, timestamp: new Date(timestamp) } as HistoryEvent;
  if (!includeData) {
    for (const [key, details] of Object.entries(out)) {
      if (key.endsWith('EventDetails') && details && typeof details === 'object') {
        const { input, output, ...kept } = details as Record<string, unknown>;
        void input;
        void output;
        out[key] = kept;
      }
    }
  }
  return out;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The local stack's single source of time. Every timer of every local subsystem (Step Functions
 * waits and timeouts, report schedules, ...) lives here as data, so time can be frozen, jumped
 * forward in tests, or left to flow with real time (optionally faster) when the stack runs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Timer {
  /** Unique; registering the same key again replaces the earlier timer. */
  key: string;
  /** Epoch milliseconds at which the timer is due. */
  at: number;
  /** JSON data handed back to the handler when the timer fires. */
  payload: unknown;
}

export type TimerHandler = (timer: Timer) => Promise<void> | void;

export interface ClockSnapshot {
  nowMs: number;
  /** In registration order, which is also the tie-break order for timers due at the same instant. */
  timers: Timer[];
}

export interface VirtualClockOptions {
  startMs: number;
  /** Virtual ms per real ms while running (see start()); 0 freezes time. Default 1. */
  timeScale?: number;
  /** Real-time interval between advances while running. Default 50 ms. */
  tickMs?: number;
  /** Called when a handler throws; firing goes on with the next handler and timer. Default: console.error. */
  onHandlerError?: (error: unknown, timer: Timer) => void;
  /**
   * How many independent timers may be firing at once (default 1: strictly one after another).
   * Independent timers (see `isIndependent`) start in time order and may overlap their handlers'
   * I/O; inside a handler now() is that timer's own instant. Any other timer is a barrier: it
   * starts only when every earlier timer has fired and no handler is running, so it sees all
   * the consequences of what came before it.
   */
  maxConcurrentTimers?: number;
  /** Timers whose handlers touch nothing another independent timer's handler reads (e.g. one workflow execution each). */
  isIndependent?: (timer: Timer) => boolean;
  /**
   * Makes an instant durable before the clock may reach it: called synchronously, and it must have
   * persisted `untilMs` when it returns. The clock never moves (nor lets a handler read a time) past
   * the last instant reserved, so a process killed at any moment restarts from there or later,
   * never earlier than a time it has stamped on anything.
   */
  reserve?: (untilMs: number) => void;
  /** How far ahead of the instant it needs the clock reserves, so a running clock writes seldom. Default 0. */
  reserveAheadMs?: number | (() => number);
}

export interface ClockRestoreOptions {
  timeScale?: number;
  tickMs?: number;
  onHandlerError?: (error: unknown, timer: Timer) => void;
  maxConcurrentTimers?: number;
  isIndependent?: (timer: Timer) => boolean;
}

interface RegisteredTimer extends Timer {
  seq: number;
}

export class VirtualClock implements Clock {
  private nowMs: number;
  private scale: number;
  private readonly tickMs: number;
  private readonly onHandlerError: (error: unknown, timer: Timer) => void;
  private readonly timers = new Map<string, RegisteredTimer>();
  /** Timers by due time (a binary heap); entries replaced or cancelled since are skipped when they surface. */
  private readonly queueByDue: RegisteredTimer[] = [];
  private readonly maxConcurrentTimers: number;
  private readonly isIndependent: (timer: Timer) => boolean;
  /** The instant of the timer whose handler is running, for code called from it. */
  private readonly firingAt = new AsyncLocalStorage<number>();
  private readonly handlers = new Set<TimerHandler>();
  private nextSeq = 0;
  /** Tail of the advance queue: advances run one after another, never interleaved. */
  private queue: Promise<unknown> = Promise.resolve();
  private interval: ReturnType<typeof setInterval> | undefined;
  private lastRealMs = 0;
  private tickPending = false;
  private readonly reserveFn: ((untilMs: number) => void) | undefined;
  private readonly reserveAhead: () => number;
  private reservedUntil: number;

  constructor(opts: VirtualClockOptions) {
    if (!Number.isFinite(opts.startMs)) throw new RangeError('startMs must be a finite number of epoch milliseconds');
    this.nowMs = opts.startMs;
    this.scale = validScale(opts.timeScale ?? 1);
    this.tickMs = opts.tickMs ?? 50;
    this.onHandlerError =
      opts.onHandlerError ?? ((error, timer) => console.error(`clock: handler for timer ${timer.key} failed`, error));
    this.maxConcurrentTimers = Math.max(1, Math.floor(opts.maxConcurrentTimers ?? 1));
    this.isIndependent = opts.isIndependent ?? (() => false);
    this.reserveFn = opts.reserve;
    const ahead = opts.reserveAheadMs ?? 0;
    this.reserveAhead = typeof ahead === 'function' ? ahead : () => ahead;
    this.reservedUntil = opts.startMs;
    this.reserveFn?.(this.reservedUntil);
  }

  /** The last instant made durable (see `reserve`): the clock is never past it. */
  get durableUntil(): number {
    return this.reservedUntil;
  }

  /** Reserves `target` (and some time beyond) before the clock may move to it. */
  private reserveUpTo(target: number): void {
    if (!this.reserveFn || target <= this.reservedUntil) return;
    const until = target + Math.max(0, this.reserveAhead());
    this.reserveFn(until);
    this.reservedUntil = until;
  }

  now(): number {
    return this.firingAt.getStore() ?? this.nowMs;
  }

  get timeScale(): number {
    return this.scale;
  }

  setTimeScale(scale: number): void {
    this.scale = validScale(scale);
  }

  schedule(timer: Timer): void {
    if (typeof timer.key !== 'string' || timer.key === '') throw new TypeError('timer key must be a non-empty string');
    if (!Number.isFinite(timer.at)) throw new RangeError(`timer ${timer.key}: at must be finite`);
    const registered = { key: timer.key, at: timer.at, payload: timer.payload, seq: this.nextSeq++ };
    this.timers.delete(timer.key);
    this.timers.set(timer.key, registered);
    heapPush(this.queueByDue, registered);
  }

  cancel(key: string): void {
    this.timers.delete(key);
  }

  pending(): Timer[] {
    return [...this.timers.values()].sort(byDueTime).map(({ key, at, payload }) => ({ key, at, payload }));
  }

  /** Handlers are called for every timer (each decides by key whether it is theirs). Returns an unsubscribe function. */
  onFire(handler: TimerHandler): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  /**
   * Moves time forward by `ms`, firing due timers in time order. A handler must not await advance()
   * itself: advances are serialized, so that would wait forever.
   */
  advance(ms: number): Promise<{ fired: number; now: number }> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new RangeError('advance(ms) needs a finite ms >= 0'));
    const run = this.queue.then(() => this.runUntil(this.nowMs + ms));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Moves time forward to an absolute instant (no-op for instants already past, apart from firing due timers). */
  advanceTo(epochMs: number): Promise<{ fired: number; now: number }> {
    const run = this.queue.then(() => this.runUntil(Math.max(this.nowMs, epochMs)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  start(): void {
    if (this.interval) return;
    this.lastRealMs = performance.now();
    this.interval = setInterval(() => this.tick(), this.tickMs);
    // The clock alone must not keep a process (or a test run) alive.
    this.interval.unref?.();
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    this.interval = undefined;
  }

  get running(): boolean {
    return this.interval !== undefined;
  }

  snapshot(): ClockSnapshot {
    return {
      nowMs: this.nowMs,
      timers: [...this.timers.values()]
        .sort((a, b) => a.seq - b.seq)
        .map(({ key, at, payload }) => ({ key, at, payload: cloneJson(payload) })),
    };
  }

  static restore(snapshot: ClockSnapshot, opts: ClockRestoreOptions = {}): VirtualClock {
    const clock = new VirtualClock({ ...opts, startMs: snapshot.nowMs });
    for (const timer of snapshot.timers) clock.schedule({ key: timer.key, at: timer.at, payload: cloneJson(timer.payload) });
    return clock;
  }

  private tick(): void {
    if (this.tickPending) return; // a slow handler is still running; the elapsed time is picked up by the next tick
    const realNow = performance.now();
    const virtualMs = Math.floor((realNow - this.lastRealMs) * this.scale);
    const hasDue = (this.earliestLive()?.at ?? Infinity) <= this.nowMs;
    if (virtualMs <= 0 && !hasDue) {
      if (this.scale === 0) this.lastRealMs = realNow;
      return;
    }
    // Keep the sub-millisecond remainder so a slow tick rate does not make time drift.
    this.lastRealMs = this.scale > 0 ? this.lastRealMs + virtualMs / this.scale : realNow;
    this.tickPending = true;
    this.advance(Math.max(0, virtualMs))
      // Time could not be made durable (see reserve): it stays where it is, and the next tick tries again.
      .catch((error: unknown) => console.error('clock: time did not move', error))
      .finally(() => {
        this.tickPending = false;
      });
  }

  private async runUntil(target: number): Promise<{ fired: number; now: number }> {
    // Durable first: if this throws (the disk is full), time does not move.
    this.reserveUpTo(target);
    let fired = 0;
    const inFlight = new Set<Promise<void>>();
    let barrierInFlight = false;
    for (;;) {
      const head = this.earliestLive();
      const due = head && head.at <= target ? head : undefined;
      const independent = due !== undefined && this.isIndependent(due);
      const mayStart =
        due !== undefined && (independent ? !barrierInFlight && inFlight.size < this.maxConcurrentTimers : inFlight.size === 0);
      if (due && mayStart) {
        heapPop(this.queueByDue);
        this.timers.delete(due.key);
        // A timer registered for an instant already past fires at "now": time never goes backwards.
        // An independent one keeps its own instant: others may have run ahead of it meanwhile.
        const firesAt = independent ? due.at : Math.max(due.at, this.nowMs);
        if (due.at > this.nowMs) this.nowMs = due.at;
        fired++;
        barrierInFlight ||= !independent;
        const timer: Timer = { key: due.key, at: due.at, payload: due.payload };
        const firing: Promise<void> = this.firingAt.run(firesAt, () => this.fire(timer)).finally(() => {
          inFlight.delete(firing);
          if (!independent) barrierInFlight = false;
        });
        inFlight.add(firing);
        continue;
      }
      // Nothing may start now: wait for a firing to finish (it may schedule new timers, even earlier ones).
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    if (target > this.nowMs) this.nowMs = target;
    return { fired, now: this.nowMs };
  }

  private async fire(timer: Timer): Promise<void> {
    for (const handler of [...this.handlers]) {
      try {
        await handler(timer);
      } catch (error) {
        this.onHandlerError(error, timer);
      }
    }
  }

  /** The earliest timer still registered; entries replaced or cancelled since are dropped on the way. */
  private earliestLive(): RegisteredTimer | undefined {
    let head = this.queueByDue[0];
    while (head && this.timers.get(head.key) !== head) {
      heapPop(this.queueByDue);
      head = this.queueByDue[0];
    }
    return head;
  }
}

function byDueTime(a: RegisteredTimer, b: RegisteredTimer): number {
  return a.at - b.at || a.seq - b.seq;
}

function heapPush(heap: RegisteredTimer[], item: RegisteredTimer): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (byDueTime(heap[parent], heap[i]) <= 0) break;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
}

function heapPop(heap: RegisteredTimer[]): RegisteredTimer | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length && last) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && byDueTime(heap[left], heap[smallest]) < 0) smallest = left;
      if (right < heap.length && byDueTime(heap[right], heap[smallest]) < 0) smallest = right;
      if (smallest === i) break;
      [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
      i = smallest;
    }
  }
  return top;
}

function validScale(scale: number): number {
  if (!Number.isFinite(scale) || scale < 0) throw new RangeError('timeScale must be a finite number >= 0');
  return scale;
}

function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

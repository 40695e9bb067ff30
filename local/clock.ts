/**
 * The local stack's single source of time. Every timer of every local subsystem (Step Functions
 * waits and timeouts, report schedules, ...) lives here as data, so time can be frozen, jumped
 * forward in tests, or left to flow with real time (optionally faster) when the stack runs.
 */

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
}

export interface ClockRestoreOptions {
  timeScale?: number;
  tickMs?: number;
  onHandlerError?: (error: unknown, timer: Timer) => void;
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
  private readonly handlers = new Set<TimerHandler>();
  private nextSeq = 0;
  /** Tail of the advance queue: advances run one after another, never interleaved. */
  private queue: Promise<unknown> = Promise.resolve();
  private interval: ReturnType<typeof setInterval> | undefined;
  private lastRealMs = 0;
  private tickPending = false;

  constructor(opts: VirtualClockOptions) {
    if (!Number.isFinite(opts.startMs)) throw new RangeError('startMs must be a finite number of epoch milliseconds');
    this.nowMs = opts.startMs;
    this.scale = validScale(opts.timeScale ?? 1);
    this.tickMs = opts.tickMs ?? 50;
    this.onHandlerError =
      opts.onHandlerError ?? ((error, timer) => console.error(`clock: handler for timer ${timer.key} failed`, error));
  }

  now(): number {
    return this.nowMs;
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
    this.timers.delete(timer.key);
    this.timers.set(timer.key, { key: timer.key, at: timer.at, payload: timer.payload, seq: this.nextSeq++ });
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
    const hasDue = [...this.timers.values()].some((t) => t.at <= this.nowMs);
    if (virtualMs <= 0 && !hasDue) {
      if (this.scale === 0) this.lastRealMs = realNow;
      return;
    }
    // Keep the sub-millisecond remainder so a slow tick rate does not make time drift.
    this.lastRealMs = this.scale > 0 ? this.lastRealMs + virtualMs / this.scale : realNow;
    this.tickPending = true;
    this.advance(Math.max(0, virtualMs)).finally(() => {
      this.tickPending = false;
    });
  }

  private async runUntil(target: number): Promise<{ fired: number; now: number }> {
    let fired = 0;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next.key);
      // A timer registered for an instant already past fires at "now": time never goes backwards.
      if (next.at > this.nowMs) this.nowMs = next.at;
      fired++;
      const timer: Timer = { key: next.key, at: next.at, payload: next.payload };
      for (const handler of [...this.handlers]) {
        try {
          await handler(timer);
        } catch (error) {
          this.onHandlerError(error, timer);
        }
      }
    }
    if (target > this.nowMs) this.nowMs = target;
    return { fired, now: this.nowMs };
  }

  private nextDue(target: number): RegisteredTimer | undefined {
    let best: RegisteredTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at > target) continue;
      if (!best || byDueTime(timer, best) < 0) best = timer;
    }
    return best;
  }
}

function byDueTime(a: RegisteredTimer, b: RegisteredTimer): number {
  return a.at - b.at || a.seq - b.seq;
}

function validScale(scale: number): number {
  if (!Number.isFinite(scale) || scale < 0) throw new RangeError('timeScale must be a finite number >= 0');
  return scale;
}

function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

import { VirtualClock, type Timer } from '../../local/clock';

const T0 = Date.UTC(2025, 0, 1);

function recorder(clock: VirtualClock) {
  const fired: Array<{ key: string; at: number; now: number; payload: unknown }> = [];
  clock.onFire(async (timer) => {
    fired.push({ key: timer.key, at: timer.at, now: clock.now(), payload: timer.payload });
  });
  return fired;
}

describe('VirtualClock', () => {
  test('starts at startMs and stays frozen until advanced', async () => {
    const clock = new VirtualClock({ startMs: T0, timeScale: 0 });
    expect(clock.now()).toBe(T0);
    await expect(clock.advance(1500)).resolves.toEqual({ fired: 0, now: T0 + 1500 });
    expect(clock.now()).toBe(T0 + 1500);
  });

  test('fires due timers in time order, ties in registration order, with now() at each timer', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    const fired = recorder(clock);
    clock.schedule({ key: 'c', at: T0 + 300, payload: 3 });
    clock.schedule({ key: 'a', at: T0 + 100, payload: 1 });
    clock.schedule({ key: 'b1', at: T0 + 200, payload: 2 });
    clock.schedule({ key: 'b2', at: T0 + 200, payload: 22 });
    clock.schedule({ key: 'late', at: T0 + 5000, payload: 5 });
    const result = await clock.advance(1000);
    expect(result).toEqual({ fired: 4, now: T0 + 1000 });
    expect(fired.map((f) => f.key)).toEqual(['a', 'b1', 'b2', 'c']);
    expect(fired.map((f) => f.now - T0)).toEqual([100, 200, 200, 300]);
    expect(fired.every((f) => f.now === f.at)).toBe(true);
    expect(clock.pending().map((t) => t.key)).toEqual(['late']);
  });

  test('re-registering a key replaces the timer (and its place among ties)', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    const fired = recorder(clock);
    clock.schedule({ key: 'x', at: T0 + 100, payload: 'first' });
    clock.schedule({ key: 'y', at: T0 + 100, payload: 'y' });
    clock.schedule({ key: 'x', at: T0 + 100, payload: 'second' });
    await clock.advance(100);
    expect(fired.map((f) => [f.key, f.payload])).toEqual([
      ['y', 'y'],
      ['x', 'second'],
    ]);
  });

  test('cancel removes a timer; pending lists by due time', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    const fired = recorder(clock);
    clock.schedule({ key: 'b', at: T0 + 20, payload: null });
    clock.schedule({ key: 'a', at: T0 + 10, payload: { n: 1 } });
    expect(clock.pending()).toEqual([
      { key: 'a', at: T0 + 10, payload: { n: 1 } },
      { key: 'b', at: T0 + 20, payload: null },
    ]);
    clock.cancel('a');
    await clock.advance(50);
    expect(fired.map((f) => f.key)).toEqual(['b']);
  });

  test('timers scheduled by a handler fire in the same advance when inside the span', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    const fired: string[] = [];
    clock.onFire(async (timer) => {
      fired.push(`${timer.key}@${clock.now() - T0}`);
      if (timer.key === 'first') {
        clock.schedule({ key: 'inside', at: clock.now() + 400, payload: null });
        clock.schedule({ key: 'outside', at: clock.now() + 2000, payload: null });
      }
    });
    clock.schedule({ key: 'first', at: T0 + 100, payload: null });
    const { fired: count } = await clock.advance(1000);
    expect(count).toBe(2);
    expect(fired).toEqual(['first@100', 'inside@500']);
    expect(clock.pending().map((t) => t.key)).toEqual(['outside']);
  });

  test('a timer registered in the past fires at the current time, never moving time backwards', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    const fired = recorder(clock);
    clock.schedule({ key: 'past', at: T0 - 10_000, payload: null });
    await clock.advance(0);
    expect(fired).toEqual([{ key: 'past', at: T0 - 10_000, now: T0, payload: null }]);
  });

  test('async handlers are awaited before the next timer fires', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    const log: string[] = [];
    clock.onFire(async (timer) => {
      log.push(`start ${timer.key}`);
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`end ${timer.key}`);
    });
    clock.schedule({ key: 'a', at: T0 + 1, payload: null });
    clock.schedule({ key: 'b', at: T0 + 2, payload: null });
    await clock.advance(10);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  test('advances are serialized: the second starts after the first has finished', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    const seen: number[] = [];
    clock.onFire(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(clock.now() - T0);
    });
    clock.schedule({ key: 'a', at: T0 + 100, payload: null });
    clock.schedule({ key: 'b', at: T0 + 250, payload: null });
    const first = clock.advance(200);
    const second = clock.advance(100);
    await expect(first).resolves.toEqual({ fired: 1, now: T0 + 200 });
    await expect(second).resolves.toEqual({ fired: 1, now: T0 + 300 });
    expect(seen).toEqual([100, 250]);
  });

  test('a failing handler is reported and does not stop other handlers or timers', async () => {
    const errors: Array<[unknown, Timer]> = [];
    const clock = new VirtualClock({ startMs: T0, onHandlerError: (error, timer) => errors.push([error, timer]) });
    const fired: string[] = [];
    clock.onFire(() => {
      throw new Error('boom');
    });
    clock.onFire((timer) => {
      fired.push(timer.key);
    });
    clock.schedule({ key: 'a', at: T0 + 1, payload: null });
    clock.schedule({ key: 'b', at: T0 + 2, payload: null });
    await clock.advance(5);
    expect(fired).toEqual(['a', 'b']);
    expect(errors.map(([e, t]) => [(e as Error).message, t.key])).toEqual([
      ['boom', 'a'],
      ['boom', 'b'],
    ]);
  });

  test('onFire returns an unsubscribe function', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    const fired: string[] = [];
    const off = clock.onFire((t) => {
      fired.push(t.key);
    });
    clock.schedule({ key: 'a', at: T0 + 1, payload: null });
    off();
    await clock.advance(5);
    expect(fired).toEqual([]);
  });

  test('advanceTo moves to an absolute instant', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    await clock.advanceTo(T0 + 60_000);
    expect(clock.now()).toBe(T0 + 60_000);
    await clock.advanceTo(T0); // the past: no-op
    expect(clock.now()).toBe(T0 + 60_000);
  });

  test('rejects negative or non-finite advances', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
    await expect(clock.advance(Number.NaN)).rejects.toThrow(RangeError);
    expect(() => new VirtualClock({ startMs: T0, timeScale: -1 })).toThrow(RangeError);
  });

  test('snapshot and restore keep time and timers (payloads copied)', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    const payload = { executionArn: 'arn:x', nested: [1, 2] };
    clock.schedule({ key: 'sfn:m:e:1', at: T0 + 5000, payload });
    clock.schedule({ key: 'report:daily', at: T0 + 1000, payload: { kind: 'daily' } });
    await clock.advance(500);
    const snapshot = clock.snapshot();
    payload.nested.push(3);
    expect(snapshot).toEqual({
      nowMs: T0 + 500,
      timers: [
        { key: 'sfn:m:e:1', at: T0 + 5000, payload: { executionArn: 'arn:x', nested: [1, 2] } },
        { key: 'report:daily', at: T0 + 1000, payload: { kind: 'daily' } },
      ],
    });
    const restored = VirtualClock.restore(JSON.parse(JSON.stringify(snapshot)), { timeScale: 0 });
    expect(restored.now()).toBe(T0 + 500);
    expect(restored.timeScale).toBe(0);
    const fired = recorder(restored);
    await restored.advance(10_000);
    expect(fired.map((f) => [f.key, f.now - T0])).toEqual([
      ['report:daily', 1000],
      ['sfn:m:e:1', 5000],
    ]);
  });

  describe('real-time flow', () => {
    beforeEach(() => jest.useFakeTimers({ now: 0 }));
    afterEach(() => jest.useRealTimers());

    test('start() advances by elapsed real time times the scale; stop() freezes it', async () => {
      const clock = new VirtualClock({ startMs: T0, timeScale: 60, tickMs: 100 });
      const fired = recorder(clock);
      clock.schedule({ key: 'minute', at: T0 + 60_000, payload: null });
      clock.start();
      expect(clock.running).toBe(true);
      await jest.advanceTimersByTimeAsync(1000);
      expect(clock.now()).toBe(T0 + 60_000);
      expect(fired.map((f) => f.key)).toEqual(['minute']);
      clock.stop();
      await jest.advanceTimersByTimeAsync(1000);
      expect(clock.now()).toBe(T0 + 60_000);
    });

    test('a running clock with time scale 0 stays put but fires timers already due', async () => {
      const clock = new VirtualClock({ startMs: T0, timeScale: 0, tickMs: 10 });
      const fired = recorder(clock);
      clock.start();
      clock.schedule({ key: 'due', at: T0 - 1, payload: null });
      await jest.advanceTimersByTimeAsync(50);
      expect(clock.now()).toBe(T0);
      expect(fired.map((f) => f.key)).toEqual(['due']);
      clock.setTimeScale(2);
      await jest.advanceTimersByTimeAsync(100);
      expect(clock.now()).toBe(T0 + 200);
      clock.stop();
    });
  });
});

describe('timers firing concurrently (maxConcurrentTimers)', () => {
  const realDelay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('starts timers in time order, overlaps their handlers, and gives each its own now()', async () => {
    const clock = new VirtualClock({ startMs: 0, timeScale: 0, maxConcurrentTimers: 4, isIndependent: () => true });
    const started: string[] = [];
    const seenNow: Record<string, number[]> = {};
    let running = 0;
    let mostAtOnce = 0;
    clock.onFire(async (timer) => {
      started.push(timer.key);
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      seenNow[timer.key] = [clock.now()];
      await realDelay(5);
      seenNow[timer.key].push(clock.now());
      running--;
    });
    for (const at of [400, 100, 300, 200, 500, 600]) clock.schedule({ key: `t${at}`, at, payload: null });
    const { fired, now } = await clock.advance(1000);
    expect(fired).toBe(6);
    expect(now).toBe(1000);
    expect(started).toEqual(['t100', 't200', 't300', 't400', 't500', 't600']);
    expect(mostAtOnce).toBe(4);
    for (const [key, values] of Object.entries(seenNow)) expect(values).toEqual([Number(key.slice(1)), Number(key.slice(1))]);
  });

  it('fires, in the same advance, timers that handlers schedule inside the span', async () => {
    const clock = new VirtualClock({ startMs: 0, timeScale: 0, maxConcurrentTimers: 8, isIndependent: () => true });
    const fired: Array<[string, number]> = [];
    clock.onFire(async (timer) => {
      fired.push([timer.key, clock.now()]);
      const step = Number(timer.key.split(':')[1]);
      if (step < 3) clock.schedule({ key: `${timer.key.split(':')[0]}:${step + 1}`, at: clock.now() + 100, payload: null });
    });
    clock.schedule({ key: 'a:1', at: 50, payload: null });
    clock.schedule({ key: 'b:1', at: 60, payload: null });
    await clock.advance(1000);
    expect(fired).toEqual([
      ['a:1', 50],
      ['b:1', 60],
      ['a:2', 150],
      ['b:2', 160],
      ['a:3', 250],
      ['b:3', 260],
    ]);
  });

  it('never fires a timer that was replaced or cancelled', async () => {
    const clock = new VirtualClock({ startMs: 0, timeScale: 0, maxConcurrentTimers: 2, isIndependent: () => true });
    const fired: Array<[string, number]> = [];
    clock.onFire((timer) => void fired.push([timer.key, timer.at]));
    clock.schedule({ key: 'x', at: 10, payload: null });
    clock.schedule({ key: 'x', at: 30, payload: null });
    clock.schedule({ key: 'y', at: 20, payload: null });
    clock.cancel('y');
    await clock.advance(100);
    expect(fired).toEqual([['x', 30]]);
  });

  it('starts a barrier timer only after every earlier timer and everything they scheduled has fired', async () => {
    const clock = new VirtualClock({ startMs: 0, timeScale: 0, maxConcurrentTimers: 8, isIndependent: (timer) => timer.key.startsWith('sfn:') });
    const order: Array<[string, number]> = [];
    clock.onFire(async (timer) => {
      order.push([timer.key, clock.now()]);
      await realDelay(2);
      // Each execution's timer leads to another one 300 ms later, before the report's instant.
      if (timer.key === 'sfn:a:1') clock.schedule({ key: 'sfn:a:2', at: timer.at + 300, payload: null });
    });
    clock.schedule({ key: 'sfn:a:1', at: 100, payload: null });
    clock.schedule({ key: 'sfn:b:1', at: 200, payload: null });
    clock.schedule({ key: 'report', at: 500, payload: null });
    clock.schedule({ key: 'sfn:c:1', at: 600, payload: null });
    await clock.advance(1000);
    expect(order).toEqual([
      ['sfn:a:1', 100],
      ['sfn:b:1', 200],
      ['sfn:a:2', 400],
      ['report', 500],
      ['sfn:c:1', 600],
    ]);
  });

  it('without isIndependent, timers fire strictly one after another whatever maxConcurrentTimers says', async () => {
    const clock = new VirtualClock({ startMs: 0, timeScale: 0, maxConcurrentTimers: 8 });
    let running = 0;
    let mostAtOnce = 0;
    clock.onFire(async () => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await realDelay(2);
      running--;
    });
    for (const at of [10, 20, 30]) clock.schedule({ key: `t${at}`, at, payload: null });
    await clock.advance(100);
    expect(mostAtOnce).toBe(1);
  });
});

describe('durable time (reserve)', () => {
  it('reserves every instant before the clock or a handler can reach it', async () => {
    const reserved: number[] = [];
    const seen: Array<[string, number, number]> = [];
    const clock = new VirtualClock({ startMs: 1000, timeScale: 0, reserve: (until) => reserved.push(until) });
    expect(reserved).toEqual([1000]);
    clock.onFire((timer) => {
      seen.push([timer.key, clock.now(), clock.durableUntil]);
    });
    clock.schedule({ key: 'a', at: 1500, payload: null });
    await clock.advance(2000);
    expect(reserved).toEqual([1000, 3000]);
    expect(seen).toEqual([['a', 1500, 3000]]);
    expect(clock.now()).toBe(3000);
    await clock.advance(0);
    expect(reserved).toEqual([1000, 3000]); // nothing new to make durable
  });

  it('reserves ahead, so a running clock writes once per stretch, not on every tick', async () => {
    const reserved: number[] = [];
    const clock = new VirtualClock({ startMs: 0, timeScale: 0, reserve: (until) => reserved.push(until), reserveAheadMs: 5000 });
    for (let i = 0; i < 10; i++) await clock.advance(100);
    expect(reserved).toEqual([0, 5100]);
    await clock.advance(5000);
    expect(reserved).toEqual([0, 5100, 11000]);
    expect(clock.now()).toBeLessThanOrEqual(clock.durableUntil);
  });

  it('does not move when the instant cannot be made durable', async () => {
    let full = false;
    const clock = new VirtualClock({
      startMs: 0,
      timeScale: 0,
      reserve: () => {
        if (full) throw new Error('ENOSPC');
      },
    });
    const fired: string[] = [];
    clock.onFire((timer) => {
      fired.push(timer.key);
    });
    clock.schedule({ key: 'a', at: 10, payload: null });
    full = true;
    await expect(clock.advance(100)).rejects.toThrow('ENOSPC');
    expect(clock.now()).toBe(0);
    expect(fired).toEqual([]);
    full = false;
    await clock.advance(100);
    expect(fired).toEqual(['a']);
  });
});

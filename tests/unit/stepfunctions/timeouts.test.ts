/**
 * Conformance: a call that never returns holds its own execution, never the virtual clock. Its
 * task times out at TimeoutSeconds however it was reached (straight from the start, after a Wait,
 * after a retry pause, after a caught States.Timeout), and a result that comes after is ignored.
 * And timestamps as the States Language restricts RFC 3339.
 */
import { evaluateRule, parseTimestamp } from '../../../local/stepfunctions/choice';
import { advance, createHarness, deploy, describe as describeExecution, history, run, T0, type Harness } from './harness';

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const hangingTask = (extra: object = {}) => ({
  Type: 'Task',
  Resource: LAMBDA,
  Parameters: { FunctionName: 'hang', Payload: {} },
  TimeoutSeconds: 1,
  Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'After' }],
  End: true,
  ...extra,
});
const after = { After: { Type: 'Pass', End: true } };

describe('a task whose call never returns', () => {
  let h: Harness;
  /** Resolves the calls to `hang` that are still waiting, to check what a late answer does. */
  let late: Array<(value: unknown) => void>;
  beforeEach(async () => {
    // No floor under the grace here, so a hung call is let go after its TimeoutSeconds of real time (1 s).
    h = await createHarness({ service: { minCallGraceMs: 0 } });
    late = [];
    h.lambdas.set('hang', () => new Promise((resolve) => late.push(resolve)));
  });
  afterEach(() => h.cleanup());

  const startMachine = async (definition: object, input: object = {}) => {
    const { executionArn } = await h.sfn.startExecution({ stateMachineArn: await deploy(h, definition), input: JSON.stringify(input) });
    return executionArn;
  };

  test('reached after a Wait: advance() returns, the task times out at TimeoutSeconds and the Catch runs', async () => {
    const arn = await startMachine({ StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Call' }, Call: hangingTask(), ...after } });
    await advance(h, 60_000);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.timeout.Error).toBe('States.Timeout');
    expect(out.stopDate).toEqual(new Date(T0 + 2000)); // 1 s of Wait, then 1 s of TimeoutSeconds
    expect(h.clock.now()).toBe(T0 + 60_000);
  });

  test('its late result is ignored: nothing is recorded after the timeout', async () => {
    const arn = await startMachine({ StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Call' }, Call: hangingTask(), ...after } });
    await advance(h, 60_000);
    const before = await history(h, arn);
    expect(late).toHaveLength(1);
    late[0]({ tooLate: true });
    await h.sfn.idle();
    await advance(h, 1000);
    expect(await history(h, arn)).toEqual(before);
    expect((await describeExecution(h, arn)).result).not.toHaveProperty('Payload');
  });

  test('reached after a retry pause', async () => {
    let calls = 0;
    h.lambdas.set('flaky', () => {
      calls += 1;
      throw Object.assign(new Error('busy'), { name: 'Busy' });
    });
    const arn = await startMachine({
      StartAt: 'First',
      States: {
        First: {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { FunctionName: 'flaky', Payload: {} },
          Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 2, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failed', Next: 'Call' }],
          Next: 'Call',
        },
        Call: hangingTask({
          Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 3, MaxAttempts: 1 }],
        }),
        ...after,
      },
    });
    await h.sfn.idle(); // the first attempt has failed: its retry pause is on the clock
    await advance(h, 60_000);
    const out = await describeExecution(h, arn);
    expect(calls).toBe(2);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.timeout.Error).toBe('States.Timeout');
    // 2 s retry pause, 1 s timeout, 3 s retry pause, 1 s timeout.
    expect(out.stopDate).toEqual(new Date(T0 + 7000));
  });

  test('reached from a caught States.Timeout of a callback wait, as the case workflow does at every clock point', async () => {
    h.lambdas.set('notify', () => ({}));
    const arn = await startMachine({
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: `${LAMBDA}.waitForTaskToken`,
          Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSeconds: 5,
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Clock' }],
          End: true,
        },
        Clock: hangingTask(),
        ...after,
      },
    });
    await h.sfn.idle();
    await advance(h, 3600_000);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.stopDate).toEqual(new Date(T0 + 6000));
    expect((await history(h, arn)).filter((e) => e.type === 'LambdaFunctionTimedOut' || e.type === 'TaskTimedOut')).toHaveLength(2);
  });

  test('started directly: idle() lets go of it after its TimeoutSeconds of real time, and the clock times it out', async () => {
    const arn = await startMachine({ StartAt: 'Call', States: { Call: hangingTask(), ...after } });
    await h.sfn.idle();
    await advance(h, 1000);
    expect((await describeExecution(h, arn)).status).toBe('SUCCEEDED');
  });

  test('the grace has a floor: a call slower than its TimeoutSeconds in real time, but inside the floor, is still waited for', async () => {
    const floored = await createHarness(); // the default floor: 5 s
    floored.lambdas.set('slow', () => new Promise((resolve) => setTimeout(() => resolve({ ok: 'late but in time' }), 1200)));
    const { stateMachineArn } = floored.sfn.deployStateMachine({
      name: 'floored',
      definition: JSON.stringify({
        StartAt: 'Pause',
        States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Call' }, Call: hangingTask({ Parameters: { FunctionName: 'slow', Payload: {} } }), ...after },
      }),
      roleArn: 'arn:aws:iam::000000000000:role/x',
    });
    const { executionArn } = await floored.sfn.startExecution({ stateMachineArn, input: '{}' });
    await advance(floored, 60_000);
    const out = await floored.sfn.describeExecution({ executionArn });
    expect(out.status).toBe('SUCCEEDED');
    expect(JSON.parse(out.output as string).Payload).toEqual({ ok: 'late but in time' }); // not States.Timeout: 1.2 s of real time is no virtual time
    await floored.cleanup();
  });

  test('a call that answers in time is waited for, however far the clock is moved', async () => {
    h.lambdas.set('slow', () => new Promise((resolve) => setTimeout(() => resolve({ ok: true }), 50)));
    const arn = await startMachine({
      StartAt: 'Pause',
      States: {
        Pause: { Type: 'Wait', Seconds: 1, Next: 'Call' },
        // 60 s of timeout: the clock would wait up to 30 s (the grace) for a call that takes 50 ms.
        Call: hangingTask({ Parameters: { FunctionName: 'slow', Payload: {} }, TimeoutSeconds: 60 }),
        ...after,
      },
    });
    await advance(h, 3600_000);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.Payload).toEqual({ ok: true });
    expect(out.stopDate).toEqual(new Date(T0 + 1000));
  });
});

describe('timestamps', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.cleanup());

  test('an uppercase T and Z are required, as the States Language says', () => {
    expect(parseTimestamp('2025-03-01T10:00:00Z')).toBeDefined();
    expect(parseTimestamp('2025-03-01t10:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2025-03-01T10:00:00z')).toBeUndefined();
    expect(parseTimestamp('2025-03-01t10:00:00+08:00')).toBeUndefined();
    const rule = (value: string) => evaluateRule('C', { Variable: '$.at', IsTimestamp: true }, { at: value }, {});
    expect(rule('2025-03-01T10:00:00Z')).toBe(true);
    expect(rule('2025-03-01t10:00:00z')).toBe(false);
  });

  test('a definition with a lowercase timestamp is invalid', async () => {
    const definition = { StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '2025-01-01t09:00:10z', End: true } } };
    await expect(deploy(h, definition)).rejects.toMatchObject({ name: 'InvalidDefinition' });
  });

  test('a TimestampPath value with a lowercase t fails the execution with States.Runtime', async () => {
    const out = await run(h, { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.until', End: true } } }, { until: '2025-01-01t09:00:10Z' });
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  test('a Wait Timestamp counts whole seconds: the milliseconds are dropped', async () => {
    const at = new Date(T0 + 10_900).toISOString(); // …09:00:10.900Z
    const arn = (await run(h, { StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: at, End: true } } })).executionArn;
    await advance(h, 10_000);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.stopDate).toEqual(new Date(T0 + 10_000));
  });
});

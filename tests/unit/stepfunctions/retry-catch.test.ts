import { errorMatches, retryDelayMs } from '../../../local/stepfunctions/interpreter';
import { advance, createHarness, deploy, describe as describeExecution, history, run, start, T0, type Harness } from './harness';

function failing(name: string, message = 'it failed'): never {
  const error = new Error(message);
  error.name = name;
  throw error;
}

const task = (extra: object) => ({
  StartAt: 'Call',
  States: {
    Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'flaky', 'Payload.$': '$' }, ...extra, Next: 'Done' },
    Done: { Type: 'Pass', End: true },
    // Unreachable states are invalid, so Recover exists only where a catcher leads to it.
    ...(JSON.stringify(extra).includes('"Recover"') ? { Recover: { Type: 'Pass', End: true } } : {}),
  },
});

describe('Retry and Catch', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.cleanup());

  /** The virtual times (seconds after T0) at which `flaky` was called. */
  const callTimes: number[] = [];
  beforeEach(() => {
    callTimes.length = 0;
  });
  const flakyFor = (failures: string[]) => {
    let calls = 0;
    h.lambdas.set('flaky', (payload: unknown) => {
      callTimes.push((h.clock.now() - T0) / 1000);
      const failure = failures[calls++];
      if (failure) failing(failure);
      return { ok: true, attempts: calls, payload };
    });
  };

  test('retries with backoff delays measured on the virtual clock, then succeeds', async () => {
    flakyFor(['Lambda.TooManyRequestsException', 'Lambda.TooManyRequestsException']);
    const arn = await start(
      h,
      await deploy(h, task({ Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }] })),
    );
    expect(callTimes).toEqual([0]);
    await advance(h, 1999);
    expect(callTimes).toEqual([0]);
    await advance(h, 1);
    expect(callTimes).toEqual([0, 2]);
    await advance(h, 5999);
    expect(callTimes).toEqual([0, 2]);
    await advance(h, 1);
    expect(callTimes).toEqual([0, 2, 8]);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.Payload.attempts).toBe(3);
    const events = await history(h, arn);
    // Entered once, scheduled three times.
    expect(events.filter((e) => e.type === 'TaskStateEntered')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'TaskFailed').map((e) => (e.taskFailedEventDetails as { error: string }).error)).toEqual([
      'Lambda.TooManyRequestsException',
      'Lambda.TooManyRequestsException',
    ]);
  });

  test('MaxDelaySeconds caps the backoff', async () => {
    flakyFor(['E', 'E', 'E']);
    await start(h, await deploy(h, task({ Retry: [{ ErrorEquals: ['E'], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 3, MaxDelaySeconds: 15 }] })));
    await advance(h, 60_000);
    expect(callTimes).toEqual([0, 10, 25, 40]);
  });

  test('attempts are exhausted, then Catch takes over with the error output at ResultPath', async () => {
    flakyFor(['E', 'E', 'E']);
    const arn = await start(
      h,
      await deploy(
        h,
        task({
          Retry: [{ ErrorEquals: ['E'], IntervalSeconds: 1, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['E'], ResultPath: '$.error-info', Next: 'Recover' }],
        }),
      ),
      { caseId: 'c-1' },
    );
    await advance(h, 10_000);
    expect(callTimes).toEqual([0, 1, 3]);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result).toEqual({ caseId: 'c-1', 'error-info': { Error: 'E', Cause: expect.any(String) } });
    expect(JSON.parse(out.result['error-info'].Cause)).toMatchObject({ errorType: 'E', errorMessage: 'it failed' });
    const events = await history(h, arn);
    expect(events.map((e) => e.type).slice(-5)).toEqual(['TaskFailed', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  test('MaxAttempts 0 never retries', async () => {
    flakyFor(['E']);
    const out = await run(h, task({ Retry: [{ ErrorEquals: ['E'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'] }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }] }));
    expect(callTimes).toEqual([0]);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result).toMatchObject({ Error: 'E' });
  });

  test('States.ALL retries any error; each retrier counts its own attempts (spec example)', async () => {
    flakyFor(['ErrorA', 'ErrorB', 'ErrorC', 'ErrorB']);
    const arn = await start(
      h,
      await deploy(
        h,
        task({
          Retry: [
            { ErrorEquals: ['ErrorA', 'ErrorB'], IntervalSeconds: 1, BackoffRate: 2.0, MaxAttempts: 2 },
            { ErrorEquals: ['ErrorC'], IntervalSeconds: 5 },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
        }),
      ),
    );
    await advance(h, 60_000);
    // ErrorA waits 1 s, ErrorB 2 s, ErrorC 5 s; the second ErrorB finds its retrier exhausted and is caught.
    expect(callTimes).toEqual([0, 1, 3, 8]);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.Error).toBe('ErrorB');
  });

  test('$$.State.RetryCount counts the retries of the current state', async () => {
    const seen: number[] = [];
    h.lambdas.set('flaky', (payload: { retry: number }) => {
      seen.push(payload.retry);
      if (seen.length < 3) failing('E');
      return 'done';
    });
    await start(
      h,
      await deploy(
        h,
        task({ Parameters: { FunctionName: 'flaky', Payload: { 'retry.$': '$$.State.RetryCount' } }, Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1 }] }),
      ),
    );
    await advance(h, 10_000);
    expect(seen).toEqual([0, 1, 2]);
  });

  test('an unmatched error fails the execution with that error and cause', async () => {
    flakyFor(['CaseNotFound']);
    const out = await run(h, task({ Retry: [{ ErrorEquals: ['Other'] }], Catch: [{ ErrorEquals: ['Other'], Next: 'Recover' }] }));
    expect(out.status).toBe('FAILED');
    expect(out.error).toBe('CaseNotFound');
    expect(JSON.parse(out.cause as string)).toMatchObject({ errorType: 'CaseNotFound', errorMessage: 'it failed' });
    const events = await history(h, out.executionArn);
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'CaseNotFound' } });
  });

  test('catchers are tried in order; ResultPath null keeps the input', async () => {
    flakyFor(['Specific']);
    const out = await run(
      h,
      task({
        Catch: [
          { ErrorEquals: ['Specific'], ResultPath: null, Next: 'Recover' },
          { ErrorEquals: ['States.ALL'], Next: 'Done' },
        ],
      }),
      { keep: 'me' },
    );
    expect(out.result).toEqual({ keep: 'me' });
    const events = await history(h, out.executionArn);
    expect(events.some((e) => e.type === 'PassStateEntered' && (e.stateEnteredEventDetails as { name: string }).name === 'Recover')).toBe(true);
  });

  test('error name matching', () => {
    expect(errorMatches(['States.ALL'], 'Anything')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.ALL'], 'States.DataLimitExceeded')).toBe(false);
    expect(errorMatches(['States.DataLimitExceeded'], 'States.DataLimitExceeded')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'Lambda.Unknown')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['States.Timeout'], 'States.Timeout')).toBe(true);
    expect(errorMatches(['A', 'B'], 'C')).toBe(false);
    expect(retryDelayMs({ ErrorEquals: ['E'], IntervalSeconds: 3, BackoffRate: 1.5 }, 3)).toBe(10125);
    expect(retryDelayMs({ ErrorEquals: ['E'] }, 0)).toBe(1000);
    const jittered = retryDelayMs({ ErrorEquals: ['E'], IntervalSeconds: 10, JitterStrategy: 'FULL' }, 0);
    expect(jittered).toBeGreaterThanOrEqual(0);
    expect(jittered).toBeLessThanOrEqual(10_000);
  });

  test('Parallel and Map states retry and catch as a whole', async () => {
    let calls = 0;
    h.lambdas.set('flaky', () => {
      calls++;
      if (calls === 1) failing('Transient');
      if (calls === 4) failing('Fatal');
      return calls;
    });
    const branch = { StartAt: 'B', States: { B: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:flaky', End: true } } };
    const arn = await start(
      h,
      await deploy(h, {
        StartAt: 'P',
        States: {
          P: { Type: 'Parallel', Branches: [branch], Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 5 }], ResultPath: '$.parallel', Next: 'M' },
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemProcessor: branch,
            Catch: [{ ErrorEquals: ['Fatal'], ResultPath: '$.mapError', Next: 'End' }],
            Next: 'End',
          },
          End: { Type: 'Succeed' },
        },
      }),
      { items: [1, 2] },
    );
    await advance(h, 5000);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.parallel).toEqual([2]);
    expect(out.result.mapError.Error).toBe('Fatal');
  });
});

import { advance, createHarness, deploy, describe as describeExecution, history, ROLE, run, single, start, T0, type Harness } from './harness';

const pass = (extra: object = {}) => ({ StartAt: 'P', States: { P: { Type: 'Pass', ...extra, End: true } } });

describe('Map, Parallel, Wait, Succeed, Fail and the context object', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.cleanup());

  test('Map: ItemsPath, ItemSelector with $$.Map.Item, results in item order', async () => {
    h.lambdas.set('score', (p: { index: number; unit: string; district: string }) => `${p.index}:${p.unit}@${p.district}`);
    const out = await run(
      h,
      single({
        Type: 'Map',
        ItemsPath: '$.units',
        ItemSelector: { 'index.$': '$$.Map.Item.Index', 'unit.$': '$$.Map.Item.Value.name', 'district.$': '$.district' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Score',
          States: { Score: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:score', End: true } },
        },
        ResultPath: '$.scores',
      }),
      { district: 'north', units: [{ name: 'water' }, { name: 'roads' }, { name: 'parks' }] },
    );
    expect(out.result.scores).toEqual(['0:water@north', '1:roads@north', '2:parks@north']);
    const events = await history(h, out.executionArn);
    expect(events.find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails).toEqual({ length: 3 });
    expect(events.filter((e) => e.type === 'MapIterationSucceeded').map((e) => e.mapIterationSucceededEventDetails)).toEqual([
      { name: 'S', index: 0 },
      { name: 'S', index: 1 },
      { name: 'S', index: 2 },
    ]);
  });

  test('Map: legacy Iterator and Parameters, an empty array, and MaxConcurrencyPath', async () => {
    const legacy = single({
      Type: 'Map',
      Parameters: { 'v.$': '$$.Map.Item.Value' },
      Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
      MaxConcurrencyPath: '$.max',
    });
    expect((await run(h, legacy, [1, 2])).status).toBe('FAILED'); // $.max cannot be read from an array input
    expect((await run(h, { ...legacy, States: { S: { ...(legacy as any).States.S, MaxConcurrencyPath: undefined } } }, [1, 2])).result).toEqual([{ v: 1 }, { v: 2 }]);
    expect((await run(h, single({ Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } } }), [])).result).toEqual([]);
  });

  test('Map: MaxConcurrency 1 runs one iteration at a time', async () => {
    const tokens: string[] = [];
    h.lambdas.set('review', (p: { token: string }) => {
      tokens.push(p.token);
      return null;
    });
    const arn = await start(
      h,
      await deploy(
        h,
        single({
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: {
            StartAt: 'Review',
            States: {
              Review: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                Parameters: { FunctionName: 'review', Payload: { 'token.$': '$$.Task.Token' } },
                End: true,
              },
            },
          },
        }),
      ),
      ['a', 'b', 'c'],
    );
    for (let i = 0; i < 3; i++) {
      expect(tokens).toHaveLength(i + 1);
      await h.sfn.sendTaskSuccess({ taskToken: tokens[i], output: JSON.stringify(`done-${i}`) });
      await h.sfn.idle();
    }
    expect((await describeExecution(h, arn)).result).toEqual(['done-0', 'done-1', 'done-2']);
  });

  test('Map: a failing iteration fails the Map state (and aborts the others)', async () => {
    const out = await run(
      h,
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'Check',
              States: {
                Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Bad' }], Default: 'Wait' },
                Bad: { Type: 'Fail', Error: 'BadItem', Cause: 'item 2 is bad' },
                Wait: { Type: 'Wait', Seconds: 100, End: true },
              },
            },
            Catch: [{ ErrorEquals: ['BadItem'], Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
      [1, 2, 3],
    );
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result).toEqual({ Error: 'BadItem', Cause: 'item 2 is bad' });
    const types = (await history(h, out.executionArn)).map((e) => e.type);
    expect(types).toContain('MapIterationFailed');
    expect(types).toContain('MapStateFailed');
    expect(types.filter((t) => t === 'MapIterationAborted')).toHaveLength(2);
    expect(types.filter((t) => t === 'WaitStateAborted')).toHaveLength(2);
    expect(h.clock.pending().filter((t) => t.key.startsWith('sfn:'))).toEqual([]);
  });

  test('Parallel: branch outputs in branch order, with Parameters and ResultSelector', async () => {
    h.lambdas.set('slow', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return 'slow';
    });
    const out = await run(
      h,
      single({
        Type: 'Parallel',
        Parameters: { 'caseId.$': '$.id' },
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:slow', ResultPath: '$.a', End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'fast', ResultPath: '$.b', End: true } } },
        ],
        ResultSelector: { 'first.$': '$[0].a', 'second.$': '$[1].b', 'ids.$': '$[*].caseId' },
        ResultPath: '$.parallel',
      }),
      { id: 'c-7' },
    );
    expect(out.result).toEqual({ id: 'c-7', parallel: { first: 'slow', second: 'fast', ids: ['c-7', 'c-7'] } });
    const types = (await history(h, out.executionArn)).map((e) => e.type);
    expect(types.slice(0, 4)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'TaskStateEntered']);
    expect(types.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
  });

  test('Parallel: a failing branch fails the state with the branch error', async () => {
    const out = await run(
      h,
      single({
        Type: 'Parallel',
        Branches: [pass(), { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'BranchBroke', Cause: 'no' } } }],
      }),
    );
    expect(out).toMatchObject({ status: 'FAILED', error: 'BranchBroke', cause: 'no' });
  });

  test('Wait: Seconds, SecondsPath, Timestamp and TimestampPath on the virtual clock', async () => {
    const machine = await deploy(h, {
      StartAt: 'W1',
      States: {
        W1: { Type: 'Wait', Seconds: 10, Next: 'W2' },
        W2: { Type: 'Wait', SecondsPath: '$.delay', Next: 'W3' },
        W3: { Type: 'Wait', Timestamp: new Date(T0 + 60_000).toISOString(), Next: 'W4' },
        W4: { Type: 'Wait', TimestampPath: '$.until', Next: 'W5' },
        W5: { Type: 'Wait', TimestampPath: '$.past', End: true },
      },
    });
    const arn = await start(h, machine, { delay: 20, until: new Date(T0 + 90_000).toISOString(), past: '2000-01-01T00:00:00Z' });
    const stateAt = async () => (await h.sfn.getExecutionPosition({ executionArn: arn })).activeStates.map((s) => s.stateName);
    expect(await stateAt()).toEqual(['W1']);
    await advance(h, 10_000);
    expect(await stateAt()).toEqual(['W2']);
    await advance(h, 19_999);
    expect(await stateAt()).toEqual(['W2']);
    await advance(h, 1);
    expect(await stateAt()).toEqual(['W3']);
    await advance(h, 30_000);
    expect(await stateAt()).toEqual(['W4']);
    await advance(h, 30_000);
    const out = await describeExecution(h, arn);
    expect(out).toMatchObject({ status: 'SUCCEEDED', stopDate: new Date(T0 + 90_000) });
    const exits = (await history(h, arn)).filter((e) => e.type === 'WaitStateExited').map((e) => e.timestamp.getTime() - T0);
    expect(exits).toEqual([10_000, 30_000, 60_000, 90_000, 90_000]);
  });

  test('Wait: a bad SecondsPath value is States.Runtime', async () => {
    const out = await run(h, single({ Type: 'Wait', SecondsPath: '$.delay' }), { delay: -5 });
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  test('Succeed ends the execution with its (filtered) input; Fail with Error and Cause', async () => {
    const succeed = await run(h, { StartAt: 'S', States: { S: { Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' } } }, { a: { b: 'done' } });
    expect(succeed).toMatchObject({ status: 'SUCCEEDED', result: 'done' });
    const fail = await run(h, { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'CaseClosed', Cause: 'already closed' } } });
    expect(fail).toMatchObject({ status: 'FAILED', error: 'CaseClosed', cause: 'already closed' });
    const events = await history(h, fail.executionArn);
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
    expect(events[2].executionFailedEventDetails).toEqual({ error: 'CaseClosed', cause: 'already closed' });
    const bare = await run(h, { StartAt: 'F', States: { F: { Type: 'Fail' } } });
    expect(bare.status).toBe('FAILED');
    expect(bare.error).toBeUndefined();
    expect(bare.cause).toBeUndefined();
  });

  test('the context object', async () => {
    await h.clock.advance(5000);
    const stateMachineArn = await deploy(h, {
      StartAt: 'Wait',
      States: {
        Wait: { Type: 'Wait', Seconds: 3, Next: 'Ctx' },
        Ctx: {
          Type: 'Pass',
          Parameters: {
            'executionId.$': '$$.Execution.Id',
            'executionName.$': '$$.Execution.Name',
            'executionInput.$': '$$.Execution.Input',
            'startTime.$': '$$.Execution.StartTime',
            'roleArn.$': '$$.Execution.RoleArn',
            'machineId.$': '$$.StateMachine.Id',
            'machineName.$': '$$.StateMachine.Name',
            'stateName.$': '$$.State.Name',
            'enteredTime.$': '$$.State.EnteredTime',
            'retryCount.$': '$$.State.RetryCount',
          },
          End: true,
        },
      },
    }, 'ctx-machine');
    const arn = await start(h, stateMachineArn, { hello: 'world' }, 'ctx-run');
    await advance(h, 3000);
    expect((await describeExecution(h, arn)).result).toEqual({
      executionId: 'arn:aws:states:us-east-1:000000000000:execution:ctx-machine:ctx-run',
      executionName: 'ctx-run',
      executionInput: { hello: 'world' },
      startTime: new Date(T0 + 5000).toISOString(),
      roleArn: ROLE,
      machineId: 'arn:aws:states:us-east-1:000000000000:stateMachine:ctx-machine',
      machineName: 'ctx-machine',
      stateName: 'Ctx',
      enteredTime: new Date(T0 + 8000).toISOString(),
      retryCount: 0,
    });
  });

  test('an endless synchronous loop fails instead of hanging', async () => {
    const out = await run(h, {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'End' }], Default: 'A' }, End: { Type: 'Succeed' } },
    });
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(out.cause).toMatch(/loops/);
  });

  test('outputs over 256 KiB fail with States.DataLimitExceeded', async () => {
    h.lambdas.set('big', () => 'x'.repeat(300 * 1024));
    const out = await run(h, single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:big' }));
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });
});

/**
 * Executions survive the process: a new service over the same data folder (and a restored clock)
 * continues every open execution where it was, without running again what already ran.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileExecutionStore } from '../../../local/stepfunctions/store';
import type { ExecutionRecord, StoredHistoryEvent } from '../../../local/stepfunctions/model';
import { VirtualClock } from '../../../local/clock';
import { advance, createHarness, deploy, describe as describeExecution, history, start, T0, type Harness } from './harness';

const prepareThenApprove = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'prepare', 'Payload.$': '$' }, ResultPath: '$.prep', Next: 'Approve' },
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
      ResultPath: '$.decision',
      Next: 'Finish',
    },
    Finish: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:finish', ResultPath: '$.finished', End: true },
  },
};

const prepareThenSleep = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'prepare', 'Payload.$': '$' }, ResultPath: null, Next: 'Sleep' },
    Sleep: { Type: 'Wait', Seconds: 60, Next: 'Finish' },
    Finish: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:finish', ResultPath: '$.finished', End: true },
  },
};

describe('durability across restarts', () => {
  let h: Harness;
  let tokens: string[];
  const calls = (name: string) => h.lambdaCalls.filter((c) => c.functionArn.split(':')[6] === name).length;

  beforeEach(async () => {
    h = await createHarness();
    tokens = [];
    h.lambdas.set('prepare', () => 'prepared');
    h.lambdas.set('finish', () => 'finished');
    h.lambdas.set('notify', (p: { token: string }) => {
      tokens.push(p.token);
      return null;
    });
  });
  afterEach(() => h.cleanup());

  test('a token wait and a Wait state continue after the service is thrown away', async () => {
    const approveArn = await start(h, await deploy(h, prepareThenApprove), { caseId: 'A' });
    await h.clock.advance(10_000);
    const sleepArn = await start(h, await deploy(h, prepareThenSleep), { caseId: 'B' });
    expect(calls('prepare')).toBe(2);
    const historyBefore = await history(h, approveArn);

    // The process goes away (no close()); the clock is restored from its snapshot.
    const snapshot = JSON.parse(JSON.stringify(h.clock.snapshot()));
    await h.restart(VirtualClock.restore(snapshot, { timeScale: 0 }));

    expect((await describeExecution(h, approveArn)).status).toBe('RUNNING');
    expect(await history(h, approveArn)).toEqual(historyBefore);
    const keys = h.clock.pending().map((t) => [t.key, t.at - T0]);
    expect(keys).toEqual([
      ['sfn:machine-2:' + sleepArn.split(':').pop() + ':1', 70_000],
      ['sfn:machine-1:' + approveArn.split(':').pop() + ':1', 3_600_000],
      // Each execution's one-year limit comes back too.
      ['sfn:machine-1:' + approveArn.split(':').pop() + ':limit', 365 * 86_400_000],
      ['sfn:machine-2:' + sleepArn.split(':').pop() + ':limit', 10_000 + 365 * 86_400_000],
    ]);

    await h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{"approved":true}' });
    await h.sfn.idle();
    await advance(h, 60_000);

    const approved = await describeExecution(h, approveArn);
    expect(approved.status).toBe('SUCCEEDED');
    expect(approved.result).toEqual({ caseId: 'A', prep: expect.objectContaining({ Payload: 'prepared' }), decision: { approved: true }, finished: 'finished' });
    const slept = await describeExecution(h, sleepArn);
    expect(slept).toMatchObject({ status: 'SUCCEEDED', stopDate: new Date(T0 + 70_000) });
    // Nothing that had run before the restart ran again.
    expect(calls('prepare')).toBe(2);
    expect(calls('notify')).toBe(1);
    expect(calls('finish')).toBe(2);
    const ids = (await history(h, approveArn)).map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  test('after a restart on a fresh clock that is already past the deadlines, the timers fire at once', async () => {
    const approveArn = await start(h, await deploy(h, prepareThenApprove), { caseId: 'A' });
    const sleepArn = await start(h, await deploy(h, prepareThenSleep), { caseId: 'B' });
    await h.restart(new VirtualClock({ startMs: T0 + 7_200_000, timeScale: 0 }));
    await advance(h, 0);
    expect((await describeExecution(h, sleepArn)).status).toBe('SUCCEEDED');
    const approve = await describeExecution(h, approveArn);
    expect(approve).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    await expect(h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{}' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  test('a task timeout and a heartbeat deadline keep counting across a restart', async () => {
    const definition = {
      StartAt: 'Approve',
      States: {
        Approve: { ...prepareThenApprove.States.Approve, TimeoutSeconds: 30, HeartbeatSeconds: 20, Next: undefined, End: true },
      },
    };
    const arn = await start(h, await deploy(h, definition), {});
    await h.clock.advance(15_000);
    await h.sfn.sendTaskHeartbeat({ taskToken: tokens[0] }); // heartbeat deadline moves to 35 s, timeout stays at 30 s
    await h.restart(VirtualClock.restore(h.clock.snapshot(), { timeScale: 0 }));
    await advance(h, 14_999);
    expect((await describeExecution(h, arn)).status).toBe('RUNNING');
    await advance(h, 1);
    expect(await describeExecution(h, arn)).toMatchObject({ status: 'FAILED', error: 'States.Timeout', stopDate: new Date(T0 + 30_000) });
  });

  test('a retry backoff survives a restart', async () => {
    let attempts = 0;
    h.lambdas.set('flaky', () => {
      attempts++;
      if (attempts === 1) throw Object.assign(new Error('busy'), { name: 'Busy' });
      return 'ok';
    });
    const arn = await start(
      h,
      await deploy(h, {
        StartAt: 'Call',
        States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:flaky', Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 10 }], End: true } },
      }),
    );
    expect(attempts).toBe(1);
    await h.restart(VirtualClock.restore(h.clock.snapshot(), { timeScale: 0 }));
    expect(attempts).toBe(1);
    await advance(h, 10_000);
    expect(attempts).toBe(2);
    expect((await describeExecution(h, arn)).result).toBe('ok');
  });

  test('a crash during a synchronous task runs that task once more (at-least-once), and nothing before it', async () => {
    let slowCalls = 0;
    h.lambdas.set('slow', () => {
      slowCalls++;
      // The first call never answers: the process "dies" while it runs.
      return slowCalls === 1 ? new Promise(() => undefined) : 'slow done';
    });
    const stateMachineArn = await deploy(h, {
      StartAt: 'Prepare',
      States: {
        Prepare: { ...prepareThenSleep.States.Prepare, Next: 'Slow' },
        Slow: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:slow', End: true },
      },
    });
    const { executionArn } = await h.sfn.startExecution({ stateMachineArn, input: '{}' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(slowCalls).toBe(1);

    await h.restart(VirtualClock.restore(h.clock.snapshot(), { timeScale: 0 }));
    await h.sfn.idle();
    expect(slowCalls).toBe(2);
    expect(calls('prepare')).toBe(1);
    const out = await describeExecution(h, executionArn);
    expect(out).toMatchObject({ status: 'SUCCEEDED', result: 'slow done' });
    const types = (await history(h, executionArn)).map((e) => e.type);
    expect(types.filter((t) => t === 'LambdaFunctionScheduled')).toHaveLength(1);
    expect(types.filter((t) => t === 'LambdaFunctionSucceeded')).toHaveLength(1);
  });

  test('waits inside Map iterations and Parallel branches are durable', async () => {
    const arn = await start(
      h,
      await deploy(h, {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Reviews',
                States: {
                  Reviews: {
                    Type: 'Map',
                    ItemSelector: { 'unit.$': '$$.Map.Item.Value' },
                    ItemProcessor: {
                      StartAt: 'Review',
                      States: {
                        Review: {
                          Type: 'Task',
                          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                          Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token', 'unit.$': '$.unit' } },
                          End: true,
                        },
                      },
                    },
                    End: true,
                  },
                },
              },
              { StartAt: 'Cooldown', States: { Cooldown: { Type: 'Wait', Seconds: 120, Next: 'Done' }, Done: { Type: 'Pass', Result: 'cooled', End: true } } },
            ],
            End: true,
          },
        },
      }),
      ['water', 'roads', 'parks'],
    );
    expect(tokens).toHaveLength(3);
    const payloads = h.lambdaCalls.map((c) => c.payload.unit);
    await h.restart(VirtualClock.restore(h.clock.snapshot(), { timeScale: 0 }));

    const position = await h.sfn.getExecutionPosition({ executionArn: arn });
    expect(position.activeStates.map((s) => `${s.path.join('/')}:${s.stateName}:${s.waitingFor}`)).toEqual([
      ':Both:branches',
      'Both[0]:Reviews:branches',
      'Both[0]/Reviews[0]:Review:taskToken',
      'Both[0]/Reviews[1]:Review:taskToken',
      'Both[0]/Reviews[2]:Review:taskToken',
      'Both[1]:Cooldown:timer',
    ]);
    // Answer out of order; results stay in item order.
    for (const i of [2, 0, 1]) await h.sfn.sendTaskSuccess({ taskToken: tokens[i], output: JSON.stringify(`ok:${payloads[i]}`) });
    await h.sfn.idle();
    expect((await describeExecution(h, arn)).status).toBe('RUNNING');
    await advance(h, 120_000);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result).toEqual([['ok:water', 'ok:roads', 'ok:parks'], 'cooled']);
    expect(calls('notify')).toBe(3);
  });

  test('closed executions are not held in memory but stay readable', async () => {
    const machine = await deploy(h, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const arns: string[] = [];
    for (let i = 0; i < 40; i++) arns.push(await start(h, machine, { i }));
    const open = (h.sfn as unknown as { openExecutions: Map<string, unknown> }).openExecutions;
    expect(open.size).toBe(0);
    expect(await describeExecution(h, arns[17])).toMatchObject({ status: 'SUCCEEDED', result: { i: 17 } });
    expect((await h.sfn.listExecutions({ stateMachineArn: machine, maxResults: 1000 })).executions).toHaveLength(40);
    expect(readdirSync(join(h.dataDir, 'open'))).toEqual([]);

    const waiting = await start(h, await deploy(h, prepareThenApprove), {});
    expect(open.size).toBe(1);
    await h.sfn.stopExecution({ executionArn: waiting });
    expect(open.size).toBe(0);
  });

  test('history lines written after the last committed record (a crash between the writes) are dropped on open', async () => {
    const arn = await start(h, await deploy(h, prepareThenApprove, 'torn'), {});
    const before = await history(h, arn);
    const name = arn.split(':').pop() as string;
    const file = join(h.dataDir, 'executions', 'torn', `${name}.history.jsonl`);
    appendFileSync(file, `${JSON.stringify({ timestamp: T0, type: 'TaskSucceeded', id: before.length + 1, previousEventId: before.length })}\n{"trunc`);
    await h.restart(VirtualClock.restore(h.clock.snapshot(), { timeScale: 0 }));
    expect(await history(h, arn)).toEqual(before);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(before.length);
    await h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{}' });
    await h.sfn.idle();
    const after = await history(h, arn);
    expect(after.map((e) => e.id)).toEqual(after.map((_, i) => i + 1));
    expect((await describeExecution(h, arn)).status).toBe('SUCCEEDED');
  });

  test('a history left by a crash before an execution’s first record does not leak into a new execution of that name', async () => {
    const machine = await deploy(h, prepareThenApprove, 'reborn');
    mkdirSync(join(h.dataDir, 'executions', 'reborn'), { recursive: true });
    appendFileSync(join(h.dataDir, 'executions', 'reborn', 'again.history.jsonl'), `${JSON.stringify({ timestamp: 0, type: 'ExecutionStarted', id: 1, previousEventId: 0 })}\n`);
    const arn = await start(h, machine, { fresh: true }, 'again');
    const events = await history(h, arn);
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', timestamp: new Date(T0), executionStartedEventDetails: { input: '{"fresh":true}' } });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });

  test('a restored clock snapshot with timers of executions closed since is cleaned up', async () => {
    const arn = await start(h, await deploy(h, prepareThenSleep), {});
    const stale = h.clock.snapshot();
    await advance(h, 60_000);
    expect((await describeExecution(h, arn)).status).toBe('SUCCEEDED');
    await h.restart(VirtualClock.restore(stale, { timeScale: 0 }));
    expect(h.clock.pending()).toEqual([]);
  });

  test('two services over different data folders can share one clock', async () => {
    const other = await createHarness();
    try {
      other.lambdas.set('prepare', () => 'other');
      other.lambdas.set('finish', () => 'other finished');
      const sharedClock = h.clock;
      await other.restart(sharedClock);
      const mine = await start(h, await deploy(h, prepareThenSleep, 'mine'), {});
      const theirs = await start(other, await deploy(other, prepareThenSleep, 'theirs'), {});
      // Opening a service again must not cancel the other one's timers.
      await h.restart(VirtualClock.restore(sharedClock.snapshot(), { timeScale: 0 }));
      await other.restart(h.clock);
      expect(h.clock.pending()).toHaveLength(4); // each execution's wait and its one-year limit
      await advance(h, 60_000);
      await other.sfn.idle();
      expect((await describeExecution(h, mine)).result).toEqual({ finished: 'finished' });
      expect((await describeExecution(other, theirs)).result).toEqual({ finished: 'other finished' });
    } finally {
      await other.cleanup();
    }
  });

  test('state machines survive a restart', async () => {
    const machine = await deploy(h, prepareThenSleep, 'persistent');
    await h.restart();
    expect(h.sfn.describeStateMachine({ stateMachineArn: machine }).name).toBe('persistent');
    const arn = await start(h, machine, {});
    await advance(h, 60_000);
    expect((await describeExecution(h, arn)).status).toBe('SUCCEEDED');
  });
});

describe('execution record journal', () => {
  // The store keeps records as they are given; only these fields matter to it.
  const record = (eventCount: number, status = 'RUNNING') => ({ stateMachineName: 'm', name: 'e1', status, eventCount }) as unknown as ExecutionRecord;
  const event = (id: number) => ({ id }) as unknown as StoredHistoryEvent;

  test('a record line cut short by a crash is ignored: the last whole record counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-journal-'));
    const store = new FileExecutionStore(dir);
    store.commitExecution(record(1), [event(1)]);
    store.commitExecution(record(2), [event(2)]);
    const journal = join(dir, 'executions', 'm', 'e1.records.jsonl');
    appendFileSync(journal, '{"stateMachineName":"m","name":"e1","status":"RUNN');
    const reopened = new FileExecutionStore(dir);
    expect(reopened.readExecution('m', 'e1')).toEqual(expect.objectContaining({ eventCount: 2 }));
    expect(reopened.listOpenExecutions()).toEqual([{ stateMachineName: 'm', name: 'e1' }]);
  });

  test('the journal is compacted to one record when the execution closes, and stays bounded while open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-journal-'));
    const store = new FileExecutionStore(dir);
    const journal = join(dir, 'executions', 'm', 'e1.records.jsonl');
    store.commitExecution(record(1), [event(1)]);
    for (let n = 2; n <= 200; n++) store.commitExecution(record(n), [event(n)]);
    expect(readFileSync(journal, 'utf8').trim().split('\n').length).toBeLessThanOrEqual(64);
    store.commitExecution(record(201, 'SUCCEEDED'), [event(201)]);
    expect(readFileSync(journal, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(store.readExecution('m', 'e1')).toEqual(expect.objectContaining({ eventCount: 201, status: 'SUCCEEDED' }));
    expect(store.listOpenExecutions()).toEqual([]);
  });
});

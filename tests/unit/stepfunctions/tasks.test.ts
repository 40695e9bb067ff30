import { encodeTaskToken } from '../../../local/stepfunctions/model';
import { advance, createHarness, deploy, describe as describeExecution, history, run, single, start, T0, type Harness } from './harness';

const callbackTask = (extra: object = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token', 'caseId.$': '$.caseId' } },
  ...extra,
});

describe('task resources', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.cleanup());

  test('lambda:invoke passes Payload and returns the Invoke response', async () => {
    h.lambdas.set('assign', (p: { caseId: string }) => ({ assigned: p.caseId }));
    const out = await run(
      h,
      single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'assign', Payload: { 'caseId.$': '$.id' } } }),
      { id: 'c-9' },
    );
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { assigned: 'c-9' },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: expect.any(String) },
    });
    expect(h.lambdaCalls).toEqual([{ functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:assign', payload: { caseId: 'c-9' } }]);
  });

  test('FunctionName may be a name with Qualifier, a partial ARN or a full ARN', async () => {
    h.lambdas.set('fn', () => 1);
    const invoke = (Parameters: object) => run(h, single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters }));
    await invoke({ FunctionName: 'fn', Qualifier: 'live' });
    await invoke({ FunctionName: '111122223333:function:fn' });
    await invoke({ FunctionName: 'arn:aws:lambda:eu-west-1:111122223333:function:fn:2' });
    expect(h.lambdaCalls.map((c) => c.functionArn)).toEqual([
      'arn:aws:lambda:us-east-1:000000000000:function:fn:live',
      'arn:aws:lambda:us-east-1:111122223333:function:fn',
      'arn:aws:lambda:eu-west-1:111122223333:function:fn:2',
    ]);
  });

  test('a Lambda function ARN as Resource sends the state input and returns the function result', async () => {
    h.lambdas.set('double', (p: { n: number }) => ({ n: p.n * 2 }));
    const out = await run(h, single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:double', ResultPath: '$.doubled' }), { n: 21 });
    expect(out.result).toEqual({ n: 21, doubled: { n: 42 } });
    const types = (await history(h, out.executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  test('a function error is caught by its name (custom error types)', async () => {
    h.lambdas.set('validate', () => {
      const error = new Error('category is unknown');
      error.name = 'ValidationError';
      throw error;
    });
    const out = await run(h, {
      StartAt: 'V',
      States: {
        V: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'validate' },
          Catch: [{ ErrorEquals: ['ValidationError'], ResultPath: '$.err', Next: 'Rejected' }],
          End: true,
        },
        Rejected: { Type: 'Pass', End: true },
      },
    });
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.err.Error).toBe('ValidationError');
    expect(JSON.parse(out.result.err.Cause)).toMatchObject({ errorType: 'ValidationError', errorMessage: 'category is unknown' });
  });

  test('sns:publish sends Message (JSON objects as text) and returns MessageId', async () => {
    const out = await run(
      h,
      single({
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: {
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:case-events',
          Message: { 'caseId.$': '$.id', event: 'escalated' },
          Subject: 'Case escalated',
          MessageAttributes: { eventType: { DataType: 'String', StringValue: 'escalated' } },
        },
        ResultSelector: { 'id.$': '$.MessageId' },
      }),
      { id: 'c-1' },
    );
    expect(out.result).toEqual({ id: 'msg-1' });
    expect(h.snsMessages).toEqual([
      {
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:case-events',
        Message: JSON.stringify({ caseId: 'c-1', event: 'escalated' }),
        Subject: 'Case escalated',
        MessageAttributes: { eventType: { DataType: 'String', StringValue: 'escalated' } },
      },
    ]);
    const scheduled = (await history(h, out.executionArn)).find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({ resourceType: 'sns', resource: 'publish', region: 'us-east-1' });
  });

  test('dynamodb:getItem / putItem go to the DynamoDB integration', async () => {
    const out = await run(h, {
      StartAt: 'Get',
      States: {
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'cases', Key: { pk: { 'S.$': '$.pk' } } },
          ResultSelector: { 'status.$': '$.Item.status.S' },
          ResultPath: '$.current',
          Next: 'Put',
        },
        Put: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: { TableName: 'cases', Item: { pk: { 'S.$': '$.pk' }, status: { S: 'CLOSED' } } },
          ResultPath: null,
          End: true,
        },
      },
    }, { pk: 'case#1' });
    expect(out.result).toEqual({ pk: 'case#1', current: { status: 'OPEN' } });
    expect(h.dynamoCalls).toEqual([
      { action: 'getItem', params: { TableName: 'cases', Key: { pk: { S: 'case#1' } } } },
      { action: 'putItem', params: { TableName: 'cases', Item: { pk: { S: 'case#1' }, status: { S: 'CLOSED' } } } },
    ]);
  });

  test('a DynamoDB service error is named DynamoDB.<Exception>', async () => {
    h.integrations.dynamodb = async () => {
      const error = new Error('The conditional request failed');
      error.name = 'ConditionalCheckFailedException';
      throw error;
    };
    const out = await run(h, single({ Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: { TableName: 't' } }));
    expect(out).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ConditionalCheckFailedException', cause: 'The conditional request failed' });
  });
});

describe('task tokens', () => {
  let h: Harness;
  let tokens: string[];
  beforeEach(async () => {
    h = await createHarness();
    tokens = [];
    h.lambdas.set('notify', (p: { token: string }) => {
      tokens.push(p.token);
      return { notified: true };
    });
  });
  afterEach(() => h.cleanup());

  const approval = {
    StartAt: 'Approve',
    States: {
      Approve: callbackTask({ ResultPath: '$.decision', Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.rejection', Next: 'Rejected' }], Next: 'Approved' }),
      Approved: { Type: 'Pass', End: true },
      Rejected: { Type: 'Pass', End: true },
    },
  };

  test('waits for SendTaskSuccess; the callback output is the result', async () => {
    const arn = await start(h, await deploy(h, approval), { caseId: 'c-1' });
    expect(tokens).toHaveLength(1);
    expect((await describeExecution(h, arn)).status).toBe('RUNNING');
    const types = (await history(h, arn)).map((e) => e.type);
    expect(types.slice(-3)).toEqual(['TaskScheduled', 'TaskStarted', 'TaskSubmitted']);

    await h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: JSON.stringify({ approved: true }) });
    await h.sfn.idle();
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result).toEqual({ caseId: 'c-1', decision: { approved: true } });
    const succeeded = (await history(h, arn)).find((e) => e.type === 'TaskSucceeded');
    expect(succeeded?.taskSucceededEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      output: '{"approved":true}',
      outputDetails: { truncated: false },
    });
  });

  test('SendTaskFailure is caught by Catch on its error name', async () => {
    const arn = await start(h, await deploy(h, approval), { caseId: 'c-2' });
    await h.sfn.sendTaskFailure({ taskToken: tokens[0], error: 'Rejected', cause: 'not our district' });
    await h.sfn.idle();
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.rejection).toEqual({ Error: 'Rejected', Cause: 'not our district' });
  });

  test('tokens are unique, and a token stays valid only until its task completes', async () => {
    const machine = await deploy(h, approval);
    await start(h, machine, { caseId: 'a' });
    await start(h, machine, { caseId: 'b' });
    expect(new Set(tokens).size).toBe(2);
    await h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{}' });
    await expect(h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{}' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(h.sfn.sendTaskHeartbeat({ taskToken: tokens[0] })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(h.sfn.sendTaskSuccess({ taskToken: tokens[1], output: '{}' })).resolves.toEqual({});
  });

  test('unknown and malformed tokens', async () => {
    await expect(h.sfn.sendTaskSuccess({ taskToken: 'not-a-token', output: '{}' })).rejects.toMatchObject({ name: 'InvalidToken' });
    const forged = encodeTaskToken('arn:aws:states:us-east-1:000000000000:execution:nope:nothing', 1);
    await expect(h.sfn.sendTaskSuccess({ taskToken: forged, output: '{}' })).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(h.sfn.sendTaskFailure({ taskToken: forged })).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(h.sfn.sendTaskSuccess({ taskToken: '', output: '{}' })).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('invalid callback output is InvalidOutput and leaves the task waiting', async () => {
    const arn = await start(h, await deploy(h, approval), { caseId: 'c' });
    await expect(h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{not json' })).rejects.toMatchObject({ name: 'InvalidOutput' });
    expect((await describeExecution(h, arn)).status).toBe('RUNNING');
  });

  test('a token of a stopped execution is no longer valid', async () => {
    const arn = await start(h, await deploy(h, approval), { caseId: 'c' });
    await h.sfn.stopExecution({ executionArn: arn });
    await expect(h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{}' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  test('a callback may arrive while the invoking call is still running', async () => {
    h.lambdas.set('notify', async (p: { token: string }) => {
      await h.sfn.sendTaskSuccess({ taskToken: p.token, output: '"early"' });
      return 'invoked';
    });
    const out = await run(h, single(callbackTask()), { caseId: 'x' });
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result).toBe('early');
  });

  test('a failing invoke fails the callback task', async () => {
    h.lambdas.delete('notify');
    const out = await run(h, single(callbackTask()), { caseId: 'x' });
    expect(out).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
  });
});

describe('timeouts and heartbeats', () => {
  let h: Harness;
  let tokens: string[];
  beforeEach(async () => {
    h = await createHarness();
    tokens = [];
    h.lambdas.set('notify', (p: { token: string }) => {
      tokens.push(p.token);
      return null;
    });
  });
  afterEach(() => h.cleanup());

  const withCatch = (task: object) => ({
    StartAt: 'Wait',
    States: {
      Wait: { ...task, Catch: [{ ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], ResultPath: '$.timeout', Next: 'TimedOut' }], End: true },
      TimedOut: { Type: 'Pass', End: true },
    },
  });

  test('TimeoutSeconds on a callback task raises States.Timeout when the clock passes it', async () => {
    const arn = await start(h, await deploy(h, withCatch(callbackTask({ TimeoutSeconds: 30 }))), { caseId: 'c' });
    await advance(h, 29_999);
    expect((await describeExecution(h, arn)).status).toBe('RUNNING');
    await advance(h, 1);
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.timeout.Error).toBe('States.Timeout');
    const timedOut = (await history(h, arn)).find((e) => e.type === 'TaskTimedOut');
    expect(timedOut).toMatchObject({
      timestamp: new Date(T0 + 30_000),
      taskTimedOutEventDetails: { resourceType: 'lambda', resource: 'invoke.waitForTaskToken', error: 'States.Timeout' },
    });
    await expect(h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{}' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  test('TimeoutSecondsPath is read from the effective input (after InputPath)', async () => {
    const task = callbackTask({
      InputPath: '$.request',
      TimeoutSecondsPath: '$.sla',
      Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
    });
    const arn = await start(h, await deploy(h, withCatch(task)), { request: { sla: 5 }, sla: 1000 });
    const scheduled = (await history(h, arn)).find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 5 });
    await advance(h, 4999);
    expect((await describeExecution(h, arn)).status).toBe('RUNNING');
    await advance(h, 1);
    expect((await describeExecution(h, arn)).result.timeout.Error).toBe('States.Timeout');
  });

  test('an invalid TimeoutSecondsPath value fails with States.Runtime', async () => {
    const out = await run(h, single(callbackTask({ TimeoutSecondsPath: '$.sla' })), { caseId: 'c', sla: 'soon' });
    expect(out).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  test('a synchronous task that hangs times out too', async () => {
    h.lambdas.set('hang', () => new Promise(() => undefined));
    const stateMachineArn = await deploy(h, withCatch({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:hang', TimeoutSeconds: 10 }));
    // Not start(): idle() would wait for the call that never returns until its 10 s of grace run out (timeouts.test.ts).
    const { executionArn: arn } = await h.sfn.startExecution({ stateMachineArn, input: '{}' });
    await h.clock.advance(10_000);
    await h.sfn.idle(); // the timed-out call no longer counts
    const out = await describeExecution(h, arn);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.result.timeout.Error).toBe('States.Timeout');
    expect((await history(h, arn)).some((e) => e.type === 'LambdaFunctionTimedOut')).toBe(true);
  });

  test('HeartbeatSeconds: heartbeats keep the task alive; silence raises States.HeartbeatTimeout', async () => {
    const arn = await start(h, await deploy(h, withCatch(callbackTask({ HeartbeatSeconds: 10, TimeoutSeconds: 100 }))), { caseId: 'c' });
    await advance(h, 8000);
    await h.sfn.sendTaskHeartbeat({ taskToken: tokens[0] });
    await advance(h, 8000);
    await h.sfn.sendTaskHeartbeat({ taskToken: tokens[0] });
    await advance(h, 9999);
    expect((await describeExecution(h, arn)).status).toBe('RUNNING');
    await advance(h, 1);
    const out = await describeExecution(h, arn);
    expect(out.result.timeout.Error).toBe('States.HeartbeatTimeout');
    const timedOut = (await history(h, arn)).find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.timestamp).toEqual(new Date(T0 + 26_000));
  });

  test('HeartbeatSecondsPath is read from the effective input', async () => {
    const arn = await start(h, await deploy(h, withCatch(callbackTask({ HeartbeatSecondsPath: '$.hb' }))), { caseId: 'c', hb: 3 });
    await advance(h, 3000);
    expect((await describeExecution(h, arn)).result.timeout.Error).toBe('States.HeartbeatTimeout');
  });

  test('execution TimeoutSeconds ends the execution as TIMED_OUT', async () => {
    const arn = await start(h, await deploy(h, { TimeoutSeconds: 60, ...withCatch(callbackTask()) }), { caseId: 'c' });
    await advance(h, 60_000);
    const out = await describeExecution(h, arn);
    expect(out).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout', stopDate: new Date(T0 + 60_000) });
    const types = (await history(h, arn)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['TaskStateAborted', 'ExecutionTimedOut']);
    expect(h.clock.pending().filter((t) => t.key.startsWith('sfn:'))).toEqual([]);
  });
});

describe('states:startExecution (request-response)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.cleanup());

  test('starts an execution with a JSON Input and goes on; a name taken with another input is StepFunctions.ExecutionAlreadyExistsException', async () => {
    h.lambdas.set('notify', () => ({}));
    const next = await deploy(h, { StartAt: 'Hold', States: { Hold: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'notify', Payload: { 't.$': '$$.Task.Token' } }, End: true } } });
    const starter = (input: object) => ({
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution',
          Parameters: { StateMachineArn: next, 'Name.$': '$.name', Input: { 'carried.$': '$.carried', ...input } },
          ResultSelector: { 'arn.$': '$.ExecutionArn' },
          Catch: [{ ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'], ResultPath: '$.taken', Next: 'Taken' }],
          End: true,
        },
        Taken: { Type: 'Pass', End: true },
      },
    });
    const first = await run(h, starter({}), { name: 'case-1-c1', carried: { phase: 'handling' } });
    expect(first.status).toBe('SUCCEEDED');
    expect(first.result.arn).toMatch(/:execution:machine-\d+:case-1-c1$/);
    const started = await describeExecution(h, first.result.arn);
    expect(started).toMatchObject({ status: 'RUNNING', input: JSON.stringify({ carried: { phase: 'handling' } }) });
    const again = await run(h, starter({ extra: 1 }), { name: 'case-1-c1', carried: { phase: 'handling' } });
    expect(again.result.taken.Error).toBe('StepFunctions.ExecutionAlreadyExistsException');
  });

  test('.waitForTaskToken and .sync are refused as InvalidDefinition', async () => {
    for (const suffix of ['.waitForTaskToken', '.sync']) {
      const definition = { StartAt: 'S', States: { S: { Type: 'Task', Resource: `arn:aws:states:::states:startExecution${suffix}`, Parameters: { StateMachineArn: 'x' }, End: true } } };
      await expect(deploy(h, definition)).rejects.toMatchObject({ name: 'InvalidDefinition' });
    }
  });
});

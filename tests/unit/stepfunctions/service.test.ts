import { advance, createHarness, deploy, describe as describeExecution, history, ROLE, start, T0, type Harness } from './harness';

const waitForApproval = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'prepare', 'Payload.$': '$' },
      ResultSelector: { 'prepared.$': '$.Payload' },
      ResultPath: '$.prep',
      TimeoutSeconds: 30,
      Next: 'Approve',
    },
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
      HeartbeatSeconds: 600,
      End: true,
    },
  },
};

describe('LocalStepFunctions service', () => {
  let h: Harness;
  let tokens: string[];
  beforeEach(async () => {
    h = await createHarness();
    tokens = [];
    h.lambdas.set('prepare', (p: unknown) => ({ from: p }));
    h.lambdas.set('notify', (p: { token: string }) => {
      tokens.push(p.token);
      return { sent: true };
    });
  });
  afterEach(() => h.cleanup());

  describe('state machines', () => {
    test('create is idempotent for the same definition; a different one is StateMachineAlreadyExists', () => {
      const definition = JSON.stringify(waitForApproval);
      const first = h.sfn.createStateMachine({ name: 'cases', definition, roleArn: ROLE });
      expect(first.stateMachineArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:cases');
      expect(h.sfn.createStateMachine({ name: 'cases', definition, roleArn: ROLE })).toEqual(first);
      expect(() =>
        h.sfn.createStateMachine({ name: 'cases', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), roleArn: ROLE }),
      ).toThrow(expect.objectContaining({ name: 'StateMachineAlreadyExists' }));
      const described = h.sfn.describeStateMachine({ stateMachineArn: first.stateMachineArn });
      expect(described).toMatchObject({ name: 'cases', status: 'ACTIVE', type: 'STANDARD', definition, roleArn: ROLE, creationDate: new Date(T0) });
      expect(h.sfn.listStateMachines().stateMachines.map((m) => m.name)).toEqual(['cases']);
    });

    test('validation errors are InvalidDefinition with the location', () => {
      const create = (definition: unknown) => () =>
        h.sfn.createStateMachine({ name: 'bad', definition: typeof definition === 'string' ? definition : JSON.stringify(definition), roleArn: ROLE });
      const cases: Array<[unknown, RegExp]> = [
        ['{not json', /not valid JSON/],
        [{ States: { A: { Type: 'Pass', End: true } } }, /StartAt must be a string/],
        [{ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }, /Next 'Nowhere' is not a state.*\/States\/A\/Next/],
        [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true }, B: { Type: 'Pass', End: true } } }, /'B' is not reachable/],
        [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true, Next: 'A' } } }, /exactly one of Next or End/],
        [{ StartAt: 'A', States: { A: { Type: 'Teleport', End: true } } }, /unknown state type/],
        [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true, Resource: 'x' } } }, /'Resource' is not allowed in a Pass state/],
        [{ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }, /unsupported service integration/],
        [{ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.sync', End: true } } }, /\.sync integration pattern is not supported/],
        [{ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'] }], End: true } } }, /States.ALL must appear alone, in the last/],
        [{ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 10, HeartbeatSeconds: 10, End: true } } }, /HeartbeatSeconds must be smaller/],
        [{ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'x.$': 'States.Bogus()' }, End: true } } }, /unknown intrinsic function/],
        [{ StartAt: 'A', States: { A: { Type: 'Pass', InputPath: 'no-dollar', End: true } } }, /Invalid JSONPath/],
        [{ StartAt: 'A', States: { A: { Type: 'Pass', ResultPath: '$.a[*]', End: true } } }, /reference path/],
        [{ StartAt: 'A', States: { A: { Type: 'Choice', Choices: [{ Variable: '$.x', StringEquals: 1, Next: 'A' }] } } }, /StringEquals takes a string/],
        [{ StartAt: 'A', States: { A: { Type: 'Choice', Choices: [{ Variable: '$.x', StringEquals: 'a' }], Default: 'A' } } }, /needs a Next/],
        [{ StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 1, SecondsPath: '$.s', End: true } } }, /exactly one of Seconds/],
        [{ StartAt: 'A', States: { A: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }, End: true } } }, /only INLINE/],
        [{ StartAt: 'A', States: { A: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Next: 'C' } } }], End: true } } }, /\/States\/A\/Branches\/0\/States\/B\/Next/],
        [{ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, /only the JSONPath query language/],
        [{ StartAt: 'A', States: { A: { Type: 'Pass', Assign: { x: 1 }, End: true } } }, /variables \(Assign\) are not supported/],
        [{ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { Payload: {} }, End: true } } }, /needs Parameters.FunctionName/],
        [{ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { 'TopicArn.$': '$.t' }, End: true } } }, /needs Parameters.Message/],
      ];
      for (const [definition, message] of cases) {
        expect(create(definition)).toThrow(expect.objectContaining({ name: 'InvalidDefinition', message: expect.stringMatching(message) }));
      }
    });

    test('names and types are checked', () => {
      const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
      expect(() => h.sfn.createStateMachine({ name: 'has space', definition, roleArn: ROLE })).toThrow(expect.objectContaining({ name: 'InvalidName' }));
      expect(() => h.sfn.createStateMachine({ name: 'x'.repeat(81), definition, roleArn: ROLE })).toThrow(expect.objectContaining({ name: 'InvalidName' }));
      expect(() => h.sfn.createStateMachine({ name: 'ok', definition, roleArn: ROLE, type: 'EXPRESS' })).toThrow(expect.objectContaining({ name: 'ValidationException' }));
    });

    test('updates apply to new executions; running ones keep their definition', async () => {
      const arn = await deploy(h, waitForApproval, 'versioned');
      const running = await start(h, arn, {});
      h.sfn.updateStateMachine({ stateMachineArn: arn, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'v2', End: true } } }) });
      const fresh = await start(h, arn, {});
      expect((await describeExecution(h, fresh)).result).toBe('v2');
      await h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '"v1"' });
      await h.sfn.idle();
      expect((await describeExecution(h, running)).result).toBe('v1');
      expect(JSON.parse(h.sfn.describeStateMachineForExecution({ executionArn: running }).definition).StartAt).toBe('Prepare');
    });
  });

  describe('executions', () => {
    test('StartExecution is idempotent for the same name and input while running', async () => {
      const machine = await deploy(h, waitForApproval);
      await h.clock.advance(1000);
      const first = await h.sfn.startExecution({ stateMachineArn: machine, name: 'case-1', input: '{"a":1}' });
      await h.sfn.idle();
      await h.clock.advance(5000);
      const again = await h.sfn.startExecution({ stateMachineArn: machine, name: 'case-1', input: '{"a":1}' });
      expect(again).toEqual(first);
      expect(h.lambdaCalls.filter((c) => c.functionArn.endsWith(':prepare'))).toHaveLength(1);
      await expect(h.sfn.startExecution({ stateMachineArn: machine, name: 'case-1', input: '{"a":2}' })).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
      await h.sfn.stopExecution({ executionArn: first.executionArn });
      await expect(h.sfn.startExecution({ stateMachineArn: machine, name: 'case-1', input: '{"a":1}' })).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    });

    test('input and name validation', async () => {
      const machine = await deploy(h, waitForApproval);
      await expect(h.sfn.startExecution({ stateMachineArn: machine, input: '{oops' })).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
      await expect(h.sfn.startExecution({ stateMachineArn: machine, name: 'a:b' })).rejects.toMatchObject({ name: 'InvalidName' });
      await expect(h.sfn.startExecution({ stateMachineArn: `${machine}-nope` })).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
      await expect(h.sfn.startExecution({ stateMachineArn: 'not-an-arn' })).rejects.toMatchObject({ name: 'InvalidArn' });
      await expect(h.sfn.describeExecution({ executionArn: `${machine.replace(':stateMachine:', ':execution:')}:ghost` })).rejects.toMatchObject({
        name: 'ExecutionDoesNotExist',
      });
    });

    test('StopExecution aborts a waiting execution, cancels its timers and invalidates its tokens', async () => {
      const arn = await start(h, await deploy(h, waitForApproval), { id: 1 });
      expect(h.clock.pending().filter((t) => t.key.startsWith('sfn:')).length).toBe(3); // timeout + heartbeat + the one-year limit
      await h.clock.advance(2000);
      const { stopDate } = await h.sfn.stopExecution({ executionArn: arn, error: 'Withdrawn', cause: 'citizen withdrew the complaint' });
      expect(stopDate).toEqual(new Date(T0 + 2000));
      const out = await describeExecution(h, arn);
      expect(out).toMatchObject({ status: 'ABORTED', error: 'Withdrawn', cause: 'citizen withdrew the complaint', stopDate: new Date(T0 + 2000) });
      expect(h.clock.pending().filter((t) => t.key.startsWith('sfn:'))).toEqual([]);
      const events = await history(h, arn);
      expect(events.slice(-2).map((e) => e.type)).toEqual(['TaskStateAborted', 'ExecutionAborted']);
      expect(events.at(-1)?.executionAbortedEventDetails).toEqual({ error: 'Withdrawn', cause: 'citizen withdrew the complaint' });
      await expect(h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{}' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
      // Stopping again is harmless.
      await expect(h.sfn.stopExecution({ executionArn: arn })).resolves.toEqual({ stopDate: new Date(T0 + 2000) });
    });

    test('history events have the SDK shape, ids, causal previousEventId and virtual timestamps', async () => {
      const arn = await start(h, await deploy(h, waitForApproval, 'shapes'), { id: 1 });
      await h.clock.advance(7000);
      await h.sfn.sendTaskSuccess({ taskToken: tokens[0], output: '{"ok":true}' });
      await h.sfn.idle();
      const events = await history(h, arn);
      expect(events.map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSucceeded',
        'TaskStateExited',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSubmitted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      expect(events.map((e) => e.previousEventId)).toEqual(events.map((_, i) => i));
      expect(events[0]).toEqual({
        timestamp: new Date(T0),
        type: 'ExecutionStarted',
        id: 1,
        previousEventId: 0,
        executionStartedEventDetails: { input: '{"id":1}', inputDetails: { truncated: false }, roleArn: ROLE },
      });
      expect(events[1].stateEnteredEventDetails).toEqual({ name: 'Prepare', input: '{"id":1}', inputDetails: { truncated: false } });
      expect(events[2].taskScheduledEventDetails).toEqual({
        resourceType: 'lambda',
        resource: 'invoke',
        region: 'us-east-1',
        parameters: '{"FunctionName":"prepare","Payload":{"id":1}}',
        timeoutInSeconds: 30,
      });
      expect(events[3].taskStartedEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke' });
      expect(JSON.parse((events[4].taskSucceededEventDetails as { output: string }).output)).toMatchObject({ Payload: { from: { id: 1 } }, StatusCode: 200 });
      expect(events[5].stateExitedEventDetails).toEqual({
        name: 'Prepare',
        output: '{"id":1,"prep":{"prepared":{"from":{"id":1}}}}',
        outputDetails: { truncated: false },
      });
      expect(events[7].taskScheduledEventDetails).toMatchObject({ resource: 'invoke.waitForTaskToken', timeoutInSeconds: 3600, heartbeatInSeconds: 600 });
      expect(events[10].timestamp).toEqual(new Date(T0 + 7000));
      expect(events[12]).toMatchObject({ type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{"ok":true}' } });

      const reversed = await h.sfn.getExecutionHistory({ executionArn: arn, reverseOrder: true, maxResults: 2 });
      expect(reversed.events.map((e) => e.id)).toEqual([13, 12]);
      const next = await h.sfn.getExecutionHistory({ executionArn: arn, reverseOrder: true, maxResults: 2, nextToken: reversed.nextToken });
      expect(next.events.map((e) => e.id)).toEqual([11, 10]);
      const noData = await h.sfn.getExecutionHistory({ executionArn: arn, includeExecutionData: false, maxResults: 2 });
      expect(noData.events[0].executionStartedEventDetails).toEqual({ inputDetails: { truncated: false }, roleArn: ROLE });
      await expect(h.sfn.getExecutionHistory({ executionArn: arn, nextToken: 'garbage' })).rejects.toMatchObject({ name: 'InvalidToken' });
    });

    test('DescribeExecution and ListExecutions (newest first, status filter, pages)', async () => {
      const machine = await deploy(h, waitForApproval);
      const names = ['one', 'two', 'three'];
      for (const name of names) {
        await start(h, machine, { name }, name);
        await h.clock.advance(1000);
      }
      await h.sfn.sendTaskSuccess({ taskToken: tokens[1], output: '"ok"' });
      await h.sfn.idle();
      const described = await h.sfn.describeExecution({ executionArn: `${machine.replace(':stateMachine:', ':execution:')}:two` });
      expect(described).toMatchObject({
        name: 'two',
        status: 'SUCCEEDED',
        startDate: new Date(T0 + 1000),
        stopDate: new Date(T0 + 3000),
        input: '{"name":"two"}',
        output: '"ok"',
        stateMachineArn: machine,
      });
      const all = await h.sfn.listExecutions({ stateMachineArn: machine });
      expect(all.executions.map((e) => [e.name, e.status])).toEqual([
        ['three', 'RUNNING'],
        ['two', 'SUCCEEDED'],
        ['one', 'RUNNING'],
      ]);
      const running = await h.sfn.listExecutions({ stateMachineArn: machine, statusFilter: 'RUNNING', maxResults: 1 });
      expect(running.executions.map((e) => e.name)).toEqual(['three']);
      const rest = await h.sfn.listExecutions({ stateMachineArn: machine, statusFilter: 'RUNNING', maxResults: 1, nextToken: running.nextToken });
      expect(rest.executions.map((e) => e.name)).toEqual(['one']);
      expect(rest.nextToken).toBeUndefined();
    });

    test('getExecutionPosition tells where an open execution is and what it waits for', async () => {
      const arn = await start(h, await deploy(h, waitForApproval), {});
      const position = await h.sfn.getExecutionPosition({ executionArn: arn });
      expect(position).toEqual({
        executionArn: arn,
        status: 'RUNNING',
        activeStates: [
          {
            stateName: 'Approve',
            stateType: 'Task',
            path: [],
            enteredAt: new Date(T0),
            waitingFor: 'taskToken',
            taskToken: tokens[0],
            timeoutAt: new Date(T0 + 3_600_000),
            heartbeatAt: new Date(T0 + 600_000),
          },
        ],
      });
      await advance(h, 600_000); // heartbeat timeout
      expect(await h.sfn.getExecutionPosition({ executionArn: arn })).toEqual({ executionArn: arn, status: 'FAILED', activeStates: [] });
      expect((await describeExecution(h, arn)).error).toBe('States.HeartbeatTimeout');
    });

    test('a Map / Parallel position lists the parent and each branch', async () => {
      const arn = await start(
        h,
        await deploy(h, {
          StartAt: 'Both',
          States: {
            Both: {
              Type: 'Parallel',
              Branches: [
                { StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 60, End: true } } },
                {
                  StartAt: 'Each',
                  States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 30, End: true } } }, End: true } },
                },
              ],
              End: true,
            },
          },
        }),
        [1, 2],
      );
      const { activeStates } = await h.sfn.getExecutionPosition({ executionArn: arn });
      expect(activeStates.map((s) => [s.path.join('/'), s.stateName, s.waitingFor, s.wakeAt?.getTime()])).toEqual([
        ['', 'Both', 'branches', undefined],
        ['Both[0]', 'Sleep', 'timer', T0 + 60_000],
        ['Both[1]', 'Each', 'branches', undefined],
        ['Both[1]/Each[0]', 'Nap', 'timer', T0 + 30_000],
        ['Both[1]/Each[1]', 'Nap', 'timer', T0 + 30_000],
      ]);
      await advance(h, 60_000);
      expect((await describeExecution(h, arn)).result).toEqual([[1, 2], [1, 2]]);
    });

    test('other subsystems’ timers on the shared clock are left alone', async () => {
      const fired: string[] = [];
      h.clock.onFire((t) => {
        if (t.key.startsWith('report:')) fired.push(t.key);
      });
      h.clock.schedule({ key: 'report:weekly', at: T0 + 1000, payload: { kind: 'weekly' } });
      await advance(h, 2000);
      expect(fired).toEqual(['report:weekly']);
    });
  });
});

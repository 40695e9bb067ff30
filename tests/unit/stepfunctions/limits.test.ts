/**
 * AWS's limits on a standard execution, enforced by the local engine as AWS enforces them: one year
 * of running (TIMED_OUT with States.Timeout) and 25,000 history events (FAILED, the last event
 * ExecutionFailed). Both are configurable so a test can reach them quickly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../../local/clock';
import { LocalStepFunctions } from '../../../local/stepfunctions';
import { AWS_EXECUTION_LIMITS } from '../../../local/stepfunctions/service';
import { ROLE, T0 } from './harness';

const DAY = 86_400_000;
let dir: string;
let clock: VirtualClock;
const services: LocalStepFunctions[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sfn-limits-'));
  clock = new VirtualClock({ startMs: T0, timeScale: 0 });
});
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  rmSync(dir, { recursive: true, force: true });
});

async function service(limits?: ConstructorParameters<typeof LocalStepFunctions>[0]['limits'], folder = 'sfn') {
  const sfn = new LocalStepFunctions({
    dataDir: join(dir, folder),
    clock,
    integrations: { invokeLambda: async () => ({}), publishSns: async () => ({ MessageId: 'm' }) },
    ...(limits !== undefined ? { limits } : {}),
  });
  await sfn.open();
  services.push(sfn);
  return sfn;
}

/** Waits for a callback that never comes, with no timeout of its own. */
const waitsForever = {
  StartAt: 'Await',
  States: {
    Await: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f', Payload: { 't.$': '$$.Task.Token' } }, End: true },
  },
};
/** A clock that ticks every second for ever: Wait, Pass, Wait, … (4 events a turn). */
const ticksForever = { StartAt: 'Tick', States: { Tick: { Type: 'Wait', Seconds: 1, Next: 'Count' }, Count: { Type: 'Pass', Next: 'Tick' } } };

async function startOn(sfn: LocalStepFunctions, definition: object) {
  const { stateMachineArn } = sfn.deployStateMachine({ name: 'm', definition: JSON.stringify(definition), roleArn: ROLE });
  const { executionArn } = await sfn.startExecution({ stateMachineArn, input: '{}' });
  await sfn.idle();
  return executionArn;
}

test('the defaults are AWS\'s: one year and 25,000 events', () => {
  expect(AWS_EXECUTION_LIMITS).toEqual({ maxDurationSeconds: 365 * 86400, maxHistoryEvents: 25_000 });
});

test('an execution still running a year after its start ends TIMED_OUT with States.Timeout, its waits aborted', async () => {
  const sfn = await service();
  const arn = await startOn(sfn, waitsForever);
  await clock.advance(365 * DAY - 1);
  expect((await sfn.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
  await clock.advance(1);
  await sfn.idle();
  const out = await sfn.describeExecution({ executionArn: arn });
  expect(out).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout', stopDate: new Date(T0 + 365 * DAY) });
  const types = (await sfn.getExecutionHistory({ executionArn: arn })).events.map((e) => e.type);
  expect(types.slice(-2)).toEqual(['TaskStateAborted', 'ExecutionTimedOut']);
  expect(clock.pending()).toEqual([]);
});

test('the one-year limit survives a restart', async () => {
  const sfn = await service({ maxDurationSeconds: 3600 });
  const arn = await startOn(sfn, waitsForever);
  await sfn.close();
  services.splice(0);
  const again = await service({ maxDurationSeconds: 3600 });
  await clock.advance(3600_000);
  await again.idle();
  expect((await again.describeExecution({ executionArn: arn })).status).toBe('TIMED_OUT');
});

test('an execution whose history would pass the limit fails, its last event ExecutionFailed at the limit', async () => {
  const sfn = await service({ maxHistoryEvents: 50 });
  const arn = await startOn(sfn, ticksForever);
  await clock.advance(3600_000);
  await sfn.idle();
  const out = await sfn.describeExecution({ executionArn: arn });
  expect(out).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: expect.stringContaining('50 events') });
  const events = (await sfn.getExecutionHistory({ executionArn: arn, maxResults: 1000 })).events;
  expect(events).toHaveLength(50);
  expect(events.at(-1)?.type).toBe('ExecutionFailed');
  expect(clock.pending()).toEqual([]); // no Wait left behind
  expect(out.stopDate!.getTime()).toBeLessThan(T0 + 60_000); // about twelve ticks, not an hour
});

test('limits: false runs without them (a stand-in for other engines)', async () => {
  const sfn = await service(false);
  const arn = await startOn(sfn, waitsForever);
  expect(clock.pending()).toEqual([]);
  await clock.advance(400 * DAY);
  expect((await sfn.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
});

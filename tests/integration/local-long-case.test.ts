import { ulid } from 'ulid';
import { defaultCalendar } from '../../functions/domain/calendar';
import { executionName } from '../../functions/domain/continuation';
import { caseStore } from '../../functions/commons/app';
import { caseReads } from '../support/case-reads';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * Cases that outlive one execution. AWS ends a standard execution after a year or 25,000 history
 * events, and the local engine does the same; a case nobody resolves at the joint conference keeps
 * its clock for ever. So the workflow continues it in `<caseId>-c1`, `-c2`, … well before either
 * limit, with its clocks and its waiting action carried over. Here a case is ignored at the
 * conference for three virtual years: not one clock point may be lost or doubled on the way.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const DISTRICT_OFFICE = 'district-office-xiling';
const CITY_OFFICE = 'city-office';
const CONFERENCE = 'joint-conference';
const DAY_SECONDS = 86_400;
const YEAR_MS = 365 * DAY_SECONDS * 1000;
const CONFERENCE_HANDLING_WORKING_DAYS = 20; // config/policy.json, tier 3

let t: TestStack;
const tokens: Record<string, string> = {};
const tokenFor = async (unit: string, role: string) => (tokens[`${unit}/${role}`] ??= await t.token(unit, role));
const supervisor = () => tokenFor('supervision-centre', 'supervisor');
const { getCase, execution } = caseReads(() => t, supervisor);

beforeAll(async () => {
  t = await startTestStack('long-case');
});
afterAll(() => t.stop());
afterEach(() => {
  delete process.env.WORKFLOW_CONTINUE_AFTER_EVENTS;
});

async function act(id: string, action: string, token: string, body: unknown): Promise<void> {
  const response = await t.call('POST', `/v1/cases/${id}/${action}`, { token, body });
  expect({ action, status: response.status }).toEqual({ action, status: 202 });
  await t.advance(0);
}

/** A case taken up to the joint conference by escalation, and signed off there. */
async function caseAtTheConference(): Promise<string> {
  const created = await t.call('POST', '/v1/cases', {
    token: await tokenFor(COMMUNITY, 'community'),
    body: { title: '拆迁补偿纠纷', description: '多个部门之间无法协调的补偿纠纷。', category: 'routine', reportedVia: 'patrol' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await t.advance(0);
  for (const [unit, role] of [
    [STREET, 'agency'],
    [DISTRICT_OFFICE, 'district-office'],
    [CITY_OFFICE, 'city-office'],
  ]) {
    await act(id, 'sign-off', await tokenFor(unit, role), { handler: { name: '李娟' } });
    await act(id, 'escalate', await tokenFor(unit, role), { reason: '需要更高一级协调' });
  }
  await act(id, 'sign-off', await tokenFor(CONFERENCE, 'conference'), { handler: { name: '王强' } });
  expect(await getCase(id)).toEqual(expect.objectContaining({ tier: 3, assignedUnit: CONFERENCE, status: 'in-progress' }));
  return id;
}

async function advanceDays(days: number, step = 30): Promise<void> {
  for (let left = days; left > 0; left -= step) await t.advance(Math.min(step, left) * DAY_SECONDS);
}

const stackExecution = (id: string, generation: number) =>
  t.stack.stepFunctions.describeExecution({ executionArn: `${t.stack.caseWorkflowArn.replace(':stateMachine:', ':execution:')}:${executionName(id, generation)}` });

async function chainOf(id: string) {
  const chain = [];
  for (let generation = 0; ; generation++) {
    try {
      chain.push(await stackExecution(id, generation));
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return chain;
      throw error;
    }
  }
}

it('keeps an ignored case at the joint conference for three years: executions chained, every HANDLING_OVERDUE once', async () => {
  const id = await caseAtTheConference();
  const signedOffAt = t.stack.clock.now();
  await advanceDays(3 * 365);
  const endAt = t.stack.clock.now();

  // The chain: the case id, then -c1, -c2, …; every execution but the last ended Succeeded, each within AWS's limits.
  const chain = await chainOf(id);
  expect(chain.length).toBeGreaterThanOrEqual(4); // 3 years at 330 days an execution
  expect(chain.map((e) => e.name)).toEqual(chain.map((_, generation) => executionName(id, generation)));
  expect(chain.slice(0, -1).map((e) => e.status)).toEqual(chain.slice(0, -1).map(() => 'SUCCEEDED'));
  expect(chain.at(-1)?.status).toBe('RUNNING');
  for (const e of chain) {
    const ran = (e.stopDate ?? new Date(endAt)).getTime() - e.startDate.getTime();
    expect(ran).toBeLessThan(YEAR_MS);
    const { events } = await t.stack.stepFunctions.getExecutionHistory({ executionArn: e.executionArn, maxResults: 1000, reverseOrder: true });
    expect(events[0].id).toBeLessThan(25_000);
  }
  // Each continuation starts where the one before stopped.
  for (let i = 1; i < chain.length; i++) expect(chain[i].startDate).toEqual(chain[i - 1].stopDate);

  // Every clock point of the conference's windows fired once, on time, with none missing across the executions.
  const alerts = (await t.call('GET', `/_local/alerts?caseId=${id}`)).body.items as Array<{ type: string; dueAt: string; at: string; tier: number }>;
  const overdue = alerts.filter((a) => a.type === 'HANDLING_OVERDUE' && a.tier === 3);
  const dues = overdue.map((a) => Date.parse(a.dueAt));
  expect(new Set(dues).size).toBe(dues.length);
  for (const a of overdue) expect(Date.parse(a.at)).toBe(Date.parse(a.dueAt));
  for (let i = 1; i < dues.length; i++) {
    expect(dues[i]).toBeGreaterThan(dues[i - 1]);
    expect(defaultCalendar.workingDaysBetween(dues[i - 1], dues[i])).toBeCloseTo(CONFERENCE_HANDLING_WORKING_DAYS, 6);
  }
  expect(defaultCalendar.workingDaysBetween(signedOffAt, dues[0])).toBeCloseTo(CONFERENCE_HANDLING_WORKING_DAYS, 6);
  expect(defaultCalendar.workingDaysBetween(dues.at(-1)!, endAt)).toBeLessThan(CONFERENCE_HANDLING_WORKING_DAYS);
  expect(dues.length).toBeGreaterThan(30);
  // Warnings too: each window's 50 % and 75 % once.
  const warnings = alerts.filter((a) => a.type === 'HANDLING_WARNING' && a.tier === 3).map((a) => `${a.dueAt}|${a.at}`);
  expect(new Set(warnings).size).toBe(warnings.length);
  expect(warnings.length).toBeGreaterThanOrEqual(2 * dues.length);

  // The case names its current execution (with the token its wait made there); the execution view follows the chain.
  expect((await caseStore().getCaseForWorkflow(id))?.pendingTask).toEqual(expect.objectContaining({ phase: 'handling', execution: chain.at(-1)!.name }));
  const view = await execution(id);
  expect(view).toEqual(
    expect.objectContaining({ executionName: chain.at(-1)!.name, status: 'RUNNING', currentState: 'AwaitResult', earlierExecutions: chain.slice(0, -1).map((e) => expect.objectContaining({ name: e.name, status: 'SUCCEEDED' })) }),
  );

  // An action reaches the current execution: the conference resolves the case, at last.
  await act(id, 'resolve', await tokenFor(CONFERENCE, 'conference'), { summary: '联席会议协调解决', outcome: '已补偿' });
  expect(await getCase(id)).toEqual(expect.objectContaining({ status: 'awaiting-evaluation' }));
});

it('continues before the history fills up, and the local engine would fail an execution that did not', async () => {
  await t.fresh();
  process.env.WORKFLOW_CONTINUE_AFTER_EVENTS = '400';
  const id = await caseAtTheConference();
  await advanceDays(200);
  const chain = await chainOf(id);
  expect(chain.length).toBeGreaterThanOrEqual(2);
  expect(chain.slice(0, -1).every((e) => e.status === 'SUCCEEDED')).toBe(true);
  for (const e of chain) {
    const { events } = await t.stack.stepFunctions.getExecutionHistory({ executionArn: e.executionArn, maxResults: 1000, reverseOrder: true });
    expect(events[0].id).toBeLessThan(400 + 100); // continued at the margin, with room to spare
  }
});

it('never shows a stack trace: a failed execution gives its error name and a short message', async () => {
  // An execution for a case that is not in the table: the workflow function throws, and AWS-style the cause holds its stack trace.
  const id = ulid();
  await t.stack.stepFunctions.startExecution({ stateMachineArn: t.stack.caseWorkflowArn, name: id, input: JSON.stringify({ caseId: id }) });
  await t.advance(0);
  expect((await stackExecution(id, 0)).cause).toMatch(/trace/);
  const view = await execution(id);
  expect(view.status).toBe('FAILED');
  expect(view.error).toBe('Error');
  const failed = view.events.find((e: { type: string }) => e.type === 'ExecutionFailed');
  expect(failed).toEqual(expect.objectContaining({ error: 'Error', message: expect.any(String) }));
  const text = JSON.stringify(view);
  expect(text).not.toContain('trace');
  expect(text).not.toContain('"cause"');
  expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  expect(text).not.toContain('does not exist'); // the error's own message stays in the history too
});

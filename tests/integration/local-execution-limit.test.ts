import { caseReads } from '../support/case-reads';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * The local engine ends an execution that outgrows AWS's limits as AWS would (here a 10-day limit
 * stands in for the year): a workflow that did not continue in time fails locally too, and the
 * execution view says so by error name only. (Its own file: the handlers' SDK clients keep the
 * first stack's endpoint and credentials for the life of a test file.)
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const DAY_SECONDS = 86_400;
let t: TestStack;
const tokens: Record<string, string> = {};
const tokenFor = async (unit: string, role: string) => (tokens[`${unit}/${role}`] ??= await t.token(unit, role));
const { execution } = caseReads(() => t, () => tokenFor('supervision-centre', 'supervisor'));

beforeAll(async () => {
  t = await startTestStack('execution-limit', undefined, { executionLimits: { maxDurationSeconds: 10 * DAY_SECONDS } });
});
afterAll(() => t.stop());

it('an execution that does not continue in time is ended by the engine, as AWS would end it', async () => {
  // A case left at sign-off: the age margin (330 days) is far beyond the engine's 10 days here.
  const created = await t.call('POST', '/v1/cases', {
    token: await tokenFor(COMMUNITY, 'community'),
    body: { title: '楼道堆放杂物', description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol' },
  });
  expect(created.status).toBe(201);
  await t.advance(0);
  await t.advance(11 * DAY_SECONDS);
  const first = await t.stack.stepFunctions.describeExecution({ executionArn: `${t.stack.caseWorkflowArn.replace(':stateMachine:', ':execution:')}:${created.body.id}` });
  expect(first).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  const view = await execution(created.body.id);
  expect(view).toEqual(expect.objectContaining({ status: 'TIMED_OUT', error: 'States.Timeout' }));
  expect(JSON.stringify(view)).not.toMatch(/\bat .*\.ts:\d+|"cause"/);
});

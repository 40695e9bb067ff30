import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * GET /v1/cases/{id}/execution on a case ignored for two months, over HTTP on the local stack:
 * its history is read newest first, so the current state is the true one however long the
 * history, and older events come a page at a time, each once, down to the first.
 */
const COMMUNITY = 'community-xiling-shengli-silu';

let t: TestStack;
let supervisor: string;
let caseId: string;

beforeAll(async () => {
  t = await startTestStack('execution-view');
  supervisor = await t.token('supervision-centre', 'supervisor');
  const community = await t.token(COMMUNITY, 'community');
  const created = await t.call('POST', '/v1/cases', {
    token: community,
    body: { title: '楼道堆放杂物', description: '楼道堆放杂物，影响通行。', category: 'routine', reportedVia: 'patrol' },
  });
  caseId = created.body.id;
  await t.advance(0);
  // Two months with nobody acting: warnings, breaches and escalations up to the joint conference.
  for (let day = 0; day < 60; day++) await t.advance(86_400);
}, 180_000);
afterAll(() => t.stop());

it('shows where the execution is now from its newest events, and pages older ones down to the first, each once', async () => {
  const { stack } = t;
  const first = await t.call('GET', `/v1/cases/${caseId}/execution?limit=20`, { token: supervisor });
  expect(first.status).toBe(200);
  const arn = first.body.executionArn as string;
  // The whole history as the engine keeps it, oldest first: the current state is the last entered and not left.
  const all: { id: number; stateEnteredEventDetails?: { name?: string }; stateExitedEventDetails?: { name?: string } }[] = [];
  let token: string | undefined;
  do {
    const page = await stack.stepFunctions.getExecutionHistory({ executionArn: arn, maxResults: 1000, ...(token ? { nextToken: token } : {}) });
    all.push(...(page.events as typeof all));
    token = page.nextToken;
  } while (token);
  expect(all.length).toBeGreaterThan(60);
  let current: string | undefined;
  for (const e of all) {
    if (e.stateEnteredEventDetails?.name) current = e.stateEnteredEventDetails.name;
    else if (e.stateExitedEventDetails?.name === current) current = undefined;
  }
  expect(first.body.status).toBe('RUNNING');
  expect(first.body.currentState).toBe(current);
  expect(first.body.events[0].id).toBe(all.at(-1)!.id);
  expect(first.body.events).toHaveLength(20);
  expect(first.body.consoleUrl).toBeUndefined();

  const ids: number[] = first.body.events.map((e: { id: number }) => e.id);
  let before: string | undefined = first.body.olderCursor;
  while (before) {
    const page = await t.call('GET', `/v1/cases/${caseId}/execution?limit=20&before=${encodeURIComponent(before)}`, { token: supervisor });
    expect(page.status).toBe(200);
    expect(page.body).not.toHaveProperty('currentState');
    ids.push(...page.body.events.map((e: { id: number }) => e.id));
    before = page.body.olderCursor;
  }
  expect(ids).toEqual(all.map((e) => e.id).reverse());
}, 60_000);

it('refuses a cursor it did not give', async () => {
  const response = await t.call('GET', `/v1/cases/${caseId}/execution?before=bm9wZQ`, { token: supervisor });
  expect(response.status).toBe(400);
  expect(response.body.errors[0].path).toBe('before');
  expect((await t.call('GET', `/v1/cases/${caseId}/execution?limit=0`, { token: supervisor })).status).toBe(400);
});

import { dirname, join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbClient } from '../../local/dynamodb';
import { loadOrCreateKeys, signToken } from '../../local/jwt';
import { startTestStack, type TestStack } from '../support/local-stack';
import { caseReads } from '../support/case-reads';

/*
 * Concurrency on the whole local stack (HTTP API, DynamoDB Local, the local Step Functions
 * running statemachines/case.asl.json, the local SNS): many callers racing on one case or one
 * Idempotency-Key, fired at once with Promise.all. Each race checks the answers (exactly one
 * winner, the rest a clear problem), then the stored record, its timeline, the raw table
 * items, the execution history and the alerts, once the workflow has settled.
 *
 * The virtual clock is frozen: `t.advance(0)` waits until every execution is idle (waiting on a
 * token or a timer) and moves no time.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const DISTRICT_OFFICE = 'district-office-xiling';
const SUPERVISOR = 'supervision-centre';
const N = 50;

let t: TestStack;
let docs: DynamoDBDocumentClient;
let signAs: (unit: string, role: string, sub: string) => Promise<string>;
const tokens: Record<string, string> = {};
const tokenFor = async (unit: string, role: string) => (tokens[`${unit}/${role}`] ??= await t.token(unit, role));
const community = () => tokenFor(COMMUNITY, 'community');
const supervisor = () => tokenFor(SUPERVISOR, 'supervisor');
const street = () => tokenFor(STREET, 'agency');
const tableName = () => process.env.CASES_TABLE as string;

beforeAll(async () => {
  t = await startTestStack('concurrency');
  docs = DynamoDBDocumentClient.from(dynamoDbClient(process.env.AWS_ENDPOINT_URL_DYNAMODB as string));
  // The stack's own signing keys (beside its state folders), to give each clerk of a unit a different `sub`.
  const keys = await loadOrCreateKeys(join(dirname(t.stateDir), 'keys'));
  signAs = (unit, role, sub) => signToken(keys, { sub, unit, role });
});
afterAll(async () => {
  docs?.destroy();
  await t?.stop();
});

type Answer = Awaited<ReturnType<TestStack['call']>>;
let seq = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${(seq += 1)}`;

const routineCase = (title: string) => ({
  title,
  description: '3 号楼楼道堆放杂物，影响消防通道。',
  category: 'routine',
  reportedVia: 'patrol',
  complainant: { name: '张明', phone: '13800138000' },
});

/** An RFC 9457 problem with this status, and nothing of a stack trace. */
function expectProblem(answer: Answer, status: number): void {
  expect({ status: answer.status, type: answer.headers.get('content-type') }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  expect(answer.body).toEqual(expect.objectContaining({ status, title: expect.any(String), detail: expect.any(String) }));
  expect(JSON.stringify(answer.body)).not.toMatch(/\n\s+at /);
}

/** Counts answers by status, for readable failures. */
const statusCounts = (answers: readonly Answer[]) =>
  answers.reduce<Record<number, number>>((counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }), {});

async function createCase(title = unique('楼道堆放杂物')): Promise<any> {
  const response = await t.call('POST', '/v1/cases', { token: await community(), body: routineCase(title) });
  expect(response.status).toBe(201);
  await t.advance(0); // the workflow reaches AwaitSignOff
  return response.body;
}

const { getCase, execution, alertTypes } = caseReads(() => t, supervisor);

/** The raw case item (version, lastEventSeq and the workflow's bookkeeping, which the API never shows). */
async function rawCase(id: string): Promise<Record<string, any>> {
  const { Item } = await docs.send(new GetCommand({ TableName: tableName(), Key: { pk: `CASE#${id}`, sk: 'CASE' }, ConsistentRead: true }));
  expect(Item).toBeDefined();
  return Item as Record<string, any>;
}

/** Every item of the case's partition: the case and each timeline event. */
async function rawPartition(id: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, any> | undefined;
  do {
    const page = await docs.send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CASE#${id}` }, ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** A full scan of the table (DynamoDB Local: small), filtered here. */
async function scan(keep: (item: Record<string, any>) => boolean): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, any> | undefined;
  do {
    const page = await docs.send(new ScanCommand({ TableName: tableName(), ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).filter(keep));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Every execution of the case state machine, straight from the local Step Functions service. */
async function executions(): Promise<Array<{ name: string; status: string }>> {
  const all: Array<{ name: string; status: string }> = [];
  let nextToken: string | undefined;
  do {
    const page = await t.stack.stepFunctions.listExecutions({ stateMachineArn: t.stack.caseWorkflowArn, maxResults: 1000, nextToken });
    all.push(...page.executions);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

async function historyOf(caseId: string): Promise<Array<{ type: string; [detail: string]: unknown }>> {
  const arn = `${t.stack.caseWorkflowArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
  return (await t.stack.stepFunctions.getExecutionHistory({ executionArn: arn, maxResults: 1000 })).events;
}

/** The execution's status, with its error and cause when it failed (for a readable failure). */
async function executionStatus(caseId: string): Promise<{ status: string; error?: string; cause?: string }> {
  const arn = `${t.stack.caseWorkflowArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
  const { status, error, cause } = await t.stack.stepFunctions.describeExecution({ executionArn: arn });
  return { status, ...(error ? { error } : {}), ...(cause ? { cause } : {}) };
}

const entered = (history: Array<{ type: string; [detail: string]: unknown }>, state: string) =>
  history.filter((e) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name === state).length;

/** The timeline is numbered 1..n with no gap or repeat, and the record's counters agree with it. */
function expectConsistentTimeline(raw: Record<string, any>, partition: Record<string, any>[]): void {
  const events = partition.filter((item) => String(item.sk).startsWith('EVENT#'));
  const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
  expect(raw.lastEventSeq).toBe(events.length);
  for (const event of events) expect(event.sk).toBe(`EVENT#${String(event.seq).padStart(6, '0')}`);
}

async function signOff(id: string): Promise<void> {
  const response = await t.call('POST', `/v1/cases/${id}/sign-off`, { token: await street(), body: { handler: { name: '李娟' } } });
  expect(response.status).toBe(202);
  await t.advance(0);
}

describe('50 simultaneous sign-offs of one case', () => {
  let id: string;
  let before: { raw: Record<string, any>; timeline: any[]; history: number };
  let answers: Answer[];

  beforeAll(async () => {
    id = (await createCase()).id;
    const c = await getCase(id);
    before = { raw: await rawCase(id), timeline: c.timeline, history: (await historyOf(id)).length };
    expect(c.status).toBe('awaiting-sign-off');
    // Fifty clerks of the assigned street office, each with their own `sub`, each naming a different handler.
    const clerks = await Promise.all(Array.from({ length: N }, (_, i) => signAs(STREET, 'agency', `clerk-${i}@${STREET}`)));
    answers = await Promise.all(
      clerks.map((token, i) => t.call('POST', `/v1/cases/${id}/sign-off`, { token, body: { handler: { name: `办事员${i}` }, note: `clerk ${i}` } })),
    );
    await t.advance(0); // the workflow applies the winner and waits again
  });

  it('accepts exactly one (202) and answers the other 49 with a 409 problem', () => {
    expect(statusCounts(answers)).toEqual({ 202: 1, 409: N - 1 });
    const winner = answers.find((a) => a.status === 202)!;
    expect(winner.body).toEqual({ caseId: id, action: 'sign-off', status: 'accepted' });
    for (const loser of answers.filter((a) => a.status !== 202)) expectProblem(loser, 409);
  });

  it('signs the case off exactly once, with the winner’s handler', async () => {
    const winnerIndex = answers.findIndex((a) => a.status === 202);
    const c = await getCase(id);
    expect(c).toEqual(expect.objectContaining({ status: 'in-progress', tier: 0, assignedUnit: STREET, handler: { name: `办事员${winnerIndex}` } }));
    const added = c.timeline.slice(before.timeline.length);
    expect(c.timeline.slice(0, before.timeline.length)).toEqual(before.timeline);
    // One new event: the sign-off. No ACTION_NOT_APPLIED, no second SIGNED_OFF.
    expect(added.map((e: any) => e.type)).toEqual(['SIGNED_OFF']);
    expect(added[0]).toEqual(expect.objectContaining({ note: `clerk ${winnerIndex}`, data: expect.objectContaining({ handler: `办事员${winnerIndex}` }) }));
  });

  it('writes the record once: version +1, timeline numbered without gaps', async () => {
    const raw = await rawCase(id);
    expect(raw.version).toBe(before.raw.version + 1);
    expect(raw.lastEventSeq).toBe(before.raw.lastEventSeq + 1);
    expectConsistentTimeline(raw, await rawPartition(id));
    // The workflow waits on the handling window with a fresh token.
    expect(raw.pendingTask).toEqual(expect.objectContaining({ phase: 'handling' }));
  });

  it('the execution took one ApplySignOffAction and now waits in AwaitResult; no alert was sent', async () => {
    const history = await historyOf(id);
    expect(entered(history, 'AwaitSignOff')).toBe(1);
    expect(entered(history, 'ApplySignOffAction')).toBe(1);
    expect(entered(history, 'AwaitResult')).toBe(1);
    // No step failed or was retried, and the wait was not left by a timeout.
    expect(history.filter((e) => /(Failed|TimedOut)$/.test(e.type)).map((e) => e.type)).toEqual([]);
    const run = await execution(id);
    expect(run).toEqual(expect.objectContaining({ status: 'RUNNING', currentState: 'AwaitResult' }));
    expect(await alertTypes(id)).toEqual([]);
  });
});

describe('50 simultaneous retries of one sign-off with one Idempotency-Key', () => {
  it('every answer is 202 (one delivered, the rest replayed once the case applied it), and the case is signed off once', async () => {
    const id = (await createCase()).id;
    const token = await signAs(STREET, 'agency', `clerk@${STREET}`);
    const headers = { 'idempotency-key': 'one-sign-off' };
    const answers = await Promise.all(
      Array.from({ length: N }, () => t.call('POST', `/v1/cases/${id}/sign-off`, { token, body: { handler: { name: '李娟' } }, headers })),
    );
    await t.advance(0);
    expect(statusCounts(answers)).toEqual({ 202: N });
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(N - 1);
    const c = await getCase(id);
    expect(c.timeline.filter((e: { type: string }) => e.type === 'SIGNED_OFF')).toHaveLength(1);
    expect(c.timeline.map((e: { type: string }) => e.type)).not.toContain('ACTION_NOT_APPLIED');
  });
});

describe('50 simultaneous intakes with one Idempotency-Key', () => {
  it('the same body: one case and one execution; every answer is that case (201), all but one replayed', async () => {
    const key = unique('patrol');
    const title = unique('同一请求');
    const executionsBefore = (await executions()).length;
    const token = await community();
    const answers = await Promise.all(
      Array.from({ length: N }, () => t.call('POST', '/v1/cases', { token, body: routineCase(title), headers: { 'idempotency-key': key } })),
    );
    await t.advance(0);

    expect(statusCounts(answers)).toEqual({ 201: N });
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    // One first answer; the other 49 are marked as replays of it, with the same body and location.
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const first = answers.find((a) => a.headers.get('idempotent-replayed') !== 'true')!;
    for (const a of answers) {
      expect(a.body).toEqual(first.body);
      expect(a.headers.get('location')).toBe(`/v1/cases/${id}`);
    }

    // The table: one case item, one intake event, one idempotency record for the key.
    expect(await scan((item) => item.sk === 'CASE' && item.title === title)).toHaveLength(1);
    const idempotency = await scan((item) => item.sk === 'IDEMPOTENCY' && item.pk === `IDEMPOTENCY#${COMMUNITY}#${key}`);
    expect(idempotency).toEqual([expect.objectContaining({ caseId: id, statusCode: 201 })]);
    const partition = await rawPartition(id);
    expect(partition.filter((item) => item.type === 'CASE_ACCEPTED')).toHaveLength(1);

    // Step Functions: one execution more, named by the case, started once, waiting for the sign-off.
    const all = await executions();
    expect(all.length - executionsBefore).toBe(1);
    expect(all.filter((e) => e.name === id)).toHaveLength(1);
    expect(await executionStatus(id)).toEqual(expect.objectContaining({ status: 'RUNNING' }));
    const history = await historyOf(id);
    expect(history.filter((e) => e.type === 'ExecutionStarted')).toHaveLength(1);
    // Intake started it with its first plan: straight to the first wait, which marked the workflow begun (out of the outbox).
    expect(entered(history, 'Begin')).toBe(0);
    expect((await execution(id)).currentState).toBe('AwaitSignOff');
    const caseItem = (await rawPartition(id)).find((item) => item.sk === 'CASE')!;
    expect(caseItem).toEqual(expect.objectContaining({ pendingTask: expect.objectContaining({ phase: 'sign-off' }) }));
    expect(caseItem.startPk).toBeUndefined();
    expect(caseItem.version).toBeGreaterThan(1);
    const c = await getCase(id);
    expect(c.timeline.map((e: any) => e.type)).toEqual(['CASE_ACCEPTED']);
    expect(await alertTypes(id)).toEqual([]);
  });

  it('different bodies: at most one case; the one 201 is the stored case, every other answer a 409 problem', async () => {
    const key = unique('patrol');
    const titlePrefix = unique('不同请求');
    const executionsBefore = (await executions()).length;
    const token = await community();
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.call('POST', '/v1/cases', { token, body: routineCase(`${titlePrefix}-${i}`), headers: { 'idempotency-key': key } }),
      ),
    );
    await t.advance(0);

    expect(statusCounts(answers)).toEqual({ 201: 1, 409: N - 1 });
    const winner = answers.find((a) => a.status === 201)!;
    expect(winner.headers.get('idempotent-replayed')).toBeNull();
    for (const loser of answers.filter((a) => a.status !== 201)) expectProblem(loser, 409);

    const cases = await scan((item) => item.sk === 'CASE' && typeof item.title === 'string' && item.title.startsWith(`${titlePrefix}-`));
    expect(cases.map((item) => item.id)).toEqual([winner.body.id]);
    expect(cases[0].title).toBe(winner.body.title);
    const idempotency = await scan((item) => item.pk === `IDEMPOTENCY#${COMMUNITY}#${key}`);
    expect(idempotency).toEqual([expect.objectContaining({ caseId: winner.body.id })]);
    const all = await executions();
    expect(all.length - executionsBefore).toBe(1);
    expect(all.filter((e) => e.name === winner.body.id)).toHaveLength(1);

    // A retry of the winning request still gets the first answer; a retry of a losing one still 409.
    const retry = await t.call('POST', '/v1/cases', { token, body: routineCase(winner.body.title), headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(winner.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const loserTitle = [...Array(N).keys()].map((i) => `${titlePrefix}-${i}`).find((title) => title !== winner.body.title)!;
    expectProblem(await t.call('POST', '/v1/cases', { token, body: routineCase(loserTitle), headers: { 'idempotency-key': key } }), 409);
    expect((await executions()).length - executionsBefore).toBe(1);
  });
});

describe('racing resolve and escalate on a signed-off tier-0 case', () => {
  const RACES = 10;
  const MAX_RACES = 20;
  interface Race {
    id: string;
    first: 'resolve' | 'escalate';
    before: Record<string, any>;
    resolve: Answer;
    escalate: Answer;
    winner?: 'resolve' | 'escalate';
  }
  const races: Race[] = [];

  async function race(i: number): Promise<Race> {
    const id = (await createCase(unique('涉及多个部门'))).id;
    await signOff(id);
    const before = await rawCase(id);
    const token = await street();
    const resolve = () => t.call('POST', `/v1/cases/${id}/resolve`, { token, body: { summary: `已协调处理 ${i}`, outcome: '问题已解决' } });
    const escalate = () => t.call('POST', `/v1/cases/${id}/escalate`, { token, body: { reason: `涉及多个部门，街道无法协调 ${i}` } });
    // Alternate which request leaves first, so both orders happen.
    const first = i % 2 === 0 ? 'resolve' : 'escalate';
    const [a, b] = first === 'resolve' ? await Promise.all([resolve(), escalate()]) : await Promise.all([escalate(), resolve()]);
    const [resolveAnswer, escalateAnswer] = first === 'resolve' ? [a, b] : [b, a];
    await t.advance(0);
    const winner = resolveAnswer.status === 202 ? 'resolve' : escalateAnswer.status === 202 ? 'escalate' : undefined;
    return { id, first, before, resolve: resolveAnswer, escalate: escalateAnswer, ...(winner ? { winner } : {}) };
  }

  beforeAll(async () => {
    for (let i = 0; i < RACES; i++) races.push(await race(i));
    // Keep racing (bounded) until both actions have won at least once.
    while (races.length < MAX_RACES && new Set(races.map((r) => r.winner)).size < 2) races.push(await race(races.length));
  });

  it('every race has exactly one winner (202); the other answer is a problem, never a 500', () => {
    for (const r of races) {
      const statuses = [r.resolve.status, r.escalate.status].sort();
      expect({ id: r.id, statuses }).toEqual({ id: r.id, statuses: [202, expect.any(Number)] });
      const loser = r.winner === 'resolve' ? r.escalate : r.resolve;
      expect(loser.status).toBeGreaterThanOrEqual(400);
      expect(loser.status).toBeLessThan(500);
      expectProblem(loser, loser.status);
    }
  });

  it('both orders happened: resolve won some races and escalate others', () => {
    const wins = races.reduce<Record<string, number>>((counts, r) => ({ ...counts, [r.winner ?? 'none']: (counts[r.winner ?? 'none'] ?? 0) + 1 }), {});
    expect(wins).toEqual({ resolve: expect.any(Number), escalate: expect.any(Number) });
  });

  it('the loser is told 409: the case moved to another step (docs/workflow.md: “a resolve after escalation … gets 409”)', () => {
    const losers = races.map((r) => ({ id: r.id, winner: r.winner, loserStatus: (r.winner === 'resolve' ? r.escalate : r.resolve).status }));
    expect(losers).toEqual(losers.map((l) => ({ ...l, loserStatus: 409 })));
  });

  it('each record is consistent with its winner: state, tier, unit, events, version, execution and alerts', async () => {
    for (const r of races) {
      const c = await getCase(r.id);
      const raw = await rawCase(r.id);
      const partition = await rawPartition(r.id);
      const types = c.timeline.map((e: any) => e.type);
      const newTypes = c.timeline.filter((e: any) => e.seq > r.before.lastEventSeq).map((e: any) => e.type);
      const history = await historyOf(r.id);
      const run = await execution(r.id);
      const context = { id: r.id, winner: r.winner };
      // One step written by the workflow: exactly one version more, the timeline numbered without gaps.
      expect({ ...context, version: raw.version }).toEqual({ ...context, version: r.before.version + 1 });
      expectConsistentTimeline(raw, partition);
      expect({ ...context, notApplied: types.filter((x: string) => x === 'ACTION_NOT_APPLIED') }).toEqual({ ...context, notApplied: [] });
      expect({ ...context, applied: entered(history, 'ApplyHandlingAction') }).toEqual({ ...context, applied: 1 });
      if (r.winner === 'resolve') {
        expect({ ...context, c }).toEqual({
          ...context,
          c: expect.objectContaining({ status: 'awaiting-evaluation', tier: 0, assignedUnit: STREET, resolution: expect.objectContaining({ unit: STREET }) }),
        });
        expect(c.involvedUnits).not.toContain(DISTRICT_OFFICE);
        expect({ ...context, newTypes }).toEqual({ ...context, newTypes: ['RESOLVED'] });
        expect(types).not.toEqual(expect.arrayContaining(['ESCALATION_REQUESTED']));
        expect(types).not.toEqual(expect.arrayContaining(['ESCALATED_TO_TIER']));
        expect(raw.metrics).toEqual(expect.objectContaining({ escalations: 0, maxTier: 0, firstResolvedAt: expect.any(String) }));
        expect({ ...context, state: run.currentState }).toEqual({ ...context, state: 'AwaitEvaluation' });
        expect(raw.pendingTask).toEqual(expect.objectContaining({ phase: 'evaluation' }));
        expect(await alertTypes(r.id)).toEqual([]);
      } else {
        expect({ ...context, c }).toEqual({
          ...context,
          c: expect.objectContaining({ status: 'awaiting-sign-off', tier: 1, assignedUnit: DISTRICT_OFFICE, firstHandlerUnit: STREET }),
        });
        expect(c.resolution).toBeUndefined();
        expect(c.involvedUnits).toEqual(expect.arrayContaining([STREET, DISTRICT_OFFICE]));
        expect({ ...context, newTypes }).toEqual({ ...context, newTypes: ['ESCALATION_REQUESTED', 'ESCALATED_TO_TIER', 'ESCALATED'] });
        expect(types).not.toEqual(expect.arrayContaining(['RESOLVED']));
        expect(raw.metrics).toEqual(expect.objectContaining({ escalations: 1, maxTier: 1 }));
        expect(raw.metrics.firstResolvedAt).toBeUndefined();
        expect({ ...context, state: run.currentState }).toEqual({ ...context, state: 'AwaitSignOff' });
        expect(raw.pendingTask).toEqual(expect.objectContaining({ phase: 'sign-off' }));
        expect(await alertTypes(r.id)).toEqual(['ESCALATED']);
      }
    }
  });
});

describe('50 simultaneous progress notes on one case', () => {
  let id: string;
  let before: Record<string, any>;
  let answers: Answer[];
  const note = (i: number) => `进展 ${i}: 已联系物业`;

  beforeAll(async () => {
    id = (await createCase()).id;
    await signOff(id);
    before = await rawCase(id);
    const token = await street();
    answers = await Promise.all(Array.from({ length: N }, (_, i) => t.call('POST', `/v1/cases/${id}/progress`, { token, body: { note: note(i) } })));
    await t.advance(0);
  });

  it('nothing is lost or doubled: every accepted note is stored exactly once, every refused one not at all', async () => {
    for (const a of answers) expect([201, 409]).toContain(a.status);
    for (const a of answers.filter((x) => x.status === 409)) expectProblem(a, 409);
    const c = await getCase(id);
    const stored = c.timeline.filter((e: any) => e.type === 'PROGRESS').map((e: any) => e.note);
    const accepted = answers.map((a, i) => (a.status === 201 ? note(i) : undefined)).filter(Boolean);
    expect([...stored].sort()).toEqual([...accepted].sort());
    // Each 201 named the event it wrote.
    for (const [i, a] of answers.entries()) {
      if (a.status !== 201) continue;
      expect(c.timeline.find((e: any) => e.seq === a.body.seq)).toEqual(expect.objectContaining({ type: 'PROGRESS', note: note(i) }));
    }
    const raw = await rawCase(id);
    expect(raw.version).toBe(before.version + accepted.length);
    expectConsistentTimeline(raw, await rawPartition(id));
    // Notes do not move the workflow.
    expect(c.status).toBe('in-progress');
    expect((await execution(id)).currentState).toBe('AwaitResult');
  });

  it('all 50 notes are accepted (a note is an append that fits the step: contention between clerks should not refuse it)', () => {
    expect(statusCounts(answers)).toEqual({ 201: N });
  });

  it('a client that sends its refused notes again gets every note stored exactly once', async () => {
    const token = await street();
    for (const [i, a] of answers.entries()) {
      if (a.status === 201) continue;
      let again: Answer | undefined;
      for (let attempt = 0; attempt < 5 && again?.status !== 201; attempt++) {
        again = await t.call('POST', `/v1/cases/${id}/progress`, { token, body: { note: note(i) } });
      }
      expect(again?.status).toBe(201);
    }
    const c = await getCase(id);
    const stored = c.timeline.filter((e: any) => e.type === 'PROGRESS').map((e: any) => e.note);
    expect([...stored].sort()).toEqual(Array.from({ length: N }, (_, i) => note(i)).sort());
    const raw = await rawCase(id);
    expect(raw.version).toBe(before.version + N);
    expectConsistentTimeline(raw, await rawPartition(id));
  });
});

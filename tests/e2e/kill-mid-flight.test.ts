import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { loadOrCreateKeys, signToken } from '../../local/jwt';
import { LOCAL_REGION } from '../../local/dynamodb';
import { loadOrCreateServiceCredentials } from '../../local/credentials';
import { npmStartProcess, type NpmStartProcess } from '../support/npm-start-process';

/*
 * `npm start` killed with SIGKILL (no clean-up of any kind: API, workflow engine, SNS and clock
 * die mid-step) while intakes and sign-offs are in flight, then started again. Clients retry
 * what got no answer, intakes with the same Idempotency-Key. Afterwards: every case exactly once,
 * every case with exactly one execution, every sign-off applied exactly once, no alert twice, and
 * every notification delivered once: none twice, none lost (`npm run kill-test:repeat` runs it 20 times).
 *
 * The database survives, as DynamoDB does when anything around it crashes: the stack uses the
 * test run's DynamoDB Local instead of starting its own. (DynamoDB Local itself, killed with
 * SIGKILL, can lose the last writes it acknowledged; see docs/local-stack.md.)
 */
// Two starts of `npm start` (and, for some, its JVM): minutes on a busy machine, not seconds.
jest.setTimeout(180_000);

let p: NpmStartProcess;
beforeAll(async () => {
  p = await npmStartProcess('kill-mid-flight', { dynamoDbEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
});
afterAll(() => p.dispose());

const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const IN_FLIGHT = 40;
const body = (n: number) => ({ title: `路灯不亮 ${n}`, description: '小区门口路灯损坏', category: 'routine', reportedVia: 'phone' });

/** A request whose answer may never come: undefined when the connection died. */
const attempt = <T>(request: Promise<T>) => request.catch(() => undefined);

it('loses nothing and doubles nothing when killed with intakes and sign-offs in flight', async () => {
  await p.start();
  const keys = await loadOrCreateKeys(join(p.dataDir, 'keys'));
  const community = await signToken(keys, { sub: 'c', unit: COMMUNITY, role: 'community' });
  const street = await signToken(keys, { sub: 's', unit: STREET, role: 'agency' });
  const supervisor = await signToken(keys, { sub: 'v', unit: 'supervision-centre', role: 'supervisor' });
  const intake = (n: number) => p.call('POST', '/v1/cases', community, body(n), { 'idempotency-key': `kill-${n}` });
  const signOff = (id: string) => p.call('POST', `/v1/cases/${id}/sign-off`, street, { handler: { name: '李娟' } });

  // Ten cases that exist before the crash; their sign-offs will be in flight when it comes.
  const earlier: string[] = [];
  for (let n = 0; n < 10; n++) earlier.push((await intake(n)).body.id);
  await p.call('POST', '/_local/clock/advance', undefined, { seconds: 0 });

  let answered = 0;
  const count = <T>(request: Promise<T>) => request.then((result) => ((answered += 1), result));
  const intakes = Array.from({ length: IN_FLIGHT }, (_, i) => attempt(count(intake(10 + i))));
  const signOffs = earlier.map((id) => attempt(count(signOff(id))));
  while (answered < 8) await new Promise((resolve) => setTimeout(resolve, 5));
  await p.kill();
  const before = await Promise.all(intakes);
  const signOffsBefore = await Promise.all(signOffs);
  expect(before.filter((answer) => answer === undefined).length).toBeGreaterThan(0); // the kill did cut requests off

  await p.start();
  await p.call('POST', '/_local/clock/advance', undefined, { seconds: 0 });

  // Every intake is sent again with its key: the answer is the case it made, or a new one if it made none.
  const after = [];
  for (let i = 0; i < IN_FLIGHT; i++) {
    const answer = await intake(10 + i);
    expect(answer.status).toBe(201);
    if (before[i]?.status === 201) expect(answer.body.id).toBe(before[i]!.body.id);
    after.push(answer.body.id as string);
  }
  expect(new Set(after).size).toBe(IN_FLIGHT);
  // Sign-offs that got no answer are sent again: applied now (202) or already (409), never twice.
  for (const [i, id] of earlier.entries()) {
    if (signOffsBefore[i]?.status === 202) continue;
    expect([202, 409]).toContain((await signOff(id)).status);
  }
  await p.call('POST', '/_local/clock/advance', undefined, { seconds: 0 });

  // Exactly the 50 cases, each once.
  const listed: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await p.call('GET', `/v1/cases?limit=100${cursor ? `&cursor=${cursor}` : ''}`, supervisor);
    expect(page.status).toBe(200);
    listed.push(...page.body.items.map((item: { id: string }) => item.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(listed.sort()).toEqual([...earlier, ...after].sort());

  // Exactly one execution per case, named by it, all running.
  // Signed with the stack's own credentials (its data folder's), as its endpoint serves no other caller.
  const sfn = new SFNClient({ endpoint: p.api, region: LOCAL_REGION, credentials: await loadOrCreateServiceCredentials(join(p.dataDir, 'keys')) });
  const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
  const machine = stateMachines!.find((m) => m.name === 'case-workflow')!;
  const executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, maxResults: 1000 }))).executions!;
  sfn.destroy();
  expect(executions.map((e) => e.name).sort()).toEqual(listed.sort());
  expect(new Set(executions.map((e) => e.status))).toEqual(new Set(['RUNNING']));

  // Every earlier case signed off exactly once, and waiting for its result.
  for (const id of earlier) {
    const found = await p.call('GET', `/v1/cases/${id}`, supervisor);
    expect(found.body.status).toBe('in-progress');
    expect(found.body.timeline.filter((event: { type: string }) => event.type === 'SIGNED_OFF')).toHaveLength(1);
    expect((await p.call('GET', `/v1/cases/${id}/execution`, supervisor)).body.currentState).toBe('AwaitResult');
  }

  // Moving the clock to the end of the new cases' sign-off windows raises each breach once. (To that instant and
  // no further: a fixed span would reach their second windows too on some days of the week, as the calendar decides.)
  const dues = await Promise.all(after.map(async (id) => Date.parse((await p.call('GET', `/v1/cases/${id}`, supervisor)).body.signOffDueAt)));
  const nowMs = (await p.call('GET', '/_local/clock')).body.nowMs as number;
  await p.call('POST', '/_local/clock/advance', undefined, { seconds: Math.ceil((Math.max(...dues) - nowMs) / 1000) });
  const alerts = (await p.call('GET', '/_local/alerts')).body.items as Array<{ caseId: string; type: string; at: string; detail: string }>;
  expect(alerts.length).toBeGreaterThan(0);
  const identities = alerts.map((a) => JSON.stringify([a.caseId, a.type, a.at, a.detail]));
  expect(new Set(identities).size).toBe(identities.length);
  for (const id of after) expect({ id, breaches: alerts.filter((a) => a.caseId === id && a.type === 'SIGN_OFF_OVERDUE').length }).toEqual({ id, breaches: 1 });

  // Notifications: no id twice, and no cause told twice under another id (one per case, text, recipient and address).
  const sent = (await p.call('GET', '/_local/notifications')).body.items as Array<{ id: string; caseId: string; code: string; unit?: string; channel: string; to: string }>;
  expect(new Set(sent.map((n) => n.id)).size).toBe(sent.length);
  const causes = sent.map((n) => JSON.stringify([n.caseId, n.code, n.unit ?? 'citizen', n.channel, n.to]));
  expect(causes.length - new Set(causes).size).toBe(0);
  // None lost: each case's new-case SMS to the street office's duty phone, and each new case's breach to the office and the centre.
  const told = (id: string, code: string, unit: string) => sent.filter((n) => n.caseId === id && n.code === code && n.unit === unit && n.channel === 'sms').length;
  // The repeat runner (bench/kill-repeat.ts) records what each run saw.
  if (process.env.KILL_TEST_REPORT) {
    const expected = [...[...earlier, ...after].map((id) => told(id, 'NEW_CASE', STREET)), ...after.flatMap((id) => [told(id, 'SIGN_OFF_OVERDUE', STREET), told(id, 'SUPERVISION_BREACH', 'supervision-centre')])];
    const report = { notifications: sent.length, duplicates: causes.length - new Set(causes).size, lost: expected.filter((n) => n === 0).length, alerts: alerts.length, duplicateAlerts: identities.length - new Set(identities).size };
    appendFileSync(process.env.KILL_TEST_REPORT, `${JSON.stringify(report)}\n`);
  }
  for (const id of [...earlier, ...after]) expect({ id, newCase: told(id, 'NEW_CASE', STREET) }).toEqual({ id, newCase: 1 });
  for (const id of after) {
    expect({ id, breach: told(id, 'SIGN_OFF_OVERDUE', STREET), centre: told(id, 'SUPERVISION_BREACH', 'supervision-centre') }).toEqual({ id, breach: 1, centre: 1 });
  }
  await p.stop();
});

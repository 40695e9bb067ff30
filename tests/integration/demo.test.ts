import { startTestStack, type TestStack } from '../support/local-stack';
import { httpClient, runDemo } from '../../local/demo';

/** `npm run demo`'s three stories, against a local stack, end where the seed says they end. */
let t: TestStack;
beforeAll(async () => {
  t = await startTestStack('demo');
});
afterAll(() => t.stop());

it('tells the three stories end to end through the public API', async () => {
  const lines: string[] = [];
  const [housing, ferryWorker, breached] = await runDemo(httpClient(t.url), (unit, role) => t.token(unit, role), (line) => lines.push(line));

  expect(housing).toEqual(expect.objectContaining({ status: 'closed', closedReason: 'satisfied', assignedUnit: 'city-dept-housing', tier: 0 }));

  expect(ferryWorker).toEqual(
    expect.objectContaining({ status: 'closed', closedReason: 'satisfied', tier: 2, assignedUnit: 'city-office', firstHandlerUnit: 'district-dept-xiling-human-resources' }),
  );
  expect(ferryWorker.timeline.map((e: any) => e.type)).toEqual(expect.arrayContaining(['EVALUATION_UNSATISFIED', 'ESCALATED_TO_TIER', 'REOPENED']));

  expect(breached).toEqual(expect.objectContaining({ tier: 3, assignedUnit: 'joint-conference', light: 'red' }));
  const alerts = (await t.call('GET', `/_local/alerts?caseId=${breached.id}`)).body.items.map((a: any) => a.type);
  expect(alerts.filter((type: string) => type === 'ESCALATED')).toHaveLength(3);
  expect(alerts).toContain('CONFERENCE_REQUIRED');

  const printed = lines.join('\n');
  expect(printed).toContain('签收 signed off');
  expect(printed).toContain('提交联席会议 conference required');
});

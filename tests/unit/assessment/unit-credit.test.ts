import { acceptCase, type CaseRecord } from '../../../functions/domain/case';
import { addCase, emptyPartial, unitContributions } from '../../../functions/domain/assessment';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import { defaultPolicy } from '../../../functions/domain/policy';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import { ROLE_OF_UNIT_KIND } from '../../../functions/domain/roles';
import type { Caller } from '../../../functions/domain/identity';
import { applySignal, applyTick, milestonesOf, phaseOf, type Signal } from '../../../functions/domain/workflow';
import { at } from '../../support/shanghai-time';

/*
 * 首办负责 credits the unit that acted: each unit is scored for the part it held, built by the
 * workflow's own functions (a return and reassignment, a wrong return, an escalation, a co-handler).
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const HOUSING = 'city-dept-housing';
const DISTRICT_OFFICE = 'district-office-xiling';
const CENTRE = 'supervision-centre';
const END_OF_MARCH = at('2026-04-01T00:00:00');
const options = { calendar: defaultCalendar, yellowShare: defaultPolicy.yellowShare };

const callerOf = (unit: string): Caller => ({ sub: `officer-of-${unit}`, unit, role: ROLE_OF_UNIT_KIND[defaultDirectory.require(unit).kind] });
const ctx = (nowMs: number) => ({ nowMs, directory: defaultDirectory, calendar: defaultCalendar, policy: defaultPolicy });

class Story {
  record: CaseRecord;
  constructor(when: string) {
    this.record = acceptCase(
      { title: '楼道堆放杂物', description: '杂物堵塞消防通道。', category: 'routine', reportedVia: 'patrol' },
      { caller: callerOf(COMMUNITY), id: 'case-1', nowMs: at(when), directory: defaultDirectory, calendar: defaultCalendar, routingRules: defaultRoutingRules },
    ).record;
  }
  act(unit: string, signal: Record<string, unknown>, when: string): this {
    const by = callerOf(unit);
    const result = applySignal(this.record, phaseOf(this.record), { ...signal, by: { unit: by.unit, role: by.role, sub: by.sub } } as Signal, ctx(at(when)));
    expect(result.outcome).not.toBe('not-applied');
    this.record = result.record;
    return this;
  }
  /** Lets the next clock point of the case run out. */
  tick(): this {
    const next = milestonesOf(this.record, ctx(0)).find((m) => !this.record.firedMilestones.includes(m.id))!;
    this.record = applyTick(this.record, phaseOf(this.record), ctx(next.at)).record;
    return this;
  }
}

const credit = (record: CaseRecord) => unitContributions(record, END_OF_MARCH, options);

it('a correct return and a reassignment: the unit that did the work is credited, the unit that rightly refused is not scored for it', () => {
  const story = new Story('2026-03-09T09:00:00')
    .act(STREET, { action: 'return', reason: '不属本单位职责' }, '2026-03-09T10:00:00')
    .act(CENTRE, { action: 'reassign', toUnit: HOUSING, note: '改派住建局' }, '2026-03-09T11:00:00')
    .act(HOUSING, { action: 'sign-off', handler: { name: '陈刚' } }, '2026-03-09T14:00:00')
    .act(HOUSING, { action: 'resolve', summary: '已处理', outcome: '已解决', approvedBy: { name: '周明', post: '局长' } }, '2026-03-11T10:00:00')
    .act(COMMUNITY, { action: 'evaluate', rating: 'satisfied' }, '2026-03-12T10:00:00');
  const units = credit(story.record);
  expect(units[STREET]).toEqual(expect.objectContaining({ received: 0, routed: 1, signedOffOnTime: 1, returns: 1, resolved: 0, satisfied: 0 }));
  expect(units[HOUSING]).toEqual(expect.objectContaining({ received: 1, routed: 1, signedOffOnTime: 1, resolved: 1, resolvedOnTime: 1, satisfied: 1 }));
  expect(units[CENTRE]).toBeUndefined();

  // In a month's report the reassigned case ranks the second unit; the first handler is not ranked on it.
  const partial = emptyPartial(['2026-03'], END_OF_MARCH);
  addCase(partial, story.record, options);
  expect(partial.units[HOUSING].received).toBe(1);
  expect(partial.units[STREET].received).toBe(0);
  expect(partial.city).toEqual(expect.objectContaining({ received: 1, resolved: 1, satisfied: 1, returns: 1 }));
});

it('a wrong return: the supervisor gives the case back to the same unit, which stays scored for it', () => {
  const story = new Story('2026-03-09T09:00:00')
    .act(STREET, { action: 'return', reason: '不属本单位职责' }, '2026-03-09T10:00:00')
    .act(CENTRE, { action: 'reassign', toUnit: STREET, note: '属街道职责，退回有误' }, '2026-03-09T11:00:00');
  expect(story.record.holdings?.[0].ended).toEqual(expect.objectContaining({ how: 'returned', wrong: true }));
  expect(credit(story.record)[STREET]).toEqual(expect.objectContaining({ received: 1, returns: 1, resolved: 0, signOffPending: 1 }));
});

it('an escalation: the street office is scored for receiving and passing it on, the district office for its result', () => {
  const story = new Story('2026-03-09T09:00:00')
    .act(STREET, { action: 'sign-off', handler: { name: '李娟' } }, '2026-03-09T10:00:00')
    .act(STREET, { action: 'escalate', reason: '涉及多部门' }, '2026-03-10T10:00:00')
    .act(DISTRICT_OFFICE, { action: 'sign-off', handler: { name: '赵' } }, '2026-03-10T11:00:00')
    .act(DISTRICT_OFFICE, { action: 'resolve', summary: '已协调', outcome: '已解决' }, '2026-03-12T10:00:00');
  const units = credit(story.record);
  expect(units[STREET]).toEqual(expect.objectContaining({ received: 1, signedOffOnTime: 1, escalations: 1, resolved: 0, reachedDistrictOffice: 1 }));
  expect(units[DISTRICT_OFFICE]).toEqual(expect.objectContaining({ received: 1, signedOffOnTime: 1, resolved: 1, resolvedOnTime: 1, awaitingEvaluation: 1 }));
});

it('a late sign-off counts against the unit that was late, not the unit that later took over', () => {
  const story = new Story('2026-03-09T09:00:00').tick().tick(); // warning, then the sign-off breach
  story.act(CENTRE, { action: 'reassign', toUnit: HOUSING, note: '改派' }, '2026-03-10T12:00:00');
  const units = credit(story.record);
  expect(units[STREET]).toEqual(expect.objectContaining({ lateSignOffs: 1, received: 1 }));
  expect(units[HOUSING]).toEqual(expect.objectContaining({ lateSignOffs: 0, signOffPending: 1 }));
});

it('a co-handler is credited for its part: asked, and answered inside its window', () => {
  const story = new Story('2026-03-09T09:00:00')
    .act(STREET, { action: 'sign-off', handler: { name: '李娟' } }, '2026-03-09T10:00:00')
    .act(STREET, { action: 'co-handle', units: [HOUSING], task: '核实', workingDays: 2 }, '2026-03-09T11:00:00')
    .act(HOUSING, { action: 'co-handler-reply', summary: '已核实' }, '2026-03-10T11:00:00');
  const units = credit(story.record);
  expect(units[HOUSING]).toEqual(expect.objectContaining({ coHandlingParts: 1, coHandlingRepliedOnTime: 1, received: 0 }));
  expect(units[STREET]).toEqual(expect.objectContaining({ received: 1, coHandlingParts: 0 }));
});

it('a record kept before parts were recorded counts whole for its first handler', () => {
  const { holdings: _parts, ...legacy } = new Story('2026-03-09T09:00:00').record;
  expect(Object.keys(credit(legacy as CaseRecord))).toEqual([STREET]);
});

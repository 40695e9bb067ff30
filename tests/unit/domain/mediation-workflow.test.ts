import { acceptCase, activeWindow, type CaseRecord } from '../../../functions/domain/case';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import type { Caller } from '../../../functions/domain/identity';
import { defaultPolicy } from '../../../functions/domain/policy';
import { ROLE_OF_UNIT_KIND } from '../../../functions/domain/roles';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import { allowedActions, applySignal, applyTick, checkAction, milestonesOf, phaseOf, planFor, type Signal, type StepResult, type WorkflowContext } from '../../../functions/domain/workflow';
import { at } from '../../support/shanghai-time';

/* The mediation steps as the workflow runs them: pure, on the default calendar and policy. */
const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const COMMITTEE = 'mediation-xiling-xiling-street';
type Unsigned<T> = T extends unknown ? Omit<T, 'by'> : never;
const callerOf = (unit: string): Caller => ({ sub: `officer-of-${unit}`, unit, role: ROLE_OF_UNIT_KIND[defaultDirectory.require(unit).kind] });
const ctxAt = (nowMs: number): WorkflowContext => ({ nowMs, directory: defaultDirectory, calendar: defaultCalendar, policy: defaultPolicy });

function accepted(): CaseRecord {
  return acceptCase(
    { title: '邻里漏水纠纷', description: '楼上漏水，双方就维修费用争执。', category: 'neighbour-family', reportedVia: 'visit', assignedUnit: STREET },
    { caller: callerOf(COMMUNITY), id: 'case-m', nowMs: at('2026-03-09 09:00'), directory: defaultDirectory, calendar: defaultCalendar, routingRules: defaultRoutingRules },
  ).record;
}

function act(record: CaseRecord, unit: string, action: Unsigned<Signal>, when: string): StepResult {
  const caller = callerOf(unit);
  const signal = { ...action, by: { unit, role: caller.role, sub: caller.sub } } as Signal;
  checkAction(record, signal, caller, { directory: defaultDirectory, nowMs: at(when) });
  const result = applySignal(record, phaseOf(record), signal, ctxAt(at(when)));
  expect(result.outcome).not.toBe('not-applied');
  return result;
}

const session: Unsigned<Signal> = { action: 'mediation-session', at: '2026-03-10T10:00:00+08:00', record: '双方陈述', participants: [{ role: 'applicant', name: '甲' }] };
const agreement: Unsigned<Signal> = {
  action: 'mediation-outcome',
  result: 'agreement',
  terms: '楼上住户承担维修费用',
  amounts: [{ payer: '乙', payee: '甲', amountYuan: 800, dueBy: '2026-03-20' }],
  signed: true,
  signedAt: '2026-03-11T10:00:00+08:00',
};

describe('mediation in the workflow', () => {
  test('referred at intake: the mediation wait with the sign-off window to accept, then the category\'s window; the holder\'s clock waits', () => {
    let record = act(accepted(), COMMUNITY, { action: 'refer-mediation', body: COMMITTEE, note: '双方同意调解' }, '2026-03-09 10:00').record;
    expect(phaseOf(record)).toBe('mediation');
    expect(record.involvedUnits).toContain(COMMITTEE);
    expect(milestonesOf(record, ctxAt(0)).map((m) => m.id)).toEqual(['accept-warning', 'accept-deadline']);
    expect(activeWindow(record)).toEqual({ startMs: at('2026-03-09 10:00'), dueMs: Date.parse(record.mediations![0]!.acceptDueAt) });
    expect(allowedActions(record, callerOf(COMMITTEE), at('2026-03-09 11:00')).actions).toEqual(['mediation-accept', 'mediation-decline']);
    expect(allowedActions(record, callerOf(STREET), at('2026-03-09 11:00')).actions).toEqual(['progress']);
    record = act(record, COMMITTEE, { action: 'mediation-accept' }, '2026-03-09 11:00').record;
    // neighbour-family: 5 working days; warnings at the handling shares.
    expect(milestonesOf(record, ctxAt(0)).map((m) => m.id)).toEqual(['mediation-warning-50', 'mediation-warning-75', 'mediation-deadline']);
    expect(record.mediations![0]!.dueAt).toBe('2026-03-16T11:00:00.000+08:00');
    expect(planFor(record, ctxAt(at('2026-03-09 11:00'))).phase).toBe('mediation');
  });

  test('an agreement waits for its day; not carried out: MEDIATION_UNFULFILLED to the holder, which gets the case back with a new sign-off window', () => {
    let record = act(accepted(), COMMUNITY, { action: 'refer-mediation', body: COMMITTEE, note: '调解' }, '2026-03-09 10:00').record;
    record = act(record, COMMITTEE, { action: 'mediation-accept' }, '2026-03-09 11:00').record;
    record = act(record, COMMITTEE, session, '2026-03-10 11:00').record;
    const agreed = act(record, COMMITTEE, agreement, '2026-03-11 11:00');
    record = agreed.record;
    expect(agreed.events.find((e) => e.type === 'MEDIATION_AGREEMENT')!.data).toEqual(expect.objectContaining({ units: STREET, totalYuan: 800, performBy: '2026-03-20', onTime: true }));
    expect(milestonesOf(record, ctxAt(0)).map((m) => [m.id, m.at])).toEqual([['fulfilment-deadline', Date.parse('2026-03-20T23:59:59+08:00')]]);
    expect(allowedActions(record, callerOf(COMMITTEE), at('2026-03-12 09:00')).actions).toEqual(['mediation-fulfilment']);

    const unfulfilled = act(record, COMMITTEE, { action: 'mediation-fulfilment', fulfilled: false, note: '乙方拒不支付' }, '2026-03-23 09:00');
    expect(unfulfilled.alerts.map((a) => [a.type, a.unit])).toEqual([['MEDIATION_UNFULFILLED', STREET]]);
    record = unfulfilled.record;
    expect(record.mediations![0]).toEqual(expect.objectContaining({ status: 'unfulfilled', fulfilment: expect.objectContaining({ fulfilled: false, onTime: false }) }));
    expect(phaseOf(record)).toBe('sign-off');
    expect(record.status).toBe('awaiting-sign-off');
    expect(record.windowStartedAt).toBe('2026-03-23T09:00:00.000+08:00');
    // The same body is not asked again; another may be.
    expect(() => checkAction(record, { action: 'refer-mediation', body: COMMITTEE, note: '再调', by: { unit: STREET, role: 'agency', sub: 's' } }, callerOf(STREET), { directory: defaultDirectory })).toThrow();
    expect(allowedActions(record, callerOf(STREET), at('2026-03-23 10:00')).actions).toContain('mediate');
  });

  test('past its window the body is warned, then breaches: red, a supervision record and a new window; the urge goes to the body', () => {
    let record = act(accepted(), COMMUNITY, { action: 'refer-mediation', body: COMMITTEE, note: '调解' }, '2026-03-09 10:00').record;
    record = act(record, COMMITTEE, { action: 'mediation-accept' }, '2026-03-09 11:00').record;
    const types: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = milestonesOf(record, ctxAt(0)).find((m) => !record.mediations![0]!.firedMilestones.includes(m.id))!;
      const tick = applyTick(record, 'mediation', ctxAt(next.at));
      types.push(...tick.alerts.map((a) => `${a.type}@${a.unit}`));
      record = tick.record;
    }
    expect(types).toEqual([`MEDIATION_WARNING@${COMMITTEE}`, `MEDIATION_WARNING@${COMMITTEE}`, `MEDIATION_OVERDUE@${COMMITTEE}`]);
    expect(record.mediations![0]).toEqual(expect.objectContaining({ light: 'red', breaches: 1, firedMilestones: [] }));
    expect(record.light).toBe('red');
    expect(record.tier).toBe(0);
    const urged = act(record, 'supervision-centre', { action: 'urge', note: '请尽快调结' }, '2026-03-17 09:00');
    expect(urged.alerts.map((a) => [a.type, a.unit, a.dueAt])).toEqual([['URGED', COMMITTEE, record.mediations![0]!.dueAt]]);
    expect(urged.record.metrics.urges).toBe(0);
  });
});

import { acceptCase, type CaseRecord } from '../../../functions/domain/case';
import { ROLE_OF_UNIT_KIND } from '../../../functions/domain/roles';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import type { Caller } from '../../../functions/domain/identity';
import { defaultPolicy } from '../../../functions/domain/policy';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import { allowedActions, applySignal, applyTick, milestonesOf, phaseOf, type Signal } from '../../../functions/domain/workflow';
import { at } from '../../support/shanghai-time';

/*
 * allowedActions is what the console shows as forms: each case step and each kind of caller gets
 * exactly the actions the handlers and the workflow would accept.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const OTHER_COMMUNITY = 'community-wujiagang-longpanhu';
const STREET = 'street-xiling-xiling';
const OTHER_STREET = 'street-wujiagang-wujiagang';
const DISTRICT_OFFICE = 'district-office-xiling';
const CENTRE = 'supervision-centre';

const callerOf = (unit: string): Caller => ({ sub: `officer-of-${unit}`, unit, role: ROLE_OF_UNIT_KIND[defaultDirectory.require(unit).kind] });
const auditor: Caller = { sub: 'auditor-1', unit: CENTRE, role: 'auditor' };
const operator: Caller = { sub: 'operator-1', unit: CENTRE, role: 'operator' };
const ctx = (nowMs: number) => ({ nowMs, directory: defaultDirectory, calendar: defaultCalendar, policy: defaultPolicy });

function accepted(withComplainant = true): CaseRecord {
  return acceptCase(
    {
      title: '楼道堆放杂物',
      description: '3 号楼楼道堆放杂物。',
      category: 'routine',
      reportedVia: 'patrol',
      ...(withComplainant ? { complainant: { name: '张明', phone: '13800138000' } } : {}),
    },
    { caller: callerOf(COMMUNITY), id: 'case-7', nowMs: at('2026-03-09T09:00:00'), directory: defaultDirectory, calendar: defaultCalendar, routingRules: defaultRoutingRules },
  ).record;
}

const apply = (record: CaseRecord, by: Caller, signal: Omit<Signal, 'by'>, when: string): CaseRecord =>
  applySignal(record, phaseOf(record), { ...signal, by: { unit: by.unit, role: by.role, sub: by.sub } } as Signal, ctx(at(when))).record;

const signedOff = () => apply(accepted(), callerOf(STREET), { action: 'sign-off', handler: { name: '李娟' } } as Omit<Signal, 'by'>, '2026-03-09T10:00:00');
const resolved = () => apply(signedOff(), callerOf(STREET), { action: 'resolve', summary: '已清理', outcome: '楼道已畅通' } as Omit<Signal, 'by'>, '2026-03-10T10:00:00');
const returned = () => apply(accepted(), callerOf(STREET), { action: 'return', reason: '不属本单位' } as Omit<Signal, 'by'>, '2026-03-09T10:00:00');
const extensionAsked = () =>
  apply(signedOff(), callerOf(STREET), { action: 'request-extension', workingDays: 2, reason: '需协调' } as Omit<Signal, 'by'>, '2026-03-10T10:00:00');

/** Lets every clock point run out until the case climbs to the district office. */
function escalated(): CaseRecord {
  let record = signedOff();
  for (let i = 0; i < 10 && record.tier === 0; i++) {
    const next = milestonesOf(record, ctx(0)).find((m) => !record.firedMilestones.includes(m.id))!;
    record = applyTick(record, phaseOf(record), ctx(next.at)).record;
  }
  expect(record.assignedUnit).toBe(DISTRICT_OFFICE);
  return record;
}

const actions = (record: CaseRecord, caller: Caller, nowMs = at('2026-03-10T12:00:00')) => allowedActions(record, caller, nowMs);

describe('allowedActions', () => {
  it('awaiting sign-off: the assigned unit signs off, notes, returns or refers to mediation; the supervisor urges or reassigns and may erase the complainant; the community may refer it at intake', () => {
    const record = accepted();
    expect(actions(record, callerOf(STREET))).toEqual({ actions: ['sign-off', 'progress', 'return', 'mediate'], supervision: [] });
    expect(actions(record, callerOf(CENTRE))).toEqual({ actions: ['supervise', 'erase-complainant'], supervision: ['urge', 'reassign'] });
    expect(actions(record, callerOf(COMMUNITY)).actions).toEqual(['mediate']);
  });

  it('in progress: resolve, escalate, return and one extension for the unit; nothing for other units or oversight roles', () => {
    const record = signedOff();
    expect(actions(record, callerOf(STREET)).actions).toEqual(['progress', 'resolve', 'escalate', 'return', 'extension', 'co-handle', 'mediate']);
    expect(actions(record, callerOf(CENTRE)).supervision).toEqual(['urge', 'reassign']);
    for (const caller of [callerOf(OTHER_STREET), callerOf(OTHER_COMMUNITY), callerOf(COMMUNITY), auditor, operator]) {
      expect(actions(record, caller)).toEqual({ actions: [], supervision: [] });
    }
  });

  it('a pending extension: no second request; the supervisor may approve or refuse it', () => {
    const record = extensionAsked();
    expect(actions(record, callerOf(STREET)).actions).toEqual(['progress', 'resolve', 'escalate', 'return', 'co-handle', 'mediate']);
    expect(actions(record, callerOf(CENTRE)).supervision).toEqual(['urge', 'reassign', 'approve-extension', 'refuse-extension']);
  });

  it('awaiting evaluation: only the originating community evaluates; the unit may record a pending approval within its handling window', () => {
    const record = resolved();
    expect(actions(record, callerOf(COMMUNITY)).actions).toEqual(['evaluate']);
    expect(actions(record, callerOf(STREET)).actions).toEqual(['approval']);
    expect(actions(record, callerOf(STREET), Date.parse(record.resolveDueAt!) + 1000).actions).toEqual([]);
    expect(actions(record, callerOf(OTHER_COMMUNITY)).actions).toEqual([]);
    expect(actions(record, callerOf(CENTRE))).toEqual({ actions: ['erase-complainant'], supervision: [] });
  });

  it('returned: the supervisor reassigns or urges; the unit that returned it can do nothing more', () => {
    const record = returned();
    expect(actions(record, callerOf(CENTRE)).supervision).toEqual(['urge', 'reassign']);
    expect(actions(record, callerOf(STREET)).actions).toEqual([]);
  });

  it('escalated: the district office signs off and cannot return (it escalates instead); the street office that held it does nothing', () => {
    const record = escalated();
    expect(actions(record, callerOf(DISTRICT_OFFICE)).actions).toEqual(['sign-off', 'progress', 'mediate']);
    expect(actions(record, callerOf(STREET)).actions).toEqual([]);
  });

  it('erase-complainant is offered only while there is a complainant to erase', () => {
    expect(actions(accepted(false), callerOf(CENTRE)).actions).toEqual(['supervise']);
  });
});

import { acceptCase, currentLight, type CaseRecord, type CreateCaseBody } from '../../../functions/domain/case';
import { ROLE_OF_UNIT_KIND } from '../../../functions/domain/roles';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import { DomainError } from '../../../functions/domain/errors';
import type { Caller } from '../../../functions/domain/identity';
import { defaultPolicy, type Policy } from '../../../functions/domain/policy';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import {
  REMEMBERED_REQUESTS,
  appliedRequest,
  applySignal,
  applyTick,
  beginCase,
  checkAction,
  milestonesOf,
  phaseOf,
  planFor,
  type Signal,
  type StepResult,
  type WorkflowContext,
} from '../../../functions/domain/workflow';
import { at, iso } from '../../support/shanghai-time';

/* ---------- time ---------- */


const ctxAt = (nowMs: number, policy: Policy = defaultPolicy): WorkflowContext => ({
  nowMs,
  directory: defaultDirectory,
  calendar: defaultCalendar,
  policy,
});

/* ---------- who is who ---------- */

const COMMUNITY = 'community-xiling-shengli-silu';
const STREET = 'street-xiling-xiling';
const DISTRICT_OFFICE = 'district-office-xiling';
const CENTRE = 'supervision-centre';

/** A caller acting for `unit`, with the role its kind of unit carries. */
const callerOf = (unit: string): Caller => ({ sub: `officer-of-${unit}`, unit, role: ROLE_OF_UNIT_KIND[defaultDirectory.require(unit).kind] });
const community = callerOf(COMMUNITY);
const supervisor = callerOf(CENTRE);
const streetOffice = callerOf(STREET);

/* ---------- driving a case ---------- */

function accept(shanghaiLocal: string, fields: Partial<CreateCaseBody> = {}, origin: Caller = community): CaseRecord {
  const body: CreateCaseBody = { title: 'No water', description: 'No water since the handover.', category: 'routine', reportedVia: 'visit', ...fields };
  return acceptCase(body, {
    caller: origin,
    id: 'case-42',
    nowMs: at(shanghaiLocal),
    directory: defaultDirectory,
    calendar: defaultCalendar,
    routingRules: defaultRoutingRules,
  }).record;
}

type Unsigned<T> = T extends unknown ? Omit<T, 'by'> : never;
type Action = Unsigned<Signal>;

const signalOf = (caller: Caller, action: Action): Signal => ({ ...action, by: { unit: caller.unit, role: caller.role, sub: caller.sub } }) as Signal;

/** What a handler and the workflow do together: check the action, then apply it in the case's phase. */
function act(record: CaseRecord, caller: Caller, action: Action, shanghaiLocal: string, policy: Policy = defaultPolicy): StepResult {
  const signal = signalOf(caller, action);
  checkAction(record, signal, caller, { directory: defaultDirectory });
  return applySignal(record, phaseOf(record), signal, ctxAt(at(shanghaiLocal), policy));
}

const signOff = (record: CaseRecord, shanghaiLocal: string, policy?: Policy) =>
  act(record, callerOf(record.assignedUnit), { action: 'sign-off', handler: { name: 'Li Ming', phone: '13900001111' } }, shanghaiLocal, policy).record;

const resolve = (record: CaseRecord, shanghaiLocal: string) =>
  act(record, callerOf(record.assignedUnit), { action: 'resolve', summary: 'Water restored', outcome: 'The utility reconnected building 3.' }, shanghaiLocal).record;

/** The instant of the next milestone that has not fired yet. */
function nextTimerMs(record: CaseRecord, policy: Policy = defaultPolicy): number {
  const next = milestonesOf(record, { calendar: defaultCalendar, policy }).find((m) => !record.firedMilestones.includes(m.id));
  if (!next) throw new Error(`no timer pending for a case that is ${record.status}`);
  return next.at;
}

/** The timer of the case's current phase runs out at its own instant. */
const tickNext = (record: CaseRecord, policy: Policy = defaultPolicy): StepResult =>
  applyTick(record, phaseOf(record), ctxAt(nextTimerMs(record, policy), policy));

/** Lets every timer run out until one ends the window; all the alerts raised on the way. */
function runToDeadline(record: CaseRecord): { result: StepResult; alerts: string[] } {
  const alerts: string[] = [];
  for (let ticks = 0; ticks < 10; ticks++) {
    const result = tickNext(record);
    alerts.push(...alertTypes(result));
    if (result.outcome !== 'waiting') return { result, alerts };
    record = result.record;
  }
  throw new Error('the window never ended');
}

/** The record without the lifetime counters kept for the monthly assessment. */
function withoutCounters(record: CaseRecord): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...record };
  delete copy.metrics;
  return copy;
}

const alertTypes = (result: StepResult) => result.alerts.map((alert) => alert.type);
const eventTypes = (result: StepResult) => result.events.map((event) => event.type);

function domainErrorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
const check = (record: CaseRecord, caller: Caller, action: Action) =>
  domainErrorOf(() => checkAction(record, signalOf(caller, action), caller, { directory: defaultDirectory }));

/** A routine case from Shengli Silu, routed to the Xiling street office on Mon 2026-03-09 09:00. */
const accepted = () => accept('2026-03-09T09:00:00');
/** The same case signed off at once: handling window Mon 03-09 09:00 → Fri 03-20 09:00. */
const signedOff = () => signOff(accepted(), '2026-03-09T09:00:00');

/* ---------- paths ---------- */

describe('happy path', () => {
  it('sign-off → resolve → evaluate satisfied closes the case with the unified reply', () => {
    const start = accepted();
    const begun = beginCase(start, ctxAt(at('2026-03-09T09:00:00')));
    expect(begun).toEqual({ record: start, events: [], alerts: [], outcome: 'started' });
    // First timer: the sign-off warning at 75 % of one working day, Tue 03:00, 18 h away.
    expect(planFor(start, ctxAt(at('2026-03-09T09:00:00')))).toEqual({ phase: 'sign-off', waitSeconds: 18 * 3600 });

    const signed = act(start, streetOffice, { action: 'sign-off', handler: { name: 'Li Ming' }, note: 'Office 3 handles it' }, '2026-03-09T10:00:00');
    expect(signed.outcome).toBe('signed-off');
    expect(signed.alerts).toEqual([]);
    expect(eventTypes(signed)).toEqual(['SIGNED_OFF']);
    expect(signed.events[0]).toMatchObject({ at: iso('2026-03-09T10:00:00'), unit: STREET, actor: { unit: STREET, role: 'agency' }, note: 'Office 3 handles it' });
    expect(signed.record).toMatchObject({
      status: 'in-progress',
      tier: 0,
      assignedUnit: STREET,
      light: 'green',
      signedOffAt: iso('2026-03-09T10:00:00'),
      handler: { name: 'Li Ming' },
      windowStartedAt: iso('2026-03-09T10:00:00'),
      resolveDueAt: iso('2026-03-20T10:00:00'),
      firedMilestones: [],
    });

    const resolved = act(signed.record, streetOffice, { action: 'resolve', summary: 'Water restored', outcome: 'Utility reconnected building 3' }, '2026-03-11T15:00:00');
    expect(resolved.outcome).toBe('resolved');
    expect(eventTypes(resolved)).toEqual(['RESOLVED']);
    expect(resolved.record).toMatchObject({
      status: 'awaiting-evaluation',
      light: 'green',
      windowStartedAt: iso('2026-03-11T15:00:00'),
      // Three working days: Thu, Fri, Mon.
      evaluationDueAt: iso('2026-03-16T15:00:00'),
      resolution: { summary: 'Water restored', outcome: 'Utility reconnected building 3', at: iso('2026-03-11T15:00:00'), unit: STREET },
    });

    const closed = act(resolved.record, community, { action: 'evaluate', rating: 'satisfied', comment: 'Thank you' }, '2026-03-12T09:00:00');
    expect(closed.outcome).toBe('closed-satisfied');
    expect(closed.alerts).toEqual([]);
    expect(eventTypes(closed)).toEqual(['EVALUATED', 'CLOSED']);
    expect(closed.events[1]).toMatchObject({
      note: 'Water restored',
      data: { reason: 'satisfied', unifiedReply: resolved.record.resolution },
    });
    expect(closed.record).toMatchObject({
      status: 'closed',
      closedReason: 'satisfied',
      closedAt: iso('2026-03-12T09:00:00'),
      evaluation: { rating: 'satisfied', comment: 'Thank you', at: iso('2026-03-12T09:00:00') },
      resolution: resolved.record.resolution,
      light: 'green',
      tier: 0,
      assignedUnit: STREET,
    });
    expect(planFor(closed.record, ctxAt(at('2026-03-12T09:00:00')))).toEqual({ phase: 'closed', waitSeconds: 0 });
  });
});

describe('sign-off clock', () => {
  // Longpanhu (Wujiagang) → Wujiagang street office; its district office is Wujiagang's.
  const longpanhu = callerOf('community-wujiagang-longpanhu');
  const start = () => accept('2026-03-09T09:00:00', {}, longpanhu);

  it('warns at 75 %, then breaches once: SIGN_OFF_OVERDUE, red, supervision record, a second window', () => {
    const record = start();
    expect(record.assignedUnit).toBe('street-wujiagang-wujiagang');
    expect(milestonesOf(record, ctxAt(0))).toEqual([
      { id: 'sign-off-warning', at: at('2026-03-10T03:00:00'), kind: 'warning', share: 0.75 },
      { id: 'sign-off-deadline', at: at('2026-03-10T09:00:00'), kind: 'deadline' },
    ]);

    const warned = tickNext(record);
    expect(warned.outcome).toBe('waiting');
    expect(alertTypes(warned)).toEqual(['SIGN_OFF_WARNING']);
    expect(warned.alerts[0]).toEqual({
      type: 'SIGN_OFF_WARNING',
      caseId: 'case-42',
      unit: 'street-wujiagang-wujiagang',
      // The message attributes: the case's district, and the units told (the unit itself, for a warning).
      district: 'wujiagang',
      audience: ['street-wujiagang-wujiagang'],
      tier: 0,
      dueAt: iso('2026-03-10T09:00:00'),
      at: iso('2026-03-10T03:00:00'),
      code: 'SIGN_OFF_WARNING',
      params: { unit: 'street-wujiagang-wujiagang', tier: 0, dueAt: iso('2026-03-10T09:00:00'), percent: 75 },
      detail: '签收预警（黄灯）：伍家岗街道办事处已用去 75% 的签收时限，须于3月10日 09:00前签收',
      detailEn: 'Sign-off warning (yellow): Wujiagang Street Office has used 75 % of its sign-off window; sign off by 10 Mar 09:00',
    });
    expect(warned.record.light).toBe('yellow');
    expect(warned.record.firedMilestones).toEqual(['sign-off-warning']);
    expect(planFor(warned.record, ctxAt(at('2026-03-10T03:00:00')))).toEqual({ phase: 'sign-off', waitSeconds: 6 * 3600 });

    const breached = tickNext(warned.record);
    expect(breached.outcome).toBe('sign-off-breach');
    expect(alertTypes(breached)).toEqual(['SIGN_OFF_OVERDUE']);
    expect(breached.alerts[0]).toMatchObject({ unit: 'street-wujiagang-wujiagang', tier: 0, dueAt: iso('2026-03-10T09:00:00') });
    expect(eventTypes(breached)).toEqual(['SIGN_OFF_OVERDUE', 'SUPERVISION_RECORD', 'SIGN_OFF_WINDOW_REOPENED']);
    expect(breached.events[1].data).toEqual({ supervisionCentre: CENTRE, cause: 'sign-off-overdue', tier: 0 });
    expect(breached.record).toMatchObject({
      status: 'awaiting-sign-off',
      tier: 0,
      assignedUnit: 'street-wujiagang-wujiagang',
      light: 'red',
      signOffBreaches: 1,
      windowStartedAt: iso('2026-03-10T09:00:00'),
      signOffDueAt: iso('2026-03-11T09:00:00'),
      // Nine working days after the new sign-off due: Thu 12 … Tue 24.
      resolveDueAt: iso('2026-03-24T09:00:00'),
      firedMilestones: [],
    });
  });

  it('breaches twice: escalates to the district office of the case’s district (tier 1, ESCALATED)', () => {
    const onceBreached = tickNext(tickNext(start()).record).record;

    const warnedAgain = tickNext(onceBreached);
    expect(alertTypes(warnedAgain)).toEqual(['SIGN_OFF_WARNING']);
    expect(warnedAgain.alerts[0].at).toBe(iso('2026-03-11T03:00:00'));
    expect(warnedAgain.record.light).toBe('red');

    const escalated = tickNext(warnedAgain.record);
    expect(escalated.outcome).toBe('sign-off-breach-escalated');
    expect(alertTypes(escalated)).toEqual(['SIGN_OFF_OVERDUE', 'ESCALATED']);
    expect(escalated.alerts[0]).toMatchObject({ unit: 'street-wujiagang-wujiagang', tier: 0, dueAt: iso('2026-03-11T09:00:00') });
    expect(escalated.alerts[1]).toMatchObject({ unit: 'district-office-wujiagang', tier: 1, dueAt: iso('2026-03-12T09:00:00') });
    expect(eventTypes(escalated)).toEqual(['SIGN_OFF_OVERDUE', 'SUPERVISION_RECORD', 'ESCALATED_TO_TIER', 'ESCALATED']);
    expect(escalated.events[2].data).toEqual({
      from: 'street-wujiagang-wujiagang',
      to: 'district-office-wujiagang',
      tier: 1,
      firstHandlerUnit: 'street-wujiagang-wujiagang',
    });
    expect(escalated.record).toMatchObject({
      status: 'awaiting-sign-off',
      tier: 1,
      assignedUnit: 'district-office-wujiagang',
      firstHandlerUnit: 'street-wujiagang-wujiagang',
      light: 'green',
      signOffBreaches: 0,
      windowStartedAt: iso('2026-03-11T09:00:00'),
      // Tier 1 from policy: 1 working day to sign off, 10 to handle.
      signOffDueAt: iso('2026-03-12T09:00:00'),
      resolveDueAt: iso('2026-03-26T09:00:00'),
      firedMilestones: [],
    });
  });
});

describe('handling clock and escalation by tier', () => {
  it('warns at 50 % and 75 % of the handling window; the light turns yellow only after 75 %', () => {
    const record = signedOff();
    expect(record.resolveDueAt).toBe(iso('2026-03-20T09:00:00'));
    // 4.5 of 9 days → Fri 03-13 21:00 (108 h away); 6.75 → Wed 03-18 03:00.
    expect(planFor(record, ctxAt(at('2026-03-09T09:00:00')))).toEqual({ phase: 'handling', waitSeconds: 108 * 3600 });

    const half = tickNext(record);
    expect(alertTypes(half)).toEqual(['HANDLING_WARNING']);
    expect(half.alerts[0]).toMatchObject({
      at: iso('2026-03-13T21:00:00'),
      unit: STREET,
      tier: 0,
      dueAt: iso('2026-03-20T09:00:00'),
      params: { percent: 50, toSupervision: false },
      detail: '办理预警：西陵街道办事处已用去 50% 的办理时限，须于3月20日 09:00前办结',
    });
    expect(half.record.light).toBe('green');
    expect(currentLight(half.record, at('2026-03-13T21:00:00'), defaultCalendar)).toBe('green');

    const threeQuarters = tickNext(half.record);
    expect(alertTypes(threeQuarters)).toEqual(['HANDLING_WARNING']);
    expect(threeQuarters.alerts[0].at).toBe(iso('2026-03-18T03:00:00'));
    expect(threeQuarters.alerts[0].detailEn).toBe(
      'Handling warning: Xiling Street Office has used 75 % of its handling window; resolve by 20 Mar 09:00 (the supervision centre is told)',
    );
    expect(threeQuarters.record.light).toBe('yellow');
    expect(threeQuarters.record.firedMilestones).toEqual(['handling-warning-50', 'handling-warning-75']);
    expect(threeQuarters.record.status).toBe('in-progress');
  });

  it('breach at tier 0 → tier 1, the district office, with the policy’s tier-1 windows', () => {
    const { result, alerts } = runToDeadline(signedOff());
    expect(alerts).toEqual(['HANDLING_WARNING', 'HANDLING_WARNING', 'HANDLING_OVERDUE', 'ESCALATED']);
    expect(result.outcome).toBe('handling-breach-escalated');
    expect(eventTypes(result)).toEqual(['HANDLING_OVERDUE', 'SUPERVISION_RECORD', 'ESCALATED_TO_TIER', 'ESCALATED']);
    expect(result.alerts[0]).toMatchObject({ unit: STREET, tier: 0, dueAt: iso('2026-03-20T09:00:00'), at: iso('2026-03-20T09:00:00') });
    expect(result.alerts[1]).toMatchObject({ unit: DISTRICT_OFFICE, tier: 1, dueAt: iso('2026-03-23T09:00:00') });
    expect(result.record).toMatchObject({
      status: 'awaiting-sign-off',
      tier: 1,
      assignedUnit: DISTRICT_OFFICE,
      light: 'green',
      windowStartedAt: iso('2026-03-20T09:00:00'),
      signOffDueAt: iso('2026-03-23T09:00:00'),
      // Ten working days after Mon 03-23, skipping Qingming (Sat 04-04 to Mon 04-06).
      resolveDueAt: iso('2026-04-07T09:00:00'),
      extension: { state: 'none' },
    });
  });

  it('breach at tier 1 → tier 2, the city office', () => {
    const tier1 = runToDeadline(signedOff()).result.record;
    const handling = signOff(tier1, '2026-03-20T09:00:00');
    expect(handling.resolveDueAt).toBe(iso('2026-04-03T09:00:00'));

    const { result, alerts } = runToDeadline(handling);
    expect(alerts).toEqual(['HANDLING_WARNING', 'HANDLING_WARNING', 'HANDLING_OVERDUE', 'ESCALATED']);
    expect(result.outcome).toBe('handling-breach-escalated');
    expect(result.alerts[0]).toMatchObject({ unit: DISTRICT_OFFICE, tier: 1 });
    expect(result.record).toMatchObject({
      status: 'awaiting-sign-off',
      tier: 2,
      assignedUnit: 'city-office',
      light: 'green',
      // One working day from Fri 04-03 09:00 across Qingming; then 15.
      signOffDueAt: iso('2026-04-07T09:00:00'),
      resolveDueAt: iso('2026-04-28T09:00:00'),
    });
  });

  it('breach at tier 2 → tier 3, the joint conference (ESCALATED + CONFERENCE_REQUIRED)', () => {
    const tier2 = runToDeadline(signOff(runToDeadline(signedOff()).result.record, '2026-03-20T09:00:00')).result.record;
    const handling = signOff(tier2, '2026-04-03T09:00:00');
    expect(handling.resolveDueAt).toBe(iso('2026-04-27T09:00:00'));

    const { result, alerts } = runToDeadline(handling);
    expect(alerts).toEqual(['HANDLING_WARNING', 'HANDLING_WARNING', 'HANDLING_OVERDUE', 'ESCALATED', 'CONFERENCE_REQUIRED']);
    expect(result.outcome).toBe('handling-breach-escalated');
    expect(result.alerts.slice(1).map((alert) => [alert.unit, alert.tier])).toEqual([
      ['joint-conference', 3],
      ['joint-conference', 3],
    ]);
    expect(result.record).toMatchObject({
      status: 'awaiting-sign-off',
      tier: 3,
      assignedUnit: 'joint-conference',
      // Two working days to sign off; 20 to handle, across Labour Day (05-01..05) and the make-up Saturday 05-09.
      signOffDueAt: iso('2026-04-29T09:00:00'),
      resolveDueAt: iso('2026-05-29T09:00:00'),
    });
  });

  it('breach at tier 3 → HANDLING_OVERDUE only; the conference keeps the case, red, with a new window', () => {
    let record = runToDeadline(signOff(runToDeadline(signedOff()).result.record, '2026-03-20T09:00:00')).result.record;
    record = runToDeadline(signOff(record, '2026-04-03T09:00:00')).result.record;
    const handling = signOff(record, '2026-04-27T09:00:00');
    expect(handling.resolveDueAt).toBe(iso('2026-05-27T09:00:00'));

    const { result, alerts } = runToDeadline(handling);
    expect(alerts).toEqual(['HANDLING_WARNING', 'HANDLING_WARNING', 'HANDLING_OVERDUE']);
    expect(result.outcome).toBe('handling-breach-at-top');
    expect(eventTypes(result)).toEqual(['HANDLING_OVERDUE', 'SUPERVISION_RECORD', 'HANDLING_WINDOW_REOPENED']);
    expect(result.alerts[0]).toMatchObject({ unit: 'joint-conference', tier: 3, dueAt: iso('2026-05-27T09:00:00') });
    expect(result.record).toMatchObject({
      status: 'in-progress',
      tier: 3,
      assignedUnit: 'joint-conference',
      light: 'red',
      windowStartedAt: iso('2026-05-27T09:00:00'),
      // 20 working days, skipping the Dragon Boat holiday (06-19).
      resolveDueAt: iso('2026-06-25T09:00:00'),
      firedMilestones: [],
    });
  });

  it('takes the windows of tiers 1–3 from the policy', () => {
    const policy: Policy = {
      ...defaultPolicy,
      tiers: {
        '1': { signOffWorkingDays: 2, handlingWorkingDays: 4 },
        '2': { signOffWorkingDays: 3, handlingWorkingDays: 6 },
        '3': { signOffWorkingDays: 4, handlingWorkingDays: 8 },
      },
    };
    const now = '2026-03-09T09:00:00';
    const escalate = (record: CaseRecord) => act(record, callerOf(record.assignedUnit), { action: 'escalate', reason: 'beyond us' }, now, policy).record;

    const tier1 = escalate(signOff(accepted(), now, policy));
    expect([tier1.tier, tier1.signOffDueAt, tier1.resolveDueAt]).toEqual([1, iso('2026-03-11T09:00:00'), iso('2026-03-17T09:00:00')]);
    const tier1Handling = signOff(tier1, now, policy);
    expect(tier1Handling.resolveDueAt).toBe(iso('2026-03-13T09:00:00'));

    const tier2 = escalate(tier1Handling);
    expect([tier2.tier, tier2.signOffDueAt, tier2.resolveDueAt]).toEqual([2, iso('2026-03-12T09:00:00'), iso('2026-03-20T09:00:00')]);
    const tier2Handling = signOff(tier2, now, policy);
    expect(tier2Handling.resolveDueAt).toBe(iso('2026-03-17T09:00:00'));

    const tier3 = escalate(tier2Handling);
    expect([tier3.tier, tier3.signOffDueAt, tier3.resolveDueAt]).toEqual([3, iso('2026-03-13T09:00:00'), iso('2026-03-25T09:00:00')]);
    expect(signOff(tier3, now, policy).resolveDueAt).toBe(iso('2026-03-19T09:00:00'));
  });
});

describe('timers', () => {
  const warningAt = at('2026-03-10T03:00:00');

  it('fires each milestone exactly once', () => {
    const first = applyTick(accepted(), 'sign-off', ctxAt(warningAt));
    expect(alertTypes(first)).toEqual(['SIGN_OFF_WARNING']);

    const again = applyTick(first.record, 'sign-off', ctxAt(warningAt));
    expect(again).toEqual({ record: first.record, events: [], alerts: [], outcome: 'waiting' });
  });

  it('counts a timer that fires up to 1 s early, not one that fires earlier', () => {
    const tooEarly = applyTick(accepted(), 'sign-off', ctxAt(warningAt - 1001));
    expect(tooEarly.alerts).toEqual([]);
    expect(tooEarly.record.firedMilestones).toEqual([]);

    const early = applyTick(accepted(), 'sign-off', ctxAt(warningAt - 1000));
    expect(alertTypes(early)).toEqual(['SIGN_OFF_WARNING']);
    expect(early.record.light).toBe('yellow');

    // A deadline 1 s early still ends the window; the next one runs from that instant.
    const breached = applyTick(early.record, 'sign-off', ctxAt(at('2026-03-10T09:00:00') - 1000));
    expect(breached.outcome).toBe('sign-off-breach');
    expect(breached.record.signOffDueAt).toBe(iso('2026-03-11T08:59:59'));
  });

  it('ignores a stale timer for another phase', () => {
    const record = accepted();
    const stale = applyTick(record, 'handling', ctxAt(at('2026-03-30T09:00:00')));
    expect(stale).toEqual({ record, events: [], alerts: [], outcome: 'stale-timer' });
    expect(stale.record).toBe(record);
  });

  it('fires everything that is due, in order, when a timer is late', () => {
    const late = applyTick(signedOff(), 'handling', ctxAt(at('2026-03-20T09:00:00')));
    expect(alertTypes(late)).toEqual(['HANDLING_WARNING', 'HANDLING_WARNING', 'HANDLING_OVERDUE', 'ESCALATED']);
    expect(late.record.tier).toBe(1);
  });
});

describe('escalation asked for by the unit', () => {
  it('escalates from tier 0 to the district office with a fresh sign-off window', () => {
    const result = act(signedOff(), streetOffice, { action: 'escalate', reason: 'Needs the district' }, '2026-03-10T14:00:00');
    expect(result.outcome).toBe('escalated');
    expect(eventTypes(result)).toEqual(['ESCALATION_REQUESTED', 'ESCALATED_TO_TIER', 'ESCALATED']);
    expect(result.events[0]).toMatchObject({ unit: STREET, actor: { unit: STREET, role: 'agency' }, note: 'Needs the district' });
    expect(alertTypes(result)).toEqual(['ESCALATED']);
    expect(result.alerts[0]).toMatchObject({ unit: DISTRICT_OFFICE, tier: 1, dueAt: iso('2026-03-11T14:00:00') });
    expect(result.record).toMatchObject({
      status: 'awaiting-sign-off',
      tier: 1,
      assignedUnit: DISTRICT_OFFICE,
      light: 'green',
      windowStartedAt: iso('2026-03-10T14:00:00'),
      signOffDueAt: iso('2026-03-11T14:00:00'),
      resolveDueAt: iso('2026-03-25T14:00:00'),
    });
  });

  it('refuses to escalate at tier 3 (conflict)', () => {
    const now = '2026-03-09T09:00:00';
    let record = signedOff();
    for (let tier = 1; tier <= 3; tier++) {
      record = signOff(act(record, callerOf(record.assignedUnit), { action: 'escalate', reason: 'beyond us' }, now).record, now);
    }
    expect(record.tier).toBe(3);
    expect(record.status).toBe('in-progress');
    expect(check(record, callerOf('joint-conference'), { action: 'escalate', reason: 'still beyond us' }).kind).toBe('conflict');
  });
});

describe('return and re-routing', () => {
  it('returns to the supervision centre, raises REROUTE_OVERDUE when late, and reassigns at tier 0', () => {
    const returned = act(accepted(), streetOffice, { action: 'return', reason: 'A housing matter, not ours' }, '2026-03-09T11:00:00');
    expect(returned.outcome).toBe('returned');
    expect(returned.alerts).toEqual([]);
    expect(returned.events).toEqual([
      expect.objectContaining({ type: 'RETURNED', unit: STREET, note: 'A housing matter, not ours', data: { to: CENTRE } }),
    ]);
    expect(returned.record).toMatchObject({
      status: 'returned',
      tier: 0,
      assignedUnit: CENTRE,
      involvedUnits: [COMMUNITY, STREET, CENTRE],
      windowStartedAt: iso('2026-03-09T11:00:00'),
      reRouteDueAt: iso('2026-03-10T11:00:00'),
      firedMilestones: [],
    });
    expect(planFor(returned.record, ctxAt(at('2026-03-09T11:00:00')))).toEqual({ phase: 're-route', waitSeconds: 24 * 3600 });

    const late = tickNext(returned.record);
    expect(late.outcome).toBe('re-route-late');
    expect(alertTypes(late)).toEqual(['REROUTE_OVERDUE']);
    expect(late.alerts[0]).toMatchObject({ unit: CENTRE, tier: 0, dueAt: iso('2026-03-10T11:00:00'), at: iso('2026-03-10T11:00:00') });
    expect(late.record).toMatchObject({
      status: 'returned',
      light: 'red',
      windowStartedAt: iso('2026-03-10T11:00:00'),
      reRouteDueAt: iso('2026-03-11T11:00:00'),
      firedMilestones: [],
    });

    const target = 'district-dept-xiling-housing';
    const reassigned = act(late.record, supervisor, { action: 'reassign', toUnit: target, note: 'Housing bureau, please' }, '2026-03-10T15:00:00');
    expect(reassigned.outcome).toBe('reassigned');
    expect(reassigned.events).toEqual([
      expect.objectContaining({ type: 'REASSIGNED', unit: target, data: { from: CENTRE, to: target, signOffDueAt: iso('2026-03-11T15:00:00') } }),
    ]);
    expect(reassigned.record).toMatchObject({
      status: 'awaiting-sign-off',
      tier: 0,
      assignedUnit: target,
      firstHandlerUnit: STREET,
      involvedUnits: [COMMUNITY, STREET, CENTRE, target],
      light: 'green',
      windowStartedAt: iso('2026-03-10T15:00:00'),
      signOffDueAt: iso('2026-03-11T15:00:00'),
      resolveDueAt: iso('2026-03-24T15:00:00'),
      signOffBreaches: 0,
      firedMilestones: [],
    });
  });

  it('refuses a return at tier 1 or above (conflict)', () => {
    const tier1 = signOff(act(signedOff(), streetOffice, { action: 'escalate', reason: 'beyond us' }, '2026-03-09T10:00:00').record, '2026-03-09T10:00:00');
    expect(check(tier1, callerOf(DISTRICT_OFFICE), { action: 'return', reason: 'not ours' }).kind).toBe('conflict');
  });

  it('starts the re-route window green, whatever light the sign-off window had reached', () => {
    const warned = tickNext(accepted()).record;
    expect(warned.light).toBe('yellow');

    const returned = act(warned, streetOffice, { action: 'return', reason: 'Not ours' }, '2026-03-10T04:00:00').record;
    // Nothing of the one-day re-route window has passed yet.
    expect(returned.light).toBe('green');
    expect(currentLight(returned, at('2026-03-10T04:00:00'), defaultCalendar)).toBe('green');
  });
});

describe('extension', () => {
  const requestAt = (record: CaseRecord, shanghaiLocal: string, workingDays = 3) =>
    act(record, callerOf(record.assignedUnit), { action: 'request-extension', workingDays, reason: 'Waiting for the utility' }, shanghaiLocal);

  it('is requested, then approved: the due date moves by the working days', () => {
    const requested = requestAt(signedOff(), '2026-03-10T10:00:00');
    expect(requested.outcome).toBe('extension-requested');
    expect(eventTypes(requested)).toEqual(['EXTENSION_REQUESTED']);
    expect(requested.events[0].data).toEqual({ workingDays: 3 });
    expect(requested.record.extension).toEqual({ state: 'requested', workingDays: 3, reason: 'Waiting for the utility' });
    expect(requested.record.resolveDueAt).toBe(iso('2026-03-20T09:00:00'));

    const approved = act(requested.record, supervisor, { action: 'approve-extension', note: 'Granted' }, '2026-03-11T10:00:00');
    expect(approved.outcome).toBe('extension-approved');
    expect(approved.alerts).toEqual([]);
    expect(eventTypes(approved)).toEqual(['EXTENSION_APPROVED']);
    expect(approved.events[0]).toMatchObject({
      actor: { unit: CENTRE, role: 'supervisor' },
      note: 'Granted',
      data: { workingDays: 3, previousDueAt: iso('2026-03-20T09:00:00'), resolveDueAt: iso('2026-03-25T09:00:00') },
    });
    expect(approved.record).toMatchObject({
      status: 'in-progress',
      resolveDueAt: iso('2026-03-25T09:00:00'),
      windowStartedAt: iso('2026-03-09T09:00:00'),
      extension: { state: 'approved', workingDays: 3 },
      light: 'green',
    });
    expect(milestonesOf(approved.record, ctxAt(0)).map((m) => toLocal(m.at))).toEqual([
      '2026-03-17T09:00:00', // 6 of 12 working days
      '2026-03-20T09:00:00', // 9 of 12
      '2026-03-25T09:00:00',
    ]);
  });

  it('approved after the 75 % warning: the light follows the longer window and the deadline is the next timer', () => {
    let record = signedOff();
    record = tickNext(tickNext(record).record).record;
    expect(record.light).toBe('yellow');
    record = requestAt(record, '2026-03-18T09:00:00', 5).record;

    const approved = act(record, supervisor, { action: 'approve-extension', note: 'Granted' }, '2026-03-18T10:00:00');
    // Fri 03-20 + 5 working days → Fri 03-27; 75 % of 14 days falls on Mon 03-23 21:00.
    expect(approved.record.resolveDueAt).toBe(iso('2026-03-27T09:00:00'));
    expect(approved.record.light).toBe('green');
    expect(planFor(approved.record, ctxAt(at('2026-03-18T10:00:00')))).toEqual({ phase: 'handling', waitSeconds: (9 * 24 - 1) * 3600 });
  });

  it('is refused: the due date stays, and no second request at the same tier', () => {
    const requested = requestAt(signedOff(), '2026-03-10T10:00:00').record;
    const refused = act(requested, supervisor, { action: 'refuse-extension', note: 'Do it in time' }, '2026-03-10T12:00:00');
    expect(refused.outcome).toBe('extension-refused');
    expect(eventTypes(refused)).toEqual(['EXTENSION_REFUSED']);
    expect(refused.record.extension.state).toBe('refused');
    expect(refused.record.resolveDueAt).toBe(iso('2026-03-20T09:00:00'));

    expect(check(refused.record, streetOffice, { action: 'request-extension', workingDays: 1, reason: 'Please' }).kind).toBe('conflict');
  });

  it('allows one request per tier: a second is refused (conflict), a new tier allows one again', () => {
    const requested = requestAt(signedOff(), '2026-03-10T10:00:00').record;
    expect(check(requested, streetOffice, { action: 'request-extension', workingDays: 1, reason: 'Again' }).kind).toBe('conflict');
    const approved = act(requested, supervisor, { action: 'approve-extension', note: 'Granted' }, '2026-03-10T11:00:00').record;
    expect(check(approved, streetOffice, { action: 'request-extension', workingDays: 1, reason: 'Again' }).kind).toBe('conflict');
    expect(check(approved, supervisor, { action: 'approve-extension', note: 'Once more' }).kind).toBe('conflict');

    const tier1 = act(approved, streetOffice, { action: 'escalate', reason: 'beyond us' }, '2026-03-10T12:00:00').record;
    expect(tier1.extension).toEqual({ state: 'none' });
    const tier1Handling = signOff(tier1, '2026-03-10T13:00:00');
    // Tier 1 handling: 10 working days from Tue 03-10 13:00.
    expect(tier1Handling.resolveDueAt).toBe(iso('2026-03-24T13:00:00'));
    const again = requestAt(tier1Handling, '2026-03-11T10:00:00', 2);
    expect(again.record.extension.state).toBe('requested');
    const approvedAgain = act(again.record, supervisor, { action: 'approve-extension', note: 'Granted' }, '2026-03-11T11:00:00');
    expect(approvedAgain.record.resolveDueAt).toBe(iso('2026-03-26T13:00:00'));
  });

  it('has nothing to decide without a request (conflict)', () => {
    expect(check(signedOff(), supervisor, { action: 'approve-extension', note: 'Granted' }).kind).toBe('conflict');
    expect(check(signedOff(), supervisor, { action: 'refuse-extension', note: 'No' }).kind).toBe('conflict');
  });
});

describe('evaluation', () => {
  /** Signed off Mon 09:00, resolved Wed 03-11 15:00: evaluation due Mon 03-16 15:00. */
  const resolvedCase = () => resolve(signedOff(), '2026-03-11T15:00:00');

  it('unsatisfied once: reopened at the same unit with a new handling window', () => {
    const result = act(resolvedCase(), community, { action: 'evaluate', rating: 'unsatisfied', comment: 'Still no hot water' }, '2026-03-12T10:00:00');
    expect(result.outcome).toBe('unsatisfied-reopened');
    expect(alertTypes(result)).toEqual(['EVALUATION_UNSATISFIED']);
    expect(result.alerts[0]).toMatchObject({ unit: STREET, tier: 0, params: { rating: 'unsatisfied' }, detail: '评价为“不满意”：西陵街道办事处须于3月25日 10:00前重新办理' });
    expect(eventTypes(result)).toEqual(['EVALUATED', 'EVALUATION_UNSATISFIED', 'SUPERVISION_RECORD', 'REOPENED']);
    expect(result.events[0]).toMatchObject({ actor: { unit: COMMUNITY, role: 'community' }, note: 'Still no hot water', data: { rating: 'unsatisfied' } });
    expect(result.record).toMatchObject({
      status: 'in-progress',
      tier: 0,
      assignedUnit: STREET,
      light: 'green',
      unsatisfiedCount: 1,
      evaluation: { rating: 'unsatisfied', comment: 'Still no hot water', at: iso('2026-03-12T10:00:00') },
      windowStartedAt: iso('2026-03-12T10:00:00'),
      // Nine working days from Thu 03-12 10:00.
      resolveDueAt: iso('2026-03-25T10:00:00'),
      firedMilestones: [],
    });
  });

  it('unsatisfied twice at the same tier: escalated one tier', () => {
    const reopened = act(resolvedCase(), community, { action: 'evaluate', rating: 'unsatisfied' }, '2026-03-12T10:00:00').record;
    const resolvedAgain = resolve(reopened, '2026-03-13T10:00:00');

    const result = act(resolvedAgain, community, { action: 'evaluate', rating: 'unsatisfied' }, '2026-03-16T10:00:00');
    expect(result.outcome).toBe('unsatisfied-escalated');
    expect(alertTypes(result)).toEqual(['EVALUATION_UNSATISFIED', 'ESCALATED']);
    expect(eventTypes(result)).toEqual(['EVALUATED', 'EVALUATION_UNSATISFIED', 'SUPERVISION_RECORD', 'ESCALATED_TO_TIER', 'ESCALATED']);
    expect(result.record).toMatchObject({
      status: 'awaiting-sign-off',
      tier: 1,
      assignedUnit: DISTRICT_OFFICE,
      unsatisfiedCount: 0,
      light: 'green',
      signOffDueAt: iso('2026-03-17T10:00:00'),
      resolveDueAt: iso('2026-03-31T10:00:00'),
    });
  });

  it('not implemented counts like unsatisfied: reopened, then escalated', () => {
    const first = act(resolvedCase(), community, { action: 'evaluate', rating: 'not-implemented' }, '2026-03-12T10:00:00');
    expect(first.outcome).toBe('unsatisfied-reopened');
    expect(first.alerts[0].detailEn).toBe('Rated not implemented: Xiling Street Office must resolve it again by 25 Mar 10:00');
    expect(first.record).toMatchObject({ status: 'in-progress', assignedUnit: STREET, unsatisfiedCount: 1, resolveDueAt: iso('2026-03-25T10:00:00') });

    const second = act(resolve(first.record, '2026-03-13T10:00:00'), community, { action: 'evaluate', rating: 'not-implemented' }, '2026-03-16T10:00:00');
    expect(second.outcome).toBe('unsatisfied-escalated');
    expect(second.record).toMatchObject({ tier: 1, assignedUnit: DISTRICT_OFFICE });
  });

  it('closes as not evaluated when the community does not answer in 3 working days', () => {
    const record = resolvedCase();
    expect(milestonesOf(record, ctxAt(0))).toEqual([{ id: 'evaluation-deadline', at: at('2026-03-16T15:00:00'), kind: 'deadline' }]);
    expect(planFor(record, ctxAt(at('2026-03-11T15:00:00')))).toEqual({ phase: 'evaluation', waitSeconds: 5 * 24 * 3600 });

    const result = tickNext(record);
    expect(result.outcome).toBe('closed-not-evaluated');
    expect(result.alerts).toEqual([]);
    expect(eventTypes(result)).toEqual(['CLOSED']);
    expect(result.events[0].data).toEqual({ reason: 'not-evaluated' });
    expect(result.record).toMatchObject({ status: 'closed', closedReason: 'not-evaluated', closedAt: iso('2026-03-16T15:00:00') });
    expect(result.record.evaluation).toBeUndefined();
    expect(check(result.record, community, { action: 'evaluate', rating: 'satisfied' }).kind).toBe('conflict');
  });
});

describe('urge', () => {
  it('raises URGED to the assigned unit and records it; the case is otherwise unchanged', () => {
    const record = signedOff();
    const result = act(record, supervisor, { action: 'urge', note: 'Residents called again' }, '2026-03-10T10:00:00');
    expect(result.outcome).toBe('urged');
    expect(withoutCounters(result.record)).toEqual(withoutCounters(record));
    expect(alertTypes(result)).toEqual(['URGED']);
    expect(result.alerts[0]).toEqual({
      type: 'URGED',
      caseId: 'case-42',
      unit: STREET,
      district: 'xiling',
      audience: [STREET],
      tier: 0,
      dueAt: iso('2026-03-20T09:00:00'),
      at: iso('2026-03-10T10:00:00'),
      code: 'URGED',
      params: { unit: STREET, tier: 0, dueAt: iso('2026-03-20T09:00:00'), note: 'Residents called again' },
      detail: '监管中心督办西陵街道办事处：Residents called again',
      detailEn: 'The supervision centre urges Xiling Street Office: Residents called again',
    });
    expect(result.events[0]).toMatchObject({ type: 'SUPERVISION_URGE', unit: STREET, actor: { unit: CENTRE, role: 'supervisor' }, note: 'Residents called again' });
  });
});

describe('first-handler responsibility', () => {
  it('keeps the first unit as first handler through every escalation, while involved units accumulate', () => {
    const now = '2026-03-09T09:00:00';
    let record = signedOff();
    const seenFirstHandler: unknown[] = [];
    for (let tier = 1; tier <= 3; tier++) {
      const step = act(record, callerOf(record.assignedUnit), { action: 'escalate', reason: 'beyond us' }, now);
      seenFirstHandler.push(step.events.find((event) => event.type === 'ESCALATED_TO_TIER')?.data?.firstHandlerUnit);
      record = signOff(step.record, now);
    }
    expect(seenFirstHandler).toEqual([STREET, STREET, STREET]);
    expect(record.firstHandlerUnit).toBe(STREET);
    expect(record.originUnit).toBe(COMMUNITY);
    expect(record.involvedUnits).toEqual([COMMUNITY, STREET, DISTRICT_OFFICE, 'city-office', 'joint-conference']);
  });
});

describe('checkAction', () => {
  const otherStreet = callerOf('street-xiling-xueyuan');

  it('lets the assigned unit sign off, and nobody else (forbidden)', () => {
    expect(() => checkAction(accepted(), signalOf(streetOffice, { action: 'sign-off', handler: { name: 'Li' } }), streetOffice, { directory: defaultDirectory })).not.toThrow();
    expect(check(accepted(), otherStreet, { action: 'sign-off', handler: { name: 'Wang' } }).kind).toBe('forbidden');
    expect(check(accepted(), community, { action: 'sign-off', handler: { name: 'Wang' } }).kind).toBe('forbidden');
  });

  it('keeps urge, reassign and extension decisions to the supervision centre (forbidden)', () => {
    const requested = requestedExtension();
    const actions: Action[] = [
      { action: 'urge', note: 'Hurry' },
      { action: 'reassign', toUnit: 'city-dept-housing', note: 'Elsewhere' },
      { action: 'approve-extension', note: 'Yes' },
      { action: 'refuse-extension', note: 'No' },
    ];
    for (const action of actions) {
      expect(check(requested, streetOffice, action).kind).toBe('forbidden');
      expect(check(requested, callerOf('city-dept-housing'), action).kind).toBe('forbidden');
      expect(() => checkAction(requested, signalOf(supervisor, action), supervisor, { directory: defaultDirectory })).not.toThrow();
    }
  });

  it('lets only the originating community evaluate (forbidden)', () => {
    const record = resolve(signedOff(), '2026-03-11T15:00:00');
    expect(check(record, callerOf('community-xiling-luluo-lu'), { action: 'evaluate', rating: 'satisfied' }).kind).toBe('forbidden');
    expect(check(record, streetOffice, { action: 'evaluate', rating: 'satisfied' }).kind).toBe('forbidden');
    expect(check(record, supervisor, { action: 'evaluate', rating: 'satisfied' }).kind).toBe('forbidden');
  });

  it('refuses actions that do not fit the step (conflict)', () => {
    expect(check(accepted(), streetOffice, { action: 'resolve', summary: 'Done', outcome: 'Done' }).kind).toBe('conflict');
    expect(check(accepted(), streetOffice, { action: 'escalate', reason: 'Too hard' }).kind).toBe('conflict');
    expect(check(accepted(), streetOffice, { action: 'request-extension', workingDays: 2, reason: 'Busy' }).kind).toBe('conflict');
    expect(check(signedOff(), streetOffice, { action: 'sign-off', handler: { name: 'Li' } }).kind).toBe('conflict');
    expect(check(signedOff(), community, { action: 'evaluate', rating: 'satisfied' }).kind).toBe('conflict');
  });

  it('refuses every action on a closed case (conflict)', () => {
    const resolved = resolve(signedOff(), '2026-03-11T15:00:00');
    const closed = act(resolved, community, { action: 'evaluate', rating: 'satisfied' }, '2026-03-12T09:00:00').record;
    const byUnit: Action[] = [
      { action: 'sign-off', handler: { name: 'Li' } },
      { action: 'resolve', summary: 'Again', outcome: 'Again' },
      { action: 'escalate', reason: 'Later' },
      { action: 'return', reason: 'Later' },
      { action: 'request-extension', workingDays: 1, reason: 'Later' },
    ];
    for (const action of byUnit) expect(check(closed, streetOffice, action).kind).toBe('conflict');
    expect(check(closed, community, { action: 'evaluate', rating: 'unsatisfied' }).kind).toBe('conflict');
    const bySupervisor: Action[] = [
      { action: 'urge', note: 'Hurry' },
      { action: 'reassign', toUnit: 'city-dept-housing', note: 'Elsewhere' },
      { action: 'approve-extension', note: 'Yes' },
      { action: 'refuse-extension', note: 'No' },
    ];
    for (const action of bySupervisor) expect(check(closed, supervisor, action).kind).toBe('conflict');
  });

  it('refuses to reassign to an unknown unit, an office, or the unit that has it (invalid on toUnit)', () => {
    for (const toUnit of ['city-dept-nowhere', DISTRICT_OFFICE, 'city-office', 'joint-conference', CENTRE, STREET]) {
      const error = check(accepted(), supervisor, { action: 'reassign', toUnit, note: 'Elsewhere' });
      expect(error.kind).toBe('invalid');
      expect(error.path).toBe('toUnit');
    }
  });

  it('does not apply an action that arrives after the case left the phase it was meant for', () => {
    const record = signedOff();
    const result = applySignal(record, 'sign-off', signalOf(streetOffice, { action: 'sign-off', handler: { name: 'Li' } }), ctxAt(at('2026-03-09T10:00:00')));
    expect(result.outcome).toBe('not-applied');
    expect(result.record).toBe(record);
    expect(result.alerts).toEqual([]);
    expect(result.events).toEqual([
      expect.objectContaining({ type: 'ACTION_NOT_APPLIED', actor: expect.objectContaining({ unit: STREET, role: 'agency' }), data: expect.objectContaining({ action: 'sign-off' }) }),
    ]);
  });

  function requestedExtension(): CaseRecord {
    return act(signedOff(), streetOffice, { action: 'request-extension', workingDays: 2, reason: 'Busy' }, '2026-03-10T10:00:00').record;
  }
});

/** Shanghai local time of an instant, to the second. */
function toLocal(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);
}

describe('arrival re-check and lifetime counts', () => {
  it('does not apply a decision on an extension nobody asked for, even if it reaches the workflow', () => {
    const signed = signOff(accept('2026-03-09T09:00:00'), '2026-03-09T10:00:00');
    const decision = signalOf(supervisor, { action: 'approve-extension', note: 'ok' });
    const result = applySignal(signed, 'handling', decision, ctxAt(at('2026-03-09T11:00:00')));
    expect(result.outcome).toBe('not-applied');
    expect(result.record.resolveDueAt).toBe(signed.resolveDueAt);
    expect(result.events.map((e) => e.type)).toEqual(['ACTION_NOT_APPLIED']);
  });

  it("forgets the previous unit's sign-off when the case moves to a new unit", () => {
    const signed = signOff(accept('2026-03-09T09:00:00'), '2026-03-09T10:00:00');
    const escalated = act(signed, streetOffice, { action: 'escalate', reason: 'needs the district' }, '2026-03-09T11:00:00').record;
    expect(escalated.assignedUnit).toBe(DISTRICT_OFFICE);
    expect(escalated.signedOffAt).toBeUndefined();
    expect(escalated.handler).toBeUndefined();
  });

  it('keeps lifetime counts for the monthly assessment', () => {
    let record = accept('2026-03-09T09:00:00');
    record = act(record, supervisor, { action: 'urge', note: 'please sign off' }, '2026-03-09T10:00:00').record;
    record = signOff(record, '2026-03-09T11:00:00');
    record = act(record, streetOffice, { action: 'request-extension', workingDays: 2, reason: 'waiting for the utility' }, '2026-03-10T09:00:00').record;
    record = act(record, supervisor, { action: 'approve-extension', note: 'agreed' }, '2026-03-10T10:00:00').record;
    record = resolve(record, '2026-03-11T09:00:00');
    expect(record.metrics).toEqual(
      expect.objectContaining({
        urges: 1,
        extensionsRequested: 1,
        extensionsApproved: 1,
        escalations: 0,
        maxTier: 0,
        firstResolvedAt: iso('2026-03-11T09:00:00'),
        resolvedOnTime: true,
        resolvedInCommunity: false,
      }),
    );
  });
});

describe('keyed actions (Idempotency-Key)', () => {
  const keyed = (record: CaseRecord, key: string, shanghaiLocal: string) =>
    applySignal(
      record,
      phaseOf(record),
      { action: 'urge', note: 'Hurry', by: { unit: supervisor.unit, role: supervisor.role, sub: supervisor.sub, requestKey: key } },
      ctxAt(at(shanghaiLocal)),
    );

  it('remembers an applied action with its key, unit and action, and nothing for an action without a key', () => {
    const record = accepted();
    const urged = keyed(record, 'k-1', '2026-03-09T10:00:00').record;
    expect(appliedRequest(urged, CENTRE, 'k-1')).toEqual({ unit: CENTRE, key: 'k-1', action: 'urge', at: iso('2026-03-09T10:00:00') });
    expect(appliedRequest(urged, STREET, 'k-1')).toBeUndefined();
    expect(signOff(record, '2026-03-09T10:00:00').appliedRequests).toBeUndefined();
  });

  it('does not remember an action that was not applied', () => {
    const signed = signOff(accepted(), '2026-03-09T10:00:00');
    // A sign-off that arrives after the case left the sign-off phase is recorded as not applied.
    const late = applySignal(
      signed,
      'sign-off',
      { action: 'sign-off', handler: { name: 'Wang' }, by: { unit: STREET, role: 'agency', sub: 's', requestKey: 'late' } },
      ctxAt(at('2026-03-09T11:00:00')),
    );
    expect(late.outcome).toBe('not-applied');
    expect(appliedRequest(late.record, STREET, 'late')).toBeUndefined();
  });

  it('remembers only the last REMEMBERED_REQUESTS', () => {
    let record = accepted();
    for (let i = 0; i < REMEMBERED_REQUESTS + 5; i++) record = keyed(record, `k-${i}`, '2026-03-09T10:00:00').record;
    expect(record.appliedRequests).toHaveLength(REMEMBERED_REQUESTS);
    expect(appliedRequest(record, CENTRE, 'k-0')).toBeUndefined();
    expect(appliedRequest(record, CENTRE, `k-${REMEMBERED_REQUESTS + 4}`)).toBeDefined();
  });
});

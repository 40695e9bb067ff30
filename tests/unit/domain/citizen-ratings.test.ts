import { acceptCase, type CaseRecord, type CreateCaseBody } from '../../../functions/domain/case';
import { ROLE_OF_UNIT_KIND } from '../../../functions/domain/roles';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import { DomainError } from '../../../functions/domain/errors';
import type { Caller } from '../../../functions/domain/identity';
import { defaultPolicy } from '../../../functions/domain/policy';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import { ratingThatCounts, withinReopenWindow } from '../../../functions/domain/ratings';
import { addCounts, assessCase, emptyCounts, unitContributions } from '../../../functions/domain/assessment';
import {
  COMPLAINANT_ACTOR,
  allowedActions,
  applySignal,
  applyTick,
  checkAction,
  milestonesOf,
  phaseOf,
  type Actor,
  type Signal,
  type StepResult,
} from '../../../functions/domain/workflow';
import { at } from '../../support/shanghai-time';

/*
 * The complainant's rating, the follow-up call (回访) and reopening as rules: whose rating counts,
 * that a community never rates a result it reported itself, and when a closed case may be reopened.
 */
const COMMUNITY = 'community-xiling-shengli-silu';
const OTHER_COMMUNITY = 'community-xiling-luluo-lu';
const callerOf = (unit: string): Caller => ({ sub: `officer-of-${unit}`, unit, role: ROLE_OF_UNIT_KIND[defaultDirectory.require(unit).kind] });
const community = callerOf(COMMUNITY);
const supervisor = callerOf('supervision-centre');
const ctxAt = (nowMs: number) => ({ nowMs, directory: defaultDirectory, calendar: defaultCalendar, policy: defaultPolicy });

function accept(kept: boolean): CaseRecord {
  const body: CreateCaseBody = { title: 'No water', description: 'No water since Monday.', category: 'routine', reportedVia: 'visit', ...(kept ? { assignedUnit: COMMUNITY } : {}) };
  return acceptCase(body, { caller: community, id: 'case-7', nowMs: at('2026-03-09T09:00:00'), directory: defaultDirectory, calendar: defaultCalendar, routingRules: defaultRoutingRules }).record;
}

type Unsigned<T> = T extends unknown ? Omit<T, 'by'> : never;
function act(record: CaseRecord, by: Actor, action: Unsigned<Signal>, shanghaiLocal: string): StepResult {
  const signal = { ...action, by } as Signal;
  const nowMs = at(shanghaiLocal);
  checkAction(record, signal, by, { directory: defaultDirectory, nowMs, policy: defaultPolicy });
  return applySignal(record, phaseOf(record), signal, ctxAt(nowMs));
}
const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

/** Resolved on Tue 03-10 10:00: the evaluation window (3 working days) runs to Fri 03-13 10:00. */
function resolved(kept: boolean): CaseRecord {
  let record = accept(kept);
  if (!kept) record = act(record, callerOf(record.assignedUnit), { action: 'sign-off', handler: { name: '李娟' } }, '2026-03-09T10:00:00').record;
  return act(record, callerOf(record.assignedUnit), { action: 'resolve', summary: '已恢复供水', outcome: '水管已修复' }, '2026-03-10T10:00:00').record;
}
/** The evaluation window runs out: closed as not evaluated. */
function closedUnrated(record: CaseRecord): CaseRecord {
  const due = milestonesOf(record, ctxAt(0)).find((m) => m.id === 'evaluation-deadline')!.at;
  const result = applyTick(record, 'evaluation', ctxAt(due));
  expect(result.outcome).toBe('closed-not-evaluated');
  return result.record;
}

describe('a case the community kept', () => {
  it('its community may not rate its own result: evaluate is not offered and refused (403); the supervisor is offered the follow-up call', () => {
    const record = resolved(true);
    expect(allowedActions(record, community, at('2026-03-10T11:00:00')).actions).not.toContain('evaluate');
    const error = refusal(() => act(record, community, { action: 'evaluate', rating: 'satisfied' }, '2026-03-10T11:00:00'));
    expect([error.kind, error.text.code]).toEqual(['forbidden', 'error.community-rates-own-result']);
    expect(allowedActions(record, supervisor, at('2026-03-10T11:00:00')).actions).toContain('follow-up');
  });

  it('the complainant rates it: satisfied closes it, and that rating is the one that counts', () => {
    const result = act(resolved(true), COMPLAINANT_ACTOR, { action: 'complainant-evaluate', rating: 'satisfied', comment: '很及时' }, '2026-03-11T09:00:00');
    expect(result.outcome).toBe('closed-satisfied');
    expect(result.events.map((e) => e.type)).toEqual(['COMPLAINANT_RATED', 'CLOSED']);
    expect(result.record.complainantEvaluation).toMatchObject({ rating: 'satisfied', withinWindow: true });
    expect(ratingThatCounts(result.record)).toMatchObject({ rating: 'satisfied', source: 'complainant' });
    expect(assessCase(result.record, at('2026-04-01T00:00:00'), { calendar: defaultCalendar }).counts).toMatchObject({ satisfied: 1, notEvaluated: 0 });
  });

  it("the complainant's unsatisfied rating in the window does what the community's does: the unit works on it again", () => {
    const result = act(resolved(true), COMPLAINANT_ACTOR, { action: 'complainant-evaluate', rating: 'unsatisfied' }, '2026-03-11T09:00:00');
    expect(result.outcome).toBe('unsatisfied-reopened');
    expect(result.record.status).toBe('in-progress');
    expect(result.alerts.map((a) => a.type)).toEqual(['EVALUATION_UNSATISFIED']);
    expect(result.record.metrics.unsatisfied).toBe(1);
  });

  it('unrated in the window, it closes; then a follow-up call records the answer, which counts, once', () => {
    const closed = closedUnrated(resolved(true));
    expect(assessCase(closed, at('2026-04-01T00:00:00'), { calendar: defaultCalendar }).counts).toMatchObject({ notEvaluated: 1 });
    const followed = act(closed, supervisor, { action: 'follow-up', rating: 'not-implemented', comment: '电话回访：仍未落实' }, '2026-03-16T10:00:00');
    expect(followed.outcome).toBe('follow-up-recorded');
    expect(followed.record.status).toBe('closed');
    expect(assessCase(followed.record, at('2026-04-01T00:00:00'), { calendar: defaultCalendar }).counts).toMatchObject({ notImplemented: 1, notEvaluated: 0 });
    const again = refusal(() => act(followed.record, supervisor, { action: 'follow-up', rating: 'satisfied' }, '2026-03-16T11:00:00'));
    expect([again.kind, again.text.code]).toEqual(['conflict', 'error.follow-up-recorded-already']);
  });

  it('a follow-up call is for kept cases and the supervisor only', () => {
    const routed = closedUnrated(resolved(false));
    expect(refusal(() => act(routed, supervisor, { action: 'follow-up', rating: 'satisfied' }, '2026-03-16T10:00:00')).text.code).toBe('error.follow-up-kept-only');
    expect(refusal(() => act(closedUnrated(resolved(true)), community, { action: 'follow-up', rating: 'satisfied' }, '2026-03-16T10:00:00')).kind).toBe('forbidden');
  });
});

describe('a routed case', () => {
  it("the complainant's rating in the window counts over the community's", () => {
    const byCommunity = act(resolved(false), community, { action: 'evaluate', rating: 'satisfied' }, '2026-03-10T12:00:00').record;
    const byComplainant = act(byCommunity, COMPLAINANT_ACTOR, { action: 'complainant-evaluate', rating: 'unsatisfied' }, '2026-03-12T12:00:00');
    expect(byComplainant.outcome).toBe('complainant-rated');
    expect(byComplainant.record.status).toBe('closed');
    expect(ratingThatCounts(byComplainant.record)).toMatchObject({ rating: 'unsatisfied', source: 'complainant' });
  });

  it("after the window the complainant's rating is recorded but the community's counts", () => {
    const byCommunity = act(resolved(false), community, { action: 'evaluate', rating: 'satisfied' }, '2026-03-10T12:00:00').record;
    const late = act(byCommunity, COMPLAINANT_ACTOR, { action: 'complainant-evaluate', rating: 'unsatisfied' }, '2026-03-20T12:00:00');
    expect(late.record.complainantEvaluation).toMatchObject({ withinWindow: false });
    expect(late.events[0]).toMatchObject({ type: 'COMPLAINANT_RATED', data: { rating: 'unsatisfied', withinWindow: false } });
    expect(ratingThatCounts(late.record)).toMatchObject({ rating: 'satisfied', source: 'community' });
  });

  it('the complainant rates a result once (409)', () => {
    const rated = act(resolved(false), COMPLAINANT_ACTOR, { action: 'complainant-evaluate', rating: 'satisfied' }, '2026-03-11T09:00:00').record;
    const error = refusal(() => act(rated, COMPLAINANT_ACTOR, { action: 'complainant-evaluate', rating: 'satisfied' }, '2026-03-11T10:00:00'));
    expect([error.kind, error.text.code]).toEqual(['conflict', 'error.complainant-rated-already']);
  });

  it('the complainant acts on nothing else', () => {
    expect(refusal(() => act(resolved(false), COMPLAINANT_ACTOR, { action: 'evaluate', rating: 'satisfied' }, '2026-03-11T09:00:00')).kind).toBe('forbidden');
  });
});

describe('reopening', () => {
  const closed = () => act(resolved(false), community, { action: 'evaluate', rating: 'satisfied' }, '2026-03-10T12:00:00').record;

  it('goes back to the unit that reported the last result, with a new handling window, its history kept and counted against that unit', () => {
    const before = closed();
    const result = act(before, COMPLAINANT_ACTOR, { action: 'reopen', reason: '水又停了' }, '2026-03-20T09:00:00');
    expect(result.outcome).toBe('reopened');
    const record = result.record;
    expect(record).toMatchObject({ status: 'in-progress', assignedUnit: before.assignedUnit, light: 'green', reopenings: 1, windowStartedAt: '2026-03-20T09:00:00.000+08:00' });
    expect(record.closedAt).toBeUndefined();
    expect(record.resolveDueAt! > record.windowStartedAt).toBe(true);
    expect(record.resolution).toEqual(before.resolution);
    expect(result.events).toEqual([expect.objectContaining({ type: 'CASE_REOPENED', note: '水又停了', data: expect.objectContaining({ by: 'complainant', reopening: 1 }) })]);
    expect(record.holdings!.at(-1)).toMatchObject({ unit: before.assignedUnit, reopened: true, needsSignOff: false });
    const cutoff = at('2026-04-01T00:00:00');
    expect(unitContributions(record, cutoff, { calendar: defaultCalendar })[before.assignedUnit]).toMatchObject({ reopened: 1, openAtEnd: 1 });
    expect(assessCase(record, cutoff, { calendar: defaultCalendar }).counts).toMatchObject({ reopened: 1, resolved: 1 });
  });

  it('by the originating community or the supervisor; not by another community or the unit', () => {
    const record = closed();
    expect(act(record, community, { action: 'reopen', reason: '群众反映问题反复' }, '2026-03-20T09:00:00').record.status).toBe('in-progress');
    expect(act(record, supervisor, { action: 'reopen', reason: '督查发现未落实' }, '2026-03-20T09:00:00').record.status).toBe('in-progress');
    expect(allowedActions(record, community, at('2026-03-20T09:00:00')).actions).toContain('reopen');
    for (const other of [callerOf(OTHER_COMMUNITY), callerOf(record.assignedUnit)]) {
      expect(refusal(() => act(record, other, { action: 'reopen', reason: '…' }, '2026-03-20T09:00:00')).kind).toBe('forbidden');
      expect(allowedActions(record, other, at('2026-03-20T09:00:00')).actions).not.toContain('reopen');
    }
  });

  it(`within ${defaultPolicy.reopenCalendarDays} days of the close (409 after), and never while open (409)`, () => {
    const record = closed();
    const closedMs = Date.parse(record.closedAt!);
    const lastMs = closedMs + defaultPolicy.reopenCalendarDays * 86_400_000;
    expect(withinReopenWindow(record, lastMs, defaultPolicy)).toBe(true);
    expect(withinReopenWindow(record, lastMs + 1, defaultPolicy)).toBe(false);
    const late = refusal(() => checkAction(record, { action: 'reopen', by: COMPLAINANT_ACTOR, reason: '…' }, COMPLAINANT_ACTOR, { directory: defaultDirectory, nowMs: lastMs + 1, policy: defaultPolicy }));
    expect([late.kind, late.text.code]).toEqual(['conflict', 'error.reopen-window-over']);
    expect(allowedActions(record, community, lastMs + 1).actions).not.toContain('reopen');
    const open = refusal(() => act(resolved(false), community, { action: 'reopen', reason: '…' }, '2026-03-10T12:00:00'));
    expect([open.kind, open.text.code]).toEqual(['conflict', 'error.reopen-while-open']);
  });

  it('a new result after a reopening is rated anew: the earlier ratings are cleared from the case, kept in the timeline', () => {
    let record = act(closed(), COMPLAINANT_ACTOR, { action: 'complainant-evaluate', rating: 'unsatisfied' }, '2026-03-11T09:00:00').record;
    record = act(record, COMPLAINANT_ACTOR, { action: 'reopen', reason: '没有解决' }, '2026-03-12T09:00:00').record;
    record = act(record, callerOf(record.assignedUnit), { action: 'resolve', summary: '已彻底修复', outcome: '更换了总阀' }, '2026-03-13T09:00:00').record;
    expect(record.complainantEvaluation).toBeUndefined();
    expect(allowedActions(record, community, at('2026-03-13T10:00:00')).actions).toEqual(['evaluate']);
  });
});

it('a partial stored before reopenings were counted adds up as none reopened, not NaN', () => {
  const stored = { ...emptyCounts(), satisfied: 3 } as Record<string, number>;
  delete stored.reopened;
  const sum = addCounts({ ...emptyCounts(), reopened: 2 }, stored as ReturnType<typeof emptyCounts>);
  expect(sum).toMatchObject({ reopened: 2, satisfied: 3 });
});

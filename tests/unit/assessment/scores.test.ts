import {
  addCase,
  assessCase,
  emptyPartial,
  ratesOf,
  type AssessedCase,
  type Counts,
} from '../../../functions/domain/assessment';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { at, COMMUNITY, kase, keptAndSatisfied, ms, STREET } from './cases';

/*
 * Each score of docs/assessment.md, on a few hand-built cases whose expected counts
 * are worked out by hand. The cutoff is the end of March 2026 unless a test says otherwise.
 */
const END_OF_MARCH = ms('2026-04-01T00:00');
const options = { calendar: defaultCalendar, yellowShare: 0.75 };
const counts = (c: AssessedCase, cutoff = END_OF_MARCH): Counts => assessCase(c, cutoff, options).counts;
const total = (cases: AssessedCase[], cutoff = END_OF_MARCH) => {
  const partial = emptyPartial(['2026-03'], cutoff);
  for (const c of cases) addCase(partial, c, options);
  return partial;
};

describe('received (受理)', () => {
  it('counts every case once, in the city, its first handler, district, highest tier and category', () => {
    const cases = [
      kase(),
      kase({ category: 'labour-wages', district: 'wujiagang', originUnit: 'community-wujiagang-longpanhu', firstHandlerUnit: 'district-dept-wujiagang-human-resources' }),
      keptAndSatisfied(),
      kase({ tier: 1, assignedUnit: 'district-office-xiling', metrics: { maxTier: 1, escalations: 1 } }),
    ];
    const partial = total(cases);
    expect(partial.cases).toBe(4);
    expect(partial.city.received).toBe(4);
    expect(partial.units[STREET].received).toBe(2); // the escalated case stays with its first handler
    expect(partial.units[COMMUNITY].received).toBe(1);
    expect(partial.units['district-dept-wujiagang-human-resources'].received).toBe(1);
    expect(partial.units['district-office-xiling']).toBeUndefined();
    expect(partial.districts.xiling.received).toBe(3);
    expect(partial.districts.wujiagang.received).toBe(1);
    expect(partial.tiers['0'].received).toBe(3);
    expect(partial.tiers['1'].received).toBe(1);
    expect(partial.categories.routine.received).toBe(3);
    expect(partial.categories['labour-wages'].received).toBe(1);
  });
});

describe('signed off on time (及时签收率) and late sign-offs', () => {
  const onTime = kase({ signedOffAt: at('2026-03-09T10:00') });
  const pending = kase({ status: 'awaiting-sign-off', signedOffAt: undefined });
  const signedAfterCutoff = kase({ createdAt: at('2026-03-31T16:00'), signedOffAt: at('2026-04-01T09:00') });
  const lateOnce = kase({ signedOffAt: at('2026-03-11T09:00'), metrics: { signOffBreaches: 1 } });
  const lateTwice = kase({ status: 'awaiting-sign-off', tier: 1, signedOffAt: undefined, metrics: { signOffBreaches: 2, escalations: 1, maxTier: 1 } });
  const kept = keptAndSatisfied();

  it('needs a sign-off only for a case routed to another unit', () => {
    expect(counts(kept)).toMatchObject({ routed: 0, signedOffOnTime: 0, signOffPending: 0, lateSignOffs: 0 });
    expect(counts(onTime)).toMatchObject({ routed: 1, signedOffOnTime: 1, signOffPending: 0 });
  });

  it('leaves a sign-off not yet due, or made after the cutoff, pending', () => {
    expect(counts(pending)).toMatchObject({ routed: 1, signedOffOnTime: 0, signOffPending: 1 });
    expect(counts(signedAfterCutoff)).toMatchObject({ routed: 1, signedOffOnTime: 0, signOffPending: 1 });
  });

  it('counts every breached sign-off window as a late sign-off', () => {
    expect(counts(lateOnce)).toMatchObject({ routed: 1, signedOffOnTime: 0, signOffPending: 0, lateSignOffs: 1 });
    expect(counts(lateTwice)).toMatchObject({ routed: 1, signedOffOnTime: 0, signOffPending: 0, lateSignOffs: 2 });
  });

  it('rates on time over the settled sign-offs: 1 of 3 = 33.33 %', () => {
    const city = total([onTime, pending, signedAfterCutoff, lateOnce, lateTwice, kept]).city;
    expect(city).toMatchObject({ routed: 5, signedOffOnTime: 1, signOffPending: 2, lateSignOffs: 3 });
    expect(ratesOf(city).signOffOnTime).toBe(33.33);
  });
});

describe('resolved (办结) and the resolution rate', () => {
  it('counts a case whose first result was reported before the cutoff, even if reopened since', () => {
    const reopened = kase({ evaluation: { rating: 'unsatisfied', at: at('2026-03-12T09:00') }, metrics: { firstResolvedAt: at('2026-03-11T09:00'), unsatisfied: 1 } });
    const lateResult = kase({ createdAt: at('2026-03-31T09:00'), status: 'awaiting-evaluation', metrics: { firstResolvedAt: at('2026-04-01T08:00') } });
    const justBefore = kase({ createdAt: at('2026-03-31T09:00'), status: 'awaiting-evaluation', metrics: { firstResolvedAt: at('2026-03-31T23:59:59.999') } });
    expect(counts(reopened).resolved).toBe(1);
    expect(counts(lateResult).resolved).toBe(0);
    expect(counts(justBefore).resolved).toBe(1);
    // In April's own terms (cutoff end of April) the late result counts.
    expect(counts(lateResult, ms('2026-05-01T00:00')).resolved).toBe(1);
  });

  it('rates resolved over received: 3 of 4 = 75.00 %', () => {
    const cases = [keptAndSatisfied(), keptAndSatisfied(), kase({ metrics: { firstResolvedAt: at('2026-03-10T09:00') } }), kase()];
    const city = total(cases).city;
    expect(city).toMatchObject({ received: 4, resolved: 3 });
    expect(ratesOf(city).resolution).toBe(75);
  });
});

describe('resolved in the community', () => {
  it('counts a result reported while the originating community held the case, as a share of resolved', () => {
    const inCommunity = keptAndSatisfied();
    const byStreet = kase({ status: 'closed', closedAt: at('2026-03-12T09:00'), closedReason: 'satisfied', evaluation: { rating: 'satisfied', at: at('2026-03-12T09:00') }, metrics: { firstResolvedAt: at('2026-03-11T09:00'), resolvedInCommunity: false } });
    const notYet = kase();
    const city = total([inCommunity, inCommunity, inCommunity, byStreet, notYet]).city;
    expect(city).toMatchObject({ resolved: 4, resolvedInCommunity: 3 });
    expect(ratesOf(city).resolvedInCommunity).toBe(75);
  });
});

describe('on-time resolution (按时办结率) and the lifetime counts', () => {
  it('rates first results inside their window, without a handling breach, over resolved', () => {
    const late = kase({ metrics: { firstResolvedAt: at('2026-03-25T09:00'), resolvedOnTime: false, warnings: 2 } });
    // Breached at tier 0, escalated, then resolved inside the district office's new window: not on time.
    const breachedThenEscalated = kase({ metrics: { firstResolvedAt: at('2026-03-27T09:00'), resolvedOnTime: true, handlingBreaches: 1, escalations: 1, maxTier: 1 } });
    const city = total([keptAndSatisfied(), keptAndSatisfied(), keptAndSatisfied(), late, breachedThenEscalated]).city;
    expect(city).toMatchObject({ resolved: 5, resolvedOnTime: 3 });
    expect(ratesOf(city).onTimeResolution).toBe(60);
  });

  it('adds up breaches, warnings, urges (督办), extensions, returns, escalations and unsatisfied ratings', () => {
    const a = kase({ metrics: { handlingBreaches: 1, warnings: 3, urges: 2, extensionsRequested: 1, extensionsApproved: 1, returns: 0, escalations: 1, maxTier: 1, unsatisfied: 1 } });
    const b = kase({ metrics: { handlingBreaches: 2, warnings: 1, urges: 0, extensionsRequested: 1, extensionsApproved: 0, returns: 1, escalations: 2, maxTier: 2, unsatisfied: 2 } });
    expect(total([a, b]).city).toMatchObject({
      handlingBreaches: 3,
      warnings: 4,
      urges: 2,
      extensionsRequested: 2,
      extensionsApproved: 1,
      returns: 1,
      escalations: 3,
      unsatisfiedRatings: 3,
    });
  });
});

describe('evaluations and the satisfaction rate (满意率)', () => {
  const resolvedAt = { firstResolvedAt: at('2026-03-10T09:00') };
  const satisfied = kase({ status: 'closed', closedAt: at('2026-03-10T12:00'), closedReason: 'satisfied', evaluation: { rating: 'satisfied', at: at('2026-03-10T12:00') }, metrics: resolvedAt });
  const unsatisfied = kase({ evaluation: { rating: 'unsatisfied', at: at('2026-03-10T12:00') }, metrics: { ...resolvedAt, unsatisfied: 1 } });
  const notImplemented = kase({ evaluation: { rating: 'not-implemented', at: at('2026-03-10T12:00') }, metrics: { ...resolvedAt, unsatisfied: 1 } });
  const notEvaluated = kase({ status: 'closed', closedAt: at('2026-03-13T09:00'), closedReason: 'not-evaluated', metrics: resolvedAt });
  const awaiting = kase({ status: 'awaiting-evaluation', metrics: resolvedAt });
  const ratedAfterCutoff = kase({ status: 'closed', closedAt: at('2026-04-01T10:00'), closedReason: 'satisfied', evaluation: { rating: 'satisfied', at: at('2026-04-01T10:00') }, metrics: { firstResolvedAt: at('2026-03-31T16:00') } });
  const timedOutAfterCutoff = kase({ status: 'closed', closedAt: at('2026-04-02T16:00'), closedReason: 'not-evaluated', metrics: { firstResolvedAt: at('2026-03-30T16:00') } });
  const unresolved = kase();

  it('puts every resolved case in exactly one outcome, as of the cutoff', () => {
    expect(counts(satisfied)).toMatchObject({ satisfied: 1, unsatisfied: 0, notImplemented: 0, notEvaluated: 0, awaitingEvaluation: 0 });
    expect(counts(unsatisfied)).toMatchObject({ satisfied: 0, unsatisfied: 1, unsatisfiedRatings: 1 });
    expect(counts(notImplemented)).toMatchObject({ notImplemented: 1, unsatisfiedRatings: 1 });
    expect(counts(notEvaluated)).toMatchObject({ notEvaluated: 1 });
    expect(counts(awaiting)).toMatchObject({ awaitingEvaluation: 1 });
    expect(counts(ratedAfterCutoff)).toMatchObject({ satisfied: 0, awaitingEvaluation: 1 });
    expect(counts(timedOutAfterCutoff)).toMatchObject({ notEvaluated: 0, awaitingEvaluation: 1 });
    expect(counts(unresolved)).toMatchObject({ satisfied: 0, unsatisfied: 0, notImplemented: 0, notEvaluated: 0, awaitingEvaluation: 0 });
  });

  it('rates satisfied over resolved: 1 of 7 = 14.29 %', () => {
    const city = total([satisfied, unsatisfied, notImplemented, notEvaluated, awaiting, ratedAfterCutoff, timedOutAfterCutoff, unresolved]).city;
    expect(city.resolved).toBe(7);
    expect(city.satisfied + city.unsatisfied + city.notImplemented + city.notEvaluated + city.awaitingEvaluation).toBe(city.resolved);
    expect(ratesOf(city).satisfaction).toBe(14.29);
  });
});

describe('escalations by tier reached', () => {
  it('counts a case at every tier up to the highest it reached', () => {
    const cases = [0, 1, 1, 2, 3].map((maxTier) => kase({ metrics: { maxTier, escalations: maxTier } }));
    const partial = total(cases);
    expect(partial.city).toMatchObject({ reachedDistrictOffice: 4, reachedCityOffice: 2, reachedJointConference: 1, escalations: 7 });
    expect(Object.fromEntries(Object.entries(partial.tiers).map(([tier, c]) => [tier, c.received]))).toEqual({ '0': 1, '1': 2, '2': 1, '3': 1 });
  });
});

describe('open at month end, and red', () => {
  const cutoff = END_OF_MARCH;
  it('counts a case not closed before the cutoff as open', () => {
    expect(counts(kase()).openAtEnd).toBe(1);
    expect(counts(keptAndSatisfied()).openAtEnd).toBe(0);
    expect(counts(keptAndSatisfied({ closedAt: at('2026-04-01T09:00') })).openAtEnd).toBe(1);
  });

  it('is red when its step was past due just before the cutoff', () => {
    const overdue = kase({ windowStartedAt: at('2026-03-16T09:00'), resolveDueAt: at('2026-03-27T09:00') });
    const dueAtMidnight = kase({ windowStartedAt: at('2026-03-20T09:00'), resolveDueAt: at('2026-04-01T00:00') });
    const inTime = kase({ windowStartedAt: at('2026-03-30T09:00'), resolveDueAt: at('2026-04-10T09:00') });
    expect(counts(overdue, cutoff)).toMatchObject({ openAtEnd: 1, redAtEnd: 1 });
    expect(counts(dueAtMidnight, cutoff)).toMatchObject({ openAtEnd: 1, redAtEnd: 0 });
    expect(counts(inTime, cutoff)).toMatchObject({ openAtEnd: 1, redAtEnd: 0 });
  });

  it('keeps a window reopened red after a breach red, unless the case moved on after the cutoff', () => {
    const reopenedRed = kase({ light: 'red', windowStartedAt: at('2026-03-30T09:00'), resolveDueAt: at('2026-04-20T09:00') });
    const movedOn = kase({ light: 'red', windowStartedAt: at('2026-04-01T09:00'), resolveDueAt: at('2026-04-20T09:00') });
    expect(counts(reopenedRed, cutoff).redAtEnd).toBe(1);
    expect(counts(movedOn, cutoff)).toMatchObject({ openAtEnd: 1, redAtEnd: 0 });
  });
});

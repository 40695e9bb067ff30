/**
 * The replay's plan, drawn before anything runs: every case's arrival (month, day, time,
 * community, category, channel) and what each unit will do with it and when. Pure: the same
 * preset and seed give the same plan. The plan also says what it expects the system to make of
 * it (`expected`), so a run can be checked against its own parameters.
 *
 * Every action lands on a half-hour slot, at least one slot after the case's previous action and
 * at least two slots before the window it must beat ends: the runner moves the clock slot by
 * slot and sends the actions of a slot together.
 */
import { categoryById, type CategoryId } from '../../functions/domain/categories';
import type { REPORT_CHANNELS } from '../../functions/domain/case';
import { defaultCalendar, shanghaiDate, type WorkingDayCalendar } from '../../functions/domain/calendar';
import type { MediationAdvice } from '../../functions/domain/mediation/model';
import { endOfShanghaiDayMs } from '../../functions/domain/mediation/rules';
import { defaultDirectory } from '../../functions/domain/directory';
import { defaultPolicy } from '../../functions/domain/policy';
import { defaultRoutingRules, escalationTarget, routeCase } from '../../functions/domain/routing';
import { monthEndMs, monthStartMs, nextMonth, monthOf } from '../../functions/domain/assessment-period';
import type { Preset } from './preset';
import { Random } from './random';

/** Default slot: half an hour of virtual time. A preset may choose longer slots (more actions sent together, fewer clock moves). */
export const SLOT_MS = 30 * 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export type Channel = (typeof REPORT_CHANNELS)[number];
export type Rating = 'satisfied' | 'unsatisfied';

export type StepKind =
  | 'create'
  | 'sign-off'
  | 'return'
  | 'reassign'
  | 'escalate'
  | 'extension'
  | 'approve-extension'
  | 'urge'
  | 'resolve'
  | 'evaluate'
  | 'refer-mediation'
  | 'mediation-accept'
  | 'mediation-decline'
  | 'mediation-session'
  | 'mediation-outcome'
  | 'mediation-fulfilment';

/** How a mediation ended, as the holder's result reports it. */
export type MediationEnd = 'declined' | 'failed' | 'fulfilled' | 'unfulfilled';

export interface Step {
  readonly at: number;
  readonly kind: StepKind;
  /** Read the case first: someone the plan cannot name holds it now (after an escalation). */
  readonly refresh?: boolean;
  readonly rating?: Rating;
  readonly toUnit?: string;
  readonly workingDays?: number;
  /** Mediation: the body referred to (every mediation step is the body's, but the referral). */
  readonly body?: string;
  /** A referral by the accepting community at intake, not by the holder. */
  readonly byCommunity?: boolean;
  /** A session's number (1, 2, …). */
  readonly session?: number;
  readonly outcome?: 'agreement' | 'failed';
  readonly amountYuan?: number;
  /** The day an agreement is to be carried out by (yyyy-mm-dd, Shanghai). */
  readonly dueBy?: string;
  readonly advice?: MediationAdvice;
  readonly fulfilled?: boolean;
  /** A result reported after a mediation: how the mediation ended. */
  readonly afterMediation?: MediationEnd;
}

/** What the plan expects of a case's referral to a mediation body (each time is a step's). */
export interface PlannedMediation {
  readonly body: string;
  readonly atIntake: boolean;
  readonly referredAt: number;
  readonly acceptedAt?: number;
  readonly declinedAt?: number;
  readonly sessions: number;
  readonly outcome?: { readonly result: 'agreement' | 'failed'; readonly at: number; readonly amountYuan?: number };
  readonly fulfilment?: { readonly fulfilled: boolean; readonly at: number };
}

export interface PlannedCase {
  readonly index: number;
  readonly month: string;
  readonly community: string;
  readonly district: string;
  readonly category: CategoryId;
  readonly channel: Channel;
  readonly kept: boolean;
  readonly firstHandler: string;
  readonly script: 'normal' | 'stuck' | 'ignored' | 'escalate' | 'return' | 'extension';
  readonly steps: readonly Step[];
  /** The referral to a mediation body, when the case is mediated. */
  readonly mediation?: PlannedMediation;
  /** What the plan expects on the record. */
  readonly expected: {
    readonly firstResolvedAt?: number;
    readonly resolvedInCommunity: boolean;
    /** The last rating, and when; or when the evaluation window runs out unrated. */
    readonly lastRating?: { readonly rating: Rating; readonly at: number };
    readonly notEvaluatedAt?: number;
    readonly urged: boolean;
    /** When the workflow hands a case nobody resolves to the joint conference. */
    readonly reachedJointConferenceAt?: number;
  };
}

export interface Plan {
  readonly months: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  readonly cases: readonly PlannedCase[];
  readonly steps: number;
}


/** Cases per month: shares growing by `growth` a month, rounded so they add up exactly (largest remainder). */
export function casesPerMonth(total: number, months: number, growth: number): number[] {
  const weights = Array.from({ length: months }, (_, k) => (1 + growth) ** k);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]! += 1;
  }
  return counts;
}

export function monthsOf(start: string, months: number): string[] {
  const out = [start];
  while (out.length < months) out.push(nextMonth(out[out.length - 1]!));
  return out;
}

function daysOf(month: string, restDaysToo: boolean, calendar: WorkingDayCalendar): number[] {
  const days: number[] = [];
  for (let day = monthStartMs(month); day < monthEndMs(month); day += DAY_MS) {
    if (restDaysToo || calendar.isWorkingDay(shanghaiDate(day))) days.push(day);
  }
  return days;
}

const windows = {
  signOff: (tier: number, category: CategoryId) => (tier === 0 ? categoryById(category).signOffWorkingDays : defaultPolicy.tiers[String(tier) as '1'].signOffWorkingDays),
  handling: (tier: number, category: CategoryId) => (tier === 0 ? categoryById(category).handlingWorkingDays : defaultPolicy.tiers[String(tier) as '1'].handlingWorkingDays),
};

type MediationBehaviour = NonNullable<Preset['mediation']>;

/** One case's mediation, drawn: undefined when the case is not referred. Every case takes the same number of draws, so one case's parameters never shift another's. */
function drawMediation(m: MediationBehaviour, category: CategoryId, random: Random) {
  const referred = random.chance(m.referred[category] ?? 0);
  const draws = {
    atIntake: random.chance(m.atIntake),
    referHours: random.between(m.referHours),
    answerHours: random.between(m.answerHours),
    declined: random.chance(m.declined),
    sessions: m.sessions[0] + Math.floor(random.next() * (m.sessions[1] - m.sessions[0] + 1)),
    concludeDays: random.between(m.concludeDays),
    agreement: random.chance(m.agreement),
    amountYuan: Math.round(random.between(m.amountYuan) * 100) / 100,
    payDays: random.between(m.payDays),
    fulfilDays: random.between(m.fulfilDays),
    fulfilled: random.chance(m.fulfilled),
    advice: (Object.values(m.advice).some((w) => w! > 0) ? random.weighted(m.advice) : (random.next(), 'litigation')) as MediationAdvice,
  };
  return referred ? { body: m.bodies[category]!, ...draws } : undefined;
}

export function planSimulation(preset: Preset, calendar: WorkingDayCalendar = defaultCalendar): Plan {
  const slot = (preset.slotMinutes ?? 30) * 60_000;
  /** Slot at or after t, and at or before t. */
  const slotUp = (t: number) => Math.ceil(t / slot) * slot;
  const slotDown = (t: number) => Math.floor(t / slot) * slot;
  const random = new Random(preset.seed);
  const b = preset.behaviour;
  const months = monthsOf(preset.start, preset.months);
  const perMonth = casesPerMonth(preset.cases, preset.months, preset.growth);
  const communities = preset.communities.length > 0 ? preset.communities : defaultDirectory.ofKind('community').map((u) => u.id);
  const supervisorDue = (from: number, workingDays: number) => calendar.addWorkingDays(from, workingDays);
  // Mediation draws from a generator of its own: a preset that adds mediation keeps every other draw of its plan.
  const mediationRandom = new Random((preset.seed ^ 0x6d656469) >>> 0);
  const cases: PlannedCase[] = [];
  let stepCount = 0;
  const periodEndMs = monthEndMs(months[months.length - 1]!);

  months.forEach((month, m) => {
    const days = daysOf(month, preset.intakeOnRestDays, calendar);
    const [fromHour, toHour] = preset.intakeHours;
    const arrivals: number[] = [];
    for (let i = 0; i < perMonth[m]!; i++) {
      const day = random.pick(days);
      const slots = Math.max(1, Math.floor(((toHour - fromHour) * HOUR_MS) / slot));
      arrivals.push(slotUp(day + fromHour * HOUR_MS) + Math.floor(random.next() * slots) * slot);
    }
    arrivals.sort((a, b) => a - b);
    for (const createdAt of arrivals) {
      const community = random.pick(communities);
      const district = defaultDirectory.require(community).district!;
      const category = random.weighted(preset.categories) as CategoryId;
      const channel = random.weighted(preset.channels) as Channel;
      const kept = random.chance(b.kept);
      const routedTo = kept ? community : routeCase(defaultDirectory, defaultRoutingRules, { category, originUnit: community });
      const handlingDraw = random.next();
      const slow = random.chance(b.slow);
      const late = random.chance(b.lateSignOff);
      const urged = random.chance(b.urge);
      const ratingDraw = random.next();
      const d = {
        signOff: random.between(b.signOffHours) * HOUR_MS,
        signOff2: random.between(b.signOffHours) * HOUR_MS,
        resolve: random.between(slow ? b.slowResolveDays : b.resolveDays) * DAY_MS,
        resolve2: random.between(b.resolveDays) * DAY_MS,
        evaluate: random.between(b.evaluateDays) * DAY_MS,
        evaluate2: random.between(b.evaluateDays) * DAY_MS,
      };

      // One draw picks the handling script from consecutive bands; escalating and returning are for routed cases only.
      let script: PlannedCase['script'] = 'normal';
      const bands: Array<[PlannedCase['script'], number]> = [['stuck', b.stuck], ['escalate', b.escalate], ['return', b.return], ['extension', b.extension]];
      let band = handlingDraw;
      for (const [name, share] of bands) {
        if (band < share) {
          script = kept && (name === 'escalate' || name === 'return') ? 'normal' : name;
          break;
        }
        band -= share;
      }
      if (routedTo === preset.ignoringUnit || community === preset.ignoringUnit) script = 'ignored';
      const mediation = preset.mediation ? drawMediation(preset.mediation, category, mediationRandom) : undefined;
      // A mediated case is handled normally around its mediation: nobody urges, extends, escalates or returns it.
      if (mediation) script = 'normal';
      const urgedHere = urged && !mediation;

      const steps: Step[] = [{ at: createdAt, kind: 'create' }];
      let t = createdAt;
      const push = (at: number, step: Omit<Step, 'at'>) => {
        t = Math.max(slotUp(at), t + slot);
        steps.push({ ...step, at: t });
        return t;
      };
      /** The latest slot that still beats a due time, with a slot to spare. */
      const before = (due: number) => slotDown(due) - 2 * slot;
      const expected: {
        firstResolvedAt?: number;
        resolvedInCommunity: boolean;
        lastRating?: { rating: Rating; at: number };
        notEvaluatedAt?: number;
        urged: boolean;
        reachedJointConferenceAt?: number;
      } = {
        resolvedInCommunity: false,
        urged: false,
      };

      /** Sign-off by the routed unit (or by whoever holds the case after an escalation), then handling; returns the handling window's start. */
      let tier = 0;
      let handlingStart = createdAt;
      let planned: PlannedMediation | undefined;
      let afterMediation: MediationEnd | undefined;
      if (mediation) {
        const signOffDays = windows.signOff(0, category);
        // Referred at intake by the community (before the holder signs off), or by the holder once it signed off (a kept case's holder is the community).
        const atIntake = !kept && mediation.atIntake;
        let signedOff = kept;
        if (!kept && !atIntake) {
          handlingStart = push(Math.min(createdAt + d.signOff, before(calendar.addWorkingDays(createdAt, signOffDays))), { kind: 'sign-off' });
          signedOff = true;
        }
        // At intake the referral beats the holder's sign-off window, which stops while the body holds the case.
        const referTarget = atIntake ? Math.min(createdAt + mediation.referHours * HOUR_MS, before(calendar.addWorkingDays(createdAt, signOffDays))) : t + mediation.referHours * HOUR_MS;
        const referredAt = push(referTarget, { kind: 'refer-mediation', body: mediation.body, ...(atIntake ? { byCommunity: true } : {}) });
        const answeredAt = push(Math.min(referredAt + mediation.answerHours * HOUR_MS, before(calendar.addWorkingDays(referredAt, signOffDays))), {
          kind: mediation.declined ? 'mediation-decline' : 'mediation-accept',
          body: mediation.body,
        });
        let backAt = answeredAt;
        let sessions = 0;
        let outcome: PlannedMediation['outcome'];
        let fulfilment: PlannedMediation['fulfilment'];
        if (mediation.declined) afterMediation = 'declined';
        else {
          // Sessions spread over the mediation, the outcome after the last, all inside the category's window from acceptance.
          const outcomeTarget = Math.min(answeredAt + mediation.concludeDays * DAY_MS, before(calendar.addWorkingDays(answeredAt, windows.handling(0, category))));
          for (let k = 1; k <= mediation.sessions; k++) {
            push(answeredAt + ((outcomeTarget - answeredAt) * k) / (mediation.sessions + 1), { kind: 'mediation-session', body: mediation.body, session: k });
            sessions = k;
          }
          if (mediation.agreement) {
            // The agreed day counts from the agreement's own slot (where push puts it), not from the last session.
            const agreedAt = Math.max(slotUp(outcomeTarget), t + slot);
            const dueBy = shanghaiDate(agreedAt + mediation.payDays * DAY_MS);
            const outcomeAt = push(agreedAt, { kind: 'mediation-outcome', body: mediation.body, outcome: 'agreement', amountYuan: mediation.amountYuan, dueBy });
            outcome = { result: 'agreement', at: outcomeAt, amountYuan: mediation.amountYuan };
            const fulfilledAt = push(Math.min(outcomeAt + mediation.fulfilDays * DAY_MS, before(endOfShanghaiDayMs(dueBy))), { kind: 'mediation-fulfilment', body: mediation.body, fulfilled: mediation.fulfilled });
            fulfilment = { fulfilled: mediation.fulfilled, at: fulfilledAt };
            backAt = fulfilledAt;
            afterMediation = mediation.fulfilled ? 'fulfilled' : 'unfulfilled';
          } else {
            const outcomeAt = push(outcomeTarget, { kind: 'mediation-outcome', body: mediation.body, outcome: 'failed', advice: mediation.advice });
            outcome = { result: 'failed', at: outcomeAt };
            backAt = outcomeAt;
            afterMediation = 'failed';
          }
        }
        planned = {
          body: mediation.body,
          atIntake,
          referredAt,
          ...(mediation.declined ? { declinedAt: answeredAt } : { acceptedAt: answeredAt }),
          sessions,
          ...(outcome ? { outcome } : {}),
          ...(fulfilment ? { fulfilment } : {}),
        };
        // Back to the holder: a new handling window, or a sign-off window first if nobody had signed it off.
        handlingStart = signedOff
          ? backAt
          : push(Math.min(backAt + d.signOff, before(calendar.addWorkingDays(backAt, signOffDays))), { kind: 'sign-off' });
      } else if (script === 'stuck') {
        if (urged) {
          push(createdAt + 2 * HOUR_MS, { kind: 'urge' });
          expected.urged = true;
        }
        // Every holder takes the case on and none resolves it: each handling window runs out and
        // the workflow hands the case up, tier by tier, to the joint conference, which takes it on
        // too and keeps it (its handling window reopens, red, for as long as the case stays).
        let holder = routedTo;
        let start = kept
          ? createdAt
          : push(Math.min(createdAt + d.signOff, before(calendar.addWorkingDays(createdAt, windows.signOff(0, category)))), { kind: 'sign-off' });
        for (let level = 0; ; ) {
          const target = escalationTarget(defaultDirectory, defaultPolicy.escalation, { holder, district });
          const handedUp = calendar.addWorkingDays(start, windows.handling(level, category));
          if (!target || handedUp >= periodEndMs) break;
          if (target.unit === defaultDirectory.jointConference().id) expected.reachedJointConferenceAt = handedUp;
          start = push(Math.min(handedUp + slot + d.signOff2, before(calendar.addWorkingDays(handedUp, windows.signOff(target.tier, category)))), { kind: 'sign-off', refresh: true });
          holder = target.unit;
          level = target.tier;
        }
      } else if (script === 'ignored') {
        // Two sign-off windows pass; the case is handed up and the office above takes it on.
        const so = windows.signOff(0, category);
        const handedUp = calendar.addWorkingDays(calendar.addWorkingDays(createdAt, so), so);
        const target = escalationTarget(defaultDirectory, defaultPolicy.escalation, { holder: routedTo, district });
        if (target) {
          tier = target.tier;
          handlingStart = push(handedUp + slot + d.signOff, { kind: 'sign-off', refresh: true });
        } else script = 'stuck';
      } else {
        if (!kept) {
          if (script === 'return') {
            push(createdAt + d.signOff, { kind: 'return' });
            // Re-routed to a street office of the community's district other than the unit that returned it.
            const street = defaultDirectory.ofKind('street-office').find((u) => u.district === district && u.id !== routedTo)!.id;
            push(t + HOUR_MS, { kind: 'reassign', toUnit: street });
            handlingStart = push(t + d.signOff2, { kind: 'sign-off' });
          } else if (late) {
            const due = calendar.addWorkingDays(createdAt, windows.signOff(0, category));
            handlingStart = push(due + HOUR_MS, { kind: 'sign-off' });
          } else {
            handlingStart = push(Math.min(createdAt + d.signOff, before(calendar.addWorkingDays(createdAt, windows.signOff(0, category)))), { kind: 'sign-off' });
          }
          if (script === 'escalate') {
            push(t + d.resolve / 2, { kind: 'escalate' });
            const escalatedAt = t;
            tier = 1;
            handlingStart = push(escalatedAt + d.signOff2, { kind: 'sign-off', refresh: true });
          }
        }
      }

      if (script !== 'stuck') {
        let handlingDays = windows.handling(tier, category);
        if (urgedHere) {
          push(handlingStart + HOUR_MS, { kind: 'urge' });
          expected.urged = true;
        }
        if (script === 'extension') {
          push(handlingStart + DAY_MS / 2, { kind: 'extension', workingDays: 5 });
          push(t + HOUR_MS, { kind: 'approve-extension' });
          handlingDays += 5;
        }
        const resolveAt = push(Math.min(handlingStart + d.resolve, before(calendar.addWorkingDays(handlingStart, handlingDays))), { kind: 'resolve', ...(afterMediation ? { afterMediation } : {}) });
        expected.firstResolvedAt = resolveAt;
        expected.resolvedInCommunity = kept && tier === 0;
        const rating = ratingDraw < b.notEvaluated ? 'none' : ratingDraw < b.notEvaluated + b.unsatisfied ? 'unsatisfied' : 'satisfied';
        const evaluationDue = (from: number) => calendar.addWorkingDays(from, defaultPolicy.evaluationWorkingDays);
        if (rating === 'none') {
          expected.notEvaluatedAt = evaluationDue(resolveAt);
        } else {
          const at = push(Math.min(resolveAt + d.evaluate, before(evaluationDue(resolveAt))), { kind: 'evaluate', rating });
          expected.lastRating = { rating, at };
          if (rating === 'unsatisfied') {
            // Reopened with the same holder and a new handling window; resolved again, then rated satisfied.
            const again = push(Math.min(at + d.resolve2, before(supervisorDue(at, handlingDays))), { kind: 'resolve' });
            const at2 = push(Math.min(again + d.evaluate2, before(evaluationDue(again))), { kind: 'evaluate', rating: 'satisfied' });
            expected.lastRating = { rating: 'satisfied', at: at2 };
          }
        }
      }
      stepCount += steps.length;
      cases.push({ index: cases.length, month, community, district, category, channel, kept, firstHandler: routedTo, script, steps, ...(planned ? { mediation: planned } : {}), expected });
    }
  });
  return { months, startMs: monthStartMs(months[0]!), endMs: periodEndMs, cases, steps: stepCount };
}

/** The headline figures the plan expects a report with this cutoff to show for the cases of `months`. */
export function expectedFigures(plan: Plan, cutoffMs: number, months: readonly string[] = plan.months) {
  const wanted = new Set(months);
  let received = 0;
  let resolved = 0;
  let resolvedInCommunity = 0;
  let satisfied = 0;
  let urges = 0;
  let reachedJointConference = 0;
  for (const c of plan.cases) {
    if (!wanted.has(c.month)) continue;
    received += 1;
    const e = c.expected;
    if (e.reachedJointConferenceAt !== undefined && e.reachedJointConferenceAt < cutoffMs) reachedJointConference += 1;
    if (e.urged && c.steps.find((s) => s.kind === 'urge')!.at < cutoffMs) urges += 1;
    if (e.firstResolvedAt === undefined || e.firstResolvedAt >= cutoffMs) continue;
    resolved += 1;
    if (e.resolvedInCommunity) resolvedInCommunity += 1;
    if (e.lastRating?.rating === 'satisfied' && e.lastRating.at < cutoffMs) satisfied += 1;
  }
  return { received, resolved, resolvedInCommunity, satisfied, urges, reachedJointConference };
}

/** Resolved in the month of arrival: each month's cases measured at that month's end. */
export function expectedInMonthOfArrival(plan: Plan): { resolved: number; received: number } {
  let resolved = 0;
  for (const c of plan.cases) if (c.expected.firstResolvedAt !== undefined && monthOf(c.expected.firstResolvedAt) === c.month) resolved += 1;
  return { resolved, received: plan.cases.length };
}

/** A mediation body's figures as GET /v1/statistics/mediation counts them (a row of byBody). */
export interface MediationFigures {
  received: number;
  mediated: number;
  declined: number;
  agreements: number;
  failed: number;
  concludedInTime: number;
  fulfilled: number;
  unfulfilled: number;
  amountYuan: number;
}

/**
 * What the plan expects the mediation statistics to show for `body` at `cutoffMs`: every step
 * before the cutoff has been applied. Each mediation concludes inside its window, so every
 * concluded one is concluded in time.
 */
export function expectedMediation(plan: Plan, body: string, cutoffMs: number = plan.endMs): MediationFigures {
  const f: MediationFigures = { received: 0, mediated: 0, declined: 0, agreements: 0, failed: 0, concludedInTime: 0, fulfilled: 0, unfulfilled: 0, amountYuan: 0 };
  let fen = 0;
  for (const c of plan.cases) {
    const m = c.mediation;
    if (!m || m.body !== body || m.referredAt >= cutoffMs) continue;
    f.received += 1;
    if (m.declinedAt !== undefined && m.declinedAt < cutoffMs) f.declined += 1;
    if (m.acceptedAt !== undefined && m.acceptedAt < cutoffMs) f.mediated += 1;
    if (m.outcome && m.outcome.at < cutoffMs) {
      f.concludedInTime += 1;
      if (m.outcome.result === 'agreement') {
        f.agreements += 1;
        fen += Math.round(m.outcome.amountYuan! * 100);
      } else f.failed += 1;
    }
    if (m.fulfilment && m.fulfilment.at < cutoffMs) {
      if (m.fulfilment.fulfilled) f.fulfilled += 1;
      else f.unfulfilled += 1;
    }
  }
  f.amountYuan = fen / 100;
  return f;
}

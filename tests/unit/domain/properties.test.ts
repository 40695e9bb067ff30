/*
 * Property-based tests of the domain core (fast-check): the working-day calendar, case
 * deadlines, lights, escalation by tier and the pure workflow rules.
 *
 * The expectations come from the brief and the configuration files, not from the code under
 * test: a day-by-day model of the official calendar (config/calendar/*.json, Mon–Fri outside the
 * covered years), the category windows (config/categories.json), the tier windows and warning
 * shares (config/policy.json) and the unit directory (config/units.json, config/routing.json).
 */
import fc from 'fast-check';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import calendar2026 from '../../../config/calendar/cn-2026.json';
import calendar2027 from '../../../config/calendar/cn-2027.json';
import categoriesJson from '../../../config/categories.json';
import policyJson from '../../../config/policy.json';
import routingJson from '../../../config/routing.json';
import unitsJson from '../../../config/units.json';
import { defaultCalendar, toShanghaiIso } from '../../../functions/domain/calendar';
import { lightOf, type Light } from '../../../functions/domain/light';
import { acceptCase, currentLight, type CaseRecord, type CreateCaseBody } from '../../../functions/domain/case';
import { defaultDirectory } from '../../../functions/domain/directory';
import { defaultPolicy } from '../../../functions/domain/policy';
import { defaultRoutingRules, escalationTarget } from '../../../functions/domain/routing';
import { ROLE_OF_UNIT_KIND } from '../../../functions/domain/roles';
import type { Caller } from '../../../functions/domain/identity';
import {
  PHASES,
  applySignal,
  applyTick,
  phaseOf,
  planFor,
  type Phase,
  type Signal,
  type StepResult,
  type WorkflowContext,
} from '../../../functions/domain/workflow';
import { CaseStore } from '../../../functions/store/case-store';

const RUNS = { numRuns: 200 };

const DAY = 86_400_000;
const SHANGHAI_OFFSET = 8 * 3_600_000;
const cal = defaultCalendar;

/* ---------- an independent model of the official calendar ---------- */

const CALENDAR_YEARS = [calendar2026, calendar2027];
const COVERED_YEARS = new Set(CALENDAR_YEARS.map((y) => y.year));
const HOLIDAYS = new Set(CALENDAR_YEARS.flatMap((y) => y.holidays));
const MAKE_UP_WORKDAYS = new Set(CALENDAR_YEARS.flatMap((y) => y.workdays));
const SPECIAL_DATES = [...HOLIDAYS, ...MAKE_UP_WORKDAYS].sort();

/** Shanghai date 'YYYY-MM-DD' of an instant. */
const dateOf = (ms: number): string => new Date(ms + SHANGHAI_OFFSET).toISOString().slice(0, 10);
/** 00:00 Shanghai of the day holding the instant. */
const dayStartOf = (ms: number): number => Math.floor((ms + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
const midnightOf = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);

/** The brief's rule: listed holidays are off, listed make-up days work, otherwise Monday to Friday. */
function isWorkingDate(date: string): boolean {
  if (COVERED_YEARS.has(Number(date.slice(0, 4)))) {
    if (HOLIDAYS.has(date)) return false;
    if (MAKE_UP_WORKDAYS.has(date)) return true;
  }
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday >= 1 && weekday <= 5;
}

/** Working milliseconds in [start, end), counted day by day. */
function modelWorkingMsBetween(start: number, end: number): number {
  let total = 0;
  for (let day = dayStartOf(start); day < end; day += DAY) {
    if (isWorkingDate(dateOf(day))) total += Math.max(0, Math.min(end, day + DAY) - Math.max(start, day));
  }
  return total;
}

/** The earliest instant at which `workingMs` of working time has passed since `start`, walking day by day. */
function modelAddWorkingMs(start: number, workingMs: number): number {
  if (workingMs === 0) return start;
  let remaining = workingMs;
  let t = start;
  for (;;) {
    const end = dayStartOf(t) + DAY;
    if (isWorkingDate(dateOf(t))) {
      if (remaining <= end - t) return t + remaining;
      remaining -= end - t;
    }
    t = end;
  }
}

const nextWorkingMidnight = (ms: number): number => {
  let day = dayStartOf(ms) + DAY;
  while (!isWorkingDate(dateOf(day))) day += DAY;
  return day;
};

/** Working days as the domain counts them: milliseconds of working time, rounded to the millisecond. */
const wd = (days: number): number => Math.round(days * DAY);

/* ---------- generators ---------- */

// From before the first covered year to after the last, so the Mon–Fri fallback is crossed too.
const FROM = Date.parse('2025-11-01T00:00:00+08:00');
const TO = Date.parse('2028-02-28T00:00:00+08:00');

const instant = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  // Day boundaries, where off-by-one errors live.
  fc
    .tuple(fc.integer({ min: 0, max: Math.floor((TO - FROM) / DAY) }), fc.constantFrom(0, 1, -1, DAY / 2, DAY - 1))
    .map(([day, offset]) => FROM + day * DAY + offset),
  // The edges of holidays and make-up working days.
  fc
    .tuple(fc.constantFrom(...SPECIAL_DATES), fc.constantFrom(0, 1, -1, 9 * 3_600_000, DAY - 1, DAY, DAY + 1))
    .map(([date, offset]) => midnightOf(date) + offset),
);

/** Working time to add, in ms: any amount up to a joint conference's window and then some. */
const workingMs = fc.oneof(
  fc.integer({ min: 0, max: 40 * DAY }),
  fc.integer({ min: 0, max: 400 }).map((tenths) => (tenths * DAY) / 10),
);
/** Windows as config writes them: whole tenths of a working day (17.4, 0.5, ...). */
const tenthsOfDays = fc.integer({ min: 1, max: 400 }).map((tenths) => tenths / 10);

const coveredDate = fc
  .integer({ min: 0, max: Math.floor((Date.parse('2028-01-31T00:00:00+08:00') - FROM) / DAY) })
  .map((day) => dateOf(FROM + day * DAY));

/* ---------- the working-day calendar ---------- */

describe('working-day calendar', () => {
  it('counts each day of the official calendar as 24 working hours or none', () => {
    fc.assert(
      fc.property(fc.oneof(coveredDate, fc.constantFrom(...SPECIAL_DATES)), (date) => {
        const start = midnightOf(date);
        expect(cal.isWorkingDay(date)).toBe(isWorkingDate(date));
        expect(cal.workingMsBetween(start, start + DAY)).toBe(isWorkingDate(date) ? DAY : 0);
      }),
      RUNS,
    );
  });

  it('respects every listed holiday and make-up working day', () => {
    for (const date of HOLIDAYS) expect([date, cal.workingMsBetween(midnightOf(date), midnightOf(date) + DAY)]).toEqual([date, 0]);
    for (const date of MAKE_UP_WORKDAYS) expect([date, cal.workingMsBetween(midnightOf(date), midnightOf(date) + DAY)]).toEqual([date, DAY]);
  });

  it('adds working time exactly as a day-by-day walk through the calendar does', () => {
    fc.assert(
      fc.property(instant, workingMs, (start, amount) => {
        expect(cal.addWorkingMs(start, amount)).toBe(modelAddWorkingMs(start, amount));
      }),
      RUNS,
    );
  });

  it('measures working time exactly as a day-by-day count does', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -DAY, max: 90 * DAY }), (start, span) => {
        expect(cal.workingMsBetween(start, start + span)).toBe(span <= 0 ? 0 : modelWorkingMsBetween(start, start + span));
      }),
      RUNS,
    );
  });

  it('lands inside a working day: the moment before the result is working time', () => {
    fc.assert(
      fc.property(instant, workingMs, (start, amount) => {
        fc.pre(amount > 0);
        const end = cal.addWorkingMs(start, amount);
        expect(end).toBeGreaterThan(start);
        expect(isWorkingDate(dateOf(end - 1))).toBe(true);
      }),
      RUNS,
    );
  });

  it('is strictly increasing in the working time added', () => {
    fc.assert(
      fc.property(instant, workingMs, workingMs, (start, a, b) => {
        fc.pre(a !== b);
        const [less, more] = a < b ? [a, b] : [b, a];
        expect(cal.addWorkingMs(start, less)).toBeLessThan(cal.addWorkingMs(start, more));
      }),
      RUNS,
    );
  });

  it('is monotonic in the start: a later start never gives an earlier end', () => {
    fc.assert(
      fc.property(instant, instant, tenthsOfDays, (s1, s2, days) => {
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(cal.addWorkingDays(early, days)).toBeLessThanOrEqual(cal.addWorkingDays(late, days));
      }),
      RUNS,
    );
  });

  it('adds in steps: adding a then b is adding a + b', () => {
    fc.assert(
      fc.property(instant, workingMs, workingMs, (start, a, b) => {
        expect(cal.addWorkingMs(cal.addWorkingMs(start, a), b)).toBe(cal.addWorkingMs(start, a + b));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(instant, tenthsOfDays, tenthsOfDays, (start, a, b) => {
        expect(cal.addWorkingDays(cal.addWorkingDays(start, a), b)).toBe(cal.addWorkingDays(start, Math.round((a + b) * 10) / 10));
      }),
      RUNS,
    );
  });

  it('counts back what it added, and adding what it counted reaches the same working time', () => {
    fc.assert(
      fc.property(instant, workingMs, (start, amount) => {
        expect(cal.workingMsBetween(start, cal.addWorkingMs(start, amount))).toBe(amount);
        expect(cal.workingDaysBetween(start, cal.addWorkingMs(start, amount))).toBeCloseTo(amount / DAY, 9);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 * DAY }), (start, span) => {
        const end = start + span;
        const counted = cal.workingMsBetween(start, end);
        const reached = cal.addWorkingMs(start, counted);
        expect(reached).toBeLessThanOrEqual(end);
        expect(cal.workingMsBetween(start, reached)).toBe(counted);
        // When working time runs right up to `end`, `end` is the earliest instant with that much.
        if (isWorkingDate(dateOf(end - 1))) expect(reached).toBe(end);
      }),
      RUNS,
    );
  });

  it('adds up over consecutive intervals', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q);
        expect(cal.workingMsBetween(a, c)).toBe(cal.workingMsBetween(a, b) + cal.workingMsBetween(b, c));
      }),
      RUNS,
    );
  });

  it('starts a clock begun on a day off at 00:00 of the next working day', () => {
    fc.assert(
      fc.property(instant, workingMs, (start, amount) => {
        fc.pre(!isWorkingDate(dateOf(start)) && amount > 0);
        expect(cal.addWorkingMs(start, amount)).toBe(cal.addWorkingMs(nextWorkingMidnight(start), amount));
      }),
      RUNS,
    );
  });
});

/* ---------- lights ---------- */

const SEVERITY: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

/** A window as the workflow opens one: from an instant, a number of working days long. */
const windowArb = fc.tuple(instant, tenthsOfDays).map(([startMs, days]) => ({ startMs, dueMs: cal.addWorkingDays(startMs, days) }));
const aroundWindow = (w: { startMs: number; dueMs: number }) =>
  fc.integer({ min: w.startMs - 2 * DAY, max: w.dueMs + 2 * DAY });

describe('lights', () => {
  it('never goes back as time advances for a fixed deadline: green → yellow → red', () => {
    fc.assert(
      fc.property(
        windowArb.chain((w) => fc.tuple(fc.constant(w), aroundWindow(w), aroundWindow(w), fc.double({ min: 0.05, max: 0.95, noNaN: true }))),
        ([w, t1, t2, share]) => {
          const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
          for (const yellowShare of [policyJson.yellowShare, share]) {
            expect(SEVERITY[lightOf(w, early, cal, yellowShare)]).toBeLessThanOrEqual(SEVERITY[lightOf(w, late, cal, yellowShare)]);
          }
        },
      ),
      RUNS,
    );
  });

  it('turns yellow once yellowShare of the working time has passed, red at the deadline', () => {
    fc.assert(
      fc.property(windowArb.chain((w) => fc.tuple(fc.constant(w), aroundWindow(w))), ([w, t]) => {
        const total = modelWorkingMsBetween(w.startMs, w.dueMs);
        const elapsed = t <= w.startMs ? 0 : modelWorkingMsBetween(w.startMs, t);
        const expected: Light = t >= w.dueMs ? 'red' : elapsed >= policyJson.yellowShare * total ? 'yellow' : 'green';
        expect(lightOf(w, t, cal, defaultPolicy.yellowShare)).toBe(expected);
      }),
      RUNS,
    );
  });

  it('is the same all through a day off: time off does not move the light', () => {
    fc.assert(
      fc.property(windowArb.chain((w) => fc.tuple(fc.constant(w), aroundWindow(w))), ([w, t]) => {
        fc.pre(!isWorkingDate(dateOf(t)));
        expect(lightOf(w, t, cal, policyJson.yellowShare)).toBe(lightOf(w, dayStartOf(t), cal, policyJson.yellowShare));
      }),
      RUNS,
    );
  });
});

/* ---------- intake: deadlines follow the category windows ---------- */

type UnitJson = (typeof unitsJson.units)[number];
const UNITS = unitsJson.units as UnitJson[];
const unitById = new Map(UNITS.map((u) => [u.id, u]));
const COMMUNITIES = UNITS.filter((u) => u.kind === 'community');
const CATEGORY_WINDOWS = new Map(categoriesJson.categories.map((c) => [c.id, c]));
const REPORT_CHANNELS = ['visit', 'phone', 'sms', 'web', 'patrol', 'hotline', 'media'] as const;

const callerOf = (unit: string): Caller => {
  const kind = unitById.get(unit)?.kind as keyof typeof ROLE_OF_UNIT_KIND;
  return { sub: `officer@${unit}`, unit, role: ROLE_OF_UNIT_KIND[kind] };
};

/** The responsible unit config/routing.json names for a category and a community. */
function routedUnit(category: string, community: UnitJson): string {
  const rule = (routingJson.rules as { category: string; level: string; departmentKey?: string; unit?: string }[]).find((r) => r.category === category)!;
  if (rule.level === 'street') return community.parent!;
  if (rule.level === 'district') return `district-dept-${community.district}-${rule.departmentKey}`;
  return rule.unit!;
}

/** Sign-off and handling windows, in working days, of a case at a tier (categories at 0, policy above). */
function windowsAt(category: string, tier: number) {
  if (tier === 0) {
    const c = CATEGORY_WINDOWS.get(category)!;
    return { signOff: c.signOffWorkingDays, handling: c.handlingWorkingDays };
  }
  const t = policyJson.tiers[String(tier) as '1' | '2' | '3'];
  return { signOff: t.signOffWorkingDays, handling: t.handlingWorkingDays };
}

/** The office that must hold a case at a tier, read from the directory data. */
function officeAt(tier: number, district: string): string {
  const kind = ['', 'district-office', 'city-office', 'joint-conference'][tier];
  return UNITS.find((u) => u.kind === kind && (tier !== 1 || u.district === district))!.id;
}

const intakeArb = fc.record({
  category: fc.constantFrom(...categoriesJson.categories.map((c) => c.id)),
  community: fc.constantFrom(...COMMUNITIES),
  keep: fc.boolean(),
  nowMs: instant,
  reportedVia: fc.constantFrom(...REPORT_CHANNELS),
});
type Intake = typeof intakeArb extends fc.Arbitrary<infer T> ? T : never;

function accept({ category, community, keep, nowMs, reportedVia }: Intake): CaseRecord {
  const body = {
    title: '楼道堆放杂物',
    description: '3 号楼楼道堆放杂物。',
    category,
    reportedVia,
    ...(keep ? { assignedUnit: community.id } : {}),
  } as CreateCaseBody;
  return acceptCase(body, {
    caller: callerOf(community.id),
    id: '01KK81QAM0N09MEBE73C2QM5XF',
    nowMs,
    directory: defaultDirectory,
    calendar: cal,
    routingRules: defaultRoutingRules,
  }).record;
}

describe('intake deadlines', () => {
  it('gives a routed case its category’s sign-off window, then its handling window, both after acceptance', () => {
    fc.assert(
      fc.property(intakeArb, (intake) => {
        fc.pre(!intake.keep);
        const record = accept(intake);
        const windows = windowsAt(intake.category, 0);
        const signOffDue = Date.parse(record.signOffDueAt!);
        const resolveDue = Date.parse(record.resolveDueAt!);
        expect(record.status).toBe('awaiting-sign-off');
        expect(record.assignedUnit).toBe(routedUnit(intake.category, intake.community));
        expect(record.district).toBe(intake.community.district);
        expect(signOffDue).toBeGreaterThan(intake.nowMs);
        expect(resolveDue).toBeGreaterThan(signOffDue);
        expect(modelWorkingMsBetween(intake.nowMs, signOffDue)).toBe(wd(windows.signOff));
        expect(modelWorkingMsBetween(signOffDue, resolveDue)).toBe(wd(windows.handling));
        expect(isWorkingDate(dateOf(signOffDue - 1)) && isWorkingDate(dateOf(resolveDue - 1))).toBe(true);
      }),
      RUNS,
    );
  });

  it('starts the handling window at once when the community keeps the case', () => {
    fc.assert(
      fc.property(intakeArb, (intake) => {
        fc.pre(intake.keep);
        const record = accept(intake);
        const resolveDue = Date.parse(record.resolveDueAt!);
        expect(record.status).toBe('in-progress');
        expect(record.assignedUnit).toBe(intake.community.id);
        expect(record.signOffDueAt).toBeUndefined();
        expect(resolveDue).toBeGreaterThan(intake.nowMs);
        expect(modelWorkingMsBetween(intake.nowMs, resolveDue)).toBe(wd(windowsAt(intake.category, 0).handling));
      }),
      RUNS,
    );
  });

  it('restarts the handling window at sign-off, whenever the unit signs off', () => {
    fc.assert(
      fc.property(intakeArb, fc.integer({ min: 0, max: 5 * DAY }), (intake, delay) => {
        fc.pre(!intake.keep);
        const record = accept(intake);
        const signedAt = intake.nowMs + delay;
        const signal: Signal = { action: 'sign-off', by: callerOf(record.assignedUnit), handler: { name: '李娟' } };
        const after = applySignal(record, 'sign-off', signal, ctxAt(signedAt)).record;
        const resolveDue = Date.parse(after.resolveDueAt!);
        expect(after.status).toBe('in-progress');
        expect(resolveDue).toBeGreaterThan(signedAt);
        expect(modelWorkingMsBetween(signedAt, resolveDue)).toBe(wd(windowsAt(intake.category, 0).handling));
      }),
      RUNS,
    );
  });

  it('shows a new case green, and its light never goes back while nobody acts', () => {
    fc.assert(
      fc.property(intakeArb, fc.integer({ min: 0, max: 40 * DAY }), fc.integer({ min: 0, max: 40 * DAY }), (intake, d1, d2) => {
        const record = accept(intake);
        expect(currentLight(record, intake.nowMs, cal, policyJson.yellowShare)).toBe('green');
        const [early, late] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(SEVERITY[currentLight(record, intake.nowMs + early, cal, policyJson.yellowShare)]).toBeLessThanOrEqual(
          SEVERITY[currentLight(record, intake.nowMs + late, cal, policyJson.yellowShare)],
        );
      }),
      RUNS,
    );
  });
});

/* ---------- escalation by level ---------- */

describe('next tier', () => {
  it('goes from any holder to the office of its own level, and from an office one tier up, stopping at the joint conference', () => {
    // A mediation body never holds a case (it is referred one and gives it back), so it has no escalation.
    const units = unitsJson.units.filter((u) => u.kind !== 'supervision-centre' && u.kind !== 'mediation-committee');
    fc.assert(
      fc.property(fc.constantFrom(...units), fc.constantFrom(...unitsJson.districts.map((d) => d.id)), (holder, caseDistrict) => {
        const target = escalationTarget(defaultDirectory, defaultPolicy.escalation, { holder: holder.id, district: caseDistrict });
        if (holder.kind === 'joint-conference') {
          expect(target).toBeNull();
          return;
        }
        expect(target).not.toBeNull();
        expect(target!.tier).toBeGreaterThan(holder.tier ?? 0);
        if (holder.kind === 'city-department') expect(target).toEqual({ tier: 2, unit: officeAt(2, caseDistrict) });
        else if (holder.tier === 0) expect(target).toEqual({ tier: 1, unit: officeAt(1, holder.district ?? caseDistrict) });
        else expect(target).toEqual({ tier: (holder.tier ?? 0) + 1, unit: officeAt((holder.tier ?? 0) + 1, caseDistrict) });
      }),
      { numRuns: 100 },
    );
  });
});

/* ---------- the workflow rules, driven by random histories ---------- */

const ctxAt = (nowMs: number): WorkflowContext => ({ nowMs, directory: defaultDirectory, calendar: cal, policy: defaultPolicy });

type Who = 'assigned' | 'origin' | 'supervisor' | 'bystander';
type ActionSpec =
  | { action: 'sign-off' | 'resolve' | 'escalate' | 'return' | 'urge' | 'approve-extension' | 'refuse-extension' }
  | { action: 'request-extension'; workingDays: number }
  | { action: 'evaluate'; rating: 'satisfied' | 'unsatisfied' | 'not-implemented' }
  | { action: 'reassign'; toUnit: string };
type StepSpec =
  | { kind: 'timer' }
  | { kind: 'late-timer'; hours: number }
  | { kind: 'stale-timer'; phase: Phase }
  | { kind: 'act'; fitting: number | null; who: Who; spec: ActionSpec; minutes: number; stale: Phase | null };

/** Actions that fit each phase, so random histories get somewhere (resolved, evaluated, closed, reassigned…). */
const FITTING: Record<Phase, readonly { who: Who; spec: ActionSpec }[]> = {
  // These histories bring in no co-handlers, so the co-handling wait is never reached here (see co-handling.test.ts).
  'co-handling': [],
  // Nor do they refer a case to mediation (see mediation-workflow.test.ts).
  mediation: [],
  'sign-off': [
    { who: 'assigned', spec: { action: 'sign-off' } },
    { who: 'assigned', spec: { action: 'sign-off' } },
    { who: 'assigned', spec: { action: 'return' } },
    { who: 'supervisor', spec: { action: 'urge' } },
    { who: 'supervisor', spec: { action: 'reassign', toUnit: 'city-dept-housing' } },
  ],
  handling: [
    { who: 'assigned', spec: { action: 'resolve' } },
    { who: 'assigned', spec: { action: 'resolve' } },
    { who: 'assigned', spec: { action: 'escalate' } },
    { who: 'assigned', spec: { action: 'request-extension', workingDays: 2.5 } },
    { who: 'supervisor', spec: { action: 'approve-extension' } },
    { who: 'supervisor', spec: { action: 'refuse-extension' } },
    { who: 'supervisor', spec: { action: 'reassign', toUnit: 'street-wujiagang-wujiagang' } },
    { who: 'assigned', spec: { action: 'return' } },
  ],
  evaluation: [
    { who: 'origin', spec: { action: 'evaluate', rating: 'satisfied' } },
    { who: 'origin', spec: { action: 'evaluate', rating: 'unsatisfied' } },
    { who: 'origin', spec: { action: 'evaluate', rating: 'not-implemented' } },
  ],
  're-route': [
    { who: 'supervisor', spec: { action: 'reassign', toUnit: 'district-dept-xiling-justice' } },
    { who: 'supervisor', spec: { action: 'urge' } },
  ],
  closed: [{ who: 'origin', spec: { action: 'evaluate', rating: 'unsatisfied' } }],
};
const EXTENSION_DECISIONS: readonly { who: Who; spec: ActionSpec }[] = [
  { who: 'supervisor', spec: { action: 'approve-extension' } },
  { who: 'supervisor', spec: { action: 'approve-extension' } },
  { who: 'supervisor', spec: { action: 'refuse-extension' } },
  { who: 'assigned', spec: { action: 'resolve' } },
];

// Units a supervisor might name: every kind, so refused reassignments are tried too.
const REASSIGN_TARGETS = [
  'street-xiling-xiling',
  'street-wujiagang-wujiagang',
  'city-dept-housing',
  'district-dept-xiling-justice',
  'community-xiling-shengli-silu',
  'district-office-xiling',
  'joint-conference',
  'supervision-centre',
  'no-such-unit',
];

const actionSpecArb: fc.Arbitrary<ActionSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<ActionSpec>({ action: 'sign-off' }, { action: 'resolve' }, { action: 'escalate' }) },
  { weight: 3, arbitrary: fc.constantFrom('satisfied', 'unsatisfied', 'not-implemented').map((rating) => ({ action: 'evaluate' as const, rating })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<ActionSpec>({ action: 'return' }, { action: 'urge' }, { action: 'approve-extension' }, { action: 'refuse-extension' }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map((half) => ({ action: 'request-extension' as const, workingDays: half / 2 })) },
  { weight: 1, arbitrary: fc.constantFrom(...REASSIGN_TARGETS).map((toUnit) => ({ action: 'reassign' as const, toUnit })) },
);

const stepArb: fc.Arbitrary<StepSpec> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<StepSpec>({ kind: 'timer' }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 24 * 20 }).map((hours) => ({ kind: 'late-timer' as const, hours })) },
  { weight: 1, arbitrary: fc.constantFrom(...PHASES).map((phase) => ({ kind: 'stale-timer' as const, phase })) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      // Mostly an action that fits the step (chosen when it is taken), sometimes anything at all.
      fitting: fc.option(fc.nat({ max: 1000 }), { freq: 4 }),
      who: fc.constantFrom<Who>('assigned', 'assigned', 'assigned', 'origin', 'supervisor', 'bystander'),
      spec: actionSpecArb,
      minutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
      // Now and then a callback that arrives after the case left the phase it was sent in.
      stale: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...PHASES) }),
    }),
  },
);

function actorFor(who: Who, record: CaseRecord): Caller {
  switch (who) {
    case 'assigned':
      return callerOf(record.assignedUnit);
    case 'origin':
      return callerOf(record.originUnit);
    case 'supervisor':
      return callerOf('supervision-centre');
    case 'bystander':
      return callerOf('city-dept-environment');
  }
}

function signalFor(spec: ActionSpec, by: Caller): Signal {
  switch (spec.action) {
    case 'sign-off':
      return { action: 'sign-off', by, handler: { name: '李娟' } };
    case 'resolve':
      return { action: 'resolve', by, summary: '已清理', outcome: '楼道已畅通' };
    case 'escalate':
    case 'return':
      return { action: spec.action, by, reason: '不属本单位职责' };
    case 'request-extension':
      return { action: 'request-extension', by, workingDays: spec.workingDays, reason: '需要协调' };
    case 'evaluate':
      return { action: 'evaluate', by, rating: spec.rating };
    case 'reassign':
      return { action: 'reassign', by, toUnit: spec.toUnit, note: '改派' };
    default:
      return { action: spec.action, by, note: '督办' };
  }
}

const COUNTERS = ['signOffBreaches', 'handlingBreaches', 'warnings', 'urges', 'extensionsRequested', 'extensionsApproved', 'returns', 'escalations', 'unsatisfied'] as const;

/** Identity of a case that no rule may change. */
const identityOf = (r: CaseRecord) => ({
  id: r.id,
  title: r.title,
  category: r.category,
  originUnit: r.originUnit,
  district: r.district,
  firstHandlerUnit: r.firstHandlerUnit,
  createdAt: r.createdAt,
  version: r.version,
  lastEventSeq: r.lastEventSeq,
});

/** What must hold of every step the workflow takes, from the brief. */
function checkStep(before: CaseRecord, result: StepResult, step: StepSpec, signal: Signal | undefined, nowMs: number): void {
  const after = result.record;
  const now = toShanghaiIso(nowMs);

  // A closed case stays closed, and nothing about it changes.
  if (before.status === 'closed') expect(after).toEqual(before);

  // The pure rules never touch identity or the store's counters (the store alone bumps them).
  expect(identityOf(after)).toEqual(identityOf(before));

  // Tiers: up by one level at most (to the office of the holder's own level: a city department's
  // case goes straight to the city office), never past the joint conference; only the supervisor's
  // reassignment sends a case back to a tier-0 unit (an ordinary unit cannot act at an office's tier).
  expect(after.tier).toBeLessThanOrEqual(3);
  if (after.tier > before.tier) {
    const next = escalationTarget(defaultDirectory, defaultPolicy.escalation, { holder: before.assignedUnit, district: before.district });
    expect(after).toMatchObject({ tier: next?.tier, assignedUnit: next?.unit });
  }
  if (after.tier < before.tier) {
    expect(signal?.action).toBe('reassign');
    expect(signal?.by.role).toBe('supervisor');
    expect(after.tier).toBe(0);
    expect(after.assignedUnit).toBe(signal?.action === 'reassign' ? signal.toUnit : undefined);
  }
  expect(after.metrics.maxTier).toBeGreaterThanOrEqual(before.metrics.maxTier);
  expect(after.metrics.maxTier).toBeGreaterThanOrEqual(after.tier);
  for (const counter of COUNTERS) expect(after.metrics[counter]).toBeGreaterThanOrEqual(before.metrics[counter]);

  // Escalation: the office of the holder's level (checked above), announced, with that tier's sign-off window.
  const escalations = result.alerts.filter((a) => a.type === 'ESCALATED');
  if (after.tier > before.tier) {
    expect(escalations).toEqual([expect.objectContaining({ unit: after.assignedUnit, tier: after.tier })]);
    expect(result.alerts.some((a) => a.type === 'CONFERENCE_REQUIRED')).toBe(after.tier === 3);
    expect(after.status).toBe('awaiting-sign-off');
    expect(after.involvedUnits).toContain(after.assignedUnit);
  } else {
    expect(escalations).toEqual([]);
  }

  // Who has held the case is never forgotten.
  expect(after.involvedUnits).toEqual(expect.arrayContaining(before.involvedUnits));
  expect(after.involvedUnits).toContain(after.assignedUnit);

  // Everything a step writes is stamped with the step's own time.
  for (const event of result.events) expect(event.at).toBe(now);
  for (const alert of result.alerts) expect(alert.at).toBe(now);

  // A timer or action meant for another phase changes nothing.
  if ((step.kind === 'stale-timer' && step.phase !== phaseOf(before)) || (step.kind === 'act' && step.stale && step.stale !== phaseOf(before))) {
    expect(after).toEqual(before);
    expect(result.alerts).toEqual([]);
  }
  if (result.outcome === 'not-applied') expect(after).toEqual(before);

  // A window opened in this step starts now and is as long as the tier's (or policy's) window.
  const freshWindow = after.status !== before.status || after.windowStartedAt !== before.windowStartedAt;
  if (freshWindow && after.status !== 'closed') {
    const start = Date.parse(after.windowStartedAt);
    const windows = windowsAt(after.category, after.tier);
    expect(after.windowStartedAt).toBe(now);
    switch (after.status) {
      case 'awaiting-sign-off':
        expect(modelWorkingMsBetween(start, Date.parse(after.signOffDueAt!))).toBe(wd(windows.signOff));
        expect(modelWorkingMsBetween(Date.parse(after.signOffDueAt!), Date.parse(after.resolveDueAt!))).toBe(wd(windows.handling));
        break;
      case 'in-progress':
        expect(modelWorkingMsBetween(start, Date.parse(after.resolveDueAt!))).toBe(wd(windows.handling));
        break;
      case 'awaiting-evaluation':
        expect(modelWorkingMsBetween(start, Date.parse(after.evaluationDueAt!))).toBe(wd(policyJson.evaluationWorkingDays));
        break;
      case 'returned':
        expect(modelWorkingMsBetween(start, Date.parse(after.reRouteDueAt!))).toBe(wd(policyJson.reRouteWorkingDays));
        break;
    }
  }
  // An approved extension moves the handling deadline by exactly the working days asked for.
  if (before.extension.state === 'requested' && after.extension.state === 'approved') {
    expect(modelWorkingMsBetween(Date.parse(before.resolveDueAt!), Date.parse(after.resolveDueAt!))).toBe(wd(before.extension.workingDays!));
  }
}

/** A DynamoDB client that accepts every write: enough to run the store's write path for real. */
function recordingStore() {
  const writes: any[] = [];
  const client = { send: async (command: { input: unknown }) => (writes.push(command.input), {}) } as unknown as DynamoDBDocumentClient;
  return { store: new CaseStore(client, 'cases'), writes };
}

describe('workflow rules over random histories', () => {
  it('never lower the tier except by reassignment, never reopen a closed case, and write ever higher versions', async () => {
    await fc.assert(
      fc.asyncProperty(intakeArb, fc.array(stepArb, { minLength: 3, maxLength: 40 }), async (intake, steps) => {
        let record = accept(intake);
        let nowMs = intake.nowMs;
        const { store, writes } = recordingStore();
        for (const step of steps) {
          const before = record;
          let result: StepResult;
          let signal: Signal | undefined;
          switch (step.kind) {
            case 'timer':
              // The state machine wakes at the next clock point the workflow planned.
              nowMs += planFor(record, ctxAt(nowMs)).waitSeconds * 1000;
              result = applyTick(record, phaseOf(record), ctxAt(nowMs));
              break;
            case 'late-timer':
              nowMs += step.hours * 3_600_000;
              result = applyTick(record, phaseOf(record), ctxAt(nowMs));
              break;
            case 'stale-timer':
              result = applyTick(record, step.phase, ctxAt(nowMs));
              break;
            case 'act':
              nowMs += step.minutes * 60_000;
              {
                const options = record.status === 'in-progress' && record.extension.state === 'requested' ? EXTENSION_DECISIONS : FITTING[phaseOf(record)];
                const { who, spec } = step.fitting === null ? step : options[step.fitting % options.length];
                signal = signalFor(spec, actorFor(who, record));
              }
              result = applySignal(record, step.stale ?? phaseOf(record), signal, ctxAt(nowMs));
              break;
          }
          checkStep(before, result, step, signal, nowMs);
          // The workflow function writes every step through the store, which alone numbers versions and events.
          const saved = await store.saveStep(before, result.record, result.events, { key: `step-${writes.length}`, outcome: result.outcome, alerts: result.alerts });
          expect(saved.version).toBe(before.version + 1);
          expect(saved.lastEventSeq).toBe(before.lastEventSeq + result.events.length);
          record = saved;
        }
        // Every write names the version it read and writes a higher one; events are numbered 2, 3, 4, … without gaps.
        const puts = writes.map((w) => w.TransactItems as { Put?: { Item: Record<string, unknown>; ExpressionAttributeValues?: Record<string, unknown> } }[]);
        const versions = puts.map((items) => items[0].Put!.Item.version as number);
        versions.forEach((version, i) => {
          expect(version).toBe(i + 2);
          expect(puts[i][0].Put?.ExpressionAttributeValues?.[':version']).toBe(version - 1);
        });
        // Beside the case and its events, a step writes or drops queue entries (co-handlers, a returned case): not events.
        const isEvent = (item: (typeof puts)[number][number]) => String(item.Put?.Item.sk ?? '').startsWith('EVENT#');
        const seqs = puts.flatMap((items) => items.filter(isEvent).map((item) => item.Put!.Item.seq as number));
        expect(seqs).toEqual(seqs.map((_, i) => i + 2));
      }),
      RUNS,
    );
  });

  it('keeps a case at the joint conference however often its windows are breached', () => {
    fc.assert(
      fc.property(intakeArb, fc.integer({ min: 4, max: 12 }), (intake, breaches) => {
        // Nobody ever acts: every window runs out, the case climbs tier by tier and then stays at the top.
        let record = accept(intake);
        let nowMs = intake.nowMs;
        const tiers: number[] = [record.tier];
        const tick = () => {
          nowMs += planFor(record, ctxAt(nowMs)).waitSeconds * 1000;
          record = applyTick(record, phaseOf(record), ctxAt(nowMs)).record;
          tiers.push(record.tier);
        };
        for (let i = 0; i < 40 && record.tier < 3; i++) tick();
        expect(record.tier).toBe(3);
        for (let i = 0; i < breaches * 3; i++) tick();
        // Each climb is one level: one tier, or tier 0 → 2 for a city department's case.
        const firstHandlerKind = defaultDirectory.require(accept(intake).assignedUnit).kind;
        const firstClimb = firstHandlerKind === 'city-department' ? 2 : 1;
        expect(tiers.every((tier, i) => i === 0 || tier === tiers[i - 1] || tier === tiers[i - 1] + (tiers[i - 1] === 0 ? firstClimb : 1))).toBe(true);
        expect(record.tier).toBe(3);
        expect(record.assignedUnit).toBe(officeAt(3, intake.community.district!));
        expect(record.status).not.toBe('closed');
      }),
      { numRuns: 50 },
    );
  });
});

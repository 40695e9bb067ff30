/**
 * Cases made the way the system makes them: accepted with `acceptCase`, then moved by the
 * workflow's own pure functions — `applySignal` for every action (each checked first with
 * `checkAction`, as the handlers do) and `applyTick` for every timer the state machine would
 * fire (warnings, breaches, escalations, evaluation timeouts) — up to the end of the period.
 * Nothing in a record is written by hand.
 *
 * Each case follows a *script* (kept by the community or routed; resolved or not; how it was
 * rated); the mix of scripts fixes the report's headline counts exactly, while the variations
 * inside a script (late sign-offs, warnings, urges, extensions, escalations, returns) come from
 * a seeded random generator, so the same seed always gives the same cases.
 *
 * Timeline events are not produced: reports read only the case records (docs/assessment.md), so the fixture writes case items only.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ROLE_OF_UNIT_KIND } from '../../functions/domain/roles';
import { acceptCase, type CaseRecord, type CreateCaseBody, REPORT_CHANNELS } from '../../functions/domain/case';
import { CATEGORY_IDS, categoryById, type CategoryId } from '../../functions/domain/categories';
import { defaultCalendar, toShanghaiIso, type WorkingDayCalendar } from '../../functions/domain/calendar';
import { defaultDirectory, type UnitDirectory } from '../../functions/domain/directory';
import { defaultPolicy, type Policy } from '../../functions/domain/policy';
import { defaultRoutingRules } from '../../functions/domain/routing';
import { COMPLAINANT_ACTOR, applySignal, applyTick, checkAction, milestonesOf, phaseOf, type Signal, type WorkflowContext } from '../../functions/domain/workflow';
import { isOwnResult } from '../../functions/domain/ratings';
import type { Caller } from '../../functions/domain/identity';
import { monthEndMs, monthStartMs } from '../../functions/domain/assessment-period';
import { caseItem } from '../../functions/store/case-store';

const DAY_MS = 86_400_000;

/* ---------- scripts and their mix ---------- */

export const SCRIPTS = [
  'kept-satisfied',
  'kept-unsatisfied',
  'kept-not-implemented',
  'kept-not-evaluated',
  'kept-awaiting-evaluation',
  'kept-open',
  'routed-satisfied',
  'routed-unsatisfied',
  'routed-not-implemented',
  'routed-not-evaluated',
  'routed-awaiting-evaluation',
  'routed-open',
] as const;
export type Script = (typeof SCRIPTS)[number];
export type ScriptMix = Record<Script, number>;

/**
 * The seed's urban-centre table, Jan–Oct 2011: 14,662 received; 13,702 resolved (93.45 %);
 * 12,592 resolved in communities (91.90 % of resolved); 13,593 satisfied (99.20 %). The 109
 * resolved cases not rated satisfied and the 960 unresolved ones are spread over the other
 * outcomes in plausible proportions (the seed does not break them down).
 */
export const SEED_MIX: ScriptMix = {
  'kept-satisfied': 12_534,
  'kept-unsatisfied': 20,
  'kept-not-implemented': 10,
  'kept-not-evaluated': 20,
  'kept-awaiting-evaluation': 8,
  'kept-open': 300,
  'routed-satisfied': 1_059,
  'routed-unsatisfied': 18,
  'routed-not-implemented': 11,
  'routed-not-evaluated': 16,
  'routed-awaiting-evaluation': 6,
  'routed-open': 660,
};

export const SEED_PERIOD = { from: '2011-01', to: '2011-10' } as const;

export const SEED_FIGURES = {
  received: 14_662,
  resolved: 13_702,
  resolvedInCommunity: 12_592,
  satisfied: 13_593,
} as const;

/** What a mix adds up to, by the report's definitions. */
export function expectedFigures(mix: ScriptMix) {
  const resolvedScripts = SCRIPTS.filter((s) => !s.endsWith('-open'));
  const sum = (scripts: readonly Script[]) => scripts.reduce((total, s) => total + mix[s], 0);
  return {
    received: sum(SCRIPTS),
    resolved: sum(resolvedScripts),
    resolvedInCommunity: sum(resolvedScripts.filter((s) => s.startsWith('kept-'))),
    satisfied: mix['kept-satisfied'] + mix['routed-satisfied'],
  };
}

/** The seed's mix scaled to `total` cases (largest remainders, so the parts add up exactly). */
export function scaledMix(total: number, base: ScriptMix = SEED_MIX): ScriptMix {
  const baseTotal = SCRIPTS.reduce((sum, s) => sum + base[s], 0);
  const exact = SCRIPTS.map((s) => (base[s] * total) / baseTotal);
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((value, i) => [value - floors[i], i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i] += 1;
    left -= 1;
  }
  return Object.fromEntries(SCRIPTS.map((s, i) => [s, floors[i]])) as ScriptMix;
}

/* ---------- a seeded random generator ---------- */

export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  /** mulberry32: small, fast and good enough for test data. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[], weights?: readonly number[]): T {
    if (!weights) return items[this.int(items.length)];
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    return items[items.length - 1];
  }
}

/* ---------- case ids ---------- */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function base32(value: number, length: number): string {
  let text = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    text = CROCKFORD[rest % 32] + text;
    rest = Math.floor(rest / 32);
  }
  return text;
}

/** A ULID whose time part is the intake time and whose random part is the run and a counter. */
export const fixtureId = (createdMs: number, run: number, n: number): string => base32(createdMs, 10) + base32(run, 6) + base32(n, 10);

/* ---------- the simulation ---------- */

interface Environment {
  readonly directory: UnitDirectory;
  readonly calendar: WorkingDayCalendar;
  readonly policy: Policy;
}


/** One case moving through the workflow's pure functions, with the timers fired in order. */
class CaseSimulation {
  constructor(
    public record: CaseRecord,
    private readonly env: Environment,
  ) {}

  private context(nowMs: number): WorkflowContext {
    return { nowMs, directory: this.env.directory, calendar: this.env.calendar, policy: this.env.policy };
  }

  /**
   * Fires every warning and deadline due up to `nowMs`, one at a time, as the state machine's
   * timers would. An escalation office signs a case off promptly once it reaches it (as the
   * seed's offices do), so escalated cases move on rather than breach at every tier.
   */
  runUntil(nowMs: number): void {
    for (let guard = 0; guard < 10_000; guard++) {
      const phase = phaseOf(this.record);
      if (phase === 'closed') return;
      const next = milestonesOf(this.record, this.context(nowMs)).find((m) => !this.record.firedMilestones.includes(m.id));
      if (phase === 'sign-off' && this.record.tier > 0) {
        const signAt = this.env.calendar.addWorkingMs(Date.parse(this.record.windowStartedAt), OFFICE_SIGN_OFF_MS);
        if (signAt <= nowMs && (!next || signAt < next.at)) {
          this.apply(signAt, (by) => ({ action: 'sign-off', by, handler: { name: '值班员' } }), this.record.assignedUnit);
          continue;
        }
      }
      if (!next || next.at > nowMs) return;
      this.record = applyTick(this.record, phase, this.context(next.at)).record;
    }
    throw new Error(`case ${this.record.id}: timers did not settle`);
  }

  actorFor(unit: string): Caller & { sub: string } {
    const kind = this.env.directory.require(unit).kind;
    return { sub: `fixture@${unit}`, unit, role: ROLE_OF_UNIT_KIND[kind] };
  }

  /** An action at `nowMs` by `unit` (default: the assigned unit), checked as the API checks it. */
  act(nowMs: number, build: (by: Caller & { sub: string }) => Signal, unit?: string): void {
    this.runUntil(nowMs);
    this.apply(nowMs, build, unit ?? this.record.assignedUnit);
  }

  /** The complainant's rating with the PIN of the result SMS (the PIN itself is the API's business, not the rules'). */
  complainantRates(nowMs: number, rating: 'satisfied' | 'unsatisfied' | 'not-implemented'): void {
    this.runUntil(nowMs);
    const signal: Signal = { action: 'complainant-evaluate', by: COMPLAINANT_ACTOR, rating };
    checkAction(this.record, signal, COMPLAINANT_ACTOR, { directory: this.env.directory });
    this.record = applySignal(this.record, phaseOf(this.record), signal, this.context(nowMs)).record;
  }

  private apply(nowMs: number, build: (by: Caller & { sub: string }) => Signal, unit: string): void {
    const by = this.actorFor(unit);
    const signal = build(by);
    checkAction(this.record, signal, by, { directory: this.env.directory });
    this.record = applySignal(this.record, phaseOf(this.record), signal, this.context(nowMs)).record;
  }
}

/** How soon an escalation office signs off a case that reached it, in working time. */
const OFFICE_SIGN_OFF_MS = 0.2 * DAY_MS;

/** The latest instant with `workingDays` of working time between it and `endMs`. */
export function workingDaysBefore(calendar: WorkingDayCalendar, endMs: number, workingDays: number): number {
  const target = Math.round(workingDays * DAY_MS);
  let low = endMs - (workingDays * 2 + 14) * DAY_MS;
  while (calendar.workingMsBetween(low, endMs) < target) low -= 30 * DAY_MS;
  let high = endMs;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (calendar.workingMsBetween(middle, endMs) >= target) low = middle;
    else high = middle;
  }
  return low;
}

interface TimedAction {
  /** Working days after the previous action (or intake). */
  readonly gapWd?: number;
  /** An absolute instant instead. */
  readonly atMs?: number;
  readonly run: (sim: CaseSimulation, nowMs: number) => void;
}

const SUPERVISOR = 'supervision-centre';

const signOff = (sim: CaseSimulation, at: number) => sim.act(at, (by) => ({ action: 'sign-off', by, handler: { name: '值班员' } }));
const resolve = (sim: CaseSimulation, at: number) =>
  sim.act(at, (by) => ({ action: 'resolve', by, summary: '已协调处理', outcome: '问题已解决，已回告社区' }));
/**
 * The seed's satisfaction is the complainants': a result the community reported itself is rated by
 * the complainant (the community may not rate its own), one another unit reported by the community.
 */
const rate = (rating: 'satisfied' | 'unsatisfied' | 'not-implemented') => (sim: CaseSimulation, at: number) =>
  isOwnResult(sim.record) ? sim.complainantRates(at, rating) : sim.act(at, (by) => ({ action: 'evaluate', by, rating }), sim.record.originUnit);

interface Plan {
  readonly category: CategoryId;
  readonly origin: string;
  readonly kept: boolean;
  readonly actions: TimedAction[];
  /** The created time is fixed by the script (resolution in the last days of the period). */
  readonly createdAtMs?: number;
  /** Working days the script needs before the period ends (0 when it may run past the end). */
  readonly needsWd: number;
}

/** The unit a returned case is reassigned to: the community's street office, or the district's justice bureau. */
function reassignTarget(env: Environment, origin: string, current: string): string {
  const street = env.directory.require(origin).parent as string;
  if (street !== current) return street;
  const district = env.directory.require(origin).district as string;
  return `district-dept-${district}-justice`;
}

const ROUTED_VARIANTS = ['normal', 'warned', 'late-sign-off', 'urged', 'extended', 'escalated', 'city-office', 'conference', 'late-result', 'returned'] as const;
const ROUTED_WEIGHTS = [58, 15, 5, 6, 5, 5, 1.5, 0.5, 3, 3];

/**
 * How a routed case got its result, within `budgetWd` working days: a short period (one month)
 * cannot hold the longest stories, so a variant that does not fit is drawn again, and after a
 * few draws the case is simply signed off and resolved in the time there is.
 */
function routedResolution(r: Random, env: Environment, category: CategoryId, origin: string, budgetWd: number): { actions: TimedAction[]; wd: number } {
  const { signOffWorkingDays: s, handlingWorkingDays: h } = categoryById(category);
  const tier1 = env.policy.tiers['1'];
  const office = OFFICE_SIGN_OFF_MS / DAY_MS;
  for (let draw = 0; ; draw++) {
    if (draw === 10) {
      const signGap = r.between(0.05, 0.6) * s;
      const resolveGap = Math.min(r.between(0.1, 0.45) * h, Math.max(0.05, budgetWd - signGap - 0.05));
      return { actions: [{ gapWd: signGap, run: signOff }, { gapWd: resolveGap, run: resolve }], wd: signGap + resolveGap };
    }
    const variant = r.pick(ROUTED_VARIANTS, ROUTED_WEIGHTS);
    const actions: TimedAction[] = [];
    switch (variant) {
      case 'normal':
        actions.push({ gapWd: r.between(0.05, 0.6) * s, run: signOff }, { gapWd: r.between(0.1, 0.45) * h, run: resolve });
        break;
      case 'warned':
        actions.push({ gapWd: r.between(0.78, 0.95) * s, run: signOff }, { gapWd: r.between(0.55, 0.95) * h, run: resolve });
        break;
      case 'late-sign-off':
        // Past the sign-off deadline: a breach, red, and a second window in which it is signed off.
        actions.push({ gapWd: r.between(1.05, 1.9) * s, run: signOff }, { gapWd: r.between(0.1, 0.5) * h, run: resolve });
        break;
      case 'urged':
        actions.push(
          { gapWd: r.between(0.05, 0.6) * s, run: signOff },
          { gapWd: r.between(0.3, 0.5) * h, run: (sim, at) => sim.act(at, (by) => ({ action: 'urge', by, note: '请加快办理' }), SUPERVISOR) },
          { gapWd: r.between(0.05, 0.3) * h, run: resolve },
        );
        break;
      case 'extended':
        actions.push(
          { gapWd: r.between(0.05, 0.6) * s, run: signOff },
          { gapWd: 0.5 * h, run: (sim, at) => sim.act(at, (by) => ({ action: 'request-extension', by, workingDays: 3, reason: '需现场复核' })) },
          { gapWd: 0.1, run: (sim, at) => sim.act(at, (by) => ({ action: 'approve-extension', by, note: '同意延期' }), SUPERVISOR) },
          { gapWd: r.between(0.3, 0.45) * h, run: resolve },
        );
        break;
      case 'escalated':
        // The unit cannot resolve it: the district office takes it, signs off, and resolves.
        actions.push(
          { gapWd: r.between(0.05, 0.6) * s, run: signOff },
          { gapWd: r.between(0.2, 0.5) * h, run: (sim, at) => sim.act(at, (by) => ({ action: 'escalate', by, reason: '涉及多个部门，需区里协调' })) },
          { gapWd: office + r.between(0.1, 0.5) * tier1.handlingWorkingDays, run: resolve },
        );
        break;
      case 'city-office':
      case 'conference': {
        // Up the tiers: each office signs off promptly, then finds it cannot resolve the case either. Escalation
        // goes by level, so a city department's case reaches the city office in one step: stop at the target tier.
        const targetTier = variant === 'conference' ? 3 : 2;
        const up: TimedAction = {
          gapWd: 0,
          run: (sim, at) => {
            if (sim.record.tier < targetTier) sim.act(at, (by) => ({ action: 'escalate', by, reason: '需要上级协调多个部门' }));
          },
        };
        actions.push(
          { gapWd: r.between(0.05, 0.6) * s, run: signOff },
          { ...up, gapWd: r.between(0.2, 0.5) * h },
          { ...up, gapWd: office + r.between(1, 3) },
        );
        if (variant === 'conference') actions.push({ ...up, gapWd: office + r.between(1, 3) });
        const top = env.policy.tiers[variant === 'conference' ? '3' : '2'];
        actions.push({ gapWd: office + r.between(0.1, 0.5) * top.handlingWorkingDays, run: resolve });
        break;
      }
      case 'late-result':
        // The handling window runs out: a breach escalates the case, and the district office resolves it.
        actions.push(
          { gapWd: r.between(0.05, 0.6) * s, run: signOff },
          { gapWd: h + office + r.between(0.1, 0.5) * tier1.handlingWorkingDays, run: resolve },
        );
        break;
      case 'returned':
        actions.push(
          { gapWd: r.between(0.1, 0.5) * s, run: (sim, at) => sim.act(at, (by) => ({ action: 'return', by, reason: '不属于本单位职责' })) },
          {
            gapWd: r.between(0.05, 0.5) * env.policy.reRouteWorkingDays,
            run: (sim, at) =>
              sim.act(at, (by) => ({ action: 'reassign', by, toUnit: reassignTarget(env, origin, sim.record.firstHandlerUnit), note: '改派' }), SUPERVISOR),
          },
          { gapWd: r.between(0.1, 0.5) * s, run: signOff },
          { gapWd: r.between(0.1, 0.45) * h, run: resolve },
        );
        break;
    }
    const wd = actions.reduce((sum, a) => sum + (a.gapWd ?? 0), 0);
    if (wd <= budgetWd) return { actions, wd };
  }
}

/** When an open case arrived, as working days before the end of the period, and what happened to it since. */
function openPlan(r: Random, kept: boolean, category: CategoryId): { actions: TimedAction[]; agoWd: number } {
  const { signOffWorkingDays: s, handlingWorkingDays: h } = categoryById(category);
  if (kept) {
    // Mostly recent; some older ones ran out of time and went up to the district office.
    return { actions: [], agoWd: r.next() < 0.85 ? r.between(0.02, 0.8) * h : r.between(1.0, 1.5) * h };
  }
  const escalate: TimedAction = { gapWd: 0, run: (sim, at) => sim.act(at, (by) => ({ action: 'escalate', by, reason: '本级无法解决' })) };
  switch (r.pick(['awaiting-sign-off', 'sign-off-overdue', 'in-progress', 'overdue', 'escalated', 'returned'] as const, [25, 5, 52, 8, 7, 3])) {
    case 'awaiting-sign-off':
      return { actions: [], agoWd: r.between(0.05, 0.6) * s };
    case 'sign-off-overdue':
      // Not signed off in its window: red, in its second sign-off window when the period ends.
      return { actions: [], agoWd: r.between(1.05, 1.9) * s };
    case 'in-progress': {
      const signGap = r.between(0.05, 0.6) * s;
      return { actions: [{ gapWd: signGap, run: signOff }], agoWd: signGap + r.between(0.05, 0.7) * h };
    }
    case 'overdue': {
      // Signed off, but the handling window ran out: escalated to the district office, still open.
      const signGap = r.between(0.05, 0.6) * s;
      return { actions: [{ gapWd: signGap, run: signOff }], agoWd: signGap + h + r.between(0.3, 0.8) * 10 };
    }
    case 'escalated': {
      const signGap = r.between(0.05, 0.6) * s;
      const escalateGap = r.between(0.2, 0.5) * h;
      return { actions: [{ gapWd: signGap, run: signOff }, { ...escalate, gapWd: escalateGap }], agoWd: signGap + escalateGap + r.between(0.3, 5) };
    }
    case 'returned': {
      // Returned in the last working day: the supervision centre has not re-routed it yet.
      const returnGap = r.between(0.1, 0.4) * s;
      return {
        actions: [{ gapWd: returnGap, run: (sim, at) => sim.act(at, (by) => ({ action: 'return', by, reason: '不属于本单位职责' })) }],
        agoWd: returnGap + r.between(0.1, 0.7),
      };
    }
  }
}

/** The last working-day instants before `endMs`: somewhere in the last two working days, 09:00–17:00. */
function lateInPeriod(r: Random, env: Environment, endMs: number): number {
  const days: number[] = [];
  for (let day = endMs - DAY_MS; days.length < 2; day -= DAY_MS) {
    if (env.calendar.isWorkingDay(toShanghaiIso(day).slice(0, 10))) days.push(day);
  }
  return r.pick(days) + Math.round(r.between(9, 17) * 3_600_000);
}

function planFor(script: Script, r: Random, env: Environment, category: CategoryId, origin: string, endMs: number, periodWd: number): Plan {
  const kept = script.startsWith('kept-');
  const { handlingWorkingDays: h } = categoryById(category);
  const outcome = script.replace(/^(kept|routed)-/, '');

  if (outcome === 'open') {
    const { actions, agoWd } = openPlan(r, kept, category);
    return { category, origin, kept, actions, createdAtMs: workingDaysBefore(env.calendar, endMs, Math.min(agoWd, periodWd - 1)), needsWd: 0 };
  }
  if (outcome === 'awaiting-evaluation') {
    // Resolved in the period's last two working days: the 3-day evaluation window runs past its end.
    const resolvedAt = lateInPeriod(r, env, endMs);
    const createdAtMs = resolvedAt - Math.round(r.between(20, 40) * 3_600_000);
    const actions: TimedAction[] = kept
      ? [{ atMs: resolvedAt, run: resolve }]
      : [{ gapWd: 0.05, run: signOff }, { atMs: resolvedAt, run: resolve }];
    return { category, origin, kept, actions, createdAtMs, needsWd: 0 };
  }

  // The whole story (result, then rating or the evaluation window running out) must fit in the period.
  const budgetWd = periodWd * 0.75 - (outcome === 'not-evaluated' ? env.policy.evaluationWorkingDays + 0.3 : 1.6);
  let resolution: { actions: TimedAction[]; wd: number };
  if (kept) {
    const drawn = r.next() < 0.85 ? r.between(0.02, 0.4) * h : r.between(0.55, 0.9) * h;
    const gap = Math.min(drawn, Math.max(0.02, budgetWd));
    resolution = { actions: [{ gapWd: gap, run: resolve }], wd: gap };
  } else {
    resolution = routedResolution(r, env, category, origin, budgetWd);
  }
  const actions = [...resolution.actions];
  let needsWd = resolution.wd;
  if (outcome === 'not-evaluated') {
    needsWd += env.policy.evaluationWorkingDays + 0.2; // the evaluation window must close inside the period
  } else {
    const evaluation: TimedAction = { gapWd: r.between(0.05, 1.5), run: rate(outcome as 'satisfied' | 'unsatisfied' | 'not-implemented') };
    actions.push(evaluation);
    needsWd += evaluation.gapWd ?? 0;
  }
  if (outcome === 'unsatisfied' || outcome === 'not-implemented') {
    // Rated late in the period: the reopened case is still inside its new handling window at the end.
    const agoWd = needsWd + r.between(0.05, 0.6) * Math.min(h, env.policy.tiers['1'].handlingWorkingDays);
    return { category, origin, kept, actions, createdAtMs: workingDaysBefore(env.calendar, endMs, Math.min(agoWd, periodWd - 1)), needsWd: 0 };
  }
  return { category, origin, kept, actions, needsWd: needsWd + 0.05 };
}

/* ---------- the generator ---------- */

export interface SimulationOptions {
  /** The months cases are received in, oldest first. */
  readonly months: readonly string[];
  readonly mix: ScriptMix;
  readonly seed?: number;
  /** Relative intake per month (defaults to equal). */
  readonly monthWeights?: readonly number[];
  /** Distinguishes the ids of separate runs that share a table. */
  readonly run?: number;
  readonly environment?: Partial<Environment>;
}

/** Categories weighted as a city centre's complaints run; the seed's three named categories lead. */
const CATEGORY_WEIGHTS: Record<CategoryId, number> = {
  'administrative-approval': 4,
  'laws-and-regulations': 3,
  routine: 14,
  'road-traffic-accident': 5,
  'urban-management': 9,
  'property-management': 10,
  'demolition-compensation': 2,
  'environment-pollution': 4,
  'labour-wages': 6,
  'medical-dispute': 2,
  'civil-affairs-relief': 15,
  'neighbour-family': 20,
  other: 6,
};

/** One community's 147 cases in 3 months: 52 % found by patrols, 40 % by phone, SMS or internet, 8 % walk-ins. */
const CHANNEL_WEIGHTS: Record<(typeof REPORT_CHANNELS)[number], number> = { patrol: 52, phone: 18, sms: 8, web: 10, hotline: 3, media: 1, visit: 8 };

const TITLES: Partial<Record<CategoryId, string>> = {
  'civil-affairs-relief': '低保申请咨询',
  'urban-management': '占道经营',
  'neighbour-family': '邻里噪音纠纷',
  'property-management': '物业交接后水电费拖欠',
  'environment-pollution': '工厂排放废水',
  'demolition-compensation': '拆迁补偿争议',
};

/**
 * Yields `sum(mix)` case records, each made through the domain, in a shuffled order. Memory
 * stays small whatever the count: cases are made one at a time.
 */
export function* simulateCases(options: SimulationOptions): Generator<CaseRecord> {
  const env: Environment = {
    directory: options.environment?.directory ?? defaultDirectory,
    calendar: options.environment?.calendar ?? defaultCalendar,
    policy: options.environment?.policy ?? defaultPolicy,
  };
  const r = new Random(options.seed ?? 20_111_031);
  const months = options.months;
  const startMs = monthStartMs(months[0]);
  const endMs = monthEndMs(months[months.length - 1]);
  const monthWeights = options.monthWeights ?? months.map(() => 1);
  const communities = env.directory.ofKind('community').map((u) => u.id);
  const workingDays = months.map((month) => {
    const days: number[] = [];
    for (let day = monthStartMs(month); day < monthEndMs(month); day += DAY_MS) {
      if (env.calendar.isWorkingDay(toShanghaiIso(day).slice(0, 10))) days.push(day);
    }
    return days;
  });

  // The scripts, one per case, shuffled (Fisher–Yates) so intake order mixes them.
  const scripts = new Uint8Array(SCRIPTS.reduce((n, s) => n + options.mix[s], 0));
  let k = 0;
  SCRIPTS.forEach((script, code) => {
    for (let i = 0; i < options.mix[script]; i++) scripts[k++] = code;
  });
  for (let i = scripts.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [scripts[i], scripts[j]] = [scripts[j], scripts[i]];
  }

  const intakeTime = (latestMs: number): number => {
    for (let attempt = 0; attempt < 60; attempt++) {
      const m = months.indexOf(r.pick(months, monthWeights));
      const days = workingDays[m];
      const at = r.pick(days) + Math.round(r.between(8, 18) * 3_600_000);
      if (at <= latestMs) return at;
    }
    // Nothing drawn fits: take a working morning early in the period.
    return workingDays[0][r.int(Math.min(3, workingDays[0].length))] + 9 * 3_600_000;
  };

  const categories = [...CATEGORY_IDS];
  const categoryWeights = categories.map((c) => CATEGORY_WEIGHTS[c]);
  const channels = [...REPORT_CHANNELS];
  const channelWeights = channels.map((c) => CHANNEL_WEIGHTS[c]);
  const run = options.run ?? 0;
  const periodWd = env.calendar.workingDaysBetween(startMs, endMs);

  for (let n = 0; n < scripts.length; n++) {
    const script = SCRIPTS[scripts[n]];
    const category = r.pick(categories, categoryWeights);
    const origin = r.pick(communities);
    const plan = planFor(script, r, env, category, origin, endMs, periodWd);

    let createdMs = plan.createdAtMs;
    if (createdMs === undefined) {
      // The latest intake from which the script's actions still end inside the period.
      let latest = endMs - 1;
      if (plan.needsWd > 0) {
        latest = startMs;
        for (let probe = endMs - 1; probe > startMs; probe -= DAY_MS / 4) {
          if (env.calendar.addWorkingMs(probe, Math.round(plan.needsWd * DAY_MS)) < endMs - 60_000) {
            latest = probe;
            break;
          }
        }
      }
      createdMs = intakeTime(latest);
    }

    const body: CreateCaseBody = {
      title: TITLES[category] ?? categoryById(category).name,
      description: `${categoryById(category).name}：社区网格员上报，需相关单位处理。`,
      category,
      reportedVia: r.pick(channels, channelWeights),
      ...(plan.kept ? { assignedUnit: origin } : {}),
    };
    const { record } = acceptCase(body, {
      caller: { sub: `fixture@${origin}`, unit: origin, role: 'community' },
      id: fixtureId(createdMs, run, n),
      nowMs: createdMs,
      directory: env.directory,
      calendar: env.calendar,
      routingRules: defaultRoutingRules,
    });
    const sim = new CaseSimulation(record, env);
    let at = createdMs;
    for (const action of plan.actions) {
      at = action.atMs ?? env.calendar.addWorkingMs(at, Math.round((action.gapWd ?? 0) * DAY_MS));
      if (at >= endMs) {
        // An open case simply has not got that far yet; any other script must finish inside the period.
        if (script.endsWith('-open')) break;
        throw new Error(`case ${record.id} (${script}): an action falls after the period (${toShanghaiIso(at)})`);
      }
      action.run(sim, at);
    }
    // Whatever timers fall due before the period ends fire, as in the running system.
    sim.runUntil(endMs - 1);
    yield sim.record;
  }
}

/** The seed's table as cases: Jan–Oct 2011, intake growing through the year. */
export function seedCases(seed = 20_111_031): Generator<CaseRecord> {
  return simulateCases({
    months: ['2011-01', '2011-02', '2011-03', '2011-04', '2011-05', '2011-06', '2011-07', '2011-08', '2011-09', '2011-10'],
    monthWeights: [0.7, 0.6, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2, 1.2],
    mix: SEED_MIX,
    seed,
  });
}

/* ---------- writing them ---------- */

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes case items (the store's own `caseItem`, index attributes included) with BatchWrite,
 * `concurrency` batches of 25 in flight, retrying unprocessed items. Returns the count written.
 */
export async function writeCases(
  client: DynamoDBDocumentClient,
  tableName: string,
  records: Iterable<CaseRecord>,
  options: { concurrency?: number; onWritten?: (count: number) => void } = {},
): Promise<number> {
  const iterator = records[Symbol.iterator]();
  let written = 0;
  const nextBatch = (): CaseRecord[] => {
    const batch: CaseRecord[] = [];
    while (batch.length < 25) {
      const next = iterator.next();
      if (next.done) break;
      batch.push(next.value);
    }
    return batch;
  };
  const worker = async () => {
    for (let batch = nextBatch(); batch.length > 0; batch = nextBatch()) {
      let requests = batch.map((record) => ({ PutRequest: { Item: caseItem(record) } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 10) throw new Error('BatchWrite kept leaving items unprocessed');
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        if (requests.length > 0) await pause(50 * 2 ** attempt);
      }
      written += batch.length;
      options.onWritten?.(written);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return written;
}

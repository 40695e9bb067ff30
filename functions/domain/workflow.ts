/**
 * The case lifecycle as pure functions. The state machine (statemachines/case.asl.json) holds
 * the waiting and the clocks; each time it wakes (a callback arrived, or a timer ran out) the
 * workflow function calls one of these with the stored case and gets back the new case, the
 * timeline events and alerts to write, and how long to wait next.
 */
import * as z from 'zod/mini';
import './zod-locale';
import { categoryById } from './categories';
import { type UnitDirectory } from './directory';
import { escalationTarget } from './routing';
import { toShanghaiIso, type WorkingDayCalendar } from './calendar';
import { lightOf, shareReachedAt } from './light';
import { defaultPolicy, type Policy } from './policy';
import { isOwnResult, reopenWindowEndMs, withinReopenWindow } from './ratings';
import {
  EVALUATION_RATINGS,
  OUTSTANDING_CO_HANDLER,
  UnitIdSchema,
  type CaseMetrics,
  type CaseRecord,
  type CaseStatus,
  type CoHandler,
  type Holding,
  type TimelineEvent,
  type Tier,
} from './case';
import { CallerSchema, handlesCases, type Caller } from './identity';
import { ROLES } from './roles';
import { TIER0_HANDLING_KINDS } from './roles';
import { renderEvent } from './texts/event-render';
import type { Params, ParamValue } from './texts/format';
import { invalidInput, notAllowed, stepConflict } from './errors';
import { alertAudience } from './notifications/audience';
import { actorOnTimeline, rateClosedCase, rememberRequest } from './closed-case';
import { holdsPersonalData } from './personal-data';
import { MEDIATION_SIGNALS, MEDIATOR_ACTIONS, checkMediatorAction, checkOutcome, checkReferralBody, checkSession, checkReferralCaller, isMediationAction, openMediation } from './mediation/rules';
import { MEDIATION_ALERT_TYPES, applyMediationSignal, fireMediationMilestone, isMediationMilestoneFired, mediationDue, mediationMilestones } from './mediation/steps';

/**
 * The waits of the state machine. `co-handling` is handling while co-handling units still owe
 * their parts: the holder cannot resolve yet, and the graph shows it as a wait of its own.
 */
export const PHASES = ['sign-off', 'handling', 'co-handling', 'mediation', 'evaluation', 're-route', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

const PHASE_OF_STATUS: Record<CaseStatus, Phase> = {
  'awaiting-sign-off': 'sign-off',
  'in-progress': 'handling',
  'awaiting-evaluation': 'evaluation',
  returned: 're-route',
  closed: 'closed',
};

/** The co-handlers that still owe their part. */
export const outstandingCoHandlers = (record: CaseRecord): CoHandler[] =>
  (record.coHandlers ?? []).filter((c) => OUTSTANDING_CO_HANDLER.includes(c.status));

/** `mediation`: a mediation body holds the case (domain/mediation); its clocks run, the holder's wait. */
export const phaseOf = (record: CaseRecord): Phase =>
  openMediation(record) !== undefined
    ? 'mediation'
    : record.status === 'in-progress' && outstandingCoHandlers(record).length > 0 ? 'co-handling' : PHASE_OF_STATUS[record.status];

/** The holder's own clock in a phase: co-handling runs the handling window. */
const holderPhase = (phase: Phase): Phase => (phase === 'co-handling' ? 'handling' : phase);

export const ALERT_TYPES = [
  'SIGN_OFF_WARNING',
  'SIGN_OFF_OVERDUE',
  'HANDLING_WARNING',
  'HANDLING_OVERDUE',
  'ESCALATED',
  'EVALUATION_UNSATISFIED',
  'CONFERENCE_REQUIRED',
  // Additions to the contract's list: the supervisor's urge reaches the unit, and a late re-routing.
  'URGED',
  'REROUTE_OVERDUE',
  // A co-handling unit's part: its sign-off or reply window at its warning, or run out.
  'CO_HANDLER_WARNING',
  'CO_HANDLER_OVERDUE',
  // A mediation body's window at its warning or run out, and an agreement not carried out (domain/mediation).
  ...MEDIATION_ALERT_TYPES,
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const AlertSchema = /* @__PURE__ */ (() =>
  z
  .object({
    type: z.enum(ALERT_TYPES),
    caseId: z.string(),
    unit: z.string(),
    tier: z.number().check(z.int()),
    dueAt: z.nullable(z.string()),
    at: z.string(),
    /** The alert's message: `code` is its type, `params` what the texts are written from. */
    code: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    /** The text in Chinese (the default language) and in English, with unit names and Asia/Shanghai times. */
    detail: z.string(),
    detailEn: z.string(),
    /** The case's district, and the units the alert's notifications are for (message attributes; domain/notifications/audience.ts). */
    district: z.optional(z.string()),
    audience: z.optional(z.array(z.string())),
  })
  .register(z.globalRegistry, { id: 'Alert' }))();
export type Alert = z.infer<typeof AlertSchema>;

/**
 * Who sent the action (the caller's verified claims, or the complainant who proved the PIN of the
 * result SMS on a public route), and the client's Idempotency-Key for it, if it sent one.
 */
const ActorSchema = /* @__PURE__ */ (() => z.extend(CallerSchema, { role: z.enum([...ROLES, 'complainant']), requestKey: z.optional(z.string()) }))();
export type Actor = z.infer<typeof ActorSchema>;

/** The complainant as an actor: no account, no unit; the PIN of the result SMS was the proof. */
export const COMPLAINANT_ACTOR = { sub: 'complainant', unit: 'complainant', role: 'complainant' } as const satisfies Actor;
export const isComplainant = (actor: Pick<Actor, 'role'>): boolean => actor.role === 'complainant';

/** Who reopened a case, as its event and its texts name them. */
const reopenedBy = (by: Actor): 'complainant' | 'community' | 'supervisor' => (isComplainant(by) ? 'complainant' : by.role === 'supervisor' ? 'supervisor' : 'community');
const Note = /* @__PURE__ */ (() => z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)))();

/** What a handler delivers to the waiting workflow (the callback's output). */
// The schemas below are pure (built in an IIFE esbuild may drop): only the functions that parse
// signals and alerts (the workflow) build them, not every handler that asks a rule of this module.
export const SignalSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion('action', [
  z.object({ action: z.literal('sign-off'), by: ActorSchema, handler: z.object({ name: z.string(), phone: z.optional(z.string()) }), note: z.optional(z.string()) }),
  z.object({ action: z.literal('resolve'), by: ActorSchema, summary: Note, outcome: Note, approvedBy: z.optional(z.object({ name: z.string(), post: z.string() })) }),
  z.object({ action: z.literal('escalate'), by: ActorSchema, reason: Note }),
  z.object({ action: z.literal('return'), by: ActorSchema, reason: Note }),
  z.object({ action: z.literal('request-extension'), by: ActorSchema, workingDays: z.number().check(z.positive(), z.maximum(30)), reason: Note }),
  z.object({ action: z.literal('evaluate'), by: ActorSchema, rating: z.enum(EVALUATION_RATINGS), comment: z.optional(z.string()) }),
  /** The complainant's rating with the PIN (POST /v1/track/{code}/evaluation). */
  z.object({ action: z.literal('complainant-evaluate'), by: ActorSchema, rating: z.enum(EVALUATION_RATINGS), comment: z.optional(z.string()) }),
  /** The supervision centre's follow-up call (回访) on a kept case: the complainant's answer. */
  z.object({ action: z.literal('follow-up'), by: ActorSchema, rating: z.enum(EVALUATION_RATINGS), comment: z.optional(z.string()) }),
  /** A closed case reopened within the window: applied by the case's new execution (`<id>-r<n>`). */
  z.object({ action: z.literal('reopen'), by: ActorSchema, reason: Note }),
  z.object({ action: z.literal('urge'), by: ActorSchema, note: Note, coHandler: z.optional(UnitIdSchema) }),
  z.object({ action: z.literal('reassign'), by: ActorSchema, toUnit: UnitIdSchema, note: Note }),
  z.object({ action: z.literal('approve-extension'), by: ActorSchema, note: Note }),
  z.object({ action: z.literal('refuse-extension'), by: ActorSchema, note: Note }),
  z.object({
    action: z.literal('co-handle'),
    by: ActorSchema,
    units: z.array(UnitIdSchema),
    task: Note,
    workingDays: z.number().check(z.positive(), z.maximum(30)),
    sharePersonalData: z.optional(z.boolean()),
  }),
  z.object({ action: z.literal('co-handler-sign-off'), by: ActorSchema, handler: z.optional(z.object({ name: z.string(), phone: z.optional(z.string()) })) }),
  z.object({ action: z.literal('co-handler-reply'), by: ActorSchema, summary: Note }),
  z.object({ action: z.literal('co-handler-return'), by: ActorSchema, reason: Note }),
  z.object({ action: z.literal('waive-co-handler'), by: ActorSchema, coHandler: UnitIdSchema, note: Note }),
  ...MEDIATION_SIGNALS,
]))();
export type Signal = z.infer<typeof SignalSchema>;
export type SignalAction = Signal['action'];

export interface WorkflowContext {
  readonly nowMs: number;
  readonly directory: UnitDirectory;
  readonly calendar: WorkingDayCalendar;
  readonly policy: Policy;
}

export type NewEvent = Omit<TimelineEvent, 'seq'>;

export interface StepResult {
  readonly record: CaseRecord;
  readonly events: NewEvent[];
  readonly alerts: Alert[];
  /** A word for the timeline and tests: what this step did. */
  readonly outcome: string;
}

/** What the state machine does next: which phase's wait, and for how long. */
export interface Plan {
  readonly phase: Phase;
  readonly waitSeconds: number;
}

/* ---------- windows ---------- */

function windowsFor(record: CaseRecord, tier: Tier, policy: Policy) {
  if (tier === 0) {
    const category = categoryById(record.category);
    return { signOff: category.signOffWorkingDays, handling: category.handlingWorkingDays };
  }
  const tierWindows = policy.tiers[String(tier) as '1' | '2' | '3'];
  return { signOff: tierWindows.signOffWorkingDays, handling: tierWindows.handlingWorkingDays };
}

const iso = toShanghaiIso;
const ms = (instant: string | undefined) => (instant ? Date.parse(instant) : NaN);

/** A fresh sign-off window for whoever is assigned now. */
function openSignOffWindow(record: CaseRecord, ctx: WorkflowContext): CaseRecord {
  const { signOff, handling } = windowsFor(record, record.tier, ctx.policy);
  const signOffDue = ctx.calendar.addWorkingDays(ctx.nowMs, signOff);
  return {
    ...record,
    status: 'awaiting-sign-off',
    // The new unit has not signed off yet: the previous unit's sign-off no longer describes the case.
    signedOffAt: undefined,
    handler: undefined,
    windowStartedAt: iso(ctx.nowMs),
    signOffDueAt: iso(signOffDue),
    // Until sign-off this is the latest the result can be due.
    resolveDueAt: iso(ctx.calendar.addWorkingDays(signOffDue, handling)),
    firedMilestones: [],
  };
}

/** A fresh handling window from now, at the current tier. */
function openHandlingWindow(record: CaseRecord, ctx: WorkflowContext): CaseRecord {
  const { handling } = windowsFor(record, record.tier, ctx.policy);
  return {
    ...record,
    status: 'in-progress',
    windowStartedAt: iso(ctx.nowMs),
    resolveDueAt: iso(ctx.calendar.addWorkingDays(ctx.nowMs, handling)),
    firedMilestones: [],
  };
}

interface Milestone {
  readonly id: string;
  readonly at: number;
  /** Deadlines end the window; warnings do not. */
  readonly kind: 'warning' | 'deadline';
  readonly share?: number;
  /** A co-handler's clock point, not the holder's. */
  readonly coHandler?: string;
  /** The open mediation referral's clock point, not the holder's. */
  readonly mediation?: true;
}

/** The clock points of the active window and of every outstanding co-handler's part, in time order. */
export function milestonesOf(record: CaseRecord, ctx: Pick<WorkflowContext, 'calendar' | 'policy'>): Milestone[] {
  // While a mediation body holds the case only its clock runs (the holder gets a new window when it comes back).
  if (openMediation(record)) return mediationMilestones(record, ctx);
  const own = holderMilestones(record, ctx);
  const parts = outstandingCoHandlers(record).flatMap((c) => coHandlerMilestones(c, ctx));
  if (parts.length === 0) return own;
  return [...own, ...parts].sort((a, b) => a.at - b.at);
}

const isFired = (record: CaseRecord, milestone: Milestone): boolean =>
  milestone.mediation
    ? isMediationMilestoneFired(record, milestone.id)
    : milestone.coHandler === undefined
    ? record.firedMilestones.includes(milestone.id)
    : (record.coHandlers?.find((c) => c.unit === milestone.coHandler)?.firedMilestones.includes(milestone.id) ?? true);

/** A co-handler's part: 75 % and the deadline of its sign-off window, then the warnings and deadline of its reply window. */
function coHandlerMilestones(part: CoHandler, ctx: Pick<WorkflowContext, 'calendar' | 'policy'>): Milestone[] {
  const startMs = ms(part.windowStartedAt);
  const share = (dueMs: number, s: number) => shareReachedAt({ startMs, dueMs }, s, ctx.calendar);
  const coHandler = part.unit;
  if (part.status === 'requested') {
    const due = ms(part.signOffDueAt);
    const warning = ctx.policy.signOffWarningShare;
    return [
      { id: 'sign-off-warning', at: share(due, warning), kind: 'warning', share: warning, coHandler },
      { id: 'sign-off-deadline', at: due, kind: 'deadline', coHandler },
    ];
  }
  const due = ms(part.dueAt);
  return [
    ...ctx.policy.handlingWarningShares.map((s) => ({ id: `reply-warning-${Math.round(s * 100)}`, at: share(due, s), kind: 'warning' as const, share: s, coHandler })),
    { id: 'reply-deadline', at: due, kind: 'deadline', coHandler },
  ];
}

function holderMilestones(record: CaseRecord, ctx: Pick<WorkflowContext, 'calendar' | 'policy'>): Milestone[] {
  const startMs = ms(record.windowStartedAt);
  const share = (dueMs: number, s: number) => shareReachedAt({ startMs, dueMs }, s, ctx.calendar);
  switch (holderPhase(phaseOf(record))) {
    case 'sign-off': {
      const due = ms(record.signOffDueAt);
      return [
        { id: 'sign-off-warning', at: share(due, ctx.policy.signOffWarningShare), kind: 'warning', share: ctx.policy.signOffWarningShare },
        { id: 'sign-off-deadline', at: due, kind: 'deadline' },
      ];
    }
    case 'handling': {
      const due = ms(record.resolveDueAt);
      return [
        ...ctx.policy.handlingWarningShares.map((s) => ({ id: `handling-warning-${Math.round(s * 100)}`, at: share(due, s), kind: 'warning' as const, share: s })),
        { id: 'handling-deadline', at: due, kind: 'deadline' },
      ];
    }
    case 'evaluation':
      return [{ id: 'evaluation-deadline', at: ms(record.evaluationDueAt), kind: 'deadline' }];
    case 're-route':
      return [{ id: 're-route-deadline', at: ms(record.reRouteDueAt), kind: 'deadline' }];
    default:
      return [];
  }
}

/** Timers may fire up to this much early (whole-second timeouts); the milestone still counts. */
const TIMER_TOLERANCE_MS = 1000;

export function planFor(record: CaseRecord, ctx: WorkflowContext): Plan {
  const phase = phaseOf(record);
  if (phase === 'closed') return { phase, waitSeconds: 0 };
  const next = milestonesOf(record, ctx).find((m) => !isFired(record, m));
  // Every open phase ends in a deadline that re-arms the window, so `next` always exists.
  const waitMs = next ? next.at - ctx.nowMs : 0;
  return { phase, waitSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/* ---------- building blocks of a step ---------- */

class Step {
  record: CaseRecord;
  readonly events: NewEvent[] = [];
  readonly alerts: Alert[] = [];

  constructor(
    record: CaseRecord,
    readonly ctx: WorkflowContext,
  ) {
    this.record = record;
  }

  /** Adds to the case's lifetime counts (the monthly assessment reads them). */
  count(changes: Partial<Record<Exclude<keyof CaseMetrics, 'firstResolvedAt' | 'resolvedOnTime' | 'resolvedInCommunity' | 'maxTier'>, number>>): void {
    const metrics = { ...this.record.metrics };
    for (const [key, by] of Object.entries(changes) as [keyof typeof changes, number][]) metrics[key] += by;
    this.record = { ...this.record, metrics };
  }

  event(type: string, fields: Omit<NewEvent, 'at' | 'type'> = {}): void {
    this.events.push({ at: iso(this.ctx.nowMs), type, unit: this.record.assignedUnit, ...fields });
  }

  /** An alert, and its event on the timeline; `extra` holds what its text needs beyond unit, tier and due date. */
  alert(type: AlertType, extra: Record<string, ParamValue> = {}, dueAt: string | undefined = this.currentDue(), unit = this.record.assignedUnit): void {
    const at = iso(this.ctx.nowMs);
    const { note, ...data } = extra;
    const params: Record<string, string | number | boolean | null> = { unit, tier: this.record.tier, dueAt: dueAt ?? null };
    for (const [key, value] of Object.entries(extra)) if (value !== undefined) params[key] = value;
    const text = (lang: 'zh-CN' | 'en') => renderEvent({ code: type, params }, { lang, unitName: this.ctx.directory.nameOf, referenceMs: this.ctx.nowMs });
    const alert: Alert = {
      type,
      caseId: this.record.id,
      unit,
      tier: this.record.tier,
      dueAt: dueAt ?? null,
      at,
      code: type,
      params,
      detail: text('zh-CN'),
      detailEn: text('en'),
      district: this.record.district,
      audience: alertAudience(type, { unit, originUnit: this.record.originUnit }, this.ctx.directory),
    };
    this.alerts.push(alert);
    if (type === 'SIGN_OFF_WARNING' || type === 'HANDLING_WARNING') this.count({ warnings: 1 });
    if (type === 'SIGN_OFF_OVERDUE') this.count({ signOffBreaches: 1 });
    if (type === 'HANDLING_OVERDUE') this.count({ handlingBreaches: 1 });
    this.events.push({
      at,
      type,
      unit: alert.unit,
      ...(typeof note === 'string' ? { note } : {}),
      data: { alert: true, tier: alert.tier, dueAt: alert.dueAt, ...data },
    });
  }

  /** 督办 record: the supervision centre opens a file on a breach or an unsatisfied result. */
  supervisionRecord(cause: 'sign-off-overdue' | 'handling-overdue' | 'unsatisfied' | 'co-handler-overdue' | 'mediation-overdue', extra: Params = {}): void {
    this.event('SUPERVISION_RECORD', { data: { supervisionCentre: this.ctx.directory.supervisionCentre().id, cause, tier: this.record.tier, ...extra } });
  }

  /** Changes the open part of `unit` in `role` (the last one not ended). Older records without parts are left as they are. */
  updateHolding(unit: string, role: Holding['role'], change: (holding: Holding) => Holding): void {
    const holdings = this.record.holdings;
    if (!holdings) return;
    const index = holdings.findLastIndex((h) => h.unit === unit && h.role === role && !h.ended);
    if (index < 0) return;
    this.record = { ...this.record, holdings: holdings.map((h, i) => (i === index ? change(h) : h)) };
  }

  /** The unit holding the case now has its part end: resolved, escalated, returned or reassigned away. */
  endHolding(how: NonNullable<Holding['ended']>['how'], extra: { onTime?: boolean } = {}): void {
    this.updateHolding(this.record.assignedUnit, 'holder', (h) => ({ ...h, ended: { at: iso(this.ctx.nowMs), how, ...extra } }));
  }

  startHolding(unit: string, role: Holding['role'], needsSignOff: boolean, extra: { reopened?: boolean } = {}): void {
    if (!this.record.holdings) return;
    const now = iso(this.ctx.nowMs);
    const holding: Holding = {
      unit,
      role,
      tier: this.record.tier,
      from: now,
      needsSignOff,
      ...(needsSignOff ? {} : { signedOffAt: now }),
      ...(extra.reopened ? { reopened: true } : {}),
      signOffBreaches: 0,
      handlingBreaches: 0,
    };
    this.record = { ...this.record, holdings: [...this.record.holdings, holding] };
  }

  coHandler(unit: string): CoHandler {
    const part = this.record.coHandlers?.find((c) => c.unit === unit);
    if (!part) throw new Error(`${unit} does not co-handle case ${this.record.id}`);
    return part;
  }

  setCoHandler(part: CoHandler): void {
    this.record = { ...this.record, coHandlers: (this.record.coHandlers ?? []).map((c) => (c.unit === part.unit ? part : c)) };
  }

  currentDue(): string | undefined {
    if (openMediation(this.record)) return mediationDue(this.record);
    switch (holderPhase(phaseOf(this.record))) {
      case 'sign-off':
        return this.record.signOffDueAt;
      case 'handling':
        return this.record.resolveDueAt;
      case 'evaluation':
        return this.record.evaluationDueAt;
      case 're-route':
        return this.record.reRouteDueAt;
      default:
        return undefined;
    }
  }

  /** Hand the case up one tier; at the joint conference there is nothing above. */
  escalate(reason: string): 'escalated' | 'at-top' {
    const target = escalationTarget(this.ctx.directory, this.ctx.policy.escalation, { holder: this.record.assignedUnit, district: this.record.district });
    if (!target) return 'at-top';
    const from = this.record.assignedUnit;
    this.endHolding('escalated');
    this.record = openSignOffWindow(
      {
        ...this.record,
        tier: target.tier,
        assignedUnit: target.unit,
        involvedUnits: [...new Set([...this.record.involvedUnits, target.unit])],
        light: 'green',
        signOffBreaches: 0,
        unsatisfiedCount: 0,
        extension: { state: 'none' },
      },
      this.ctx,
    );
    this.count({ escalations: 1 });
    this.startHolding(target.unit, 'holder', true);
    this.record = { ...this.record, metrics: { ...this.record.metrics, maxTier: Math.max(this.record.metrics.maxTier, target.tier) } };
    this.event('ESCALATED_TO_TIER', { note: reason, data: { from, to: target.unit, tier: target.tier, firstHandlerUnit: this.record.firstHandlerUnit } });
    this.alert('ESCALATED', { from, note: reason });
    if (target.tier === 3) this.alert('CONFERENCE_REQUIRED', { note: reason });
    return 'escalated';
  }

  result(outcome: string): StepResult {
    return { record: this.record, events: this.events, alerts: this.alerts, outcome };
  }
}

/* ---------- entry points ---------- */

/** The workflow starts: intake already wrote the first window, so only the plan is needed. */
export function beginCase(record: CaseRecord, ctx: WorkflowContext): StepResult {
  return new Step(record, ctx).result('started');
}

/** A timer ran out in `phase`: fire every milestone that is due, in order. */
export function applyTick(record: CaseRecord, phase: Phase, ctx: WorkflowContext): StepResult {
  const step = new Step(record, ctx);
  if (phaseOf(record) !== phase) return step.result('stale-timer');
  for (const milestone of milestonesOf(record, ctx)) {
    if (isFired(step.record, milestone)) continue;
    if (milestone.at > ctx.nowMs + TIMER_TOLERANCE_MS) break;
    if (milestone.mediation) {
      fireMediationMilestone(step, milestone as Milestone & { mediation: true });
      continue;
    }
    if (milestone.coHandler !== undefined) {
      fireCoHandlerMilestone(step, milestone.coHandler, milestone);
      continue;
    }
    step.record = { ...step.record, firedMilestones: [...step.record.firedMilestones, milestone.id] };
    if (milestone.kind === 'warning') {
      fireWarning(step, holderPhase(phase), milestone);
      continue;
    }
    return step.result(fireDeadline(step, holderPhase(phase)));
  }
  return step.result('waiting');
}

function fireWarning(step: Step, phase: Phase, milestone: Milestone): void {
  const percent = Math.round((milestone.share ?? 0) * 100);
  const window = { startMs: ms(step.record.windowStartedAt), dueMs: ms(step.currentDue()) };
  const light = lightOf(window, step.ctx.nowMs + TIMER_TOLERANCE_MS, step.ctx.calendar, step.ctx.policy.yellowShare);
  if (step.record.light !== 'red' && light !== 'green') step.record = { ...step.record, light };
  if (phase === 'sign-off') {
    step.alert('SIGN_OFF_WARNING', { percent });
  } else {
    const toSupervision = (milestone.share ?? 0) >= step.ctx.policy.yellowShare;
    step.alert('HANDLING_WARNING', { percent, toSupervision });
  }
}

function fireDeadline(step: Step, phase: Phase): string {
  const due = step.currentDue();
  switch (phase) {
    case 'sign-off': {
      step.record = { ...step.record, light: 'red', signOffBreaches: step.record.signOffBreaches + 1 };
      step.updateHolding(step.record.assignedUnit, 'holder', (h) => ({ ...h, signOffBreaches: h.signOffBreaches + 1 }));
      step.alert('SIGN_OFF_OVERDUE', {}, due);
      step.supervisionRecord('sign-off-overdue');
      if (step.record.signOffBreaches >= 2) {
        const escalated = step.escalate('second sign-off window breached');
        if (escalated === 'escalated') return 'sign-off-breach-escalated';
      }
      // A second window: red stays on the record until someone acts.
      step.record = { ...openSignOffWindow(step.record, step.ctx), light: 'red' };
      step.event('SIGN_OFF_WINDOW_REOPENED', { data: { signOffDueAt: step.record.signOffDueAt } });
      return 'sign-off-breach';
    }
    case 'handling': {
      step.record = { ...step.record, light: 'red' };
      step.updateHolding(step.record.assignedUnit, 'holder', (h) => ({ ...h, handlingBreaches: h.handlingBreaches + 1 }));
      step.alert('HANDLING_OVERDUE', {}, due);
      step.supervisionRecord('handling-overdue');
      if (step.escalate('handling window breached') === 'escalated') return 'handling-breach-escalated';
      // Nothing above the joint conference: it keeps the case, red, with a new window so the clock never stops.
      step.record = { ...openHandlingWindow(step.record, step.ctx), light: 'red' };
      step.event('HANDLING_WINDOW_REOPENED', { data: { resolveDueAt: step.record.resolveDueAt } });
      return 'handling-breach-at-top';
    }
    case 'evaluation': {
      step.record = { ...step.record, status: 'closed', closedAt: iso(step.ctx.nowMs), closedReason: 'not-evaluated' };
      step.event('CLOSED', { data: { reason: 'not-evaluated' } });
      return 'closed-not-evaluated';
    }
    case 're-route': {
      step.record = {
        ...step.record,
        light: 'red',
        windowStartedAt: iso(step.ctx.nowMs),
        reRouteDueAt: iso(step.ctx.calendar.addWorkingDays(step.ctx.nowMs, step.ctx.policy.reRouteWorkingDays)),
        firedMilestones: [],
      };
      step.alert('REROUTE_OVERDUE', {}, due);
      return 're-route-late';
    }
    default:
      return 'closed';
  }
}

/** A co-handler's part reached a warning or its deadline: alert that unit; at the deadline, red, a supervision record and a new window. */
function fireCoHandlerMilestone(step: Step, unit: string, milestone: Milestone): void {
  const part = step.coHandler(unit);
  const phase = part.status === 'requested' ? 'sign-off' : 'reply';
  const dueAt = phase === 'sign-off' ? part.signOffDueAt : part.dueAt;
  const fired = { ...part, firedMilestones: [...part.firedMilestones, milestone.id] };
  if (milestone.kind === 'warning') {
    step.setCoHandler({ ...fired, light: part.light === 'red' ? 'red' : milestone.share! >= step.ctx.policy.yellowShare ? 'yellow' : part.light });
    step.alert('CO_HANDLER_WARNING', { percent: Math.round(milestone.share! * 100), phase }, dueAt, unit);
    return;
  }
  step.alert('CO_HANDLER_OVERDUE', { phase }, dueAt, unit);
  step.supervisionRecord('co-handler-overdue', { coHandler: unit, phase });
  // Its clock never stops: a new window of the same length, red until it acts.
  const now = step.ctx.nowMs;
  const window =
    phase === 'sign-off'
      ? { signOffDueAt: iso(step.ctx.calendar.addWorkingDays(now, categoryById(step.record.category).signOffWorkingDays)) }
      : { dueAt: iso(step.ctx.calendar.addWorkingDays(now, part.workingDays)) };
  step.setCoHandler({ ...fired, ...window, windowStartedAt: iso(now), light: 'red', breaches: part.breaches + 1, firedMilestones: [] });
  step.updateHolding(unit, 'co-handler', (h) =>
    phase === 'sign-off' ? { ...h, signOffBreaches: h.signOffBreaches + 1 } : { ...h, handlingBreaches: h.handlingBreaches + 1 },
  );
  step.event('CO_HANDLER_WINDOW_REOPENED', { unit, data: { phase, dueAt: phase === 'sign-off' ? window.signOffDueAt! : window.dueAt! } });
}

/* ---------- actions ---------- */

/** Which actions each phase accepts, and who may take them. */
/** A co-handler's part goes on whatever step the holder's own work is at, until the result is reported. */
const CO_HANDLER_PART_ACTIONS: readonly SignalAction[] = ['co-handler-sign-off', 'co-handler-reply', 'co-handler-return', 'waive-co-handler'];
const HANDLING_ACTIONS: readonly SignalAction[] = ['resolve', 'escalate', 'return', 'request-extension', 'urge', 'reassign', 'approve-extension', 'refuse-extension', 'co-handle'];
const ACTIONS_BY_PHASE: Record<Phase, readonly SignalAction[]> = {
  'sign-off': ['sign-off', 'return', 'urge', 'reassign', 'refer-mediation', ...CO_HANDLER_PART_ACTIONS],
  handling: [...HANDLING_ACTIONS, 'refer-mediation'],
  // Resolve waits for every part; checkActionFits names the units still owing theirs.
  'co-handling': [...HANDLING_ACTIONS, ...CO_HANDLER_PART_ACTIONS],
  // A mediation body holds the case: its actions, and the supervisor's urge (to the body).
  mediation: [...MEDIATOR_ACTIONS, 'urge', ...CO_HANDLER_PART_ACTIONS],
  evaluation: ['evaluate', 'complainant-evaluate', 'follow-up'],
  're-route': ['reassign', 'urge', ...CO_HANDLER_PART_ACTIONS],
  // A closed case has no execution waiting: a late rating and a follow-up call are written by their handlers
  // (checked and applied by these same rules), and a reopening starts the case's next execution, which applies it.
  closed: ['complainant-evaluate', 'follow-up', 'reopen'],
};

const SUPERVISOR_ACTIONS: ReadonlySet<SignalAction> = new Set(['urge', 'reassign', 'approve-extension', 'refuse-extension', 'waive-co-handler', 'follow-up']);
const ASSIGNED_UNIT_ACTIONS: ReadonlySet<SignalAction> = new Set(['sign-off', 'resolve', 'escalate', 'return', 'request-extension', 'co-handle']);
const CO_HANDLER_ACTIONS: ReadonlySet<SignalAction> = new Set(['co-handler-sign-off', 'co-handler-reply', 'co-handler-return']);
const REASSIGNABLE_KINDS: ReadonlySet<string> = new Set(TIER0_HANDLING_KINDS);
/** Units that can take a part of a case: the same kinds that handle cases at tier 0. */
const CO_HANDLER_KINDS = REASSIGNABLE_KINDS;
/** At most this many co-handling units owe a part at once. */
export const MAX_CO_HANDLERS = 10;

/** A unit the case passed through as handler (the originating community is involved as the one who asked). */
export const heldTheCase = (record: CaseRecord, unit: string): boolean => unit !== record.originUnit && record.involvedUnits.includes(unit);

/**
 * Whether `signal` fits the case now and may come from `caller`. Handlers ask before they
 * deliver (403 / 409 / 400 without touching anything); the workflow asks again on arrival.
 */
export function checkAction(
  record: CaseRecord,
  signal: Signal,
  caller: Actor,
  ctx: Pick<WorkflowContext, 'directory'> & Partial<Pick<WorkflowContext, 'nowMs' | 'policy'>>,
): void {
  checkActionFits(record, signal.action, caller);
  switch (signal.action) {
    case 'reopen':
      // The window is checked where the time is known: the handlers and the workflow pass it.
      if (ctx.nowMs !== undefined) checkReopenWindow(record, ctx.nowMs, ctx.policy ?? defaultPolicy);
      break;
    case 'reassign': {
      const unit = ctx.directory.get(signal.toUnit);
      if (!unit) throw invalidInput('toUnit', 'unknown-unit', { unitId: signal.toUnit });
      if (!REASSIGNABLE_KINDS.has(unit.kind)) throw invalidInput('toUnit', 'reassign-kind');
      if (unit.id === record.assignedUnit) throw invalidInput('toUnit', 'already-assigned');
      break;
    }
    case 'co-handle': {
      if (signal.units.length === 0) throw invalidInput('units', 'co-handlers-none');
      if (new Set(signal.units).size !== signal.units.length) throw invalidInput('units', 'co-handlers-repeated');
      const owing = outstandingCoHandlers(record);
      if (owing.length + signal.units.length > MAX_CO_HANDLERS) throw invalidInput('units', 'co-handlers-too-many', { max: MAX_CO_HANDLERS });
      signal.units.forEach((id, i) => {
        const unit = ctx.directory.get(id);
        if (!unit) throw invalidInput(`units.${i}`, 'unknown-unit', { unitId: id });
        if (id === record.assignedUnit) throw invalidInput(`units.${i}`, 'co-handler-holder');
        if (!CO_HANDLER_KINDS.has(unit.kind)) throw invalidInput(`units.${i}`, 'co-handler-kind');
        if (owing.some((c) => c.unit === id)) throw invalidInput(`units.${i}`, 'co-handler-already', { unitId: id });
      });
      break;
    }
    case 'waive-co-handler':
      requireOutstanding(record, signal.coHandler, 'coHandler');
      break;
    case 'refer-mediation':
      checkReferralBody(record, signal.body, ctx.directory);
      break;
    case 'mediation-outcome':
      checkOutcome(signal, ctx.nowMs ?? Date.now());
      break;
    case 'mediation-session':
      checkSession(signal, ctx.nowMs ?? Date.now());
      break;
    case 'urge':
      if (signal.coHandler !== undefined) requireOutstanding(record, signal.coHandler, 'coHandler');
      break;
  }
}

function requireOutstanding(record: CaseRecord, unit: string, path: string): CoHandler {
  const part = record.coHandlers?.find((c) => c.unit === unit);
  if (!part) throw invalidInput(path, 'not-a-co-handler', { unitId: unit });
  if (!OUTSTANDING_CO_HANDLER.includes(part.status)) throw stepConflict('co-handler-done', { unit, coStatus: part.status });
  return part;
}

/** A reopening comes within the policy's days after the case closed (409 after). */
export function checkReopenWindow(record: CaseRecord, nowMs: number, policy: Pick<Policy, 'reopenCalendarDays'>): void {
  if (record.status === 'closed' && !withinReopenWindow(record, nowMs, policy)) {
    throw stepConflict('reopen-window-over', { days: policy.reopenCalendarDays, until: iso(reopenWindowEndMs(record, policy)) });
  }
}

/** Who rates, follows up and reopens, and when: the rules of domain/ratings.ts as refusals. */
function checkCitizenAction(record: CaseRecord, action: SignalAction, caller: Actor): void {
  const phase = phaseOf(record);
  switch (action) {
    case 'evaluate':
      // A community does not rate a result it reported itself: the complainant does, or the follow-up call.
      if (caller.role === 'community' && caller.unit === record.originUnit && isOwnResult(record)) throw notAllowed('community-rates-own-result');
      break;
    case 'complainant-evaluate':
      if (!isComplainant(caller)) throw notAllowed('only-complainant-rates');
      if (phase !== 'evaluation' && phase !== 'closed') throw stepConflict('action-does-not-fit', { status: record.status, action: 'evaluation' });
      if (record.complainantEvaluation) throw stepConflict('complainant-rated-already');
      if (!record.resolution) throw stepConflict('action-does-not-fit', { status: record.status, action: 'evaluation' });
      break;
    case 'follow-up':
      if (phase !== 'evaluation' && phase !== 'closed') throw stepConflict('action-does-not-fit', { status: record.status, action });
      if (!record.resolution || !isOwnResult(record)) throw stepConflict('follow-up-kept-only');
      if (record.followUp) throw stepConflict('follow-up-recorded-already');
      if (record.complainantEvaluation?.withinWindow) throw stepConflict('complainant-rated-already');
      break;
    case 'reopen': {
      const allowed = isComplainant(caller) || caller.role === 'supervisor' || (caller.role === 'community' && caller.unit === record.originUnit);
      if (!allowed) throw notAllowed('reopen-who', { originUnit: record.originUnit });
      if (phase !== 'closed') throw stepConflict('reopen-while-open');
      break;
    }
  }
}

/** Whether `action` fits the case now and may come from `caller`, whatever its body says. */
function checkActionFits(record: CaseRecord, action: SignalAction, actor: Actor): void {
  // The complainant takes no other action; the handlers' rules below read a caller with a role.
  if (isComplainant(actor) && action !== 'complainant-evaluate' && action !== 'reopen') throw notAllowed('only-complainant-rates');
  const caller = actor as Caller;
  if (SUPERVISOR_ACTIONS.has(action) && caller.role !== 'supervisor') {
    throw notAllowed('only-supervisor', { action });
  }
  if (action === 'complainant-evaluate' || action === 'follow-up' || action === 'reopen') {
    checkCitizenAction(record, action, actor);
    return;
  }
  if (isMediationAction(action)) {
    // Mediation's own rules (domain/mediation/rules.ts): who refers, and the body's mediators on its own referral.
    if (action === 'refer-mediation') checkReferralCaller(record, caller, phaseOf(record));
    else checkMediatorAction(record, action, caller);
    return;
  }
  if (ASSIGNED_UNIT_ACTIONS.has(action) && !handlesCases(caller)) {
    throw notAllowed('role-does-not-handle', { role: caller.role, action });
  }
  if (action === 'evaluate' && caller.role !== 'community') {
    throw notAllowed('only-origin-evaluates', { originUnit: record.originUnit });
  }
  if (ASSIGNED_UNIT_ACTIONS.has(action) && caller.unit !== record.assignedUnit) {
    // A unit that held the case and acts late (the case was escalated or returned meanwhile) is stale, not forbidden.
    if (heldTheCase(record, caller.unit)) {
      throw stepConflict('case-moved-on', { assignedUnit: record.assignedUnit, action, callerUnit: caller.unit });
    }
    throw notAllowed('only-assigned-unit', { assignedUnit: record.assignedUnit, action });
  }
  if (action === 'evaluate' && caller.unit !== record.originUnit) {
    throw notAllowed('only-origin-evaluates', { originUnit: record.originUnit });
  }
  if (action === 'evaluate') checkCitizenAction(record, action, caller);
  if (CO_HANDLER_ACTIONS.has(action)) {
    const part = record.coHandlers?.find((c) => c.unit === caller.unit);
    if (!handlesCases(caller) || !part) throw notAllowed('not-a-co-handler-of', { callerUnit: caller.unit });
    if (record.status === 'closed') throw stepConflict('action-does-not-fit', { status: record.status, action });
    if (!OUTSTANDING_CO_HANDLER.includes(part.status)) throw stepConflict('co-handler-done', { unit: part.unit, coStatus: part.status });
    if (action === 'co-handler-sign-off' && part.status !== 'requested') throw stepConflict('co-handler-done', { unit: part.unit, coStatus: part.status });
  }
  const phase = phaseOf(record);
  if (action === 'resolve' && phase === 'co-handling') {
    throw stepConflict('co-handlers-outstanding', { units: outstandingCoHandlers(record).map((c) => c.unit).join(',') });
  }
  if (!ACTIONS_BY_PHASE[phase].includes(action)) {
    throw stepConflict('action-does-not-fit', { status: record.status, action });
  }
  switch (action) {
    case 'escalate':
      if (record.tier === 3) throw stepConflict('top-tier');
      break;
    case 'return':
      if (record.tier !== 0) throw stepConflict('return-at-tier-0-only');
      break;
    case 'request-extension':
      if (record.extension.state !== 'none') throw stepConflict('extension-already-asked');
      break;
    case 'approve-extension':
    case 'refuse-extension':
      if (record.extension.state !== 'requested') throw stepConflict('no-extension-pending');
      break;
    case 'waive-co-handler':
      if (outstandingCoHandlers(record).length === 0) throw stepConflict('no-co-handler-outstanding');
      break;
  }
}

/** Progress notes belong to open work, written by the unit doing it. They change no workflow state. */
export const PROGRESS_STATUSES: readonly CaseStatus[] = ['awaiting-sign-off', 'in-progress'];

/** Why `caller` may not add a progress note to the case as it stands (403 not theirs, 409 moved on), if it may not. */
export function checkProgress(record: CaseRecord, caller: Caller): void {
  if (!handlesCases(caller)) throw notAllowed('role-does-not-handle', { role: caller.role, action: 'progress' });
  if (caller.unit !== record.assignedUnit) {
    if (heldTheCase(record, caller.unit)) {
      throw stepConflict('case-moved-on', { assignedUnit: record.assignedUnit, action: 'progress', callerUnit: caller.unit });
    }
    throw notAllowed('only-assigned-unit', { assignedUnit: record.assignedUnit, action: 'progress' });
  }
  if (!PROGRESS_STATUSES.includes(record.status)) throw stepConflict('action-does-not-fit', { status: record.status, action: 'progress' });
}

/**
 * 一笔审批 recorded after the result: by the unit that reported it, while the approval is
 * pending and the handling window of that result has not run out.
 */
export function checkApproval(record: CaseRecord, caller: Caller, nowMs: number): void {
  const resolution = record.resolution;
  // Who first (403), then whether it fits now (409): before a result, its approver-to-be is the unit holding the case.
  const approver = resolution?.unit ?? record.assignedUnit;
  if (!handlesCases(caller) || caller.unit !== approver) throw notAllowed('approval-by-resolver-only', { unit: approver });
  if (!resolution || resolution.approval?.state !== 'pending') throw stepConflict('approval-not-pending');
  if (record.resolveDueAt && nowMs > ms(record.resolveDueAt)) throw stepConflict('approval-window-over', { resolveDueAt: record.resolveDueAt });
}

/** The actions a client may offer, by the names of their routes (POST /v1/cases/{id}/<name>). */
export const CASE_ACTIONS = [
  'sign-off',
  'progress',
  'resolve',
  'escalate',
  'return',
  'extension',
  'evaluate',
  'co-handle',
  'co-handler-sign-off',
  'co-handler-reply',
  'co-handler-return',
  'approval',
  'supervise',
  'follow-up',
  'reopen',
  'erase-complainant',
  'mediate',
  'mediation-accept',
  'mediation-decline',
  'mediation-sessions',
  'mediation-outcome',
  'mediation-fulfilment',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
const SIGNAL_OF_ACTION: Partial<Record<CaseAction, SignalAction>> = {
  'sign-off': 'sign-off',
  resolve: 'resolve',
  escalate: 'escalate',
  return: 'return',
  extension: 'request-extension',
  evaluate: 'evaluate',
  'co-handle': 'co-handle',
  'co-handler-sign-off': 'co-handler-sign-off',
  'co-handler-reply': 'co-handler-reply',
  'co-handler-return': 'co-handler-return',
  'follow-up': 'follow-up',
  mediate: 'refer-mediation',
  'mediation-accept': 'mediation-accept',
  'mediation-decline': 'mediation-decline',
  'mediation-sessions': 'mediation-session',
  'mediation-outcome': 'mediation-outcome',
  'mediation-fulfilment': 'mediation-fulfilment',
};
export const SUPERVISION_ACTIONS = ['urge', 'reassign', 'approve-extension', 'refuse-extension', 'waive-co-handler'] as const satisfies readonly SignalAction[];
export type SupervisionAction = (typeof SUPERVISION_ACTIONS)[number];

const passes = (check: () => void): boolean => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

/**
 * What `caller` may do with the case now: the same rules the handlers and the workflow
 * apply, asked without a body. Clients offer exactly these (a body can still be refused:
 * a reassignment to an unfit unit, say).
 */
export function allowedActions(record: CaseRecord, caller: Caller, nowMs: number): { actions: CaseAction[]; supervision: SupervisionAction[] } {
  const supervision = SUPERVISION_ACTIONS.filter((action) => passes(() => checkActionFits(record, action, caller)));
  const actions = CASE_ACTIONS.filter((action) => {
    const signal = SIGNAL_OF_ACTION[action];
    if (signal) return passes(() => checkActionFits(record, signal, caller));
    switch (action) {
      case 'progress':
        return passes(() => checkProgress(record, caller));
      case 'supervise':
        return supervision.length > 0;
      case 'approval':
        return passes(() => checkApproval(record, caller, nowMs));
      case 'erase-complainant':
        return caller.role === 'supervisor' && holdsPersonalData(record);
      case 'reopen':
        return passes(() => {
          checkActionFits(record, 'reopen', caller);
          checkReopenWindow(record, nowMs, defaultPolicy);
        });
      default:
        return false;
    }
  });
  return { actions, supervision };
}

/** How many keyed actions a case remembers, for answering their retries (domain/closed-case.ts). */
export { REMEMBERED_REQUESTS } from './closed-case';

/**
 * A callback arrived while waiting in `phase`. An applied action sent with an Idempotency-Key
 * is remembered on the case, written with the step itself, so a retry of it is answered as done.
 */
export function applySignal(record: CaseRecord, phase: Phase, signal: Signal, ctx: WorkflowContext): StepResult {
  return rememberRequest(record, signal, applySignalToCase(record, phase, signal, ctx), ctx.nowMs);
}

/** The keyed action `key` of `unit` if this case applied it. */
export const appliedRequest = (record: CaseRecord, unit: string, key: string) =>
  record.appliedRequests?.find((request) => request.unit === unit && request.key === key);

function applySignalToCase(record: CaseRecord, phase: Phase, signal: Signal, ctx: WorkflowContext): StepResult {
  const step = new Step(record, ctx);
  const actor = actorOnTimeline(signal.by);
  if (phaseOf(record) !== phase) {
    step.event('ACTION_NOT_APPLIED', { actor, data: { action: signal.action, reason: `arrived after the case left ${phase}` } });
    return step.result('not-applied');
  }
  // Handlers checked before delivering; the case may have changed since (a race between two callers).
  try {
    checkAction(record, signal, signal.by, ctx);
  } catch (error) {
    step.event('ACTION_NOT_APPLIED', { actor, data: { action: signal.action, reason: (error as Error).message } });
    return step.result('not-applied');
  }
  switch (signal.action) {
    case 'sign-off':
      step.record = { ...openHandlingWindow(step.record, ctx), signedOffAt: iso(ctx.nowMs), handler: signal.handler, light: 'green' };
      step.updateHolding(step.record.assignedUnit, 'holder', (h) => ({ ...h, signedOffAt: iso(ctx.nowMs) }));
      step.event('SIGNED_OFF', { actor, ...(signal.note ? { note: signal.note } : {}), data: { handler: signal.handler.name, resolveDueAt: step.record.resolveDueAt } });
      return step.result('signed-off');
    case 'resolve': {
      const evaluationDue = ctx.calendar.addWorkingDays(ctx.nowMs, ctx.policy.evaluationWorkingDays);
      step.endHolding('resolved', { onTime: ctx.nowMs <= ms(record.resolveDueAt) });
      step.record = {
        ...step.record,
        status: 'awaiting-evaluation',
        light: 'green',
        windowStartedAt: iso(ctx.nowMs),
        evaluationDueAt: iso(evaluationDue),
        firedMilestones: [],
        // A new result is rated anew: the ratings of the one before stay in the timeline.
        complainantEvaluation: undefined,
        followUp: undefined,
        resolution: {
          summary: signal.summary,
          outcome: signal.outcome,
          at: iso(ctx.nowMs),
          unit: step.record.assignedUnit,
          approval: signal.approvedBy ? { state: 'approved', by: signal.approvedBy, at: iso(ctx.nowMs) } : { state: 'pending' },
        },
        metrics: record.metrics.firstResolvedAt
          ? step.record.metrics
          : {
              ...step.record.metrics,
              firstResolvedAt: iso(ctx.nowMs),
              resolvedOnTime: ctx.nowMs <= ms(record.resolveDueAt),
              resolvedInCommunity: record.assignedUnit === record.originUnit,
            },
      };
      step.event('RESOLVED', {
        actor,
        note: signal.summary,
        data: {
          outcome: signal.outcome,
          evaluationDueAt: step.record.evaluationDueAt,
          ...(signal.approvedBy ? { approverName: signal.approvedBy.name, approverPost: signal.approvedBy.post } : { approvalPending: true }),
        },
      });
      return step.result('resolved');
    }
    case 'escalate':
      step.event('ESCALATION_REQUESTED', { actor, note: signal.reason });
      return step.result(step.escalate(signal.reason) === 'escalated' ? 'escalated' : 'not-applied');
    case 'return': {
      const centre = ctx.directory.supervisionCentre().id;
      const from = step.record.assignedUnit;
      step.endHolding('returned');
      step.record = {
        ...step.record,
        status: 'returned',
        light: 'green',
        assignedUnit: centre,
        involvedUnits: [...new Set([...step.record.involvedUnits, centre])],
        windowStartedAt: iso(ctx.nowMs),
        reRouteDueAt: iso(ctx.calendar.addWorkingDays(ctx.nowMs, ctx.policy.reRouteWorkingDays)),
        firedMilestones: [],
      };
      step.count({ returns: 1 });
      step.event('RETURNED', { actor, unit: from, note: signal.reason, data: { to: centre } });
      return step.result('returned');
    }
    case 'request-extension':
      step.record = { ...step.record, extension: { state: 'requested', workingDays: signal.workingDays, reason: signal.reason } };
      step.count({ extensionsRequested: 1 });
      step.event('EXTENSION_REQUESTED', { actor, note: signal.reason, data: { workingDays: signal.workingDays } });
      return step.result('extension-requested');
    case 'approve-extension': {
      const workingDays = step.record.extension.workingDays ?? 0;
      const previousDue = step.record.resolveDueAt;
      const newDue = ctx.calendar.addWorkingDays(ms(previousDue), workingDays);
      const window = { startMs: ms(step.record.windowStartedAt), dueMs: newDue };
      // Warnings already sent stay sent; the light follows the longer window unless it is red.
      const light = step.record.light === 'red' ? 'red' : lightOf(window, ctx.nowMs, ctx.calendar, ctx.policy.yellowShare);
      step.record = { ...step.record, resolveDueAt: iso(newDue), light, extension: { ...step.record.extension, state: 'approved' } };
      step.count({ extensionsApproved: 1 });
      step.event('EXTENSION_APPROVED', { actor, note: signal.note, data: { workingDays, previousDueAt: previousDue, resolveDueAt: step.record.resolveDueAt } });
      return step.result('extension-approved');
    }
    case 'refuse-extension':
      step.record = { ...step.record, extension: { ...step.record.extension, state: 'refused' } };
      step.event('EXTENSION_REFUSED', { actor, note: signal.note });
      return step.result('extension-refused');
    case 'urge':
      if (phase === 'mediation') {
        // Urging the mediation body that holds the case: it is told, with its own due date.
        const body = openMediation(step.record)!.body;
        step.event('SUPERVISION_URGE', { actor, unit: body, note: signal.note, data: { body } });
        step.alert('URGED', { note: signal.note, body }, mediationDue(step.record), body);
        return step.result('urged');
      }
      if (signal.coHandler !== undefined) {
        // Urging a co-handler's part: that unit is told; the holder's counts do not change.
        const part = step.coHandler(signal.coHandler);
        step.event('SUPERVISION_URGE', { actor, unit: part.unit, note: signal.note, data: { coHandler: part.unit } });
        step.alert('URGED', { note: signal.note, coHandler: part.unit }, part.status === 'requested' ? part.signOffDueAt : part.dueAt, part.unit);
        return step.result('urged');
      }
      step.count({ urges: 1 });
      step.event('SUPERVISION_URGE', { actor, note: signal.note });
      step.alert('URGED', { note: signal.note });
      return step.result('urged');
    case 'co-handle': {
      const now = iso(ctx.nowMs);
      const signOffDueMs = ctx.calendar.addWorkingDays(ctx.nowMs, categoryById(record.category).signOffWorkingDays);
      // The reply is due after the task's working days, and never before the part is due to be signed off.
      const dueAt = iso(Math.max(ctx.calendar.addWorkingDays(ctx.nowMs, signal.workingDays), signOffDueMs));
      const parts: CoHandler[] = signal.units.map((unit) => ({
        unit,
        status: 'requested',
        task: signal.task,
        requestedBy: record.assignedUnit,
        requestedAt: now,
        workingDays: signal.workingDays,
        sharePersonalData: signal.sharePersonalData ?? false,
        windowStartedAt: now,
        signOffDueAt: iso(signOffDueMs),
        dueAt,
        light: 'green',
        breaches: 0,
        firedMilestones: [],
      }));
      // A unit asked again after an earlier part ended gets a fresh part in its place.
      const earlier = (record.coHandlers ?? []).filter((c) => !signal.units.includes(c.unit));
      step.record = { ...step.record, coHandlers: [...earlier, ...parts] };
      for (const unit of signal.units) step.startHolding(unit, 'co-handler', true);
      step.event('CO_HANDLERS_REQUESTED', {
        actor,
        note: signal.task,
        data: { units: signal.units.join(','), signOffDueAt: iso(signOffDueMs), dueAt, workingDays: signal.workingDays, sharePersonalData: signal.sharePersonalData ?? false },
      });
      return step.result('co-handlers-requested');
    }
    case 'co-handler-sign-off': {
      const part = step.coHandler(signal.by.unit);
      step.setCoHandler({
        ...part,
        status: 'signed-off',
        signedOffAt: iso(ctx.nowMs),
        ...(signal.handler ? { handler: signal.handler } : {}),
        windowStartedAt: iso(ctx.nowMs),
        light: part.light === 'red' ? 'red' : 'green',
        firedMilestones: [],
      });
      step.updateHolding(part.unit, 'co-handler', (h) => ({ ...h, signedOffAt: iso(ctx.nowMs) }));
      step.event('CO_HANDLER_SIGNED_OFF', { actor, unit: part.unit, data: { dueAt: part.dueAt, ...(signal.handler ? { handler: signal.handler.name } : {}) } });
      return step.result('co-handler-signed-off');
    }
    case 'co-handler-reply': {
      const part = step.coHandler(signal.by.unit);
      const onTime = ctx.nowMs <= ms(part.dueAt) && part.breaches === 0;
      step.setCoHandler({ ...part, status: 'replied', reply: { summary: signal.summary, at: iso(ctx.nowMs) }, signedOffAt: part.signedOffAt ?? iso(ctx.nowMs), firedMilestones: [] });
      step.updateHolding(part.unit, 'co-handler', (h) => ({ ...h, signedOffAt: h.signedOffAt ?? iso(ctx.nowMs), ended: { at: iso(ctx.nowMs), how: 'replied', onTime } }));
      step.event('CO_HANDLER_REPLIED', { actor, unit: part.unit, note: signal.summary, data: { onTime } });
      return step.result('co-handler-replied');
    }
    case 'co-handler-return': {
      const part = step.coHandler(signal.by.unit);
      step.setCoHandler({ ...part, status: 'returned', returnReason: signal.reason, firedMilestones: [] });
      step.updateHolding(part.unit, 'co-handler', (h) => ({ ...h, ended: { at: iso(ctx.nowMs), how: 'returned' } }));
      step.event('CO_HANDLER_RETURNED', { actor, unit: part.unit, note: signal.reason });
      return step.result('co-handler-returned');
    }
    case 'waive-co-handler': {
      const part = step.coHandler(signal.coHandler);
      step.setCoHandler({ ...part, status: 'waived', waiver: { note: signal.note, at: iso(ctx.nowMs) }, firedMilestones: [] });
      step.updateHolding(part.unit, 'co-handler', (h) => ({ ...h, ended: { at: iso(ctx.nowMs), how: 'waived' } }));
      step.event('CO_HANDLER_WAIVED', { actor, unit: part.unit, note: signal.note });
      return step.result('co-handler-waived');
    }
    case 'reassign': {
      const from = step.record.assignedUnit;
      if (step.record.status === 'returned') {
        // The supervisor decides whether the return was right: giving the case back to the same unit says it was not.
        const returned = step.record.holdings?.findLast((h) => h.role === 'holder' && h.ended?.how === 'returned');
        if (returned && returned.unit === signal.toUnit) {
          step.record = { ...step.record, holdings: step.record.holdings!.map((h) => (h === returned ? { ...h, ended: { ...h.ended!, wrong: true } } : h)) };
        }
      } else {
        step.endHolding('reassigned');
      }
      step.record = openSignOffWindow(
        {
          ...step.record,
          tier: 0,
          assignedUnit: signal.toUnit,
          involvedUnits: [...new Set([...step.record.involvedUnits, signal.toUnit])],
          light: 'green',
          signOffBreaches: 0,
          unsatisfiedCount: 0,
          extension: { state: 'none' },
        },
        ctx,
      );
      step.startHolding(signal.toUnit, 'holder', true);
      step.event('REASSIGNED', { actor, note: signal.note, data: { from, to: signal.toUnit, signOffDueAt: step.record.signOffDueAt } });
      return step.result('reassigned');
    }
    case 'evaluate':
      return rateResult(step, signal.rating, signal.comment, actor, 'community');
    case 'complainant-evaluate':
    case 'follow-up': {
      // The case has closed (the community rated it, or the window ran out): recorded, and the complainant's counts if it came in time.
      if (phase !== 'evaluation') return rateClosedCase(record, signal, ctx.nowMs);
      const rated = rateClosedCase(record, signal, ctx.nowMs).record;
      step.record = signal.action === 'complainant-evaluate' ? { ...step.record, complainantEvaluation: rated.complainantEvaluation } : { ...step.record, followUp: rated.followUp };
      return rateResult(step, signal.rating, signal.comment, actor, signal.action === 'complainant-evaluate' ? 'complainant' : 'follow-up');
    }
    case 'reopen': {
      // Back to the unit that reported the last result, at the tier it holds, with a new handling window.
      const reopening = (record.reopenings ?? 0) + 1;
      step.record = {
        ...openHandlingWindow(step.record, ctx),
        light: 'green',
        closedAt: undefined,
        closedReason: undefined,
        evaluationDueAt: undefined,
        extension: { state: 'none' },
        reopenings: reopening,
        metrics: { ...step.record.metrics, reopened: (step.record.metrics.reopened ?? 0) + 1 },
      };
      step.startHolding(step.record.assignedUnit, 'holder', false, { reopened: true });
      step.event('CASE_REOPENED', { actor, note: signal.reason, data: { by: reopenedBy(signal.by), reopening, resolveDueAt: step.record.resolveDueAt } });
      return step.result('reopened');
    }
    case 'refer-mediation':
    case 'mediation-accept':
    case 'mediation-decline':
    case 'mediation-session':
    case 'mediation-outcome':
    case 'mediation-fulfilment':
      return step.result(applyMediationSignal(step, signal, actor));
  }
}

/**
 * A rating of the result while the case waits for one, from whoever may give it: the originating
 * community (for a result another unit reported), the complainant, or the supervision centre's
 * follow-up call. Satisfied closes the case; unsatisfied or not implemented sends it back to the
 * unit (a second time at the same tier escalates it).
 */
function rateResult(step: Step, rating: (typeof EVALUATION_RATINGS)[number], comment: string | undefined, actor: ReturnType<typeof actorOnTimeline>, source: 'community' | 'complainant' | 'follow-up'): StepResult {
  const ctx = step.ctx;
  const evaluation = { rating, ...(comment ? { comment } : {}), at: iso(ctx.nowMs), source };
  const eventType = source === 'community' ? 'EVALUATED' : source === 'complainant' ? 'COMPLAINANT_RATED' : 'FOLLOW_UP_RECORDED';
  const eventData = source === 'complainant' ? { rating, withinWindow: true } : { rating };
  if (rating === 'satisfied') {
    step.record = { ...step.record, status: 'closed', closedAt: iso(ctx.nowMs), closedReason: 'satisfied', evaluation };
    step.event(eventType, { actor, ...(source !== 'community' && comment ? { note: comment } : {}), data: eventData });
    step.event('CLOSED', { note: step.record.resolution?.summary, data: { reason: 'satisfied', unifiedReply: step.record.resolution ?? null } });
    return step.result('closed-satisfied');
  }
  step.record = { ...step.record, evaluation, unsatisfiedCount: step.record.unsatisfiedCount + 1 };
  step.count({ unsatisfied: 1 });
  step.event(eventType, { actor, ...(comment ? { note: comment } : {}), data: eventData });
  // The unit is told with the due date of the work it must now do again.
  const reopened = { ...openHandlingWindow(step.record, ctx), light: 'green' as const };
  step.alert('EVALUATION_UNSATISFIED', { rating }, reopened.resolveDueAt);
  step.supervisionRecord('unsatisfied', { rating });
  if (step.record.unsatisfiedCount >= 2 && step.escalate(`result rated ${rating} twice`) === 'escalated') {
    return step.result('unsatisfied-escalated');
  }
  step.record = reopened;
  // The same unit works on it again: a new part, without a new sign-off.
  step.startHolding(step.record.assignedUnit, 'holder', false);
  step.event('REOPENED', { data: { resolveDueAt: step.record.resolveDueAt } });
  return step.result('unsatisfied-reopened');
}

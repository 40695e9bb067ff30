import * as z from 'zod/mini';
import './zod-locale';
import { CATEGORY_IDS, categoryById, type CategoryId } from './categories';
import { type UnitDirectory } from './directory';
import { routeCase, type RoutingRules } from './routing';
import { type WorkingDayCalendar, toShanghaiIso } from './calendar';
import { LIGHTS, lightOf, worstLight, type Light } from './light';
import { timelineActor, type Caller } from './identity';
import { invalidInput, notAllowed } from './errors';
import { MediationSchema, OPEN_MEDIATION } from './mediation/model';

export const REPORT_CHANNELS = ['visit', 'phone', 'sms', 'web', 'patrol', 'hotline', 'media'] as const;
export const CASE_STATUSES = ['awaiting-sign-off', 'in-progress', 'awaiting-evaluation', 'closed', 'returned'] as const;
export const TIERS = [0, 1, 2, 3] as const;
export const EVALUATION_RATINGS = ['satisfied', 'unsatisfied', 'not-implemented'] as const;

export type CaseStatus = (typeof CASE_STATUSES)[number];
export type Tier = (typeof TIERS)[number];

/** Mainland mobile (11 digits from 13…19) or landline with area code, optionally +86. */
const PHONE = /^(?:\+86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

export const UnitIdSchema = z.string().check(z.regex(/^[a-z0-9-]{3,64}$/, 'a unit id from GET /v1/units'));
/** ISO 8601 with Z or an explicit offset: a bare local time would be ambiguous. */
export const InstantSchema = z.iso.datetime({ offset: true });

/** A string trimmed, then 1 to `max` characters long. */
const trimmedText = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const ComplainantSchema = z.strictObject({
  name: trimmedText(100),
  phone: z.optional(z.string().check(z.regex(PHONE, 'a mainland mobile number or a landline with area code'))),
  address: z.optional(trimmedText(300)),
});

export const LocationSchema = z.strictObject({
  address: z.optional(trimmedText(300)),
  grid: z.optional(trimmedText(64)),
  latitude: z.optional(z.number().check(z.minimum(-90), z.maximum(90))),
  longitude: z.optional(z.number().check(z.minimum(-180), z.maximum(180))),
});

export const CreateCaseBodySchema = z
  .strictObject({
    title: trimmedText(200),
    description: trimmedText(4000),
    category: z.enum(CATEGORY_IDS),
    reportedVia: z.enum(REPORT_CHANNELS),
    complainant: z.optional(ComplainantSchema),
    location: z.optional(LocationSchema),
    /** Without it the routing rules choose; a community naming itself keeps the case. */
    assignedUnit: z.optional(UnitIdSchema),
    /** The accepting community; required when the supervision centre enters a case for one. */
    originUnit: z.optional(UnitIdSchema),
    occurredAt: z.optional(InstantSchema),
  })
  .register(z.globalRegistry, { id: 'CreateCaseBody' });
export type CreateCaseBody = z.infer<typeof CreateCaseBodySchema>;

/** Who gave a rating: the originating community, the complainant with the PIN of the result SMS, or the supervision centre's follow-up call (回访). */
export const RATING_SOURCES = ['community', 'complainant', 'follow-up'] as const;
export type RatingSource = (typeof RATING_SOURCES)[number];

export const EvaluationSchema = z.object({
  rating: z.enum(EVALUATION_RATINGS),
  comment: z.optional(z.string()),
  at: InstantSchema,
  /** Absent on ratings recorded before complainants rated: the community's. */
  source: z.optional(z.enum(RATING_SOURCES)),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

/** The complainant's own rating of the current result, and whether it came inside the evaluation window (then it is the one that counts). */
export const ComplainantEvaluationSchema = z.extend(EvaluationSchema, { withinWindow: z.boolean() });
export type ComplainantEvaluation = z.infer<typeof ComplainantEvaluationSchema>;

/**
 * A co-handling unit (协办) the holder brought in: it signs off its part and replies inside its
 * own windows, on the same case clock, with its own warnings and breaches.
 */
export const CO_HANDLER_STATUSES = ['requested', 'signed-off', 'replied', 'returned', 'waived'] as const;
export type CoHandlerStatus = (typeof CO_HANDLER_STATUSES)[number];
/** A co-handler still owes its reply while in one of these. */
export const OUTSTANDING_CO_HANDLER: readonly CoHandlerStatus[] = ['requested', 'signed-off'];

export const CoHandlerSchema = z.object({
  unit: z.string(),
  status: z.enum(CO_HANDLER_STATUSES),
  task: z.string(),
  /** The unit holding the case that asked for help. */
  requestedBy: z.string(),
  requestedAt: InstantSchema,
  workingDays: z.number(),
  /** Whether this part needs the complainant's data: only then does the co-handler see it. */
  sharePersonalData: z.boolean(),
  /** The co-handler's current window (sign-off, then reply). */
  windowStartedAt: InstantSchema,
  signOffDueAt: InstantSchema,
  dueAt: InstantSchema,
  light: z.enum(LIGHTS),
  signedOffAt: z.optional(InstantSchema),
  handler: z.optional(z.object({ name: z.string(), phone: z.optional(z.string()) })),
  reply: z.optional(z.object({ summary: z.string(), at: InstantSchema })),
  returnReason: z.optional(z.string()),
  waiver: z.optional(z.object({ note: z.string(), at: InstantSchema })),
  /** Breaches of this part's windows (for the assessment of the co-handling unit). */
  breaches: z.number().check(z.int(), z.nonnegative()),
  /** This part's warnings and deadlines already fired in its current window. */
  firedMilestones: z.array(z.string()),
});
export type CoHandler = z.infer<typeof CoHandlerSchema>;

/**
 * One unit's part in a case, for the assessment to credit the unit that acted: each time a unit
 * receives the case (at intake, by escalation, reassignment or a reopening) it holds it until it
 * resolves, escalates or returns it, or the supervisor reassigns it. A co-handler's part is one
 * too. No free text: the report reads these.
 */
export const HoldingSchema = z.object({
  unit: z.string(),
  /** `holder`: the unit responsible for the case; `co-handler`: a unit answering on a part. */
  role: z.enum(['holder', 'co-handler']),
  tier: z.number().check(z.int(), z.minimum(0), z.maximum(3)),
  from: InstantSchema,
  /** Whether this part needed a sign-off (a community keeping its case signs off at intake). */
  needsSignOff: z.boolean(),
  /** The part began with a reopening of the closed case (counted in the unit's assessment). */
  reopened: z.optional(z.boolean()),
  signedOffAt: z.optional(InstantSchema),
  signOffBreaches: z.number().check(z.int(), z.nonnegative()),
  handlingBreaches: z.number().check(z.int(), z.nonnegative()),
  ended: z.optional(
    z.object({
      at: InstantSchema,
      how: z.enum(['resolved', 'escalated', 'returned', 'reassigned', 'replied', 'waived']),
      /** For a result or a reply: inside its window. */
      onTime: z.optional(z.boolean()),
      /** For a return: the supervisor gave the case back to the same unit, so the return was wrong. */
      wrong: z.optional(z.boolean()),
    }),
  ),
});
export type Holding = z.infer<typeof HoldingSchema>;

const Count = z.number().check(z.int(), z.nonnegative());
export const CaseMetricsSchema = z.object({
  signOffBreaches: Count,
  handlingBreaches: Count,
  warnings: Count,
  urges: Count,
  extensionsRequested: Count,
  extensionsApproved: Count,
  returns: Count,
  escalations: Count,
  unsatisfied: Count,
  /** Times the closed case was reopened (absent before reopening existed: none). */
  reopened: z.optional(Count),
  /** Highest tier the case reached (0 if never escalated). */
  maxTier: z.number().check(z.int(), z.minimum(0), z.maximum(3)),
  /** The first time a result was reported (办结), whether it was inside its window, and by whom. */
  firstResolvedAt: z.optional(InstantSchema),
  resolvedOnTime: z.optional(z.boolean()),
  resolvedInCommunity: z.optional(z.boolean()),
});
export type CaseMetrics = z.infer<typeof CaseMetricsSchema>;

export const emptyMetrics = (): CaseMetrics => ({
  signOffBreaches: 0,
  handlingBreaches: 0,
  warnings: 0,
  urges: 0,
  extensionsRequested: 0,
  extensionsApproved: 0,
  returns: 0,
  escalations: 0,
  unsatisfied: 0,
  maxTier: 0,
});

/** The case as stored: everything but the timeline, which lives in its own items. */
export const CaseRecordSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.enum(CATEGORY_IDS),
    reportedVia: z.enum(REPORT_CHANNELS),
    complainant: z.optional(ComplainantSchema),
    location: z.optional(LocationSchema),
    occurredAt: z.optional(InstantSchema),
    /** What the complainant follows the case by (GET /v1/track/{code}); absent on cases accepted before codes existed. */
    trackingCode: z.optional(z.string()),
    originUnit: z.string(),
    district: z.string(),
    assignedUnit: z.string(),
    /** First-handler responsibility (首办负责): the first unit that received the case. */
    firstHandlerUnit: z.string(),
    involvedUnits: z.array(z.string()),
    tier: z.union(TIERS.map((t) => z.literal(t))),
    status: z.enum(CASE_STATUSES),
    light: z.enum(LIGHTS),
    createdAt: InstantSchema,
    /** When the active window (sign-off, handling, evaluation) started. */
    windowStartedAt: InstantSchema,
    signOffDueAt: z.optional(InstantSchema),
    signedOffAt: z.optional(InstantSchema),
    resolveDueAt: z.optional(InstantSchema),
    closedAt: z.optional(InstantSchema),
    evaluation: z.optional(EvaluationSchema),
    /** The complainant's rating of the current result (with the PIN sent with it); cleared by a new result. */
    complainantEvaluation: z.optional(ComplainantEvaluationSchema),
    /** The supervision centre's follow-up call (回访) on a result the community reported itself: the complainant's answer; cleared by a new result. */
    followUp: z.optional(EvaluationSchema),
    evaluationDueAt: z.optional(InstantSchema),
    reRouteDueAt: z.optional(InstantSchema),
    /** Who signed it off for the unit (the responsible person the seed asks for). */
    handler: z.optional(z.object({ name: z.string(), phone: z.optional(z.string()) })),
    /** The unified reply (统一回告): the result the unit reported, told back to the citizen. */
    resolution: z.optional(
      z.object({
        summary: z.string(),
        outcome: z.string(),
        at: InstantSchema,
        unit: z.string(),
        /** 一笔审批: the leader of the unit who approved the result, or pending until the unit records it (within the handling window). */
        approval: z.optional(
          z.object({
            state: z.enum(['approved', 'pending']),
            by: z.optional(z.object({ name: z.string(), post: z.string() })),
            at: z.optional(InstantSchema),
          }),
        ),
      }),
    ),
    closedReason: z.optional(z.enum(['satisfied', 'not-evaluated'])),
    /** Times the case was reopened after it closed: its executions after the first are `<id>-r1`, `-r2`, … (domain/continuation). */
    reopenings: z.optional(z.number().check(z.int(), z.nonnegative())),
    /** Warnings and deadlines already fired in the current window, so none fires twice. */
    firedMilestones: z.array(z.string()),
    /** Sign-off breaches at the current tier: the second one escalates. */
    signOffBreaches: z.number().check(z.int(), z.nonnegative()),
    /** Unsatisfied evaluations at the current tier: the second one escalates. */
    unsatisfiedCount: z.number().check(z.int(), z.nonnegative()),
    /** One extension request per tier (延期). */
    extension: z.object({
      state: z.enum(['none', 'requested', 'approved', 'refused']),
      workingDays: z.optional(z.number()),
      reason: z.optional(z.string()),
    }),
    /** Every unit's part in the case, in order (see HoldingSchema). */
    holdings: z.optional(z.array(HoldingSchema)),
    /** Co-handling units (协办) and the state of each one's part. */
    coHandlers: z.optional(z.array(CoHandlerSchema)),
    /** Referrals to mediation bodies (调解), oldest first; the last one, while open, holds the case (domain/mediation). */
    mediations: z.optional(z.array(MediationSchema)),
    /** Counts over the whole life of the case, kept by the workflow for the monthly assessment. */
    metrics: CaseMetricsSchema,
    /** The last actions applied that came with an Idempotency-Key, so their retries are answered as done. */
    appliedRequests: z.optional(z.array(z.object({ unit: z.string(), key: z.string(), action: z.string(), at: InstantSchema }))),
    /** Sequence number of the last timeline event. */
    lastEventSeq: z.number().check(z.int(), z.nonnegative()),
    /** Optimistic-lock counter: every write states the version it read. */
    version: z.number().check(z.int(), z.nonnegative()),
  })
  .register(z.globalRegistry, { id: 'CaseRecord' });
export type CaseRecord = z.infer<typeof CaseRecordSchema>;

export const TimelineEventSchema = z
  .object({
    seq: z.number().check(z.int(), z.positive()),
    at: InstantSchema,
    type: z.string(),
    unit: z.optional(z.string()),
    /** Who acted: unit and role, and the person (the token's `sub`, and the name they gave where they gave one). */
    actor: z.optional(z.object({ unit: z.string(), role: z.string(), sub: z.optional(z.string()), name: z.optional(z.string()) })),
    note: z.optional(z.string()),
    data: z.optional(z.record(z.string(), z.unknown())),
  })
  .register(z.globalRegistry, { id: 'TimelineEvent' });
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

/** A timeline event as the API shows it: its stable `code` and `params`, its text in the caller's language, and who acted. */
export const TimelineEventViewSchema = z
  .extend(TimelineEventSchema, {
    code: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    text: z.string(),
    by: z.optional(z.object({ sub: z.string(), name: z.optional(z.string()) })),
  })
  .register(z.globalRegistry, { id: 'TimelineEventView' });
export type TimelineEventView = z.infer<typeof TimelineEventViewSchema>;

/** The case as the API shows it: computed light, what the caller may do now, and the timeline in order. */
export const CaseViewSchema = z
  .extend(z.omit(CaseRecordSchema, { version: true, lastEventSeq: true, appliedRequests: true }), {
    /** The actions this caller may take now, by route name (sign-off, progress, resolve, …). */
    allowedActions: z.array(z.string()),
    /** With `supervise`: which supervision actions fit now (urge, reassign, approve-extension, refuse-extension). */
    supervisionActions: z.optional(z.array(z.string())),
    /** The case's file (一案一档): the mediation documents generated so far, each printable at its href. */
    documents: z.optional(z.array(z.object({ kind: z.string(), at: InstantSchema, href: z.string(), title: z.string() }))),
    timeline: z.optional(z.array(TimelineEventViewSchema)),
  })
  .register(z.globalRegistry, { id: 'Case' });
export type CaseView = z.infer<typeof CaseViewSchema>;

/** Units a case can be assigned to at intake. District and city offices are reached by escalation only. */
const INTAKE_ASSIGNABLE_KINDS = new Set(['street-office', 'district-department', 'city-department']);

export interface IntakeContext {
  readonly caller: Caller;
  readonly id: string;
  readonly nowMs: number;
  readonly directory: UnitDirectory;
  readonly calendar: WorkingDayCalendar;
  readonly routingRules: RoutingRules;
  /** The new case's tracking code (drawn by the caller, so this stays pure). */
  readonly trackingCode?: string;
}

/** Who accepts the case on whose behalf: a community for itself, or the supervision centre for a named community. */
function originCommunity(body: CreateCaseBody, ctx: IntakeContext): string {
  const { caller, directory } = ctx;
  if (caller.role === 'community') {
    if (body.originUnit !== undefined && body.originUnit !== caller.unit) {
      throw notAllowed('community-self-only');
    }
    const unit = directory.get(caller.unit);
    if (!unit || unit.kind !== 'community') throw notAllowed('not-a-community', { callerUnit: caller.unit });
    return caller.unit;
  }
  if (caller.role === 'supervisor') {
    if (body.originUnit === undefined) {
      throw invalidInput('originUnit', 'origin-required');
    }
    const unit = directory.get(body.originUnit);
    if (!unit || unit.kind !== 'community') throw invalidInput('originUnit', 'origin-community');
    return body.originUnit;
  }
  throw notAllowed('intake-roles');
}

/**
 * Intake (一门受理): the new case record and its first timeline event. The community keeps
 * the case (sign-off implied, handling window starts now) or it goes to the responsible
 * unit, which must sign it off within the category's sign-off window.
 */
/** The version of a case as intake writes it; its workflow's first step makes it 2. */
export const ACCEPTED_VERSION = 1;

export function acceptCase(body: CreateCaseBody, ctx: IntakeContext): { record: CaseRecord; event: TimelineEvent } {
  const origin = originCommunity(body, ctx);
  const district = ctx.directory.require(origin).district;
  if (!district) throw new Error(`Community ${origin} has no district in the directory.`);

  let assignedUnit: string;
  if (body.assignedUnit === undefined) {
    assignedUnit = routeCase(ctx.directory, ctx.routingRules, { category: body.category, originUnit: origin });
  } else {
    const unit = ctx.directory.get(body.assignedUnit);
    if (!unit) throw invalidInput('assignedUnit', 'unknown-unit', { unitId: body.assignedUnit });
    if (unit.id !== origin && !INTAKE_ASSIGNABLE_KINDS.has(unit.kind)) {
      throw invalidInput('assignedUnit', 'assigned-kind');
    }
    assignedUnit = unit.id;
  }

  const category = categoryById(body.category);
  const now = toShanghaiIso(ctx.nowMs);
  const keptInCommunity = assignedUnit === origin;
  const windows = keptInCommunity
    ? { status: 'in-progress' as const, signedOffAt: now, resolveDueAt: ctx.calendar.addWorkingDays(ctx.nowMs, category.handlingWorkingDays) }
    : (() => {
        const signOffDueMs = ctx.calendar.addWorkingDays(ctx.nowMs, category.signOffWorkingDays);
        return {
          status: 'awaiting-sign-off' as const,
          signOffDueAt: toShanghaiIso(signOffDueMs),
          // Until sign-off this is the latest the result can be due; sign-off recomputes it.
          resolveDueAt: ctx.calendar.addWorkingDays(signOffDueMs, category.handlingWorkingDays),
        };
      })();

  const record: CaseRecord = {
    id: ctx.id,
    title: body.title,
    description: body.description,
    category: body.category,
    reportedVia: body.reportedVia,
    ...(body.complainant ? { complainant: body.complainant } : {}),
    ...(body.location ? { location: body.location } : {}),
    ...(body.occurredAt ? { occurredAt: body.occurredAt } : {}),
    ...(ctx.trackingCode ? { trackingCode: ctx.trackingCode } : {}),
    originUnit: origin,
    district,
    assignedUnit,
    firstHandlerUnit: assignedUnit,
    involvedUnits: [...new Set([origin, assignedUnit])],
    tier: 0,
    status: windows.status,
    light: 'green',
    createdAt: now,
    windowStartedAt: now,
    ...('signOffDueAt' in windows ? { signOffDueAt: windows.signOffDueAt } : {}),
    ...('signedOffAt' in windows ? { signedOffAt: windows.signedOffAt } : {}),
    resolveDueAt: toShanghaiIso(windows.resolveDueAt),
    firedMilestones: [],
    signOffBreaches: 0,
    unsatisfiedCount: 0,
    extension: { state: 'none' },
    holdings: [
      {
        unit: assignedUnit,
        role: 'holder',
        tier: 0,
        from: now,
        needsSignOff: !keptInCommunity,
        ...(keptInCommunity ? { signedOffAt: now } : {}),
        signOffBreaches: 0,
        handlingBreaches: 0,
      },
    ],
    metrics: emptyMetrics(),
    lastEventSeq: 1,
    version: ACCEPTED_VERSION,
  };
  const event: TimelineEvent = {
    seq: 1,
    at: now,
    type: 'CASE_ACCEPTED',
    unit: assignedUnit,
    actor: timelineActor(ctx.caller),
    data: { keptInCommunity, routedBy: body.assignedUnit === undefined ? 'routing-rules' : 'caller' },
  };
  return { record, event };
}

/** What intake would do with a body now: where the case goes and when it is due. */
export const IntakePreviewSchema = z
  .object({
    assignedUnit: z.string(),
    keptInCommunity: z.boolean(),
    tier: z.literal(0),
    signOffDueAt: z.optional(InstantSchema),
    resolveDueAt: InstantSchema,
  })
  .register(z.globalRegistry, { id: 'IntakePreview' });
export type IntakePreview = z.infer<typeof IntakePreviewSchema>;

/** The same rules as `acceptCase`, run without keeping anything: the intake form shows the answer before submit. */
export function previewIntake(body: CreateCaseBody, ctx: Omit<IntakeContext, 'id'>): IntakePreview {
  const { record } = acceptCase(body, { ...ctx, id: 'preview' });
  return {
    assignedUnit: record.assignedUnit,
    keptInCommunity: record.assignedUnit === record.originUnit,
    tier: 0,
    ...(record.signOffDueAt ? { signOffDueAt: record.signOffDueAt } : {}),
    resolveDueAt: record.resolveDueAt ?? record.createdAt,
  };
}

/** The window the case's light is measured against right now, if any clock is running. */
export function activeWindow(record: CaseRecord): { startMs: number; dueMs: number } | undefined {
  // While a mediation body holds the case, its window is the case's.
  const mediation = record.mediations?.at(-1);
  if (mediation && OPEN_MEDIATION.includes(mediation.status)) {
    return { startMs: Date.parse(mediation.windowStartedAt), dueMs: Date.parse(mediation.status === 'referred' ? mediation.acceptDueAt : mediation.dueAt) };
  }
  const startMs = Date.parse(record.windowStartedAt);
  switch (record.status) {
    case 'awaiting-sign-off':
      return record.signOffDueAt ? { startMs, dueMs: Date.parse(record.signOffDueAt) } : undefined;
    case 'in-progress':
      return record.resolveDueAt ? { startMs, dueMs: Date.parse(record.resolveDueAt) } : undefined;
    case 'awaiting-evaluation':
      return record.evaluationDueAt ? { startMs, dueMs: Date.parse(record.evaluationDueAt) } : undefined;
    case 'returned':
      return record.reRouteDueAt ? { startMs, dueMs: Date.parse(record.reRouteDueAt) } : undefined;
    default:
      return undefined;
  }
}

/** The light shown now: what the workflow recorded, or worse if the clock has moved on since. */
export function currentLight(record: CaseRecord, nowMs: number, calendar: WorkingDayCalendar, yellowShare?: number): Light {
  if (record.status === 'closed') return record.light;
  const window = activeWindow(record);
  return window ? worstLight(record.light, lightOf(window, nowMs, calendar, yellowShare)) : record.light;
}

export type { CategoryId };

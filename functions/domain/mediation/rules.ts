/**
 * The rules of mediation as pure functions: who may refer a case to which body, what the body may
 * do and when, what an agreement must hold, and the clock points of a referral. The workflow
 * (domain/workflow.ts) calls these; the handlers call the same checks before they deliver.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import type { UnitDirectory } from '../directory';
import type { CaseRecord } from '../case';
import type { Caller } from '../identity';
import { ROLES } from '../roles';

/** An outcome as the route takes it (functions/api/mediation-schemas.ts) and the workflow's signal carries it. */
export interface MediationOutcomeBody {
  readonly result: 'agreement' | 'failed';
  readonly terms?: string;
  readonly amounts?: readonly Amount[];
  readonly performBy?: string;
  readonly signed?: boolean;
  readonly signedAt?: string;
  readonly reason?: string;
  readonly advice?: (typeof MEDIATION_ADVICE)[number];
}
import { invalidInput, notAllowed, stepConflict } from '../errors';
import {
  MAX_AMOUNT_YUAN,
  OPEN_MEDIATION,
  type Agreement,
  type Amount,
  type Mediation,
  AmountSchema,
  ParticipantSchema,
  MEDIATION_ADVICE,
} from './model';

/** The case's referrals, oldest first (absent on cases never referred). */
export const mediationsOf = (record: Pick<CaseRecord, 'mediations'>): readonly Mediation[] => record.mediations ?? [];
/** The referral that holds the case now, if one does. */
export const openMediation = (record: Pick<CaseRecord, 'mediations'>): Mediation | undefined => {
  const last = mediationsOf(record).at(-1);
  return last && OPEN_MEDIATION.includes(last.status) ? last : undefined;
};
/** The last referral, open or ended. */
export const lastMediation = (record: Pick<CaseRecord, 'mediations'>): Mediation | undefined => mediationsOf(record).at(-1);

/* ---------- the signals ---------- */

/** As the workflow's actor (domain/workflow.ts): the caller's claims and the request's Idempotency-Key. */
const Actor = /* @__PURE__ */ (() => z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  unit: z.string().check(z.minLength(1), z.maxLength(64)),
  role: z.enum([...ROLES, 'complainant']),
  name: z.optional(z.string().check(z.maxLength(100))),
  requestKey: z.optional(z.string()),
}))();
const Note = /* @__PURE__ */ (() => z.string().check(z.trim(), z.minLength(1), z.maxLength(8000)))();

/** What the mediation routes deliver to the waiting workflow (part of the workflow's SignalSchema). */
// Pure: built only in the functions that parse signals (the workflow), not in every one that checks a rule.
export const MEDIATION_SIGNALS = /* @__PURE__ */ (() => [
  z.object({ action: z.literal('refer-mediation'), by: Actor, body: z.string(), note: Note }),
  z.object({ action: z.literal('mediation-accept'), by: Actor, note: z.optional(z.string()) }),
  z.object({ action: z.literal('mediation-decline'), by: Actor, reason: Note }),
  z.object({
    action: z.literal('mediation-session'),
    by: Actor,
    at: z.iso.datetime({ offset: true }),
    record: Note,
    participants: z.array(ParticipantSchema),
    place: z.optional(z.string()),
  }),
  z.object({
    action: z.literal('mediation-outcome'),
    by: Actor,
    result: z.enum(['agreement', 'failed']),
    terms: z.optional(z.string()),
    amounts: z.optional(z.array(AmountSchema)),
    performBy: z.optional(z.iso.date()),
    signed: z.optional(z.boolean()),
    signedAt: z.optional(z.iso.datetime({ offset: true })),
    reason: z.optional(z.string()),
    advice: z.optional(z.enum(MEDIATION_ADVICE)),
  }),
  z.object({ action: z.literal('mediation-fulfilment'), by: Actor, fulfilled: z.boolean(), note: Note }),
] as const)();
export type MediationSignal = z.infer<(typeof MEDIATION_SIGNALS)[number]>;
export type MediationSignalAction = MediationSignal['action'];
export const MEDIATION_SIGNAL_ACTIONS: readonly MediationSignalAction[] = [
  'refer-mediation',
  'mediation-accept',
  'mediation-decline',
  'mediation-session',
  'mediation-outcome',
  'mediation-fulfilment',
];
/** The body's own actions: only its mediators take them, on a case referred to it. */
export const MEDIATOR_ACTIONS: readonly MediationSignalAction[] = ['mediation-accept', 'mediation-decline', 'mediation-session', 'mediation-outcome', 'mediation-fulfilment'];
export const isMediationAction = (action: string): action is MediationSignalAction => (MEDIATION_SIGNAL_ACTIONS as readonly string[]).includes(action);

/** Which referral status each of the body's actions needs. */
const STATUS_FOR: Record<Exclude<MediationSignalAction, 'refer-mediation'>, Mediation['status']> = {
  'mediation-accept': 'referred',
  'mediation-decline': 'referred',
  'mediation-session': 'accepted',
  'mediation-outcome': 'accepted',
  'mediation-fulfilment': 'agreed',
};

const HOLDING_ROLES = new Set(['community', 'agency', 'district-office', 'city-office', 'conference']);

/**
 * Who may refer the case, and when: the unit holding it while it signs off or handles it (no
 * co-handler owing a part), or the originating community at intake (before anyone signed it off).
 * `phase` is the workflow's phase of the case now.
 */
export function checkReferralCaller(record: CaseRecord, caller: Caller, phase: string): void {
  const holder = HOLDING_ROLES.has(caller.role) && caller.unit === record.assignedUnit;
  const atIntake = caller.role === 'community' && caller.unit === record.originUnit && record.status === 'awaiting-sign-off' && record.tier === 0;
  if (!holder && !atIntake) {
    // A unit that held the case and acts late (it was escalated or returned meanwhile) is stale, not forbidden.
    const heldIt = HOLDING_ROLES.has(caller.role) && caller.unit !== record.originUnit && record.involvedUnits.includes(caller.unit);
    if (heldIt) throw stepConflict('case-moved-on', { assignedUnit: record.assignedUnit, action: 'mediate', callerUnit: caller.unit });
    throw notAllowed('mediation-refer-who', { assignedUnit: record.assignedUnit, originUnit: record.originUnit });
  }
  if (phase === 'mediation') throw stepConflict('mediation-open', { body: openMediation(record)?.body ?? '' });
  if (phase !== 'sign-off' && phase !== 'handling') throw stepConflict('action-does-not-fit', { status: record.status, action: 'mediate' });
  if (mediationsOf(record).some((m) => m.status === 'fulfilled' || m.status === 'agreed')) throw stepConflict('mediation-agreed-already');
}

/** The body referred to: a mediation committee (400 otherwise), one that takes this category, and not one that already declined or failed this case (409). */
export function checkReferralBody(record: CaseRecord, bodyId: string, directory: Pick<UnitDirectory, 'get'>): void {
  const unit = directory.get(bodyId);
  if (!unit) throw invalidInput('body', 'unknown-unit', { unitId: bodyId });
  if (unit.kind !== 'mediation-committee') throw invalidInput('body', 'mediation-body-kind', { unitId: bodyId, kind: unit.kind });
  if (unit.categories && !unit.categories.includes(record.category)) {
    throw invalidInput('body', 'mediation-body-sector', { unitId: bodyId, categories: unit.categories.join(',') });
  }
  const earlier = mediationsOf(record).find((m) => m.body === bodyId && (m.status === 'declined' || m.status === 'failed' || m.status === 'unfulfilled'));
  if (earlier) throw stepConflict(earlier.status === 'declined' ? 'mediation-declined-already' : 'mediation-tried-already', { body: bodyId });
}

/** A mediator acts on a case referred to its own body (403 otherwise), in the step the action needs (409). */
export function checkMediatorAction(record: CaseRecord, action: Exclude<MediationSignalAction, 'refer-mediation'>, caller: Caller): Mediation {
  const current = lastMediation(record);
  if (caller.role !== 'mediator' || !current || current.body !== caller.unit) {
    // A body that mediated this case before and is done with it is stale, not a stranger.
    if (caller.role === 'mediator' && mediationsOf(record).some((m) => m.body === caller.unit)) throw stepConflict('mediation-not-yours-now', { callerUnit: caller.unit });
    throw notAllowed('mediation-not-referred-to-you', { callerUnit: caller.unit });
  }
  if (current.status !== STATUS_FOR[action]) throw stepConflict('mediation-step', { mediationStatus: current.status, action });
  if (action === 'mediation-outcome' && current.sessions.length === 0) throw stepConflict('mediation-no-session');
  return current;
}

/**
 * An outcome's body, beyond its schema: an agreement has terms and the parties' signatures (a flag
 * and its date), and sane amounts; a failure has its reason and the advice given. 400 otherwise.
 */
export function checkOutcome(body: Pick<MediationOutcomeBody, 'result' | 'terms' | 'amounts' | 'signed' | 'signedAt' | 'reason' | 'advice' | 'performBy'>, nowMs: number): void {
  if (body.result === 'agreement') {
    if (!body.terms) throw invalidInput('terms', 'agreement-terms');
    if (body.signed !== true) throw invalidInput('signed', 'agreement-signed');
    if (!body.signedAt) throw invalidInput('signedAt', 'agreement-signed-at');
    if (Date.parse(body.signedAt) > nowMs + 60_000) throw invalidInput('signedAt', 'agreement-signed-future');
    if (body.reason !== undefined || body.advice !== undefined) throw invalidInput(body.reason !== undefined ? 'reason' : 'advice', 'agreement-no-advice');
    (body.amounts ?? []).forEach((amount, i) => checkAmount(amount, `amounts.${i}`));
    if (!body.performBy && (body.amounts ?? []).length === 0) throw invalidInput('performBy', 'agreement-perform-by');
    return;
  }
  if (!body.reason) throw invalidInput('reason', 'failure-reason');
  if (!body.advice) throw invalidInput('advice', 'failure-advice');
  for (const field of ['terms', 'amounts', 'signed', 'signedAt', 'performBy'] as const) {
    if (body[field] !== undefined) throw invalidInput(field, 'failure-no-terms');
  }
}

/** A session is recorded once held: its time is not in the future (400). */
export function checkSession(body: { at: string }, nowMs: number): void {
  if (Date.parse(body.at) > nowMs + 60_000) throw invalidInput('at', 'session-in-future');
}

/** Negative, zero, beyond MAX_AMOUNT_YUAN or finer than a fen: 400 (the schema says so too; the workflow asks again). */
export function checkAmount(amount: Amount, path: string): void {
  const fen = amount.amountYuan * 100;
  if (!Number.isFinite(amount.amountYuan) || amount.amountYuan <= 0 || amount.amountYuan > MAX_AMOUNT_YUAN || Math.abs(fen - Math.round(fen)) > 1e-6) {
    throw invalidInput(`${path}.amountYuan`, 'agreement-amount', { max: MAX_AMOUNT_YUAN });
  }
}

/** The day everything agreed is due: as the agreement says, else the latest payment's day. */
export function performByOf(body: Pick<MediationOutcomeBody, 'performBy' | 'amounts'>): string {
  if (body.performBy) return body.performBy;
  return [...(body.amounts ?? [])].map((a) => a.dueBy).sort().at(-1)!;
}

/** The end of that day in Asia/Shanghai, as an instant (the fulfilment is due by then). */
export const endOfShanghaiDayMs = (day: string): number => Date.parse(`${day}T23:59:59+08:00`);

/** The sum of the agreement's amounts, in yuan (to the fen). */
export const totalYuan = (agreement: Pick<Agreement, 'amounts'> | undefined): number =>
  Math.round((agreement?.amounts ?? []).reduce((sum, a) => sum + a.amountYuan * 100, 0)) / 100;

/**
 * Mediation (调解) as a way of handling a case: what a referral to a mediation body holds, and the
 * bodies of the routes that move it. The unit holding the case (or the community at intake) refers
 * it; the body accepts or declines inside a sign-off window, holds sessions, and ends with an
 * agreement or a failure; after an agreement it records whether the agreement was carried out.
 * Kept free of the workflow so the console and the documents can read it as it is.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import { LIGHTS } from '../light';

/** Where a referral stands. `referred` and `accepted` run the body's clocks; `agreed` waits for the fulfilment date. */
export const MEDIATION_STATUSES = ['referred', 'accepted', 'declined', 'agreed', 'failed', 'fulfilled', 'unfulfilled'] as const;
export type MediationStatus = (typeof MEDIATION_STATUSES)[number];
/** A referral in one of these holds the case: the workflow waits for the body. */
export const OPEN_MEDIATION: readonly MediationStatus[] = ['referred', 'accepted', 'agreed'];

/** What the body advised after a failed mediation (the parties stay free to go on). */
export const MEDIATION_ADVICE = ['litigation', 'arbitration', 'administrative-decision'] as const;
export type MediationAdvice = (typeof MEDIATION_ADVICE)[number];

/** Who took part in a session, by role (the names are people's, kept as personal data). */
export const PARTICIPANT_ROLES = ['applicant', 'respondent', 'mediator', 'agent', 'insurer', 'police', 'witness', 'other'] as const;

/** The most one amount of an agreement may be: above this it is a typing error, not a settlement. */
export const MAX_AMOUNT_YUAN = 50_000_000;

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const Instant = z.iso.datetime({ offset: true });
const DAY = z.iso.date();

export const ParticipantSchema = z.strictObject({ role: z.enum(PARTICIPANT_ROLES), name: text(100) });
export type Participant = z.infer<typeof ParticipantSchema>;

/** One payment the agreement settles: who pays whom how much (yuan, to the fen) by which day. */
export const AmountSchema = z.strictObject({
  payer: text(100),
  payee: text(100),
  amountYuan: z.number().check(
    z.positive('an amount above zero'),
    z.maximum(MAX_AMOUNT_YUAN, 'at most 50,000,000 yuan'),
    z.refine((n) => Math.round(n * 100) === n * 100 || Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'yuan to the fen (two decimals at most)'),
  ),
  dueBy: DAY,
});
export type Amount = z.infer<typeof AmountSchema>;

export const SessionSchema = z.object({
  /** When the session was held (it may be recorded after). */
  at: Instant,
  record: z.string(),
  participants: z.array(ParticipantSchema),
  place: z.optional(z.string()),
  recordedAt: Instant,
});
export type Session = z.infer<typeof SessionSchema>;

export const AgreementSchema = z.object({
  terms: z.string(),
  amounts: z.array(AmountSchema),
  /** The day by which everything agreed is to be done (the latest payment's, or as agreed). */
  performBy: DAY,
  signed: z.literal(true),
  signedAt: Instant,
  at: Instant,
  /** Units the agreement was reported to (the traffic police for a traffic accident). */
  reportedTo: z.array(z.string()),
});
export type Agreement = z.infer<typeof AgreementSchema>;

export const MediationSchema = z
  .object({
    /** The mediation committee (a unit of kind mediation-committee). */
    body: z.string(),
    referredBy: z.string(),
    referredAt: Instant,
    note: z.string(),
    status: z.enum(MEDIATION_STATUSES),
    /** The current window: acceptance (sign-off), then mediation, then fulfilment. */
    windowStartedAt: Instant,
    acceptDueAt: Instant,
    dueAt: Instant,
    light: z.enum(LIGHTS),
    firedMilestones: z.array(z.string()),
    /** Windows of this referral that ran out (acceptance, mediation). */
    breaches: z.number().check(z.int(), z.nonnegative()),
    acceptedAt: z.optional(Instant),
    declined: z.optional(z.object({ reason: z.string(), at: Instant })),
    sessions: z.array(SessionSchema),
    agreement: z.optional(AgreementSchema),
    failure: z.optional(z.object({ reason: z.string(), advice: z.enum(MEDIATION_ADVICE), at: Instant })),
    /** Concluded (agreement or failure) inside the mediation window, never breached. */
    concludedOnTime: z.optional(z.boolean()),
    fulfilment: z.optional(z.object({ fulfilled: z.boolean(), note: z.string(), at: Instant, onTime: z.boolean() })),
    /** When the referral ended (declined, failed, fulfilled or not): the case went back to the holder. */
    endedAt: z.optional(Instant),
  })
  .register(z.globalRegistry, { id: 'Mediation' });
export type Mediation = z.infer<typeof MediationSchema>;

/** The custom messages above, in Chinese (the refusals' catalogue reads them). */
export const MEDIATION_SCHEMA_MESSAGES_ZH: Readonly<Record<string, string>> = {
  'an amount above zero': '金额须大于零',
  'at most 50,000,000 yuan': '金额不能超过 5000 万元',
  'yuan to the fen (two decimals at most)': '金额以元为单位，最多两位小数（到分）',
  'a document of the case (application, registration, rights-notice, session-record-N, agreement, delivery-receipt, follow-up)':
    '请填写本案文书名称：application、registration、rights-notice、session-record-N、agreement、delivery-receipt 或 follow-up',
  'the first month must not be after the last': '起始月份不能晚于结束月份',
  'at most 24 months': '时间范围最多 24 个月',
};

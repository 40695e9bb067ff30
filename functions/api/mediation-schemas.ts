import * as z from 'zod/mini';
import '../domain/zod-locale';
import { CaseIdParamsSchema } from './request-schemas';
import { MONTH_PATTERN } from '../domain/assessment-period';
import { AmountSchema, MEDIATION_ADVICE, ParticipantSchema } from '../domain/mediation/model';

/*
 * The bodies of the mediation routes (registered for the OpenAPI document): kept out of
 * domain/mediation/model.ts, which every bundle loads with the case, so only the handlers and the
 * document carry them.
 */
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const Instant = z.iso.datetime({ offset: true });
const DAY = z.iso.date();


export const ReferMediationBodySchema = z
  .strictObject({ body: z.string().check(z.regex(/^[a-z0-9-]{3,64}$/, 'a unit id from GET /v1/units')), note: text(2000) })
  .register(z.globalRegistry, { id: 'ReferMediationBody' });
export const MediationAcceptBodySchema = z.strictObject({ note: z.optional(text(2000)) }).register(z.globalRegistry, { id: 'MediationAcceptBody' });
export const MediationDeclineBodySchema = z.strictObject({ reason: text(2000) }).register(z.globalRegistry, { id: 'MediationDeclineBody' });
export const MediationSessionBodySchema = z
  .strictObject({
    at: Instant,
    record: text(8000),
    participants: z.optional(z.array(ParticipantSchema).check(z.maxLength(30))),
    place: z.optional(text(200)),
  })
  .register(z.globalRegistry, { id: 'MediationSessionBody' });

export const MediationOutcomeBodySchema = z
  .strictObject({
    result: z.enum(['agreement', 'failed']),
    /** Agreement: what the parties agreed, in words. */
    terms: z.optional(text(8000)),
    amounts: z.optional(z.array(AmountSchema).check(z.maxLength(20))),
    /** Agreement: the day everything agreed is to be done by (default: the latest payment's day). */
    performBy: z.optional(DAY),
    /** Agreement: signed by the parties, and when. */
    signed: z.optional(z.boolean()),
    signedAt: z.optional(Instant),
    /** Failure: why, and what the parties were advised to do. */
    reason: z.optional(text(2000)),
    advice: z.optional(z.enum(MEDIATION_ADVICE)),
  })
  .register(z.globalRegistry, { id: 'MediationOutcomeBody' });
export type MediationOutcomeBody = z.infer<typeof MediationOutcomeBodySchema>;

export const MediationFulfilmentBodySchema = z
  .strictObject({ fulfilled: z.boolean(), note: text(2000) })
  .register(z.globalRegistry, { id: 'MediationFulfilmentBody' });



/*
 * Path and query schemas of the mediation routes, shared by their handlers and the OpenAPI
 * document. The bodies are in functions/domain/mediation/model.ts.
 */

/** A document of the case's file: its kind, a session record by its number. */
export const DocumentParamsSchema = z.strictObject({
  id: CaseIdParamsSchema.shape.id,
  document: z.string().check(
    z.regex(/^(application|registration|rights-notice|session-record-[1-9]\d{0,2}|agreement|delivery-receipt|follow-up)$/, 'a document of the case (application, registration, rights-notice, session-record-N, agreement, delivery-receipt, follow-up)'),
  ),
});

/** The most months one statistics answer covers. */
export const MEDIATION_STATISTICS_MAX_MONTHS = 24;

export const MediationStatisticsQuerySchema = z
  .strictObject({
    from: z.string().check(z.regex(MONTH_PATTERN, 'a month as yyyy-mm')),
    to: z.string().check(z.regex(MONTH_PATTERN, 'a month as yyyy-mm')),
  })
  .check(
    z.refine((q) => q.from <= q.to, { message: 'the first month must not be after the last', path: ['to'] }),
    z.refine((q) => monthsApart(q.from, q.to) < MEDIATION_STATISTICS_MAX_MONTHS, { message: 'at most 24 months', path: ['to'] }),
  );

const monthsApart = (from: string, to: string) => (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));

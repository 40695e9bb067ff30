import * as z from 'zod/mini';
import '../domain/zod-locale';
import { CaseIdParamsSchema } from './request-schemas';
import { MONTH_PATTERN } from '../domain/assessment-period';

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

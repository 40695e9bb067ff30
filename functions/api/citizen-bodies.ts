import * as z from 'zod/mini';
import '../domain/zod-locale';
import { EVALUATION_RATINGS } from '../domain/case';

/**
 * Request bodies of the complainant's routes (POST /v1/track/{code}/evaluation and /reopen) and of
 * the supervision centre's follow-up call, shared by the handlers and the OpenAPI document.
 */
const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
/** As typed: the handler forgives spaces and hyphens, and any PIN that is not the case's is the same 403. */
const Pin = z.string().check(z.minLength(1), z.maxLength(16));

export const TrackEvaluationBodySchema = z
  .strictObject({ pin: Pin, rating: z.enum(EVALUATION_RATINGS), comment: z.optional(Text(2000)) })
  .register(z.globalRegistry, { id: 'TrackEvaluationBody' });

export const TrackReopenBodySchema = z.strictObject({ pin: Pin, reason: Text(2000) }).register(z.globalRegistry, { id: 'TrackReopenBody' });

export const FollowUpBodySchema = z
  .strictObject({ rating: z.enum(EVALUATION_RATINGS), comment: z.optional(Text(2000)) })
  .register(z.globalRegistry, { id: 'FollowUpBody' });

/** What the complainant's routes answer: nothing about the case beyond what the tracking code shows. */
export const CitizenAcceptedSchema = z
  .object({ trackingCode: z.string(), action: z.enum(['evaluation', 'reopen']), status: z.literal('accepted') })
  .register(z.globalRegistry, { id: 'CitizenAccepted' });

import { actionHandler } from './action-handler';
// Mediation's refusals render only in the routes that can answer them (domain/mediation/refusal-texts.ts).
import '../domain/mediation/refusal-texts';
import { MediationAcceptBodySchema } from './mediation-schemas';

/** The mediation body accepts the referral (受理): its mediation window starts. */
export const handler = actionHandler(MediationAcceptBodySchema, (body, by) => ({ action: 'mediation-accept', by, ...(body.note ? { note: body.note } : {}) }));

import { actionHandler } from './action-handler';
// Mediation's refusals render only in the routes that can answer them (domain/mediation/refusal-texts.ts).
import '../domain/mediation/refusal-texts';
import { MediationDeclineBodySchema } from './mediation-schemas';

/** The mediation body declines the referral with its reason: the case goes back to the holder. */
export const handler = actionHandler(MediationDeclineBodySchema, (body, by) => ({ action: 'mediation-decline', by, reason: body.reason }));

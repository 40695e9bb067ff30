import { actionHandler } from './action-handler';
// Mediation's refusals render only in the routes that can answer them (domain/mediation/refusal-texts.ts).
import '../domain/mediation/refusal-texts';
import { ReferMediationBodySchema } from './mediation-schemas';

/** 移交调解: the unit holding the case (or the accepting community at intake) refers it to a mediation body. */
export const handler = actionHandler(ReferMediationBodySchema, (body, by) => ({ action: 'refer-mediation', by, body: body.body, note: body.note }));

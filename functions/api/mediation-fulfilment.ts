import { actionHandler } from './action-handler';
// Mediation's refusals render only in the routes that can answer them (domain/mediation/refusal-texts.ts).
import '../domain/mediation/refusal-texts';
import { MediationFulfilmentBodySchema } from './mediation-schemas';

/** 督促履行: after an agreement the body records whether it was carried out; not carried out alerts the holder, who gets the case back. */
export const handler = actionHandler(MediationFulfilmentBodySchema, (body, by) => ({ action: 'mediation-fulfilment', by, fulfilled: body.fulfilled, note: body.note }));

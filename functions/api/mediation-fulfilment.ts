import { actionHandler } from './action-handler';
import { MediationFulfilmentBodySchema } from '../domain/mediation/model';

/** 督促履行: after an agreement the body records whether it was carried out; not carried out alerts the holder, who gets the case back. */
export const handler = actionHandler(MediationFulfilmentBodySchema, (body, by) => ({ action: 'mediation-fulfilment', by, fulfilled: body.fulfilled, note: body.note }));

import { actionHandler } from './action-handler';
import { ReferMediationBodySchema } from '../domain/mediation/model';

/** 移交调解: the unit holding the case (or the accepting community at intake) refers it to a mediation body. */
export const handler = actionHandler(ReferMediationBodySchema, (body, by) => ({ action: 'refer-mediation', by, body: body.body, note: body.note }));

import { actionHandler } from './action-handler';
import { MediationDeclineBodySchema } from '../domain/mediation/model';

/** The mediation body declines the referral with its reason: the case goes back to the holder. */
export const handler = actionHandler(MediationDeclineBodySchema, (body, by) => ({ action: 'mediation-decline', by, reason: body.reason }));

import { actionHandler } from './action-handler';
import { MediationAcceptBodySchema } from '../domain/mediation/model';

/** The mediation body accepts the referral (受理): its mediation window starts. */
export const handler = actionHandler(MediationAcceptBodySchema, (body, by) => ({ action: 'mediation-accept', by, ...(body.note ? { note: body.note } : {}) }));

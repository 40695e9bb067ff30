import { actionHandler } from './action-handler';
import { MediationSessionBodySchema } from '../domain/mediation/model';

/** A mediation session's record (调解笔录): when it was held, who took part by role, what was said. */
export const handler = actionHandler(MediationSessionBodySchema, (body, by) => ({
  action: 'mediation-session',
  by,
  at: body.at,
  record: body.record,
  participants: body.participants ?? [],
  ...(body.place ? { place: body.place } : {}),
}));

import { actionHandler } from './action-handler';
// Mediation's refusals render only in the routes that can answer them (domain/mediation/refusal-texts.ts).
import '../domain/mediation/refusal-texts';
import { now } from '../commons/clock';
import type { Caller } from '../domain/identity';
import { MediationSessionBodySchema } from './mediation-schemas';
import { checkMediatorAction, checkSession } from '../domain/mediation/rules';

/** A mediation session's record (调解笔录): when it was held (not in the future), who took part by role, what was said. */
export const handler = actionHandler(MediationSessionBodySchema, (body, by, record) => {
  checkMediatorAction(record, 'mediation-session', by as Caller);
  checkSession(body, now());
  return {
    action: 'mediation-session',
    by,
    at: body.at,
    record: body.record,
    participants: body.participants ?? [],
    ...(body.place ? { place: body.place } : {}),
  };
});

import { actionHandler } from './action-handler';
// Mediation's refusals render only in the routes that can answer them (domain/mediation/refusal-texts.ts).
import '../domain/mediation/refusal-texts';
import { now } from '../commons/clock';
import type { Caller } from '../domain/identity';
import { MediationOutcomeBodySchema } from './mediation-schemas';
import { checkMediatorAction, checkOutcome } from '../domain/mediation/rules';

/**
 * The mediation ends: an agreement (terms, amounts, who pays by when, signed by the parties) or a
 * failure (reason, and the advice given). What the schema cannot say (terms and signatures for
 * an agreement, advice for a failure) is checked before anything is delivered: 400, nothing
 * changed; but first whether the caller may record an outcome at all (403 for another body).
 */
export const handler = actionHandler(MediationOutcomeBodySchema, (body, by, record) => {
  checkMediatorAction(record, 'mediation-outcome', by as Caller);
  checkOutcome(body, now());
  return { action: 'mediation-outcome', by, ...body };
});

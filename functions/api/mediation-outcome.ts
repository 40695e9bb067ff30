import { actionHandler } from './action-handler';
import { now } from '../commons/clock';
import { MediationOutcomeBodySchema } from '../domain/mediation/model';
import { checkOutcome } from '../domain/mediation/rules';

/**
 * The mediation ends: an agreement (terms, amounts, who pays by when, signed by the parties) or a
 * failure (reason, and the advice given). What the schema cannot say (terms and signatures for
 * an agreement, advice for a failure) is checked before anything is delivered: 400, nothing changed.
 */
export const handler = actionHandler(MediationOutcomeBodySchema, (body, by) => {
  checkOutcome(body, now());
  return { action: 'mediation-outcome', by, ...body };
});

import { apiHandler } from '../commons/http';
import { deliverAction } from '../commons/actions';
import { COMPLAINANT_ACTOR, phaseOf } from '../domain/workflow';
import type { ClosedCaseSignal } from '../domain/closed-case';
import { TrackParamsSchema } from './track-params';
import { TrackEvaluationBodySchema } from './citizen-bodies';
import { applyToClosedCase, caseOfCode, checkPin, citizenAccepted, takePublicBudget } from './citizen-actions';

/**
 * POST /v1/track/{code}/evaluation: the complainant rates the result with the tracking code and the
 * PIN sent with it — satisfied, unsatisfied or not implemented, with a comment, once per result.
 * While the case waits for its evaluation the rating goes to the workflow and does what the
 * community's does (satisfied closes, unsatisfied sends the unit back to work); after that it is
 * recorded on the closed case and counts if it came inside the window (domain/ratings.ts).
 * Wrong, expired or used PIN: 403, nothing changed; five wrong in a row: 429 for an hour; twice: 409.
 */
export const handler = apiHandler({ auth: 'public', params: TrackParamsSchema, body: TrackEvaluationBodySchema }, async ({ params, body, sourceIp }) => {
  await takePublicBudget('evaluation', sourceIp);
  const { record, code } = await caseOfCode(params.code);
  await checkPin(record, body.pin);
  const signal: ClosedCaseSignal = { action: 'complainant-evaluate', by: COMPLAINANT_ACTOR, rating: body.rating, ...(body.comment ? { comment: body.comment } : {}) };
  if (phaseOf(record) === 'closed' && (await applyToClosedCase(record.id, COMPLAINANT_ACTOR, () => signal)) === 'applied') return citizenAccepted(code, 'evaluation');
  await deliverAction(record.id, COMPLAINANT_ACTOR, () => signal);
  return citizenAccepted(code, 'evaluation');
});

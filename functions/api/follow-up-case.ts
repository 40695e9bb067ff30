import { apiHandler } from '../commons/http';
import { deliverAction } from '../commons/actions';
import type { ClosedCaseSignal } from '../domain/closed-case';
import { FollowUpBodySchema } from './citizen-bodies';
import { actorOf } from './action-handler';
import { CaseIdParamsSchema, idempotencyKeyOf } from './request-schemas';
import { applyToClosedCase } from './citizen-actions';
import { caseStore } from '../commons/app';
import { forbidden, notFound } from '../commons/problems';
import { errorText } from '../domain/errors';

/**
 * POST /v1/cases/{id}/follow-up {rating, comment?}: the supervision centre records its follow-up
 * call (回访) on a result the originating community reported itself — the complainant's answer,
 * once per result. While the case waits for its evaluation it acts as a rating does (satisfied
 * closes, otherwise the community works on it again); on a closed case it is recorded and counts
 * when the complainant did not rate in time (domain/ratings.ts).
 */
export const handler = apiHandler({ auth: 'required', params: CaseIdParamsSchema, body: FollowUpBodySchema }, async ({ params, body, caller, headers }) => {
  if (caller.role !== 'supervisor') throw forbidden(errorText('only-supervisor', { action: 'follow-up' }));
  const by = actorOf(caller, idempotencyKeyOf(headers));
  const toSignal = (): ClosedCaseSignal => ({ action: 'follow-up', by, rating: body.rating, ...(body.comment ? { comment: body.comment } : {}) });
  const loaded = await caseStore().getCaseForWorkflow(params.id);
  if (!loaded) throw notFound(errorText('case-not-found', { caseId: params.id }));
  if (loaded.record.status === 'closed' && (await applyToClosedCase(params.id, by, toSignal)) === 'applied') {
    return { statusCode: 202, body: { caseId: params.id, action: 'follow-up', status: 'accepted' }, headers: { location: `/v1/cases/${params.id}` } };
  }
  return deliverAction(params.id, caller, toSignal);
});

import { apiHandler } from '../commons/http';
import { caseStore, directory } from '../commons/app';
import { now } from '../commons/clock';
import { forbidden, notFound } from '../commons/problems';
import { errorText } from '../domain/errors';
import { canReadCase } from '../domain/identity';
import { defaultPolicy } from '../domain/policy';
import { appliedRequest, checkAction, type Signal } from '../domain/workflow';
import { ReasonBodySchema } from './action-bodies';
import { actorOf } from './action-handler';
import { CaseIdParamsSchema, idempotencyKeyOf } from './request-schemas';
import { startReopening } from './citizen-actions';

/**
 * POST /v1/cases/{id}/reopen {reason}: the originating community or the supervision centre reopens
 * a closed case within the reopening window (config/policy.json reopenCalendarDays). It goes back to
 * the unit that reported the last result with a new handling window, in the case's next execution
 * (`<caseId>-r<n>`). Open, or past the window: 409. With an Idempotency-Key, a retry of a reopening
 * the case applied is answered 202 again.
 */
export const handler = apiHandler({ auth: 'required', roles: ['community', 'supervisor'], params: CaseIdParamsSchema, body: ReasonBodySchema }, async ({ params, body, caller, headers }) => {
  const loaded = await caseStore().getCaseForWorkflow(params.id);
  if (!loaded) throw notFound(errorText('case-not-found', { caseId: params.id }));
  const { record } = loaded;
  if (!canReadCase(caller, record)) throw forbidden(errorText('not-your-case', { caseId: params.id, callerUnit: caller.unit }));
  const requestKey = idempotencyKeyOf(headers);
  const accepted = { statusCode: 202, body: { caseId: record.id, action: 'reopen', status: 'accepted' }, headers: { location: `/v1/cases/${record.id}` } };
  if (requestKey && appliedRequest(record, caller.unit, requestKey)?.action === 'reopen') {
    return { ...accepted, headers: { ...accepted.headers, 'idempotent-replayed': 'true' } };
  }
  const signal: Extract<Signal, { action: 'reopen' }> = { action: 'reopen', by: actorOf(caller, requestKey), reason: body.reason };
  checkAction(record, signal, caller, { directory, nowMs: now(), policy: defaultPolicy });
  await startReopening(record, signal);
  return accepted;
});

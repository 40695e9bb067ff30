import { apiHandler } from '../commons/http';
// A stored case's timeline may hold mediation's events: their texts are registered where they are rendered.
import '../domain/mediation/event-texts';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { toShanghaiIso } from '../domain/calendar';
import { canReadCase, timelineActor } from '../domain/identity';
import { checkApproval } from '../domain/workflow';
import { errorText } from '../domain/errors';
import { conflict, forbidden, notFound } from '../commons/problems';
import { StoreConflict } from '../store/case-store';
import { CaseIdParamsSchema } from './request-schemas';
import { ApproverSchema } from './action-bodies';
import { eventView } from './case-view';

/**
 * 一笔审批 after the result: the unit that reported a result as pending approval names the
 * leader who approved it, within the handling window. It changes no workflow state.
 */
export const handler = apiHandler({ auth: 'required', params: CaseIdParamsSchema, body: ApproverSchema }, async ({ params, body, caller, texts }) => {
  const found = await caseStore().getCase(params.id);
  if (!found) throw notFound(errorText('case-not-found', { caseId: params.id }));
  if (!canReadCase(caller, found.record)) throw forbidden(errorText('not-your-case', { caseId: params.id, callerUnit: caller.unit }));
  const nowMs = now();
  checkApproval(found.record, caller, nowMs);
  const at = toShanghaiIso(nowMs);
  try {
    const event = await caseStore().recordApproval(found.record, { state: 'approved', by: body, at }, {
      at,
      type: 'RESOLUTION_APPROVED',
      unit: caller.unit,
      actor: timelineActor(caller),
      data: { approverName: body.name, approverPost: body.post },
    });
    return { statusCode: 201, body: eventView(event, texts) };
  } catch (error) {
    if (error instanceof StoreConflict) throw conflict(errorText('changed-retry'));
    throw error;
  }
});

import { apiHandler } from '../commons/http';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { toShanghaiIso } from '../domain/calendar';
import { timelineActor } from '../domain/identity';
import { checkProgress, PROGRESS_STATUSES } from '../domain/workflow';
import { errorText } from '../domain/errors';
import { notFound, conflict } from '../commons/problems';
import { CaseIdParamsSchema } from './request-schemas';
import { ProgressBodySchema } from './action-bodies';

/** A progress note on the timeline. It changes no workflow state, so the clock keeps running. */
export const handler = apiHandler(
  { auth: 'required', params: CaseIdParamsSchema, body: ProgressBodySchema },
  async ({ params, body, caller }) => {
    const found = await caseStore().getCase(params.id);
    if (!found) throw notFound(errorText('case-not-found', { caseId: params.id }));
    checkProgress(found.record, caller);
    const event = await caseStore().appendNote(params.id, caller.unit, PROGRESS_STATUSES, {
      at: toShanghaiIso(now()),
      type: 'PROGRESS',
      unit: caller.unit,
      actor: timelineActor(caller),
      note: body.note,
    });
    if (event) return { statusCode: 201, body: event };
    // The case moved on between the read and the write: say how it stands now.
    const current = await caseStore().getCase(params.id);
    if (current) checkProgress(current.record, caller);
    throw conflict(errorText('changed-retry'));
  },
);

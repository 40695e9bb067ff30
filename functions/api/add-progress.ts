import { apiHandler } from '../commons/http';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { toShanghaiIso } from '../domain/calendar';
import { forbidden, notFound, conflict } from '../commons/problems';
import { StoreConflict } from '../store/case-store';
import { CaseIdParamsSchema } from './get-case';
import { ProgressBodySchema } from './action-bodies';

/** A progress note on the timeline. It changes no workflow state, so the clock keeps running. */
export const handler = apiHandler(
  { auth: 'required', params: CaseIdParamsSchema, body: ProgressBodySchema },
  async ({ params, body, caller }) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await caseStore().getCase(params.id);
      if (!found) throw notFound(`No case ${params.id}.`);
      const { record } = found;
      if (caller.unit !== record.assignedUnit) throw forbidden(`Only the assigned unit (${record.assignedUnit}) adds progress notes.`);
      if (record.status !== 'awaiting-sign-off' && record.status !== 'in-progress') {
        throw conflict(`The case is ${record.status}; progress notes belong to open work.`);
      }
      try {
        const event = await caseStore().appendEvent(record, {
          at: toShanghaiIso(now()),
          type: 'PROGRESS',
          unit: record.assignedUnit,
          actor: { unit: caller.unit, role: caller.role },
          note: body.note,
        });
        return { statusCode: 201, body: event };
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
      }
    }
    throw conflict('The case kept changing while the note was written; try again.');
  },
);

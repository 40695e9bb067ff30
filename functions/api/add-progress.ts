import { apiHandler } from '../commons/http';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { toShanghaiIso } from '../domain/calendar';
import type { CaseRecord, CaseStatus } from '../domain/case';
import { handlesCases, type Caller } from '../domain/identity';
import { heldTheCase } from '../domain/workflow';
import { forbidden, notFound, conflict } from '../commons/problems';
import { CaseIdParamsSchema } from './request-schemas';
import { ProgressBodySchema } from './action-bodies';

const OPEN_WORK: readonly CaseStatus[] = ['awaiting-sign-off', 'in-progress'];

/** Why `caller` may not add a note to the case as it stands now (403 not theirs, 409 moved on). */
function refusal(record: CaseRecord, caller: Caller): Error | undefined {
  if (!handlesCases(caller)) return forbidden(`The role ${caller.role} does not handle cases; only the assigned unit adds progress notes.`);
  if (caller.unit !== record.assignedUnit) {
    return heldTheCase(record, caller.unit)
      ? conflict(`The case is now with ${record.assignedUnit}; notes from ${caller.unit} no longer fit it.`)
      : forbidden(`Only the assigned unit (${record.assignedUnit}) adds progress notes.`);
  }
  if (!OPEN_WORK.includes(record.status)) return conflict(`The case is ${record.status}; progress notes belong to open work.`);
  return undefined;
}

/** A progress note on the timeline. It changes no workflow state, so the clock keeps running. */
export const handler = apiHandler(
  { auth: 'required', params: CaseIdParamsSchema, body: ProgressBodySchema },
  async ({ params, body, caller }) => {
    const found = await caseStore().getCase(params.id);
    if (!found) throw notFound(`No case ${params.id}.`);
    const refused = refusal(found.record, caller);
    if (refused) throw refused;
    const event = await caseStore().appendNote(params.id, caller.unit, OPEN_WORK, {
      at: toShanghaiIso(now()),
      type: 'PROGRESS',
      unit: caller.unit,
      actor: { unit: caller.unit, role: caller.role },
      note: body.note,
    });
    if (event) return { statusCode: 201, body: event };
    // The case moved on between the read and the write: say how it stands now.
    const current = await caseStore().getCase(params.id);
    throw (current && refusal(current.record, caller)) ?? conflict('The case changed while the note was written; try again.');
  },
);

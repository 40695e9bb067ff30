import { currentLight, type CaseRecord, type CaseView } from '../domain/case';
import { canSeePersonalData, type Caller } from '../domain/identity';
import { allowedActions } from '../domain/workflow';
import { calendar } from '../commons/app';
import { documentsOf, mediationsForView } from '../domain/mediation/file';

/**
 * The case as this caller may see it, with the light as of `nowMs` and what the caller may do
 * now, without its timeline: what a list shows. Kept apart from case-view.ts, which renders the
 * timeline's texts, so the list and its export carry no event catalogue.
 */
export function caseFields(record: CaseRecord, caller: Caller, nowMs: number): CaseView {
  const { version: _version, lastEventSeq: _seq, appliedRequests: _applied, complainant, mediations, ...visible } = record;
  const { actions, supervision } = allowedActions(record, caller, nowMs);
  const personal = canSeePersonalData(caller, record);
  const documents = documentsOf(record);
  return {
    ...visible,
    ...(complainant && personal ? { complainant } : {}),
    // The mediation and its file (一案一档): the parties' names only for those who may see personal data; the documents' route says the same.
    ...(mediations ? { mediations: mediationsForView(mediations, personal) } : {}),
    ...(documents.length > 0 ? { documents } : {}),
    light: currentLight(record, nowMs, calendar),
    allowedActions: actions,
    ...(actions.includes('supervise') ? { supervisionActions: supervision } : {}),
  };
}

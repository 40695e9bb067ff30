import { currentLight, type CaseRecord, type CaseView, type TimelineEvent } from '../domain/case';
import { canSeePersonalData, type Caller } from '../domain/identity';
import { calendar } from '../commons/app';

/** The case as this caller may see it, with the light as of `nowMs`. */
export function caseView(record: CaseRecord, timeline: TimelineEvent[] | undefined, caller: Caller, nowMs: number): CaseView {
  const { version: _version, lastEventSeq: _seq, appliedRequests: _applied, complainant, ...visible } = record;
  return {
    ...visible,
    ...(complainant && canSeePersonalData(caller, record) ? { complainant } : {}),
    light: currentLight(record, nowMs, calendar),
    ...(timeline ? { timeline } : {}),
  };
}

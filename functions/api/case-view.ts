import { currentLight, type CaseRecord, type CaseView, type TimelineEvent, type TimelineEventView } from '../domain/case';
import { canSeePersonalData, type Caller } from '../domain/identity';
import { allowedActions } from '../domain/workflow';
import { eventParams, renderMessage } from '../domain/texts/render';
// The timeline may hold mediation's events: their texts are registered where they are rendered.
import '../domain/mediation/event-texts';
import type { TextContext } from '../domain/texts/format';
import { calendar } from '../commons/app';
import { documentsOf, mediationsForView } from '../domain/mediation/file';

/** A timeline event with its code, params and text for this caller, and the person who acted. */
export function eventView(event: TimelineEvent, texts: TextContext): TimelineEventView {
  const params = eventParams(event);
  const { sub, name } = event.actor ?? {};
  return {
    ...event,
    code: event.type,
    params,
    text: renderMessage({ code: event.type, params }, texts),
    ...(sub ? { by: { sub, ...(name ? { name } : {}) } } : {}),
  };
}

/** The case as this caller may see it, with the light as of `nowMs` and what the caller may do now. */
export function caseView(record: CaseRecord, timeline: TimelineEvent[] | undefined, caller: Caller, nowMs: number, texts: TextContext): CaseView {
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
    ...(timeline ? { timeline: timeline.map((event) => eventView(event, texts)) } : {}),
  };
}

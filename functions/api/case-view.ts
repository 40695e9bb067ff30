import type { CaseRecord, CaseView, TimelineEvent, TimelineEventView } from '../domain/case';
import type { Caller } from '../domain/identity';
import { eventParams, renderMessage } from '../domain/texts/render';
import type { TextContext } from '../domain/texts/format';
import { caseFields } from './case-fields';

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

/** The case as this caller may see it (case-fields.ts), with its timeline rendered for the caller when given. */
export function caseView(record: CaseRecord, timeline: TimelineEvent[] | undefined, caller: Caller, nowMs: number, texts: TextContext): CaseView {
  return {
    ...caseFields(record, caller, nowMs),
    ...(timeline ? { timeline: timeline.map((event) => eventView(event, texts)) } : {}),
  };
}

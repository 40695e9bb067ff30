/**
 * Who is told what, as data (docs/notifications.md shows this table): for each timeline event
 * type, the audiences told, the text each gets and whether it is urgent. A module of its own with
 * no imports to run, so the workflow's alerts can name their audience (the `audience` message
 * attribute, ./audience.ts) without carrying the texts and contacts into every bundle.
 */
import type { NotificationCode } from '../texts/notifications';

export type Audience =
  /** The unit the event concerns (`unit`): the assigned unit, or the co-handler of a co-handler's alert. */
  | 'event-unit'
  /** The unit named as `data.to` (the new holder of a reassigned case). */
  | 'data-to'
  /** The units listed in `data.units`: the co-handlers asked, or a message's addressees. */
  | 'data-units'
  | 'origin'
  | 'supervision-centre'
  | 'joint-conference'
  /** The citizen, by SMS, when a phone was given. */
  | 'complainant';

export interface NotificationRule {
  readonly audience: Audience;
  readonly code: NotificationCode;
  /** Breaches and conference calls go out at once; others wait for the end of the unit's quiet hours. */
  readonly urgent: boolean;
  /** The event's data field that, when true, skips the rule (a case kept in the community has no new holder to tell). */
  readonly skipIf?: string;
  /** Told once per case whatever the event's seq (the unified reply: one result SMS). */
  readonly oncePerCase?: boolean;
}

export const NOTIFICATION_RULES: Readonly<Record<string, readonly NotificationRule[]>> = {
  CASE_ACCEPTED: [
    { audience: 'event-unit', code: 'NEW_CASE', urgent: false, skipIf: 'keptInCommunity' },
    { audience: 'complainant', code: 'COMPLAINANT_ACCEPTED', urgent: false, oncePerCase: true },
  ],
  REASSIGNED: [{ audience: 'data-to', code: 'REASSIGNED', urgent: false }],
  SIGN_OFF_WARNING: [{ audience: 'event-unit', code: 'SIGN_OFF_WARNING', urgent: false }],
  SIGN_OFF_OVERDUE: [
    { audience: 'event-unit', code: 'SIGN_OFF_OVERDUE', urgent: true },
    { audience: 'supervision-centre', code: 'SUPERVISION_BREACH', urgent: true },
  ],
  HANDLING_WARNING: [{ audience: 'event-unit', code: 'HANDLING_WARNING', urgent: false }],
  HANDLING_OVERDUE: [
    { audience: 'event-unit', code: 'HANDLING_OVERDUE', urgent: true },
    { audience: 'supervision-centre', code: 'SUPERVISION_BREACH', urgent: true },
  ],
  URGED: [{ audience: 'event-unit', code: 'URGED', urgent: false }],
  EXTENSION_APPROVED: [{ audience: 'event-unit', code: 'EXTENSION_APPROVED', urgent: false }],
  EXTENSION_REFUSED: [{ audience: 'event-unit', code: 'EXTENSION_REFUSED', urgent: false }],
  ESCALATED: [{ audience: 'event-unit', code: 'ESCALATED', urgent: true }],
  CONFERENCE_REQUIRED: [{ audience: 'joint-conference', code: 'CONFERENCE_REQUIRED', urgent: true }],
  // The complainant's result SMS (COMPLAINANT_RESULT) carries the PIN of that result, which is kept only as a hash:
  // it is written where the PIN is drawn (functions/workflow/case-workflow.ts), once per result, not derived here.
  RESOLVED: [{ audience: 'origin', code: 'RESULT_TO_ORIGIN', urgent: false }],
  // A closed case reopened (by the complainant, the community or the supervisor) goes back to the unit of its last result.
  CASE_REOPENED: [{ audience: 'event-unit', code: 'REOPENED_TO_UNIT', urgent: false }],
  EVALUATION_UNSATISFIED: [
    { audience: 'origin', code: 'UNSATISFIED_TO_ORIGIN', urgent: false },
    { audience: 'supervision-centre', code: 'UNSATISFIED_TO_SUPERVISION', urgent: false },
  ],
  RETURNED: [{ audience: 'supervision-centre', code: 'RETURNED', urgent: false }],
  CO_HANDLERS_REQUESTED: [{ audience: 'data-units', code: 'CO_HANDLE_REQUESTED', urgent: false }],
  CO_HANDLER_WARNING: [{ audience: 'event-unit', code: 'CO_HANDLER_WARNING', urgent: false }],
  CO_HANDLER_OVERDUE: [
    { audience: 'event-unit', code: 'CO_HANDLER_OVERDUE', urgent: true },
    { audience: 'supervision-centre', code: 'SUPERVISION_BREACH', urgent: true },
  ],
  MESSAGE: [{ audience: 'data-units', code: 'MESSAGE', urgent: false }],
  // Mediation (domain/mediation): the body referred to; an agreement to the units it is reported to (mediation-recipients.ts:
  // the holder, and the traffic police for a traffic accident); the body's warnings and breaches; an unfulfilled agreement to the holder.
  MEDIATION_REFERRED: [{ audience: 'event-unit', code: 'MEDIATION_REFERRED', urgent: false }],
  MEDIATION_AGREEMENT: [{ audience: 'data-units', code: 'MEDIATION_AGREEMENT', urgent: false }],
  MEDIATION_WARNING: [{ audience: 'event-unit', code: 'MEDIATION_WARNING', urgent: false }],
  MEDIATION_OVERDUE: [
    { audience: 'event-unit', code: 'MEDIATION_OVERDUE', urgent: true },
    { audience: 'supervision-centre', code: 'SUPERVISION_BREACH', urgent: true },
  ],
  MEDIATION_UNFULFILLED: [{ audience: 'event-unit', code: 'MEDIATION_UNFULFILLED', urgent: false }],
};


import { apiHandler } from '../commons/http';
import { caseStore, directory } from '../commons/app';
import { now } from '../commons/clock';
import { toShanghaiIso } from '../domain/calendar';
import { CASE_STATUSES } from '../domain/case';
import { MessageBodySchema } from '../domain/notifications/message-body';
import { timelineActor } from '../domain/identity';
import { errorText } from '../domain/errors';
import { refusal } from '../domain/texts/notification-refusals';
import { defaultContacts } from '../domain/notifications/contacts';
import { partiesOf } from '../domain/notifications/rules';
import { conflict, forbidden, notFound } from '../commons/problems';
import { dispatchCase } from '../notify/dispatcher';
import { notificationSender } from '../notify/sender';
import { logger } from '../commons/logger';
import { CaseIdParamsSchema } from './request-schemas';

/**
 * POST /v1/cases/{id}/messages: any party to the case (its originating community, the units that
 * hold or held it, its co-handlers, the supervision centre) writes to the others, or to some of
 * them. The message goes on the timeline (MESSAGE) and its addressees are notified. It changes no
 * workflow state, so the clock keeps running.
 */
export const handler = apiHandler({ auth: 'required', params: CaseIdParamsSchema, body: MessageBodySchema }, async ({ params, body, caller }) => {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await caseStore().getCase(params.id);
    if (!found) throw notFound(errorText('case-not-found', { caseId: params.id }));
    const parties = partiesOf(found.record, directory);
    // Auditors and operators read cases; they are no party to one.
    if (!parties.has(caller.unit) || caller.role === 'auditor' || caller.role === 'operator') throw forbidden(refusal('not-a-party', { units: caller.unit }));
    const strangers = (body.toUnits ?? []).filter((unit) => !parties.has(unit));
    if (strangers.length) throw forbidden(refusal('not-a-party', { units: strangers.join(',') }));
    const to = [...new Set(body.toUnits ?? [...parties])].filter((unit) => unit !== caller.unit);
    // Appended while the case is still with the unit just read: a case that moved meanwhile is read again.
    const event = await caseStore().appendNote(params.id, found.record.assignedUnit, CASE_STATUSES, {
      at: toShanghaiIso(now()),
      type: 'MESSAGE',
      unit: caller.unit,
      actor: timelineActor(caller),
      note: body.text,
      data: { units: to.join(','), ...(body.toUnits ? { addressed: true } : {}) },
    });
    if (!event) continue;
    const sender = notificationSender();
    if (sender) {
      try {
        await dispatchCase(found.record, [event], { directory, contacts: defaultContacts() }, sender);
      } catch (error) {
        // Written on the timeline: the case's next workflow step tells them.
        logger.error({ caseId: params.id, error: (error as Error).message }, 'message notifications not dispatched');
      }
    }
    return { statusCode: 201, body: event };
  }
  throw conflict(errorText('changed-retry'));
});

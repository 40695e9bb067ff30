import { apiHandler } from '../commons/http';
import { forbidden, notFound } from '../commons/problems';
import { refusal } from '../domain/texts/notification-refusals';
import { defaultDirectory as directory } from '../domain/directory';
import { defaultContacts } from '../domain/notifications/contacts';
import { UnitParamsSchema } from '../domain/notifications/requests';

/** GET /v1/units/{id}/contacts: a unit's duty contacts, for the unit itself, the supervisor and operators; not public. */
export const handler = apiHandler({ auth: 'required', params: UnitParamsSchema }, async ({ params, caller }) => {
  if (!directory.get(params.id)) throw notFound(refusal('unit-not-found', { unitId: params.id }));
  if (caller.unit !== params.id && caller.role !== 'supervisor' && caller.role !== 'operator') {
    throw forbidden(refusal('own-unit-only', { callerUnit: caller.unit }));
  }
  const contacts = defaultContacts().of(params.id) ?? { sms: [], email: [] };
  return { statusCode: 200, body: { unit: params.id, ...contacts } };
});

import { apiHandler } from '../commons/http';
import { forbidden, serviceUnavailable } from '../commons/problems';
import { refusal } from '../domain/texts/notification-refusals';
import { ListNotificationsQuerySchema, maskPhone, type NotificationView } from '../domain/notifications/requests';
import { notificationLog } from '../notify/sender';

/**
 * GET /v1/notifications: the notifications sent to the caller's own unit, newest first, a page at
 * a time (for the console's bell). Operators read another unit's (`unit`), a case's (`caseId`,
 * the complainant's SMS among them) or the webhook calls parked with the reason
 * (`status=parked`); the complainant's phone shows masked. The log is the deployment's: the
 * local outbox, or the table's in AWS (functions/store/notification-log-store.ts).
 */
export const handler = apiHandler({ auth: 'required', query: ListNotificationsQuerySchema }, async ({ query, caller, lang }) => {
  const log = notificationLog();
  if (!log) throw serviceUnavailable(refusal('no-notification-log'));
  const operator = caller.role === 'operator';
  if (query.unit && query.unit !== caller.unit && !operator) throw forbidden(refusal('own-unit-only', { callerUnit: caller.unit }));
  // Everyone reads their own unit's; operators may also name a unit, a case, or the parked calls across units.
  const unit = operator ? (query.unit ?? (query.caseId || query.status === 'parked' ? undefined : caller.unit)) : caller.unit;
  const page = await log.page({
    ...(unit ? { unit } : {}),
    ...(query.caseId ? { caseId: query.caseId } : {}),
    ...(query.status ? { status: query.status } : {}),
    limit: query.limit ?? 20,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  const items: NotificationView[] = page.items.map(({ id, channel, to, unit: told, caseId, code, text, textEn, at, status, reason, heldUntil }) => ({
    id,
    channel,
    to: told ? to : maskPhone(to),
    ...(told ? { unit: told } : {}),
    caseId,
    code,
    // Sent in Chinese; the English beside it for a caller who reads English.
    text: lang === 'en' && textEn ? textEn : text,
    at,
    status,
    ...(reason ? { reason } : {}),
    ...(heldUntil ? { heldUntil } : {}),
  }));
  return { statusCode: 200, body: { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
});

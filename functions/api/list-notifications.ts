import { apiHandler } from '../commons/http';
import { forbidden, serviceUnavailable } from '../commons/problems';
import { refusal } from '../domain/texts/notification-refusals';
import { ListNotificationsQuerySchema, maskPhone, type NotificationView } from '../domain/notifications/requests';
import { notificationLog } from '../notify/sender';

/**
 * GET /v1/notifications: the notifications sent to the caller's own unit, newest first, a page at
 * a time (for the console's bell). Operators see every unit's, or one unit's (`unit`), and find
 * webhook calls that were parked with `status=parked`; the complainant's phone shows masked.
 */
export const handler = apiHandler({ auth: 'required', query: ListNotificationsQuerySchema }, async ({ query, caller }) => {
  const log = notificationLog();
  if (!log) throw serviceUnavailable(refusal('no-notification-log'));
  const operator = caller.role === 'operator';
  if (query.unit && query.unit !== caller.unit && !operator) throw forbidden(refusal('own-unit-only', { callerUnit: caller.unit }));
  const unit = operator ? query.unit : caller.unit;
  const found = log
    .list({ ...(unit ? { unit } : {}), ...(query.caseId ? { caseId: query.caseId } : {}), ...(query.status ? { status: query.status } : {}) })
    .slice()
    .reverse();
  const limit = query.limit ?? 20;
  const from = Number(query.cursor ?? 0);
  const items: NotificationView[] = found.slice(from, from + limit).map((item) => ({ ...item, to: item.unit ? item.to : maskPhone(item.to) }));
  return { statusCode: 200, body: { items, ...(from + limit < found.length ? { nextCursor: String(from + limit) } : {}) } };
});

import * as z from 'zod/mini';
import '../zod-locale';
import { UnitIdSchema } from '../case';
import { UnitContactsSchema } from './contacts';

/** GET /v1/units/{id}/contacts */
export const UnitParamsSchema = z.strictObject({ id: UnitIdSchema });
export const UnitContactsViewSchema = z.extend(UnitContactsSchema, { unit: z.string() }).register(z.globalRegistry, { id: 'UnitContacts' });

export const NOTIFICATION_STATUSES = ['sent', 'pending', 'refused', 'parked'] as const;

/** GET /v1/notifications */
export const ListNotificationsQuerySchema = z.strictObject({
  status: z.optional(z.enum(NOTIFICATION_STATUSES)),
  unit: z.optional(UnitIdSchema),
  caseId: z.optional(z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a case id (26 characters)'))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
  /** Opaque: the `nextCursor` of the page before (an offset locally, the table's last key in AWS). */
  cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,1000}$/, 'a cursor from nextCursor'))),
});

export const NotificationViewSchema = z
  .object({
    id: z.string(),
    channel: z.enum(['sms', 'email', 'webhook']),
    to: z.string(),
    unit: z.optional(z.string()),
    caseId: z.string(),
    code: z.string(),
    text: z.string(),
    at: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    reason: z.optional(z.string()),
    heldUntil: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'Notification' });
export type NotificationView = z.infer<typeof NotificationViewSchema>;
export const NotificationListSchema = z.object({ items: z.array(NotificationViewSchema), nextCursor: z.optional(z.string()) }).register(z.globalRegistry, { id: 'NotificationList' });

/** A complainant's phone as an operator sees it on a notification: the first three and last four digits. */
export const maskPhone = (phone: string): string => (phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****');

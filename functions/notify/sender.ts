/**
 * The pluggable sender: what a provider adapter must offer. `deliver` is called once per
 * notification id that the dispatcher has not yet recorded as sent; an adapter must treat
 * the id as the provider's idempotency key (SNS: a message deduplication key in the receiving
 * system; an SMS provider's client reference, e.g. Aliyun SMS's OutId) so a retry after a
 * crash between the provider's acceptance and our record is still one message to the person.
 *
 * Locally the stack sets the outbox (local/notifications.ts); in AWS the functions whose
 * environment says NOTIFICATION_LOG=table use the table's log and SNS SMS (./deployment.ts).
 */
import type { Channel, Notification } from '../domain/notifications/rules';
import type { NotificationPage, NotificationPageQuery } from '../store/notification-log-store';
import { deployedNotifications } from './deployment';

export type DeliveryResult =
  | { readonly status: 'sent' }
  /** Logged, to go out later: held through quiet hours, or a webhook call the sweep makes. */
  | { readonly status: 'pending' }
  /** Already delivered under this id: nothing was sent again. */
  | { readonly status: 'duplicate' }
  /** The provider refused it for good (an invalid number): recorded, the case goes on. */
  | { readonly status: 'refused'; readonly reason: string }
  /** Retries used up (a webhook that times out, answers 5xx or redirects), or no provider: kept for the operator. */
  | { readonly status: 'parked'; readonly reason: string };

export interface NotificationSender {
  /** The channels this sender delivers; the dispatcher hands it no other (absent: all). */
  readonly channels?: readonly Channel[];
  deliver(notification: Notification): Promise<DeliveryResult>;
  /** Of these ids of one case, those already delivered (an optional shortcut: `deliver` refuses them anyway). */
  delivered?(caseId: string, ids: readonly string[]): Promise<ReadonlySet<string>>;
}

/** Where delivered notifications can be read back (GET /v1/notifications): a page, newest first. */
export interface NotificationLog {
  page(query: NotificationPageQuery): Promise<NotificationPage>;
}

let current: NotificationSender | undefined;
let log: NotificationLog | undefined;

/** The stack chooses the sender once at start (the local outbox); in AWS the environment does. */
export function useNotificationSender(sender: NotificationSender | undefined): void {
  current = sender;
}
export function useNotificationLog(next: NotificationLog | undefined): void {
  log = next;
}

export const notificationSender = (): NotificationSender | undefined => current ?? deployedNotifications()?.sender;
export const notificationLog = (): NotificationLog | undefined => log ?? deployedNotifications()?.log;

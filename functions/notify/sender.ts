/**
 * The pluggable sender: what a provider adapter must offer. `deliver` is called once per
 * notification id that the dispatcher has not yet recorded as sent; an adapter must treat
 * the id as the provider's idempotency key (SNS: a message deduplication key in the receiving
 * system; an SMS provider's client reference, e.g. Aliyun SMS's OutId) so a retry after a
 * crash between the provider's acceptance and our record is still one message to the person.
 */
import type { Notification } from '../domain/notifications/rules';

export type DeliveryResult =
  | { readonly status: 'sent' }
  /** Already delivered under this id: nothing was sent again. */
  | { readonly status: 'duplicate' }
  /** The provider refused it for good (an invalid number): recorded, the case goes on. */
  | { readonly status: 'refused'; readonly reason: string }
  /** Retries used up (a webhook that times out, answers 5xx or redirects): kept for the operator. */
  | { readonly status: 'parked'; readonly reason: string };

export interface NotificationSender {
  deliver(notification: Notification): Promise<DeliveryResult>;
}

let current: NotificationSender | undefined;

/** The stack chooses the sender once at start (the local outbox, or a provider adapter in AWS). */
export function useNotificationSender(sender: NotificationSender | undefined): void {
  current = sender;
}

export const notificationSender = (): NotificationSender | undefined => current;

/** Where delivered notifications can be read back (GET /v1/notifications): the local outbox. */
export interface NotificationLog {
  list(filter: { unit?: string; caseId?: string; status?: string }): ReadonlyArray<{
    id: string;
    channel: 'sms' | 'email' | 'webhook';
    to: string;
    unit?: string;
    caseId: string;
    code: string;
    text: string;
    at: string;
    status: 'sent' | 'pending' | 'refused' | 'parked';
    reason?: string;
    heldUntil?: string;
  }>;
}

let log: NotificationLog | undefined;
export function useNotificationLog(next: NotificationLog | undefined): void {
  log = next;
}
export const notificationLog = (): NotificationLog | undefined => log;

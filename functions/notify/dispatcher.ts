/**
 * The dispatcher: after a workflow step (or a message) is written, it reads the case and its
 * timeline and hands every notification its events call for to the sender. It derives from the
 * whole timeline each time, so a notification whose first attempt died with the process is sent
 * by the next dispatch (never lost); the sender refuses an id it has already delivered (never
 * twice). A refusal or a parked webhook is recorded and never fails the step.
 */
import type { CaseRecord, TimelineEvent } from '../domain/case';
import { notificationsFor, type Notification, type NotificationContext } from '../domain/notifications/rules';
import type { DeliveryResult, NotificationSender } from './sender';

export interface DispatchSummary {
  readonly results: ReadonlyArray<{ readonly notification: Notification; readonly result: DeliveryResult }>;
}

export async function dispatchCase(record: CaseRecord, timeline: readonly TimelineEvent[], ctx: NotificationContext, sender: NotificationSender): Promise<DispatchSummary> {
  const due: Notification[] = [];
  const seen = new Set<string>();
  for (const event of timeline) {
    for (const notification of notificationsFor(record, event, ctx)) {
      if (seen.has(notification.id) || (sender.channels && !sender.channels.includes(notification.channel))) continue;
      seen.add(notification.id);
      due.push(notification);
    }
  }
  // Ids the sender already has (earlier steps' notifications) are skipped without a delivery attempt.
  const delivered = sender.delivered && due.length ? await sender.delivered(record.id, due.map((n) => n.id)) : new Set<string>();
  const results: Array<{ notification: Notification; result: DeliveryResult }> = [];
  for (const notification of due) {
    results.push({ notification, result: delivered.has(notification.id) ? { status: 'duplicate' } : await sender.deliver(notification) });
  }
  return { results };
}

/**
 * The sender of a deployment with a notification log in the table (AWS): every id is logged once
 * (a conditional write), then sent. SMS go out at once through the SMS provider, unless held
 * through the unit's quiet hours; webhook calls are never made inline: the sweep
 * (./notification-sweep.ts, every minute) makes them, retries them with doubling back-off and
 * parks them with the reason, and sends what quiet hours held. A notification a crash left
 * unsettled is taken up again by the sweep when its lease runs out. Email goes by the units'
 * SNS email subscriptions on the alert topic, not through here (docs/notifications.md).
 */
import type { Channel, Notification } from '../domain/notifications/rules';
import type { LoggedNotification, NotificationLogStore } from '../store/notification-log-store';
import type { DeliveryResult, NotificationSender } from './sender';
import type { SmsProvider } from './sms';
import { callWebhook } from './webhook';

export interface LoggedSenderOptions {
  readonly log: Pick<NotificationLogStore, 'claim' | 'update' | 'due' | 'logged'>;
  readonly sms: SmsProvider;
  readonly now: () => number;
  /** How long a send may take before the sweep takes it up again (default 5 minutes). */
  readonly leaseMs?: number;
  /** Webhook attempts before parking (default 5), the first back-off (default 1 minute, doubled each time) and each call's limit. */
  readonly webhookAttempts?: number;
  readonly webhookBackoffMs?: number;
  readonly webhookTimeoutMs?: number;
  /** SMS attempts through passing failures before parking (default 8). */
  readonly smsAttempts?: number;
}

export interface SweepSummary {
  readonly sent: number;
  readonly retried: number;
  readonly parked: number;
  readonly refused: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What every record of a notification holds, in the table's log and the local outbox alike: the
 * notification itself, when it was logged, and until when quiet hours hold it.
 */
export const loggedFields = (notification: Notification, atMs: number) => ({
  id: notification.id,
  channel: notification.channel,
  to: notification.to,
  ...(notification.unit ? { unit: notification.unit } : {}),
  caseId: notification.caseId,
  code: notification.code,
  cause: notification.cause,
  text: notification.text,
  textEn: notification.textEn,
  at: iso(atMs),
  ...(notification.notBeforeMs > atMs ? { heldUntil: iso(notification.notBeforeMs) } : {}),
});

export class LoggedSender implements NotificationSender {
  readonly channels: readonly Channel[] = ['sms', 'webhook'];

  constructor(private readonly options: LoggedSenderOptions) {}

  private get leaseMs() {
    return this.options.leaseMs ?? 5 * 60_000;
  }

  delivered(caseId: string, ids: readonly string[]): Promise<ReadonlySet<string>> {
    return this.options.log.logged(caseId, ids);
  }

  async deliver(notification: Notification): Promise<DeliveryResult> {
    const nowMs = this.options.now();
    const held = notification.notBeforeMs > nowMs;
    const record: LoggedNotification = {
      ...loggedFields(notification, nowMs),
      status: 'pending',
      attempts: 0,
      // Held or a webhook: the sweep's, when due. An SMS to send now: leased to this call, taken up again if it dies.
      dueAt: held ? iso(notification.notBeforeMs) : notification.channel === 'webhook' ? iso(nowMs) : iso(nowMs + this.leaseMs),
    };
    if (!(await this.options.log.claim(record))) return { status: 'duplicate' };
    if (held || notification.channel === 'webhook') return { status: 'pending' };
    return this.attempt(record);
  }

  /** Sends one leased notification and settles it: sent, refused, parked, or due again after a back-off. */
  private async attempt(record: LoggedNotification): Promise<DeliveryResult> {
    const nowMs = this.options.now();
    const attempts = (record.attempts ?? 0) + 1;
    const { dueAt: _lease, ...rest } = record;
    let failure: string;
    let maxAttempts: number;
    let backoffMs: number;
    if (record.channel === 'sms') {
      maxAttempts = this.options.smsAttempts ?? 8;
      backoffMs = 60_000;
      try {
        const result = await this.options.sms.send({ to: record.to, text: record.text, reference: record.id });
        if (result.status === 'sent') return this.settle(record, { ...rest, status: 'sent', attempts }, { status: 'sent' });
        if (result.status === 'refused') return this.settle(record, { ...rest, status: 'refused', attempts, reason: result.reason }, { status: 'refused', reason: result.reason });
        return this.settle(record, { ...rest, status: 'parked', attempts, reason: result.reason }, { status: 'parked', reason: result.reason });
      } catch (error) {
        failure = `the provider failed: ${(error as Error).message}`;
      }
    } else {
      maxAttempts = this.options.webhookAttempts ?? 5;
      backoffMs = this.options.webhookBackoffMs ?? 60_000;
      const outcome = await callWebhook(record, { timeoutMs: this.options.webhookTimeoutMs ?? 5000 });
      if (outcome.ok) return this.settle(record, { ...rest, status: 'sent', attempts }, { status: 'sent' });
      failure = outcome.reason;
    }
    if (attempts >= maxAttempts) {
      const reason = `${failure}, after ${attempts} attempts`;
      return this.settle(record, { ...rest, status: 'parked', attempts, reason }, { status: 'parked', reason });
    }
    return this.settle(record, { ...rest, attempts, reason: failure, dueAt: iso(nowMs + backoffMs * 2 ** (attempts - 1)) }, { status: 'pending' });
  }

  private async settle(current: LoggedNotification, next: LoggedNotification, result: DeliveryResult): Promise<DeliveryResult> {
    await this.options.log.update(current, next);
    return result;
  }

  /**
   * One sweep: every notification due by now (held ones whose quiet hours ended, webhook calls
   * and their retries, sends a crash left unsettled), each first leased (so an overlapping sweep
   * skips it), then sent and settled.
   */
  async sweep(limit = 100): Promise<SweepSummary> {
    const nowMs = this.options.now();
    const summary = { sent: 0, retried: 0, parked: 0, refused: 0 };
    for (const due of await this.options.log.due(iso(nowMs), limit)) {
      const leased: LoggedNotification = { ...due, dueAt: iso(nowMs + this.leaseMs) };
      if (!(await this.options.log.update(due, leased))) continue;
      const result = await this.attempt(leased);
      if (result.status === 'sent') summary.sent += 1;
      else if (result.status === 'parked') summary.parked += 1;
      else if (result.status === 'refused') summary.refused += 1;
      else summary.retried += 1;
    }
    return summary;
  }
}

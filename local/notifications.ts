import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PHONE } from '../functions/domain/notifications/contacts';
import type { Notification } from '../functions/domain/notifications/rules';
import type { DeliveryResult, NotificationLog, NotificationSender } from '../functions/notify/sender';
import type { LoggedNotification, NotificationPage, NotificationPageQuery } from '../functions/store/notification-log-store';
import { callWebhook } from '../functions/notify/webhook';
import { loggedFields } from '../functions/notify/logged-sender';
import { invalidInput } from '../functions/domain/errors';

/*
 * The local outbox: the stack's SMS, email and webhook provider. Every delivery is one JSON line
 * (kept across restarts, like a provider's log), printed as one readable line, and served at
 * GET /_local/notifications. The line is the sent marker: an id already in the file is never
 * written again, so a dispatch repeated after a crash or a retried step delivers nothing twice.
 * A line torn by a kill is not a delivery (the next dispatch writes it whole).
 */
/** A line of the outbox: a notification as the deployed log keeps it, without the sweep's due time (the outbox sends at once). */
export type OutboxItem = Omit<LoggedNotification, 'dueAt'>;

export interface LocalOutboxOptions {
  readonly file: string;
  readonly now: () => number;
  readonly print?: (line: string) => void;
  /** Webhook calls: attempts before parking (default 4), the first back-off (default 500 ms, doubled each time) and each call's time limit. */
  readonly webhookAttempts?: number;
  readonly webhookBackoffMs?: number;
  readonly webhookTimeoutMs?: number;
}

/** A later line for an id already delivered: how its webhook call ended. */
interface StatusLine {
  readonly update: string;
  readonly status: 'sent' | 'parked';
  readonly attempts: number;
  readonly reason?: string;
}

export class LocalOutbox implements NotificationSender, NotificationLog {
  private readonly items: OutboxItem[] = [];
  private readonly ids = new Set<string>();
  private readonly calls = new Set<Promise<void>>();
  /** Aborted when the stack stops: calls in flight stay pending and are made again at the next start. */
  private readonly closing = new AbortController();

  constructor(private readonly options: LocalOutboxOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    if (!existsSync(options.file)) return;
    const text = readFileSync(options.file, 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const parsed = JSON.parse(line) as OutboxItem | StatusLine;
        if ('update' in parsed) this.replace(parsed.update, parsed);
        else {
          this.items.push(parsed);
          this.ids.add(parsed.id);
        }
      } catch {
        // A line torn by a kill: not delivered.
      }
    }
    // The next line starts on its own, after a torn one.
    if (text && !text.endsWith('\n')) appendFileSync(options.file, '\n');
    // Webhook calls a kill cut off are made again (the receiver dedupes by the x-notification-id header).
    for (const item of this.items) if (item.status === 'pending') this.call(item);
  }

  private replace(id: string, update: StatusLine): void {
    const index = this.items.findIndex((item) => item.id === id);
    if (index < 0) return;
    const { reason: _old, ...rest } = this.items[index]!;
    this.items[index] = { ...rest, status: update.status, attempts: update.attempts, ...(update.reason ? { reason: update.reason } : {}) };
  }

  /** Calls the webhook in the background, with retries and back-off; never holds up the dispatch. */
  private call(item: OutboxItem): void {
    const call = this.post(item).finally(() => this.calls.delete(call));
    this.calls.add(call);
  }

  private async post(item: OutboxItem): Promise<void> {
    const attempts = this.options.webhookAttempts ?? 4;
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const outcome = await callWebhook(item, { timeoutMs: this.options.webhookTimeoutMs ?? 5000, signal: this.closing.signal });
      if (outcome.ok) return this.settle(item.id, { update: item.id, status: 'sent', attempts: attempt });
      reason = outcome.reason;
      if (this.closing.signal.aborted) return;
      if (attempt < attempts) await this.pause((this.options.webhookBackoffMs ?? 500) * 2 ** (attempt - 1));
      if (this.closing.signal.aborted) return;
    }
    this.options.print?.(`notify webhook ${item.to} parked after ${attempts} attempts: ${reason}`);
    this.settle(item.id, { update: item.id, status: 'parked', attempts, reason: `${reason}, after ${attempts} attempts` });
  }

  private settle(id: string, update: StatusLine): void {
    appendFileSync(this.options.file, `${JSON.stringify(update)}\n`);
    this.replace(id, update);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.closing.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  /** Stops webhook calls in flight; they stay pending in the file. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.settled();
  }

  /** Resolves when every webhook call in flight has been answered or parked. */
  async settled(): Promise<void> {
    while (this.calls.size) await Promise.allSettled([...this.calls]);
  }

  async deliver(notification: Notification): Promise<DeliveryResult> {
    // Checked and marked in one synchronous turn: two dispatches of the same case cannot both pass.
    if (this.ids.has(notification.id)) return { status: 'duplicate' };
    const atMs = this.options.now();
    const refused = notification.channel === 'sms' && !PHONE.test(notification.to) ? `the provider refused the number ${notification.to}` : undefined;
    const item: OutboxItem = {
      ...loggedFields(notification, atMs),
      status: refused ? 'refused' : notification.channel === 'webhook' ? 'pending' : 'sent',
      ...(refused ? { reason: refused } : {}),
    };
    appendFileSync(this.options.file, `${JSON.stringify(item)}\n`);
    this.ids.add(item.id);
    this.items.push(item);
    this.options.print?.(`notify ${item.channel} ${item.to}${item.unit ? ` (${item.unit})` : ''} · ${item.text}${refused ? ` · REFUSED` : ''}`);
    if (item.status === 'pending') this.call(item);
    return refused ? { status: 'refused', reason: refused } : { status: 'sent' };
  }

  /** GET /v1/notifications: a page, newest first; the cursor is the offset into the filtered list. */
  async page(query: NotificationPageQuery): Promise<NotificationPage> {
    const found = this.list({ ...(query.unit ? { unit: query.unit } : {}), ...(query.caseId ? { caseId: query.caseId } : {}), ...(query.status ? { status: query.status } : {}) })
      .slice()
      .reverse();
    const from = query.cursor === undefined ? 0 : Number(query.cursor);
    if (!Number.isSafeInteger(from) || from < 0) throw invalidInput('cursor', 'cursor');
    return { items: found.slice(from, from + query.limit), ...(from + query.limit < found.length ? { nextCursor: String(from + query.limit) } : {}) };
  }

  /** Deliveries, oldest first, optionally to one address, unit or case, or in one status. */
  list(filter: { to?: string; unit?: string; caseId?: string; status?: string } = {}): OutboxItem[] {
    return this.items.filter(
      (item) =>
        (!filter.to || item.to === filter.to) &&
        (!filter.unit || item.unit === filter.unit) &&
        (!filter.caseId || item.caseId === filter.caseId) &&
        (!filter.status || item.status === filter.status),
    );
  }
}

import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PHONE } from '../functions/domain/notifications/contacts';
import type { Notification } from '../functions/domain/notifications/rules';
import type { DeliveryResult, NotificationSender } from '../functions/notify/sender';

/*
 * The local outbox: the stack's SMS, email and webhook provider. Every delivery is one JSON line
 * (kept across restarts, like a provider's log), printed as one readable line, and served at
 * GET /_local/notifications. The line is the sent marker: an id already in the file is never
 * written again, so a dispatch repeated after a crash or a retried step delivers nothing twice.
 * A line torn by a kill is not a delivery (the next dispatch writes it whole).
 */
export interface OutboxItem {
  readonly id: string;
  readonly channel: Notification['channel'];
  readonly to: string;
  readonly unit?: string;
  readonly caseId: string;
  readonly code: string;
  readonly cause: string;
  readonly text: string;
  readonly at: string;
  readonly status: 'sent' | 'refused';
  readonly reason?: string;
  /** A non-urgent message in the unit's quiet hours: when the provider releases it. */
  readonly heldUntil?: string;
}

export interface LocalOutboxOptions {
  readonly file: string;
  readonly now: () => number;
  readonly print?: (line: string) => void;
}

export class LocalOutbox implements NotificationSender {
  private readonly items: OutboxItem[] = [];
  private readonly ids = new Set<string>();

  constructor(private readonly options: LocalOutboxOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    if (!existsSync(options.file)) return;
    const text = readFileSync(options.file, 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const item = JSON.parse(line) as OutboxItem;
        this.items.push(item);
        this.ids.add(item.id);
      } catch {
        // A line torn by a kill: not delivered.
      }
    }
    // The next line starts on its own, after a torn one.
    if (text && !text.endsWith('\n')) appendFileSync(options.file, '\n');
  }

  async deliver(notification: Notification): Promise<DeliveryResult> {
    // Checked and marked in one synchronous turn: two dispatches of the same case cannot both pass.
    if (this.ids.has(notification.id)) return { status: 'duplicate' };
    const atMs = this.options.now();
    const refused = notification.channel === 'sms' && !PHONE.test(notification.to) ? `the provider refused the number ${notification.to}` : undefined;
    const item: OutboxItem = {
      id: notification.id,
      channel: notification.channel,
      to: notification.to,
      ...(notification.unit ? { unit: notification.unit } : {}),
      caseId: notification.caseId,
      code: notification.code,
      cause: notification.cause,
      text: notification.text,
      at: new Date(atMs).toISOString(),
      status: refused ? 'refused' : 'sent',
      ...(refused ? { reason: refused } : {}),
      ...(notification.notBeforeMs > atMs ? { heldUntil: new Date(notification.notBeforeMs).toISOString() } : {}),
    };
    appendFileSync(this.options.file, `${JSON.stringify(item)}\n`);
    this.ids.add(item.id);
    this.items.push(item);
    this.options.print?.(`notify ${item.channel} ${item.to}${item.unit ? ` (${item.unit})` : ''} · ${item.text}${refused ? ` · REFUSED` : ''}`);
    return refused ? { status: 'refused', reason: refused } : { status: 'sent' };
  }

  /** Deliveries, oldest first, optionally to one address, unit or case. */
  list(filter: { to?: string; unit?: string; caseId?: string } = {}): OutboxItem[] {
    return this.items.filter((item) => (!filter.to || item.to === filter.to) && (!filter.unit || item.unit === filter.unit) && (!filter.caseId || item.caseId === filter.caseId));
  }
}

import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { matchesFilterPolicy, type FilterPolicy, type MessageAttribute } from './sns-filter-policy';

/*
 * The local SNS: every alert the workflow publishes is kept (a JSON-lines file, so a restart
 * keeps the list, and memory does not grow with the number of alerts), printed as one readable
 * line, and POSTed as JSON to the HTTP subscribers of the local config file, with retries.
 */
export interface PublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly publishedAt: string;
  readonly attributes: Record<string, string>;
  readonly message: unknown;
}

export interface HttpSubscriber {
  readonly url: string;
  /** Only messages whose attributes pass this SNS filter policy (sns-filter-policy.ts: AWS's semantics). */
  readonly filter?: FilterPolicy;
}

export interface LocalSnsOptions {
  readonly file: string;
  readonly subscribers: readonly HttpSubscriber[];
  readonly print?: (line: string) => void;
  readonly now: () => number;
  readonly retries?: number;
  readonly retryDelayMs?: number;
}


export function describeAlert(message: unknown): string {
  if (!message || typeof message !== 'object') return JSON.stringify(message);
  const alert = message as Record<string, unknown>;
  const due = alert.dueAt ? ` due ${alert.dueAt}` : '';
  return `${alert.type} case ${alert.caseId} · ${alert.unit} · tier ${alert.tier}${due} · ${alert.detail ?? ''}`;
}

export class LocalSns {
  private deliveries = new Set<Promise<void>>();

  constructor(private readonly options: LocalSnsOptions) {}

  async open(): Promise<void> {
    await mkdir(dirname(this.options.file), { recursive: true });
  }

  async publish(params: {
    TopicArn: string;
    Message: string;
    MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
  }): Promise<{ MessageId: string }> {
    let message: unknown = params.Message;
    try {
      message = JSON.parse(params.Message);
    } catch {
      // Plain-text messages are kept as they are.
    }
    const published: PublishedMessage = {
      messageId: randomUUID(),
      topicArn: params.TopicArn,
      publishedAt: new Date(this.options.now()).toISOString(),
      attributes: Object.fromEntries(Object.entries(params.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])),
      message,
    };
    await appendFile(this.options.file, `${JSON.stringify(published)}\n`);
    this.options.print?.(`alert  ${describeAlert(message)}`);
    for (const subscriber of this.options.subscribers) {
      if (!matchesFilterPolicy(subscriber.filter, (params.MessageAttributes ?? {}) as Record<string, MessageAttribute>)) continue;
      const delivery = this.deliver(subscriber, published).finally(() => this.deliveries.delete(delivery));
      this.deliveries.add(delivery);
    }
    return { MessageId: published.messageId };
  }

  /** Every message kept so far, in the order published, read from the file. */
  async list(filter: { caseId?: string; type?: string } = {}): Promise<PublishedMessage[]> {
    let text: string;
    try {
      text = await readFile(this.options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const found: PublishedMessage[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      const published = JSON.parse(line) as PublishedMessage;
      const alert = (published.message ?? {}) as Record<string, unknown>;
      if ((!filter.caseId || alert.caseId === filter.caseId) && (!filter.type || alert.type === filter.type)) found.push(published);
    }
    return found;
  }

  /** Resolves when every delivery in flight has succeeded or used up its retries. */
  async settled(): Promise<void> {
    while (this.deliveries.size) await Promise.allSettled([...this.deliveries]);
  }

  private async deliver(subscriber: HttpSubscriber, published: PublishedMessage): Promise<void> {
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        const response = await fetch(subscriber.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-amz-sns-message-id': published.messageId },
          body: JSON.stringify(published.message),
        });
        if (response.ok) return;
      } catch {
        // Retried below, like SNS's HTTP delivery policy.
      }
      await new Promise((resolve) => setTimeout(resolve, (this.options.retryDelayMs ?? 500) * 2 ** attempt));
    }
    this.options.print?.(`alert delivery to ${subscriber.url} failed after ${retries + 1} attempts`);
  }
}

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { invalidInput } from '../domain/errors';
import { NOTIFICATION_KEYS, TABLE_KEYS } from './table-design';

/** One notification as the log keeps it (docs/notifications.md): what GET /v1/notifications shows, and what the sweep needs. */
export interface LoggedNotification {
  readonly id: string;
  readonly channel: 'sms' | 'email' | 'webhook';
  readonly to: string;
  readonly unit?: string;
  readonly caseId: string;
  readonly code: string;
  readonly cause: string;
  readonly text: string;
  /** The same text in English (kept beside the Chinese that is sent). */
  readonly textEn?: string;
  /** When it was logged (ISO, UTC). */
  readonly at: string;
  readonly status: 'sent' | 'pending' | 'refused' | 'parked';
  readonly attempts?: number;
  readonly reason?: string;
  /** A non-urgent message in the unit's quiet hours: when it may go out. */
  readonly heldUntil?: string;
  /** While pending: when the sweep takes it up (its NOTIFY#DUE entry). */
  readonly dueAt?: string;
}

export interface NotificationPageQuery {
  readonly unit?: string;
  readonly caseId?: string;
  readonly status?: LoggedNotification['status'];
  readonly limit: number;
  readonly cursor?: string;
}

export interface NotificationPage {
  readonly items: LoggedNotification[];
  readonly nextCursor?: string;
}

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;
const LOG_FIELDS = ['id', 'channel', 'to', 'unit', 'caseId', 'code', 'cause', 'text', 'textEn', 'at', 'status', 'attempts', 'reason', 'heldUntil', 'dueAt'] as const;
const fieldsOf = (item: Record<string, unknown>): LoggedNotification =>
  Object.fromEntries(LOG_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as unknown as LoggedNotification;

/**
 * The notification log in the one table (functions/store/table-design.ts, NOTIFICATION_KEYS).
 * The item under the case (`NOTIFY#CASE#<caseId>` / id) is the record of the id: it is written
 * once, with a condition, in one transaction with the unit's copy (newest first for the bell) and
 * the entry in NOTIFY#DUE that makes sure it is settled. Every later change is a compare-and-set
 * on `dueAt`, so two sweeps never both take up one notification.
 */
export class NotificationLogStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private puts(record: LoggedNotification): NonNullable<TransactWriteCommandInput['TransactItems']> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
    if (record.unit) items.push({ Put: { TableName: this.tableName, Item: { [PK]: NOTIFICATION_KEYS.ofUnit(record.unit), [SK]: `${record.at}#${record.id}`, ...record } } });
    if (record.dueAt) items.push({ Put: { TableName: this.tableName, Item: { [PK]: NOTIFICATION_KEYS.due, [SK]: `${record.dueAt}#${record.id}`, caseId: record.caseId, id: record.id } } });
    if (record.status === 'parked') items.push({ Put: { TableName: this.tableName, Item: { [PK]: NOTIFICATION_KEYS.parked, [SK]: `${record.at}#${record.id}`, ...record } } });
    return items;
  }

  /** Logs a notification the first time its id is seen; false when the id is already logged (nothing is written). */
  async claim(record: LoggedNotification): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { [PK]: NOTIFICATION_KEYS.ofCase(record.caseId), [SK]: record.id, ...record },
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': PK },
              },
            },
            ...this.puts(record),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  /**
   * Replaces a logged notification with `next` if it is still as `current` left it (same
   * `dueAt`); false when another writer changed it first (nothing is written). Its NOTIFY#DUE
   * entry moves with `dueAt` (or goes, when settled); a parked one is listed for operators.
   */
  async update(current: LoggedNotification, next: LoggedNotification): Promise<boolean> {
    const cas = current.dueAt
      ? { ConditionExpression: '#due = :due', ExpressionAttributeNames: { '#due': 'dueAt' }, ExpressionAttributeValues: { ':due': current.dueAt } }
      : { ConditionExpression: 'attribute_not_exists(#due)', ExpressionAttributeNames: { '#due': 'dueAt' } };
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Put: { TableName: this.tableName, Item: { [PK]: NOTIFICATION_KEYS.ofCase(next.caseId), [SK]: next.id, ...next }, ...cas } },
      ...this.puts(next),
    ];
    if (current.dueAt && current.dueAt !== next.dueAt) {
      items.push({ Delete: { TableName: this.tableName, Key: { [PK]: NOTIFICATION_KEYS.due, [SK]: `${current.dueAt}#${current.id}` } } });
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async get(caseId: string, id: string): Promise<LoggedNotification | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: NOTIFICATION_KEYS.ofCase(caseId), [SK]: id }, ConsistentRead: true }));
    return Item ? fieldsOf(Item) : undefined;
  }

  /**
   * Which of a case's notification ids are logged already: read before a dispatch, so the ids of
   * earlier steps cost a read each rather than a refused conditional write. (Eventually
   * consistent: an id it misses is still refused by the write's condition.)
   */
  async logged(caseId: string, ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map((id) => ({ [PK]: NOTIFICATION_KEYS.ofCase(caseId), [SK]: id }));
      for (let round = 0; keys?.length && round < 5; round++) {
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: '#sk', ExpressionAttributeNames: { '#sk': SK } } } }),
        );
        for (const item of Responses?.[this.tableName] ?? []) found.add(String(item[SK]));
        keys = UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }

  /** Notifications whose `dueAt` is at or before `upTo` (ISO), oldest first, at most `limit`. */
  async due(upTo: string, limit: number): Promise<LoggedNotification[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk < :upTo',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: { ':pk': NOTIFICATION_KEYS.due, ':upTo': `${upTo}~` },
        Limit: limit,
      }),
    );
    const found: LoggedNotification[] = [];
    for (const entry of Items ?? []) {
      const record = await this.get(String(entry.caseId), String(entry.id));
      if (record?.dueAt && `${record.dueAt}#${record.id}` === entry[SK]) found.push(record);
    }
    return found;
  }

  /**
   * A page, newest first: a unit's (its partition), a case's (operators), or the parked ones
   * (operators). `caseId` and `status` narrow a unit's page in the query (a page may then be short).
   */
  async page(query: NotificationPageQuery): Promise<NotificationPage> {
    const pk = query.unit ? NOTIFICATION_KEYS.ofUnit(query.unit) : query.caseId ? NOTIFICATION_KEYS.ofCase(query.caseId) : query.status === 'parked' ? NOTIFICATION_KEYS.parked : undefined;
    if (!pk) return { items: [] };
    const filters: string[] = [];
    const names: Record<string, string> = { '#pk': PK };
    const values: Record<string, unknown> = { ':pk': pk };
    if (query.caseId && query.unit) (filters.push('#caseId = :caseId'), (names['#caseId'] = 'caseId'), (values[':caseId'] = query.caseId));
    if (query.status && pk !== NOTIFICATION_KEYS.parked) (filters.push('#status = :status'), (names['#status'] = 'status'), (values[':status'] = query.status));
    let start: Record<string, unknown> | undefined;
    if (query.cursor) {
      try {
        start = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
      } catch {
        throw invalidInput('cursor', 'cursor');
      }
      if (!start || typeof start !== 'object' || start[PK] !== pk || typeof start[SK] !== 'string') throw invalidInput('cursor', 'cursor');
    }
    const { Items, LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: query.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      items: (Items ?? []).map(fieldsOf),
      ...(LastEvaluatedKey ? { nextCursor: Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') } : {}),
    };
  }
}

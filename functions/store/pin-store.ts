import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PIN_LOCK_MS, PIN_MAX_FAILURES, PinRecordSchema, type PinRecord } from '../domain/complainant-pin';
import { TABLE_KEYS } from './table-design';
import { dynamoDb } from '../commons/clients/dynamodb';
import { requiredEnv } from '../commons/clients/settings';

/**
 * The complainant's PIN of a case's current result: an item of its own in the case's partition
 * (CASE#<id> / PIN), so no read of the case, its timeline or its queue entries ever carries it, and
 * the guard against guessing (attempts, lock) is counted atomically without touching the case.
 */
const key = (caseId: string) => ({ [TABLE_KEYS.partitionKey]: `CASE#${caseId}`, [TABLE_KEYS.sortKey]: 'PIN' });

export class PinStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(caseId: string): Promise<PinRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key(caseId), ConsistentRead: true }));
    return Item ? PinRecordSchema.parse(Item) : undefined;
  }

  /**
   * Keeps the hash of a newly drawn PIN for `pin.resultAt`: the first for that result, or a new
   * draw replacing one whose SMS never left (`replacing`). False when another dispatch got there first.
   */
  async issue(caseId: string, pin: PinRecord, replacing?: Pick<PinRecord, 'resultAt' | 'issue'>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key(caseId), ...pin },
          ...(replacing
            ? {
                ConditionExpression: 'resultAt = :result AND #issue = :issue AND attribute_not_exists(deliveredAt)',
                ExpressionAttributeNames: { '#issue': 'issue' },
                ExpressionAttributeValues: { ':result': replacing.resultAt, ':issue': replacing.issue },
              }
            : { ConditionExpression: 'attribute_not_exists(pk) OR resultAt <> :result', ExpressionAttributeValues: { ':result': pin.resultAt } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The SMS with this draw of the PIN was handed to the sender. */
  async markDelivered(caseId: string, pin: Pick<PinRecord, 'resultAt' | 'issue'>, at: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(caseId),
          UpdateExpression: 'SET deliveredAt = :at',
          ConditionExpression: 'resultAt = :result AND #issue = :issue',
          ExpressionAttributeNames: { '#issue': 'issue' },
          ExpressionAttributeValues: { ':at': at, ':result': pin.resultAt, ':issue': pin.issue },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Takes one attempt at the PIN before it is checked, so that simultaneous guesses cannot get past
   * the lock: 'taken' while fewer than five attempts are counted (or the last lock has run out), else
   * 'locked' with the instant it ends. A right PIN clears the count afterwards (`clearAttempts`).
   */
  async takeAttempt(caseId: string, nowMs: number): Promise<{ readonly taken: true } | { readonly taken: false; readonly untilMs: number }> {
    const now = new Date(nowMs).toISOString();
    const attempt = async (condition: string, update: string, values: Record<string, unknown>) => {
      try {
        await this.client.send(
          new UpdateCommand({ TableName: this.tableName, Key: key(caseId), UpdateExpression: update, ConditionExpression: condition, ExpressionAttributeValues: values }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    };
    if (await attempt('attribute_exists(pk) AND failures < :max', 'SET failures = failures + :one, lastAttemptAt = :now', { ':max': PIN_MAX_FAILURES, ':one': 1, ':now': now })) return { taken: true };
    // Locked, unless the last lock has run out: then the count starts again with this attempt.
    const lockStart = new Date(nowMs - PIN_LOCK_MS).toISOString();
    if (await attempt('attribute_exists(pk) AND failures >= :max AND lastAttemptAt < :lockStart', 'SET failures = :one, lastAttemptAt = :now', { ':max': PIN_MAX_FAILURES, ':one': 1, ':now': now, ':lockStart': lockStart })) {
      return { taken: true };
    }
    const pin = await this.get(caseId);
    return { taken: false, untilMs: pin?.lastAttemptAt ? Date.parse(pin.lastAttemptAt) + PIN_LOCK_MS : nowMs + PIN_LOCK_MS };
  }

  /** A right PIN: the attempts before it no longer count towards the lock. */
  async clearAttempts(caseId: string): Promise<void> {
    await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: key(caseId), UpdateExpression: 'SET failures = :zero', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':zero': 0 } }));
  }

  /** A reopening spends the PIN (once): false when it was spent already or belongs to another result. */
  async spend(caseId: string, resultAt: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(caseId),
          UpdateExpression: 'SET spentAt = :at',
          ConditionExpression: 'resultAt = :result AND attribute_not_exists(spentAt)',
          ExpressionAttributeValues: { ':at': at, ':result': resultAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Gives a spent PIN back when the reopening it was spent on did not start. */
  async unspend(caseId: string, resultAt: string, at: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(caseId),
          UpdateExpression: 'REMOVE spentAt',
          ConditionExpression: 'resultAt = :result AND spentAt = :at',
          ExpressionAttributeValues: { ':at': at, ':result': resultAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

let store: PinStore | undefined;
export const pinStore = (): PinStore => (store ??= new PinStore(dynamoDb(), requiredEnv('CASES_TABLE')));

import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { INDEXES, TABLE_KEYS } from './table-design';
import { dueInSparseIndex } from './sparse-index';

/** The alerts outbox partition: rare (SNS refused an alert for minutes), so one partition holds it. */
const ALERTS_PK = 'OUTBOX#ALERTS';

export interface HeldAlert {
  /** Sort key: when the alert was raised, its case and a digest of it, so the sweeper publishes oldest first. */
  readonly key: string;
  readonly alert: Record<string, unknown>;
  readonly heldAt: string;
  readonly reason: string;
}

export interface AwaitingCase {
  readonly caseId: string;
  readonly createdAt: string;
}

/**
 * What still has to leave the table: cases whose workflow has not begun (the sparse
 * awaitingWorkflow index over the case items themselves) and alerts SNS did not take.
 */
export class OutboxStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Cases accepted at or before `createdBefore` (a Shanghai ISO time) whose workflow has not begun, oldest first. */
  async casesAwaitingWorkflow(createdBefore: string, limit: number): Promise<AwaitingCase[]> {
    const items = await dueInSparseIndex(this.client, this.tableName, INDEXES.awaitingWorkflow, createdBefore, limit);
    return items.map((item) => ({ caseId: String(item.id), createdAt: String(item.createdAt) }));
  }

  /** Keeps an alert SNS refused; writing the same alert twice keeps it once. */
  async holdAlert(alert: Record<string, unknown>, heldAt: string, reason: string): Promise<HeldAlert> {
    // Named by the alert itself, so a retried hold (its first answer lost) keeps one copy.
    const digest = createHash('sha256').update(JSON.stringify(alert)).digest('base64url').slice(0, 16);
    const key = `${String(alert.at)}#${String(alert.caseId)}#${digest}`;
    const held: HeldAlert = { key, alert, heldAt, reason: reason.slice(0, 500) };
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { [TABLE_KEYS.partitionKey]: ALERTS_PK, [TABLE_KEYS.sortKey]: key, ...held } }),
    );
    return held;
  }

  async heldAlerts(limit: number): Promise<HeldAlert[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        ExpressionAttributeValues: { ':pk': ALERTS_PK },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => ({ key: item.key, alert: item.alert, heldAt: item.heldAt, reason: item.reason }));
  }

  async releaseAlert(key: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { [TABLE_KEYS.partitionKey]: ALERTS_PK, [TABLE_KEYS.sortKey]: key } }),
    );
  }
}

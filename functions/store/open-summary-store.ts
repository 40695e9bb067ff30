import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { CaseRecordSchema, type CaseRecord } from '../domain/case';
import { defaultCalendar, toShanghaiIso } from '../domain/calendar';
import { bucketKey, bucketOfKey, lightClock, type Bucket, type BucketCount } from '../domain/open-summary';
import { INDEXES, LIGHT_ATTRIBUTES, OPEN_SUMMARY_PARTITION, TABLE_KEYS } from './table-design';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The light attributes a case item carries, from the record alone: from when it shows at least
 * yellow and from when red ('' = already, '~' = never without a write), and its lightChanges
 * entry at the first of those still to come (lightChangeAt's instant: a unit test holds them
 * equal). None for a closed case. The write path (CaseStore's case item) and the recount both
 * take them from here.
 */
export function lightAttributes(record: CaseRecord): Record<string, string> {
  const clock = lightClock(record, defaultCalendar);
  if (!clock) return {};
  const instant = (ms: number) => (ms === -Infinity ? '' : ms === Infinity ? '~' : toShanghaiIso(ms));
  const changeAt = record.light === 'green' ? clock.yellowFromMs : clock.redFromMs;
  return {
    [LIGHT_ATTRIBUTES.yellowFrom]: instant(clock.yellowFromMs),
    [LIGHT_ATTRIBUTES.redFrom]: instant(clock.redFromMs),
    ...(Number.isFinite(changeAt) ? { [INDEXES.lightChanges.partitionKey]: INDEXES.lightChanges.partition, [INDEXES.lightChanges.sortKey]: `${instant(changeAt)}#${record.id}` } : {}),
  };
}

/**
 * One counter's change, as an item of the transaction that writes the case: the count moves
 * with the case or not at all. ADD creates the counter at its first case. `writes` counts the
 * changes, so a recount can tell a counter nobody touched while it scanned from one that moved
 * and came back (+1 then -1) — scripts/recount-summary.ts.
 */
export function counterUpdate(tableName: string, bucket: Bucket, delta: 1 | -1): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: { [TABLE_KEYS.partitionKey]: OPEN_SUMMARY_PARTITION, [TABLE_KEYS.sortKey]: bucketKey(bucket) },
      // The bucket is the sort key itself: a counter is a key and two numbers, so reading them all stays small.
      UpdateExpression: 'ADD #open :delta, #writes :one',
      ExpressionAttributeNames: { '#open': 'open', '#writes': 'writes' },
      ExpressionAttributeValues: { ':delta': delta, ':one': 1 },
    },
  };
}

export async function queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<{ items: Record<string, unknown>[]; capacityUnits: number }> {
  const items: Record<string, unknown>[] = [];
  let capacityUnits = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey, ReturnConsumedCapacity: 'TOTAL' }));
    items.push(...(page.Items ?? []));
    capacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { items, capacityUnits };
}

/** Reads the counters and the open cases whose light has changed since they were written. */
export class OpenSummaryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every counter, or one unit's (its keys begin with the unit). Strongly consistent: a count just written is seen. */
  async counters(unit?: string): Promise<{ counters: BucketCount[]; capacityUnits: number }> {
    const { items, capacityUnits } = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: unit ? '#pk = :pk AND begins_with(#sk, :unit)' : '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, ...(unit ? { '#sk': TABLE_KEYS.sortKey } : {}) },
      ExpressionAttributeValues: { ':pk': OPEN_SUMMARY_PARTITION, ...(unit ? { ':unit': `${unit}#` } : {}) },
      ConsistentRead: true,
    });
    const counters = items.map((item) => ({ ...bucketOfKey(String(item[TABLE_KEYS.sortKey])), open: Number(item.open ?? 0) }));
    return { counters, capacityUnits };
  }

  /** The open cases whose shown light changes at or before `nowMs` with no write: usually only those whose workflow is a moment late. */
  async changedBy(nowMs: number): Promise<{ records: CaseRecord[]; capacityUnits: number }> {
    const index = INDEXES.lightChanges;
    const { items, capacityUnits } = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND #sk < :upTo',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
      // '~' sorts after '#', so a change at this very instant is included.
      ExpressionAttributeValues: { ':pk': index.partition, ':upTo': `${toShanghaiIso(nowMs)}~` },
    });
    // The index is eventually consistent: each entry's case is read again from the table, as the counters are.
    const ids = [...new Set(items.map((item) => String(item.id)))];
    const records: CaseRecord[] = [];
    let consistentUnits = 0;
    for (let start = 0; start < ids.length; start += 100) {
      let keys: Record<string, unknown>[] | undefined = ids.slice(start, start + 100).map((id) => ({ [TABLE_KEYS.partitionKey]: `CASE#${id}`, [TABLE_KEYS.sortKey]: 'CASE' }));
      for (let attempt = 0; keys?.length; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const page: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' }),
        );
        records.push(...(page.Responses?.[this.tableName] ?? []).map((item) => CaseRecordSchema.parse(item)));
        consistentUnits += (page.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        keys = page.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return { records, capacityUnits: capacityUnits + consistentUnits };
  }
}


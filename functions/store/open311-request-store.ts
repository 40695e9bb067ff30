import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CaseRecordSchema, type CaseRecord } from '../domain/case';
import { toShanghaiIso } from '../domain/calendar';
import { INDEXES } from './table-design';

/** The Shanghai months (yyyy-mm) a range touches, newest first. */
export function monthsOf(startMs: number, endMs: number): string[] {
  const month = (ms: number) => toShanghaiIso(ms).slice(0, 7);
  const months: string[] = [];
  let [year, m] = month(endMs).split('-').map(Number);
  const first = month(startMs);
  for (;;) {
    const current = `${year}-${String(m).padStart(2, '0')}`;
    months.push(current);
    if (current <= first) break;
    m -= 1;
    if (m === 0) {
      m = 12;
      year -= 1;
    }
  }
  return months;
}

/**
 * Cases accepted between two instants, newest first, for Open311's GET requests: the month index
 * (MONTH#<yyyy-mm> / <createdAt>#<id>, createdAt always in +08:00) read backwards with the range
 * in the key condition, so a narrow range reads only its own cases and a caller that has enough
 * stops reading.
 */
export async function* casesAcceptedBetween(client: DynamoDBDocumentClient, tableName: string, startMs: number, endMs: number): AsyncGenerator<CaseRecord> {
  const index = INDEXES.byMonth;
  for (const month of monthsOf(startMs, endMs)) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
          // '#~' sorts after every `#<id>`, so a case accepted at the end instant itself is in.
          ExpressionAttributeValues: { ':pk': `MONTH#${month}`, ':from': toShanghaiIso(startMs), ':to': `${toShanghaiIso(endMs)}#~` },
          ScanIndexForward: false,
          Limit: 200,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) yield CaseRecordSchema.parse(item);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
}

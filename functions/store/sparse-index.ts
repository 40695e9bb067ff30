import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IndexDesign } from './table-design';

/**
 * The case items in a sparse work-list index (its one partition, sorted by `<time>#<id>`) that are
 * due at or before `upTo`, oldest first, at most `limit` of them: what a housekeeping job
 * still has to do. '~' sorts after '#', so an item due at that very instant is included.
 */
export async function dueInSparseIndex(
  client: DynamoDBDocumentClient,
  tableName: string,
  index: IndexDesign & { readonly partition: string },
  upTo: string,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk < :upTo',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':pk': index.partition, ':upTo': `${upTo}~` },
        Limit: limit - found.length,
        ExclusiveStartKey,
      }),
    );
    found.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && found.length < limit);
  return found;
}

import { ScanCommand, type DynamoDBDocumentClient, type ScanCommandInput, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';

/**
 * Scans a table in `segments` parallel segments (DynamoDB's Segment/TotalSegments), every page of
 * each, handing each page to `onPage` as it comes. For operators' tools and benchmarks only: no
 * deployed function scans the table (tests/infra/operations.test.ts).
 */
export async function scanInSegments(
  client: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'Segment' | 'TotalSegments' | 'ExclusiveStartKey'>,
  segments: number,
  onPage: (page: ScanCommandOutput) => void,
): Promise<void> {
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(new ScanCommand({ ...input, Segment: segment, TotalSegments: segments, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
        onPage(page);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }),
  );
}

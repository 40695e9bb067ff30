/**
 * Report items in the cases table (they carry none of the index attributes, so no index sees
 * them):
 *   REPORT#<yyyy-mm> / REPORT                     the month's published report (overwritten by a re-run)
 *   REPORT#<yyyy-mm> / SEGMENT#<run>#<index:3>    one segment's partial result of one run (expires after 7 days)
 * Partial results are kept gzip-compressed: a month's partial is a few kilobytes that way.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AssessmentPartial } from '../domain/assessment';
import { TABLE_KEYS, TTL_ATTRIBUTE } from '../store/table-design';

export const REPORT_SK = 'REPORT';
export const reportPk = (month: string) => `REPORT#${month}`;
export const segmentSk = (runId: string, index: number) => `SEGMENT#${runId}#${String(index).padStart(3, '0')}`;

/** Segment partials are scratch data of one run: kept a week for inspection, then removed by TTL. */
export const SEGMENT_TTL_SECONDS = 7 * 86_400;

const pack = (partial: AssessmentPartial): Uint8Array => gzipSync(Buffer.from(JSON.stringify(partial)));
const unpack = (data: Uint8Array): AssessmentPartial => JSON.parse(gunzipSync(Buffer.from(data)).toString('utf8')) as AssessmentPartial;

export interface ReportHeadline {
  readonly received: number;
  readonly resolved: number;
  readonly resolvedInCommunity: number;
  readonly satisfied: number;
  readonly resolutionRate: number | null;
  readonly resolvedInCommunityRate: number | null;
  readonly satisfactionRate: number | null;
}

export interface StoredReport {
  readonly month: string;
  readonly partial: AssessmentPartial;
  readonly provisional: boolean;
  readonly generatedAt: string;
  readonly runId: string;
  readonly segments: number;
  readonly headline: ReportHeadline;
  /** Where the JSON and CSV were written (s3:// or file://). */
  readonly objects: { readonly json: string; readonly csv: string };
}

export class ReportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putSegment(month: string, runId: string, index: number, partial: AssessmentPartial, nowMs: number): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          [TABLE_KEYS.partitionKey]: reportPk(month),
          [TABLE_KEYS.sortKey]: segmentSk(runId, index),
          runId,
          index,
          cases: partial.cases,
          partial: pack(partial),
          [TTL_ATTRIBUTE]: Math.floor(nowMs / 1000) + SEGMENT_TTL_SECONDS,
        },
      }),
    );
  }

  /** Every segment partial a run wrote, by index (a retried segment overwrote its own item). */
  async segments(month: string, runId: string): Promise<Map<number, AssessmentPartial>> {
    const found = new Map<number, AssessmentPartial>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey },
          ExpressionAttributeValues: { ':pk': reportPk(month), ':prefix': `SEGMENT#${runId}#` },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) found.set(Number(item.index), unpack(item.partial as Uint8Array));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  /** Writes (or overwrites) the month's report: re-running a month replaces it, never adds to it. */
  async putReport(report: StoredReport): Promise<void> {
    const { partial, ...rest } = report;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { [TABLE_KEYS.partitionKey]: reportPk(report.month), [TABLE_KEYS.sortKey]: REPORT_SK, ...rest, partial: pack(partial) },
      }),
    );
  }

  async getReport(month: string): Promise<StoredReport | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { [TABLE_KEYS.partitionKey]: reportPk(month), [TABLE_KEYS.sortKey]: REPORT_SK } }),
    );
    if (!Item) return undefined;
    return {
      month: Item.month,
      partial: unpack(Item.partial as Uint8Array),
      provisional: Item.provisional,
      generatedAt: Item.generatedAt,
      runId: Item.runId,
      segments: Item.segments,
      headline: Item.headline,
      objects: Item.objects,
    };
  }
}

/**
 * The recount of the open-case counters and the cases' index attributes — the light attributes and
 * every index key a case item carries — (scripts/recount-summary.ts, docs/operations.md): from the
 * cases themselves, by the same rules the write path follows.
 * An operator's tool, not a function: it scans the table, which no deployed function may (tests/infra/operations.test.ts).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanInSegments } from './parallel-scan';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { CaseRecordSchema } from '../functions/domain/case';
import { bucketKey, bucketOf } from '../functions/domain/open-summary';
import { queryAll } from '../functions/store/open-summary-store';
import { indexAttributes } from '../functions/store/case-store';
import { INDEXES, LIGHT_ATTRIBUTES, OPEN_SUMMARY_PARTITION, TABLE_KEYS } from '../functions/store/table-design';

/** The attributes of a case item that say when its shown light changes with no write (docs/scale.md), and the sparse index's key. */
export const LIGHT_ITEM_ATTRIBUTES = [LIGHT_ATTRIBUTES.yellowFrom, LIGHT_ATTRIBUTES.redFrom, INDEXES.lightChanges.partitionKey, INDEXES.lightChanges.sortKey] as const;
/**
 * Every other index key a case item may carry (byOriginUnit's sort key changed format in issue 15:
 * an item written before carries the old one until the recount or its next step rewrites it).
 */
export const INDEX_ITEM_ATTRIBUTES: readonly string[] = [
  ...new Set(
    Object.values(INDEXES)
      .flatMap((index) => [index.partitionKey, index.sortKey])
      .filter((name) => !(LIGHT_ITEM_ATTRIBUTES as readonly string[]).includes(name)),
  ),
];
/** A counter as read for a recount: its count, and how many writes it has had (absent on a counter no write has touched since `writes` was kept). */
interface CounterSeen {
  readonly open: number;
  readonly writes?: number;
}

export interface CounterDifference {
  readonly bucket: string;
  /** What the counter holds (0 when there is no counter item). */
  readonly counted: number;
  /** What a full scan of the open cases finds. */
  readonly scanned: number;
  /** `corrected`: written now; `would-correct`: a dry run, or a run that met unreadable case items (nothing written); `busy`: a case moved in or out of this bucket during the scan, so it was left for the next run. */
  readonly outcome: 'corrected' | 'would-correct' | 'busy';
}

export interface LightDifference {
  readonly id: string;
  readonly attribute: string;
  readonly stored?: string;
  readonly expected?: string;
  /** `busy`: the case was written during the scan (its write kept the attributes right), so it was left. */
  readonly outcome: 'corrected' | 'would-correct' | 'busy';
}
/** An index key of a case item (INDEX_ITEM_ATTRIBUTES) other than the write path computes from the record now, closed cases included. */
export type IndexDifference = LightDifference;

export interface RecountReport {
  readonly cases: number;
  readonly open: number;
  readonly unreadable: readonly string[];
  readonly counters: number;
  readonly counterDifferences: readonly CounterDifference[];
  readonly lightDifferences: readonly LightDifference[];
  readonly indexDifferences: readonly IndexDifference[];
  /** Read capacity the scan and the counter reads consumed (strongly consistent). */
  readonly readUnits: number;
  readonly writeUnits: number;
}

export interface RecountOptions {
  readonly dryRun?: boolean;
  /** Parallel scan segments (DynamoDB's Segment/TotalSegments). */
  readonly segments?: number;
}

const sameValue = (a: string | undefined, b: string | undefined) => (a ?? undefined) === (b ?? undefined);

/**
 * Recounts the open-case counters and each case item's index attributes (its light attributes and
 * every index key) from the cases themselves, exactly as the write path keeps them (bucketOf,
 * indexAttributes), and writes the corrections. Safe while the system runs (docs/operations.md):
 * - Counters are read (strongly consistent) before and after a strongly consistent scan of the
 *   table. A counter whose `writes` did not move between the two reads had no case enter or
 *   leave its bucket during the scan (every such move writes the counter in the same
 *   transaction), so the scan's count of that bucket is exact, and it is written with a
 *   condition that `writes` is still what was read. A counter that moved is reported `busy` and
 *   left for the next run.
 * - A case item's index attributes, closed cases' too, are rewritten only if its `version` is still
 *   the one scanned (an item written before a key's format changed is brought to the new one).
 * Idempotent: a second run over an unchanged table finds nothing to correct.
 */
export async function recountOpenSummary(client: DynamoDBDocumentClient, tableName: string, options: RecountOptions = {}): Promise<RecountReport> {
  let readUnits = 0;
  let writeUnits = 0;

  const readCounters = async (): Promise<Map<string, CounterSeen>> => {
    const { items, capacityUnits } = await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
      ExpressionAttributeValues: { ':pk': OPEN_SUMMARY_PARTITION },
      ConsistentRead: true,
    });
    readUnits += capacityUnits;
    return new Map(
      items.map((item) => [String(item[TABLE_KEYS.sortKey]), { open: Number(item.open ?? 0), ...(item.writes !== undefined ? { writes: Number(item.writes) } : {}) }]),
    );
  };

  const before = await readCounters();
  const expected = new Map<string, number>();
  const itemFixes: {
    id: string;
    version: number;
    set: Record<string, string>;
    remove: string[];
    lights: Omit<LightDifference, 'outcome'>[];
    indexes: Omit<IndexDifference, 'outcome'>[];
  }[] = [];
  const unreadable: string[] = [];
  let cases = 0;
  let open = 0;
  const segments = Math.max(1, Math.min(64, Math.floor(options.segments ?? 4)));
  await scanInSegments(
    client,
    {
      TableName: tableName,
      ConsistentRead: true,
      FilterExpression: '#sk = :case',
      ExpressionAttributeNames: { '#sk': TABLE_KEYS.sortKey },
      ExpressionAttributeValues: { ':case': 'CASE' },
      ReturnConsumedCapacity: 'TOTAL',
    },
    segments,
    (page) => {
    readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    for (const item of page.Items ?? []) {
      cases += 1;
      const parsed = CaseRecordSchema.safeParse(item);
      if (!parsed.success) {
        unreadable.push(String(item[TABLE_KEYS.partitionKey]));
        continue;
      }
      const record = parsed.data;
      const bucket = bucketOf(record);
      if (bucket) {
        open += 1;
        const key = bucketKey(bucket);
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      // Every index attribute as the write path computes it from this record (caseItem's), the light attributes among them.
      const want = indexAttributes(record);
      const differing = (names: readonly string[]) =>
        names
          .filter((name) => !sameValue(item[name] as string | undefined, want[name]))
          .map((attribute) => ({
            id: record.id,
            attribute,
            ...(item[attribute] !== undefined ? { stored: String(item[attribute]) } : {}),
            ...(want[attribute] !== undefined ? { expected: want[attribute] } : {}),
          }));
      const lights = differing(LIGHT_ITEM_ATTRIBUTES);
      const indexes = differing(INDEX_ITEM_ATTRIBUTES);
      if (lights.length || indexes.length) {
        const fixed = [...lights, ...indexes].map((d) => d.attribute);
        itemFixes.push({
          id: record.id,
          version: record.version,
          set: Object.fromEntries(fixed.filter((name) => want[name] !== undefined).map((name) => [name, want[name]])),
          remove: fixed.filter((name) => want[name] === undefined),
          lights,
          indexes,
        });
      }
    }
    },
  );
  const after = await readCounters();

  const counterDifferences: CounterDifference[] = [];
  for (const bucket of [...new Set([...before.keys(), ...after.keys(), ...expected.keys()])].sort()) {
    const scanned = expected.get(bucket) ?? 0;
    const seen = after.get(bucket);
    const counted = seen?.open ?? 0;
    if (counted === scanned) continue;
    const was = before.get(bucket);
    const quiet = was?.writes === seen?.writes && (was === undefined) === (seen === undefined) && was?.open === seen?.open;
    if (!quiet) {
      counterDifferences.push({ bucket, counted, scanned, outcome: 'busy' });
      continue;
    }
    // A case item that does not read as a case may be open: the scan's counts are not to be trusted then.
    if (options.dryRun || unreadable.length > 0) {
      counterDifferences.push({ bucket, counted, scanned, outcome: 'would-correct' });
      continue;
    }
    try {
      const result = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [TABLE_KEYS.partitionKey]: OPEN_SUMMARY_PARTITION, [TABLE_KEYS.sortKey]: bucket },
          UpdateExpression: 'SET #open = :scanned ADD #writes :one',
          // Nobody wrote it since it was read: the count is still the one the scan is compared with.
          ConditionExpression: seen === undefined ? 'attribute_not_exists(#pk)' : seen.writes === undefined ? 'attribute_not_exists(#writes) AND #open = :counted' : '#writes = :writes',
          ExpressionAttributeNames: { '#open': 'open', '#writes': 'writes', ...(seen === undefined ? { '#pk': TABLE_KEYS.partitionKey } : {}) },
          ExpressionAttributeValues: {
            ':scanned': scanned,
            ':one': 1,
            ...(seen !== undefined && seen.writes === undefined ? { ':counted': counted } : {}),
            ...(seen?.writes !== undefined ? { ':writes': seen.writes } : {}),
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      writeUnits += result.ConsumedCapacity?.CapacityUnits ?? 0;
      counterDifferences.push({ bucket, counted, scanned, outcome: 'corrected' });
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      counterDifferences.push({ bucket, counted, scanned, outcome: 'busy' });
    }
  }

  const lightDifferences: LightDifference[] = [];
  const indexDifferences: IndexDifference[] = [];
  for (const fix of itemFixes.sort((a, b) => a.id.localeCompare(b.id))) {
    let outcome: LightDifference['outcome'] = 'would-correct';
    if (!options.dryRun) {
      const names: Record<string, string> = { '#version': 'version' };
      const values: Record<string, unknown> = { ':version': fix.version };
      const sets = Object.entries(fix.set).map(([name, value], i) => {
        names[`#s${i}`] = name;
        values[`:s${i}`] = value;
        return `#s${i} = :s${i}`;
      });
      const removes = fix.remove.map((name, i) => {
        names[`#r${i}`] = name;
        return `#r${i}`;
      });
      try {
        const result = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { [TABLE_KEYS.partitionKey]: `CASE#${fix.id}`, [TABLE_KEYS.sortKey]: 'CASE' },
            UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' '),
            // Only the case as it was scanned: a step written since carries its own, right attributes.
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        writeUnits += result.ConsumedCapacity?.CapacityUnits ?? 0;
        outcome = 'corrected';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        outcome = 'busy';
      }
    }
    lightDifferences.push(...fix.lights.map((difference) => ({ ...difference, outcome })));
    indexDifferences.push(...fix.indexes.map((difference) => ({ ...difference, outcome })));
  }

  return { cases, open, unreadable, counters: after.size, counterDifferences, lightDifferences, indexDifferences, readUnits, writeUnits };
}

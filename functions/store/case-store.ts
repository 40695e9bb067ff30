import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { ACCEPTED_VERSION, CaseRecordSchema, OUTSTANDING_CO_HANDLER, TimelineEventSchema, activeWindow, type CaseRecord, type CaseStatus, type TimelineEvent } from '../domain/case';
import { toShanghaiIso } from '../domain/calendar';
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from './table-design';
import { dueInSparseIndex } from './sparse-index';
import { OPEN_MEDIATION } from '../domain/mediation/model';
import { holdsPersonalData, type Erasure } from '../domain/personal-data';
import { bucketChanges } from '../domain/open-summary';
import { counterUpdate, lightAttributes } from './open-summary-store';

const CASE_SK = 'CASE';
const IDEMPOTENCY_SK = 'IDEMPOTENCY';
const casePk = (id: string) => `CASE#${id}`;
const eventSk = (seq: number) => `EVENT#${String(seq).padStart(6, '0')}`;
const idempotencyPk = (scope: string, key: string) => `IDEMPOTENCY#${scope}#${key}`;

/** The tracking code drawn for a new case is already some other case's (40 random bits: about never). */
export class TrackingCodeTaken extends Error {
  override readonly name = 'TrackingCodeTaken';
}

const trackingPk = (code: string) => `TRACK#${code}`;
const TRACKING_SK = 'TRACK';

/** Another writer changed the case first; re-read and try again. */
export class StoreConflict extends Error {
  override readonly name = 'StoreConflict';
}

export const PendingTaskSchema = z.object({ token: z.string(), phase: z.string(), since: z.string(), execution: z.optional(z.string()) });
export type PendingTask = z.infer<typeof PendingTaskSchema>;
export const LastStepSchema = z.object({ key: z.string(), outcome: z.string(), alerts: z.array(z.unknown()) });
export type LastStep = z.infer<typeof LastStepSchema>;

export interface WorkflowView {
  readonly record: CaseRecord;
  readonly pendingTask?: PendingTask;
  readonly lastStep?: LastStep;
}

function workflowViewOf(item: Record<string, unknown>): WorkflowView {
  return {
    record: CaseRecordSchema.parse(item),
    ...(item.pendingTask ? { pendingTask: PendingTaskSchema.parse(item.pendingTask) } : {}),
    ...(item.lastStep ? { lastStep: LastStepSchema.parse(item.lastStep) } : {}),
  };
}

/** The events a step appends, numbered after the case's last one, as saveStep writes them. */
export const numberEvents = (before: CaseRecord, events: readonly Omit<TimelineEvent, 'seq'>[]): TimelineEvent[] =>
  events.map((event, i) => ({ ...event, seq: before.lastEventSeq + i + 1 }) as TimelineEvent);

/** The first answer to a keyed request, kept so a retry gets it again. */
export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly body: unknown;
  readonly caseId: string;
}

export interface IdempotentWrite {
  readonly scope: string;
  readonly key: string;
  readonly record: IdempotencyRecord;
  readonly expiresAtSeconds: number;
}

export type CreateOutcome = { readonly created: true } | { readonly created: false; readonly earlier: IdempotencyRecord };

export type { CaseListSource, CaseListQuery, CasePage } from './case-list';

/** Milliseconds after which an inverted instant would not fit 13 digits (the year 2286). */
const NEWEST_FIRST_BASE = 9_999_999_999_999;

/**
 * A community's case in byOriginUnit, sorted under its status so a list of one status is a key
 * condition (its open cases or those awaiting its rating, whatever its history). Open statuses sort
 * by creation time, oldest first; closed cases by closing time newest first (an inverted epoch),
 * so the first page of a community's closed cases is the latest it saw closed.
 */
function originSortKey(record: CaseRecord): string {
  if (record.status !== 'closed') return `${record.status}#${record.createdAt}#${record.id}`;
  const closedMs = Date.parse(record.closedAt ?? record.createdAt);
  return `closed#${String(NEWEST_FIRST_BASE - closedMs).padStart(13, '0')}#${record.id}`;
}

/** Index attributes derived from the record, so they can never disagree with it (the recount compares items with them too). */
export function indexAttributes(record: CaseRecord): Record<string, string> {
  const created = `${record.createdAt}#${record.id}`;
  const attributes: Record<string, string> = {
    [INDEXES.byAssignedUnit.partitionKey]: `UNIT#${record.assignedUnit}`,
    [INDEXES.byAssignedUnit.sortKey]: `${record.status}#${created}`,
    [INDEXES.byOriginUnit.partitionKey]: `ORIGIN#${record.originUnit}`,
    [INDEXES.byOriginUnit.sortKey]: originSortKey(record),
    // createdAt is always written with +08:00, so its first 7 characters are the Shanghai month.
    [INDEXES.byMonth.partitionKey]: `MONTH#${record.createdAt.slice(0, 7)}`,
    [INDEXES.byMonth.sortKey]: created,
  };
  if (record.version === ACCEPTED_VERSION) {
    // The case is its own outbox entry until its workflow's first step rewrites it.
    attributes[INDEXES.awaitingWorkflow.partitionKey] = INDEXES.awaitingWorkflow.partition;
    attributes[INDEXES.awaitingWorkflow.sortKey] = created;
  }
  if (record.status === 'closed' && holdsPersonalData(record) && record.closedAt) {
    // Kept until the retention job erases the complainant and the parties' names, which takes the case out of this index.
    attributes[INDEXES.personalDataByClose.partitionKey] = INDEXES.personalDataByClose.partition;
    attributes[INDEXES.personalDataByClose.sortKey] = `${record.closedAt}#${record.id}`;
  }
  if (record.status !== 'closed') {
    // The deadline of whatever clock runs now: sign-off, handling, evaluation or re-routing.
    const window = activeWindow(record);
    attributes[INDEXES.openByDue.partitionKey] = INDEXES.openByDue.partition;
    attributes[INDEXES.openByDue.sortKey] = `${window ? toShanghaiIso(window.dueMs) : record.createdAt}#${record.id}`;
    // When its shown light changes with the clock alone: for the summary's correction and the list's light filter (docs/scale.md).
    Object.assign(attributes, lightAttributes(record));
  }
  return attributes;
}

export const caseItem = (record: CaseRecord) => ({
  [TABLE_KEYS.partitionKey]: casePk(record.id),
  [TABLE_KEYS.sortKey]: CASE_SK,
  ...record,
  ...indexAttributes(record),
});

/**
 * A unit's entry in its own queue for a case it does not hold: a copy of the case in the
 * byAssignedUnit index under that unit (the API shows its complainant only to whom it may, and an
 * erasure removes it from the copies too). A case item sits in one partition of
 * an index only, so each such unit gets an entry of its own: a unit owing a co-handling part (sorted
 * under `co-handling#`), and the unit that returned a case still waiting to be re-routed (under
 * `returned#`, so its 已退回 queue shows it). Every step rewrites the entries with the case, and
 * drops those that no longer apply, in the same transaction.
 */
export const CO_HANDLING_SORT_PREFIX = 'co-handling#';
interface QueueEntry {
  readonly unit: string;
  readonly sk: string;
  readonly sortPrefix: string;
}
function queueEntries(record: CaseRecord): QueueEntry[] {
  const entries: QueueEntry[] = (record.coHandlers ?? [])
    .filter((c) => OUTSTANDING_CO_HANDLER.includes(c.status))
    .map((c) => ({ unit: c.unit, sk: `COHANDLER#${c.unit}`, sortPrefix: CO_HANDLING_SORT_PREFIX }));
  // The mediation body holding the case finds it in its queue until it gives it back, sorted under the case's status as the
  // holder's entry is, so the queue's status filter works for it too.
  const mediation = record.mediations?.at(-1);
  if (mediation && OPEN_MEDIATION.includes(mediation.status)) entries.push({ unit: mediation.body, sk: `MEDIATION#${mediation.body}`, sortPrefix: `${record.status}#` });
  if (record.status === 'returned') {
    const returnedBy = record.holdings?.findLast((h) => h.role === 'holder' && h.ended?.how === 'returned')?.unit;
    if (returnedBy) entries.push({ unit: returnedBy, sk: `RETURNED#${returnedBy}`, sortPrefix: 'returned#' });
  }
  return entries;
}
const queueEntryItem = (record: CaseRecord, entry: QueueEntry) => {
  return {
    [TABLE_KEYS.partitionKey]: casePk(record.id),
    [TABLE_KEYS.sortKey]: entry.sk,
    ...record,
    [INDEXES.byAssignedUnit.partitionKey]: `UNIT#${entry.unit}`,
    [INDEXES.byAssignedUnit.sortKey]: `${entry.sortPrefix}${record.createdAt}#${record.id}`,
  };
};

export const eventItem = (caseId: string, event: TimelineEvent) => ({
  [TABLE_KEYS.partitionKey]: casePk(caseId),
  [TABLE_KEYS.sortKey]: eventSk(event.seq),
  ...event,
});

/**
 * A transaction, tried again when it met another transaction on one of its items (a shared
 * counter, docs/scale.md): DynamoDB cancels one of two at once with TransactionConflict, and
 * nothing of it was written. Conditions are checked anew on each try.
 */
async function transactRetryingConflicts(client: DynamoDBDocumentClient, items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const conflict =
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict') &&
        !error.CancellationReasons.some((r) => r.Code === 'ConditionalCheckFailed');
      if (!conflict || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}

/** Cases, their timelines and idempotency records in the one table. */
export class CaseStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes the case, its first event and (when keyed) the idempotency record in one
   * transaction: all three or nothing. A key seen before returns the earlier answer instead.
   */
  async createCase(record: CaseRecord, event: TimelineEvent, idempotency?: IdempotentWrite): Promise<CreateOutcome> {
    const items = [
      { Put: { TableName: this.tableName, Item: caseItem(record), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.tableName, Item: eventItem(record.id, event), ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
    if (idempotency) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            [TABLE_KEYS.partitionKey]: idempotencyPk(idempotency.scope, idempotency.key),
            [TABLE_KEYS.sortKey]: IDEMPOTENCY_SK,
            ...idempotency.record,
            [TTL_ATTRIBUTE]: idempotency.expiresAtSeconds,
          } as never,
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    // The case counts in its bucket's counter from the start (docs/scale.md).
    items.push(...bucketChanges(undefined, record).map(({ bucket, delta }) => counterUpdate(this.tableName, bucket, delta) as (typeof items)[number]));
    // The tracking code's own item makes the code unique: a clash cancels the whole intake.
    const trackingIndex = items.length;
    if (record.trackingCode) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { [TABLE_KEYS.partitionKey]: trackingPk(record.trackingCode), [TABLE_KEYS.sortKey]: TRACKING_SK, caseId: record.id } as never,
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await transactRetryingConflicts(this.client, items);
      return { created: true };
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : undefined;
      const idempotencyClash = idempotency && reasons?.[2]?.Code === 'ConditionalCheckFailed';
      if (!idempotencyClash && record.trackingCode && reasons?.[trackingIndex]?.Code === 'ConditionalCheckFailed') throw new TrackingCodeTaken();
      if (!idempotencyClash) throw error;
      const earlier = await this.getIdempotencyRecord(idempotency.scope, idempotency.key);
      if (!earlier) throw error;
      return { created: false, earlier };
    }
  }

  async getIdempotencyRecord(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [TABLE_KEYS.partitionKey]: idempotencyPk(scope, key), [TABLE_KEYS.sortKey]: IDEMPOTENCY_SK },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return { requestHash: Item.requestHash, statusCode: Item.statusCode, body: Item.body, caseId: Item.caseId };
  }

  /** The case and its timeline in one consistent query (they share a partition). */
  async getCase(id: string): Promise<{ record: CaseRecord; timeline: TimelineEvent[] } | undefined> {
    const found = await this.readCasePartition(id);
    return found && { record: CaseRecordSchema.parse(found.caseRow), timeline: found.timeline };
  }

  /**
   * A workflow step's one read: the case with the workflow's own attributes and its whole
   * timeline, in one strongly consistent query, so the step's notifications are dispatched from
   * what it wrote without reading the case again.
   */
  async getCaseAndTimelineForWorkflow(id: string): Promise<(WorkflowView & { timeline: TimelineEvent[] }) | undefined> {
    const found = await this.readCasePartition(id);
    return found && { ...workflowViewOf(found.caseRow), timeline: found.timeline };
  }

  private async readCasePartition(id: string): Promise<{ caseRow: Record<string, unknown>; timeline: TimelineEvent[] } | undefined> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
          ExpressionAttributeValues: { ':pk': casePk(id) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const caseRow = items.find((item) => item[TABLE_KEYS.sortKey] === CASE_SK);
    if (!caseRow) return undefined;
    const timeline = items
      .filter((item) => String(item[TABLE_KEYS.sortKey]).startsWith('EVENT#'))
      .map((item) => TimelineEventSchema.parse(item));
    return { caseRow, timeline };
  }

  /**
   * Takes one look-up from `client`'s budget for the window starting at `windowStartSeconds`:
   * true while the budget lasts. Counters expire with the window (TTL).
   */
  async takeFromBudget(client: string, windowStartSeconds: number, windowSeconds: number, limit: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE_KEYS.partitionKey]: `BUDGET#${client}#${windowStartSeconds}`, [TABLE_KEYS.sortKey]: 'BUDGET' },
          UpdateExpression: 'ADD hits :one SET #ttl = :expires',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': windowStartSeconds + 2 * windowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The case a tracking code belongs to, if any. */
  async caseIdOfTrackingCode(code: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { [TABLE_KEYS.partitionKey]: trackingPk(code), [TABLE_KEYS.sortKey]: TRACKING_SK } }),
    );
    return typeof Item?.caseId === 'string' ? Item.caseId : undefined;
  }

  /**
   * The case as the workflow sees it: the record plus the pending callback token (never
   * shown to any caller) and the last step applied, for idempotent retries of a step.
   */
  async getCaseForWorkflow(id: string): Promise<WorkflowView | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [TABLE_KEYS.partitionKey]: casePk(id), [TABLE_KEYS.sortKey]: CASE_SK },
        ConsistentRead: true,
      }),
    );
    return Item && workflowViewOf(Item);
  }

  /**
   * The first wait of a case whose intake started its execution with the first plan: keeps the
   * token and marks the workflow begun in one write, by moving the version past the accepted one
   * and dropping the case's outbox entry (the awaitingWorkflow index keys that version implies).
   * The version moves on unconditionally: a writer that read the accepted case retries on fresh
   * data, and a retried first wait moves it once more, which no one can tell from any other write.
   */
  async beginAtFirstWait(id: string, task: PendingTask): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [TABLE_KEYS.partitionKey]: casePk(id), [TABLE_KEYS.sortKey]: CASE_SK },
        UpdateExpression: 'SET pendingTask = :task ADD #version :one REMOVE #startPk, #startSk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#version': 'version', '#startPk': INDEXES.awaitingWorkflow.partitionKey, '#startSk': INDEXES.awaitingWorkflow.sortKey },
        ExpressionAttributeValues: { ':task': task, ':one': 1 },
      }),
    );
  }

  /** Keeps the token the workflow waits on, so an action can be delivered to it. */
  async savePendingTask(id: string, task: PendingTask): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [TABLE_KEYS.partitionKey]: casePk(id), [TABLE_KEYS.sortKey]: CASE_SK },
        UpdateExpression: 'SET pendingTask = :task',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':task': task },
      }),
    );
  }

  /**
   * Writes one workflow step: the new record and its events together, only if nobody wrote
   * the case since it was read (else StoreConflict, and the step is retried on fresh data).
   * Replacing the item also drops the consumed callback token.
   */
  async saveStep(before: CaseRecord, after: CaseRecord, events: Omit<TimelineEvent, 'seq'>[], lastStep: LastStep): Promise<CaseRecord> {
    const numbered = numberEvents(before, events);
    const record: CaseRecord = { ...after, lastEventSeq: before.lastEventSeq + events.length, version: before.version + 1 };
    const entries = queueEntries(record);
    await this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: { ...caseItem(record), lastStep },
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': before.version },
        },
      },
      ...numbered.map((event) => ({
        Put: { TableName: this.tableName, Item: eventItem(record.id, event), ConditionExpression: 'attribute_not_exists(pk)' },
      })),
      // Queue entries of units that do not hold the case follow it in the same transaction.
      ...entries.map((entry) => ({ Put: { TableName: this.tableName, Item: queueEntryItem(record, entry) } })),
      ...queueEntries(before)
        .filter((entry) => !entries.some((now) => now.sk === entry.sk))
        .map((entry) => ({ Delete: { TableName: this.tableName, Key: { [TABLE_KEYS.partitionKey]: casePk(record.id), [TABLE_KEYS.sortKey]: entry.sk } } })),
      // The open-case counters follow the case's bucket in the same transaction.
      ...bucketChanges(before, record).map(({ bucket, delta }) => counterUpdate(this.tableName, bucket, delta)),
    ]);
    return record;
  }

  /**
   * A timeline entry that changes no workflow state (a progress note), numbered after the last.
   * The number is drawn with an atomic counter on the case, so simultaneous notes never refuse
   * each other; the condition keeps notes to a case still with `unit` in one of `statuses`.
   * Answers undefined when that no longer holds. The version moves on, so a workflow step that
   * read the case before the note retries on fresh data instead of overwriting the counter.
   */
  async appendNote(caseId: string, unit: string, statuses: readonly CaseStatus[], event: Omit<TimelineEvent, 'seq'>): Promise<TimelineEvent | undefined> {
    let seq: number;
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TABLE_KEYS.partitionKey]: casePk(caseId), [TABLE_KEYS.sortKey]: CASE_SK },
          UpdateExpression: 'SET lastEventSeq = lastEventSeq + :one, #version = #version + :one',
          ConditionExpression: `assignedUnit = :unit AND #status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':unit': unit, ...Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status])) },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      seq = Number(Attributes?.lastEventSeq);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
    const numbered = { ...event, seq };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: eventItem(caseId, numbered), ConditionExpression: 'attribute_not_exists(pk)' }));
    return numbered;
  }

  /**
   * Removes the complainant from the case, writes its mediations as the erasure left them (the
   * parties' names gone, domain/personal-data.ts), rewrites the timeline notes that named them,
   * and records why, leaving the workflow's waiting task and last step as they are (an open case
   * keeps running). Conditional on the version read, all in one transaction.
   */
  async erasePersonalData(before: CaseRecord, erasure: Pick<Erasure, 'record' | 'event' | 'notes'>): Promise<void> {
    const seq = before.lastEventSeq + 1;
    const index = INDEXES.personalDataByClose;
    const mediations = erasure.record.mediations;
    const setMediations = mediations ? ', mediations = :mediations' : '';
    const mediationValues = mediations ? { ':mediations': mediations } : {};
    await this.transact([
      {
        Update: {
          TableName: this.tableName,
          Key: { [TABLE_KEYS.partitionKey]: casePk(before.id), [TABLE_KEYS.sortKey]: CASE_SK },
          UpdateExpression: `REMOVE complainant, #erasePk, #eraseSk SET lastEventSeq = :seq, #version = :next${setMediations}`,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version', '#erasePk': index.partitionKey, '#eraseSk': index.sortKey },
          ExpressionAttributeValues: { ':seq': seq, ':next': before.version + 1, ':version': before.version, ...mediationValues },
        },
      },
      { Put: { TableName: this.tableName, Item: eventItem(before.id, { ...erasure.event, seq }), ConditionExpression: 'attribute_not_exists(pk)' } },
      // The queue entries' copies lose it with the case.
      ...queueEntries(before).map((entry) => ({
        Update: {
          TableName: this.tableName,
          Key: { [TABLE_KEYS.partitionKey]: casePk(before.id), [TABLE_KEYS.sortKey]: entry.sk },
          UpdateExpression: `REMOVE complainant${mediations ? ' SET mediations = :mediations' : ''}`,
          ConditionExpression: 'attribute_exists(pk)',
          ...(mediations ? { ExpressionAttributeValues: mediationValues } : {}),
        },
      })),
      // The timeline's notes that named the parties (DynamoDB takes 100 writes a transaction: a case has far fewer such notes).
      ...erasure.notes.map((changed) => ({
        Update: {
          TableName: this.tableName,
          Key: { [TABLE_KEYS.partitionKey]: casePk(before.id), [TABLE_KEYS.sortKey]: eventSk(changed.seq) },
          UpdateExpression: 'SET note = :note',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':note': changed.note },
        },
      })),
    ]);
  }

  /** Records the approval of a result reported as pending approval, with its timeline event, if nobody wrote the case since it was read. */
  async recordApproval(before: CaseRecord, approval: NonNullable<NonNullable<CaseRecord['resolution']>['approval']>, event: Omit<TimelineEvent, 'seq'>): Promise<TimelineEvent> {
    const seq = before.lastEventSeq + 1;
    await this.transact([
      {
        Update: {
          TableName: this.tableName,
          Key: { [TABLE_KEYS.partitionKey]: casePk(before.id), [TABLE_KEYS.sortKey]: CASE_SK },
          UpdateExpression: 'SET resolution.approval = :approval, lastEventSeq = :seq, #version = :next',
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':approval': approval, ':seq': seq, ':next': before.version + 1, ':version': before.version },
        },
      },
      { Put: { TableName: this.tableName, Item: eventItem(before.id, { ...event, seq }), ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
    return { ...event, seq };
  }

  /** Closed cases that still hold personal data, closed at or before `closedBefore`, oldest first. */
  async closedWithPersonalData(closedBefore: string, limit: number): Promise<string[]> {
    const items = await dueInSparseIndex(this.client, this.tableName, INDEXES.personalDataByClose, closedBefore, limit);
    return items.map((item) => String(item.id));
  }

  private async transact(items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<void> {
    try {
      await transactRetryingConflicts(this.client, items);
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
        throw new StoreConflict('The case changed while this write was prepared.');
      }
      throw error;
    }
  }

  /**
   * One page of the cases received in a Shanghai month with `createdAt` in [fromIso, toIso),
   * from the byMonth index (the monthly report's read path: disjoint ranges of one month can
   * be read in parallel). Returns the raw items, only `attributes` of them when given, and the
   * read capacity the page consumed.
   */
  async monthRangePage(query: {
    readonly month: string;
    readonly fromIso: string;
    readonly toIso: string;
    readonly attributes?: readonly string[];
    readonly startKey?: Record<string, unknown>;
    readonly limit?: number;
  }): Promise<{ items: Record<string, unknown>[]; nextKey?: Record<string, unknown>; capacityUnits: number }> {
    const index = INDEXES.byMonth;
    const names: Record<string, string> = { '#ipk': index.partitionKey, '#isk': index.sortKey };
    (query.attributes ?? []).forEach((attribute, i) => (names[`#p${i}`] = attribute));
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        // Sort keys are `<createdAt>#<id>`: BETWEEN from AND to keeps createdAt = to out, as the range is half-open.
        KeyConditionExpression: '#ipk = :month AND #isk BETWEEN :from AND :to',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':month': `MONTH#${query.month}`, ':from': query.fromIso, ':to': query.toIso },
        ...(query.attributes?.length ? { ProjectionExpression: query.attributes.map((_, i) => `#p${i}`).join(', ') } : {}),
        ...(query.startKey ? { ExclusiveStartKey: query.startKey } : {}),
        ...(query.limit ? { Limit: query.limit } : {}),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return {
      items: page.Items ?? [],
      ...(page.LastEvaluatedKey ? { nextKey: page.LastEvaluatedKey } : {}),
      capacityUnits: page.ConsumedCapacity?.CapacityUnits ?? 0,
    };
  }
}

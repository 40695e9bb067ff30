/**
 * The one DynamoDB table, described once. CDK (infra/), the local stack (local/) and the
 * store adapter all read this file, so keys and index names cannot drift apart.
 *
 * Items (pk / sk):
 *   CASE#<id>            / CASE               the case record (GSIs below project it)
 *   CASE#<id>            / EVENT#<seq:6>      one timeline event, in order
 *   IDEMPOTENCY#<unit>#<key> / IDEMPOTENCY    first answer to a keyed request (expires by TTL)
 *   OPEN311KEY#<sha256 of key> / OPEN311KEY  the unit an Open311 api_key posts for; only the key's hash (functions/store/open311-key-store.ts)
 *   OPEN311TOKEN#<token> / OPEN311TOKEN      the case an Open311 POST's token names (expires by TTL)
 *   OUTBOX#ALERTS        / <at>#<caseId>#<digest>  an alert SNS did not take; the outbox sweeper publishes it later
 *   NOTIFY#CASE#<caseId> / <notification id>  the notification log (AWS): one item per id, written once (conditional)
 *   NOTIFY#UNIT#<unit>   / <at>#<id>          the same notification in its unit's partition, newest last (GET /v1/notifications)
 *   NOTIFY#DUE           / <dueAt>#<id>       work left: held (quiet hours), webhook retries, claims a crash left unsettled
 *   NOTIFY#PARKED        / <at>#<id>          webhook calls that used up their retries, for operators
 *   SUMMARY#OPEN         / <unit>#<district>#<category>#<tier>#<light>  how many open cases are in that bucket (docs/scale.md)
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const TTL_ATTRIBUTE = 'expiresAt';

export interface IndexDesign {
  /** Index name as deployed. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** For a sparse index with one partition: its partition key value. */
  readonly partition?: string;
  /** What the index answers, for docs/data-model.md and for readers of this file. */
  readonly purpose: string;
}

export const INDEXES = {
  byAssignedUnit: {
    name: 'byAssignedUnit',
    partitionKey: 'assignedPk',
    sortKey: 'assignedSk',
    purpose: 'cases assigned to a unit, by status then creation time (UNIT#<unit> / <status>#<createdAt>#<id>)',
  },
  byOriginUnit: {
    name: 'byOriginUnit',
    partitionKey: 'originPk',
    sortKey: 'originSk',
    purpose:
      'cases a community accepted, by status so one status is a key condition: open ones by creation time (ORIGIN#<unit> / <status>#<createdAt>#<id>), closed ones most recently closed first (ORIGIN#<unit> / closed#<9999999999999 - closedAt ms, 13 digits>#<id>)',
  },
  byMonth: {
    name: 'byMonth',
    partitionKey: 'monthPk',
    sortKey: 'monthSk',
    purpose: 'cases received in a Shanghai month, for reports and month listings (MONTH#<yyyy-mm> / <createdAt>#<id>)',
  },
  openByDue: {
    name: 'openByDue',
    partitionKey: 'openPk',
    sortKey: 'openSk',
    partition: 'OPEN',
    purpose: 'sparse: open cases only, by the next due time (OPEN / <dueAt>#<id>); removed when a case closes',
  },
  awaitingWorkflow: {
    name: 'awaitingWorkflow',
    partitionKey: 'startPk',
    sortKey: 'startSk',
    partition: 'START',
    purpose:
      'sparse: cases whose workflow has not begun yet (START / <createdAt>#<id>); intake writes the entry with the case, the workflow\'s first step drops it, the outbox sweeper starts what is left',
  },
  lightChanges: {
    name: 'lightChanges',
    partitionKey: 'lightPk',
    sortKey: 'lightSk',
    partition: 'LIGHT',
    purpose:
      'sparse: open cases whose shown light will differ from the recorded one with no write, by that instant (LIGHT / <lightChangeAt>#<id>); a summary corrects the counters with the entries already due (docs/scale.md)',
  },
  personalDataByClose: {
    name: 'personalDataByClose',
    partitionKey: 'erasePk',
    sortKey: 'eraseSk',
    partition: 'PERSONAL-DATA',
    purpose:
      'sparse: closed cases that still hold a complainant\'s personal data, by closing time (PERSONAL-DATA / <closedAt>#<id>); the retention job erases what is past the retention period',
  },
} as const satisfies Record<string, IndexDesign>;

/** The counters of open cases by bucket: one partition, a counter item per bucket (functions/domain/open-summary.ts). */
export const OPEN_SUMMARY_PARTITION = 'SUMMARY#OPEN';

/**
 * Attributes of an open case item that say from when it shows at least yellow and from when red
 * ('' = already, '~' = never without a write): a list's `light` filter compares them with the
 * request's time, so it runs in the query and pages stay full.
 */
export const LIGHT_ATTRIBUTES = { yellowFrom: 'lightYellowFrom', redFrom: 'lightRedFrom' } as const;

export type IndexName = keyof typeof INDEXES;

/** The notification log's partitions (functions/store/notification-log-store.ts; docs/notifications.md). */
export const NOTIFICATION_KEYS = {
  ofCase: (caseId: string) => `NOTIFY#CASE#${caseId}`,
  ofUnit: (unit: string) => `NOTIFY#UNIT#${unit}`,
  due: 'NOTIFY#DUE',
  parked: 'NOTIFY#PARKED',
} as const;

/** Default table name; deployed stacks and the local stack pass theirs in CASES_TABLE. */
export const DEFAULT_TABLE_NAME = 'linked-resolution-cases';

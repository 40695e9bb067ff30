/**
 * Listing cases (GET /v1/cases): every filter runs in the DynamoDB query, as a key condition where
 * the index allows and as a filter expression otherwise, and reading goes on until the page is
 * full or the partition ends, so a page is short only at the end (docs/scale.md#lists).
 */
import { createHash } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../domain/zod-locale';
import { CaseRecordSchema, type CaseRecord, type CaseStatus } from '../domain/case';
import { toShanghaiIso } from '../domain/calendar';
import type { Light } from '../domain/light';
import { invalidInput } from '../domain/errors';
import { INDEXES, LIGHT_ATTRIBUTES, TABLE_KEYS, type IndexDesign } from './table-design';

/** Which index a listing reads, and its partition. */
export type CaseListSource =
  /** `coHandling`: the cases in which the unit owes a part, instead of those assigned to it. */
  | { readonly index: 'byAssignedUnit'; readonly unit: string; readonly status?: CaseStatus; readonly coHandling?: boolean }
  /** A community's cases; its listing's `status` filter is the index's key condition (its sort key begins with the status). */
  | { readonly index: 'byOriginUnit'; readonly unit: string }
  | { readonly index: 'byMonth'; readonly month: string }
  | { readonly index: 'openByDue' };

/** Filters applied in the query over the source's partition. */
export interface CaseListFilters {
  readonly status?: CaseStatus;
  readonly tier?: number;
  readonly month?: string;
  readonly district?: string;
  readonly category?: string;
  /** The light shown at `nowMs`, from the attributes that say when each light begins. */
  readonly light?: Light;
  /** A keyword in the title, description or address, or the start of the case id. */
  readonly q?: string;
  /** The complainant's phone, exactly (the handler allows it to the supervisor only). */
  readonly phone?: string;
}

export interface CaseListQuery extends CaseListFilters {
  readonly source: CaseListSource;
  /** `light`: red cases first, then yellow, then green, each in the index's order. */
  readonly sort?: 'due' | 'light';
  readonly limit: number;
  readonly cursor?: string;
  /** The instant lights are judged at (the request's time). */
  readonly nowMs?: number;
}

export interface CasePage {
  readonly items: CaseRecord[];
  readonly nextCursor?: string;
  /** Items the query read to fill this page, and the read units it used (for benchmarks). */
  readonly scanned: number;
  readonly capacityUnits: number;
}

/** Items read per request while filters drop some: large enough that a sparse filter does not cost many round trips. */
const FILTERED_READ = 200;
const SEVERITY_ORDER: readonly Light[] = ['red', 'yellow', 'green'];

/** A cursor: the fingerprint of the query it belongs to, the phase (for sort=light), and the index key to go on from. */
const CursorSchema = z.object({ q: z.string(), p: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(2))), k: z.optional(z.record(z.string(), z.string())) });

/** Every filter is part of the fingerprint, so a cursor from another filter is refused. The phone is hashed in with the rest, never written out. */
export const queryFingerprint = (query: CaseListQuery): string =>
  createHash('sha256')
    .update(JSON.stringify([query.source, query.status, query.tier, query.month, query.district, query.category, query.light, query.q, query.phone, query.sort ?? 'due']))
    .digest('base64url')
    .slice(0, 16);

/** No key: the phase begins from its start. */
const encodeCursor = (fingerprint: string, phase: number, key?: Record<string, unknown>) =>
  Buffer.from(JSON.stringify({ q: fingerprint, ...(phase ? { p: phase } : {}), ...(key ? { k: key } : {}) })).toString('base64url');

function decodeCursor(cursor: string, fingerprint: string): { phase: number; key?: Record<string, string> } {
  try {
    const parsed = CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.q !== fingerprint) throw new Error('cursor from another query');
    // Only a later phase of sort=light begins from its start; any other cursor names where to go on.
    if (!parsed.k && !parsed.p) throw new Error('cursor without a position');
    return { phase: parsed.p ?? 0, key: parsed.k };
  } catch {
    throw invalidInput('cursor', 'cursor');
  }
}

/** The key attributes an index's page is resumed from: the table's and the index's. */
const keyNames = (index: IndexDesign) => [...new Set([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, index.partitionKey, index.sortKey])].sort();

/**
 * The start key a cursor carries, checked against the query: anyone can build a cursor (its
 * fingerprint is not a secret), so it must name exactly this index's key attributes and lie in
 * this query's partition (and status range), else it is refused as bad input.
 */
function checkedStartKey(key: Record<string, string>, index: IndexDesign, partition: string, sortPrefix?: string): Record<string, string> {
  const expected = keyNames(index);
  const names = Object.keys(key).sort();
  const fits =
    names.length === expected.length &&
    names.every((name, i) => name === expected[i]) &&
    Object.values(key).every((value) => typeof value === 'string') &&
    key[index.partitionKey] === partition &&
    (sortPrefix === undefined || key[index.sortKey].startsWith(sortPrefix));
  if (!fits) throw invalidInput('cursor', 'cursor');
  return key;
}

interface Expression {
  readonly conditions: string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/**
 * The light a case shows at `now` as a condition: an open case carries from when it shows at
 * least yellow and from when red ('' already, '~' never), a closed one keeps its last light.
 */
function lightCondition(light: Light, nowIso: string, e: Expression): string {
  e.names['#yf'] = LIGHT_ATTRIBUTES.yellowFrom;
  e.names['#rf'] = LIGHT_ATTRIBUTES.redFrom;
  e.names['#light'] = 'light';
  e.values[':now'] = nowIso;
  e.values[':light'] = light;
  const open = { red: '#yf <= :now AND #rf <= :now', yellow: '#yf <= :now AND #rf > :now', green: '#yf > :now' }[light];
  return `((attribute_exists(#rf) AND ${open}) OR (attribute_not_exists(#rf) AND #light = :light))`;
}

function filterExpression(filters: CaseListFilters, nowIso: string): Expression {
  const e: Expression = { conditions: [], names: {}, values: {} };
  const equal = (attribute: string, value: unknown, name: string) => {
    e.names[`#${name}`] = attribute;
    e.values[`:${name}`] = value;
    e.conditions.push(`#${name} = :${name}`);
  };
  if (filters.status) equal('status', filters.status, 'status');
  if (filters.tier !== undefined) equal('tier', filters.tier, 'tier');
  if (filters.district) equal('district', filters.district, 'district');
  if (filters.category) equal('category', filters.category, 'category');
  if (filters.month) {
    e.names['#createdAt'] = 'createdAt';
    e.values[':month'] = filters.month;
    e.conditions.push('begins_with(#createdAt, :month)');
  }
  if (filters.phone) {
    e.names['#complainant'] = 'complainant';
    e.names['#phone'] = 'phone';
    e.values[':phone'] = filters.phone;
    e.conditions.push('#complainant.#phone = :phone');
  }
  if (filters.q) {
    Object.assign(e.names, { '#title': 'title', '#description': 'description', '#location': 'location', '#address': 'address', '#id': 'id' });
    e.values[':q'] = filters.q;
    e.values[':qid'] = filters.q.toUpperCase();
    e.conditions.push('(contains(#title, :q) OR contains(#description, :q) OR contains(#location.#address, :q) OR begins_with(#id, :qid))');
  }
  if (filters.light) e.conditions.push(lightCondition(filters.light, nowIso, e));
  return e;
}

/**
 * The partition a source reads and, for a unit's queue or one status of a community's cases, the
 * sort key range. `keyStatus`: the status the range stands for, no more a filter.
 */
function keyConditionOf(source: CaseListSource, status: CaseStatus | undefined): { partition: string; sortPrefix?: string; keyStatus?: CaseStatus } {
  switch (source.index) {
    case 'byAssignedUnit':
      return {
        partition: `UNIT#${source.unit}`,
        ...(source.coHandling ? { sortPrefix: 'co-handling#' } : source.status ? { sortPrefix: `${source.status}#` } : {}),
      };
    case 'byOriginUnit':
      // Sorted under the case's status (functions/store/case-store.ts originSortKey): one status is one range, closed ones never read for an open list.
      return { partition: `ORIGIN#${source.unit}`, ...(status ? { sortPrefix: `${status}#`, keyStatus: status } : {}) };
    case 'byMonth':
      return { partition: `MONTH#${source.month}` };
    case 'openByDue':
      return { partition: INDEXES.openByDue.partition };
  }
}

/** One page of a listing: reads on while filters drop items, stops when `limit` items are found or the partition ends. */
export async function listCasePage(client: DynamoDBDocumentClient, tableName: string, query: CaseListQuery): Promise<CasePage> {
  const fingerprint = queryFingerprint(query);
  const index = INDEXES[query.source.index];
  const { partition, sortPrefix, keyStatus } = keyConditionOf(query.source, query.status);
  const phases: readonly (Light | undefined)[] = query.light ? [query.light] : query.sort === 'light' ? SEVERITY_ORDER : [undefined];
  const nowIso = toShanghaiIso(query.nowMs ?? Date.now());
  let phase = 0;
  let startKey: Record<string, unknown> | undefined;
  if (query.cursor) {
    const decoded = decodeCursor(query.cursor, fingerprint);
    if (decoded.phase >= phases.length) throw invalidInput('cursor', 'cursor');
    phase = decoded.phase;
    startKey = decoded.key ? checkedStartKey(decoded.key, index, partition, sortPrefix) : undefined;
  }
  const items: CaseRecord[] = [];
  let scanned = 0;
  let capacityUnits = 0;
  while (phase < phases.length) {
    const light = phases[phase];
    const e = filterExpression({ ...query, light, ...(keyStatus ? { status: undefined } : {}) }, nowIso);
    const filtered = e.conditions.length > 0;
    // Open cases by next deadline: a yellow or green case is not yet due, so it lies after now in the index; red ones may lie anywhere.
    const notYetDue = query.source.index === 'openByDue' && (light === 'yellow' || light === 'green');
    const keyCondition = sortPrefix ? '#ipk = :ipk AND begins_with(#isk, :prefix)' : notYetDue ? '#ipk = :ipk AND #isk > :due' : '#ipk = :ipk';
    const input: QueryCommandInput = {
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: keyCondition,
      ExpressionAttributeNames: { '#ipk': index.partitionKey, ...(sortPrefix || notYetDue ? { '#isk': index.sortKey } : {}), ...e.names },
      ExpressionAttributeValues: { ':ipk': partition, ...(sortPrefix ? { ':prefix': sortPrefix } : {}), ...(notYetDue ? { ':due': nowIso } : {}), ...e.values },
      ...(filtered ? { FilterExpression: e.conditions.join(' AND ') } : {}),
      Limit: filtered ? Math.max(FILTERED_READ, query.limit - items.length) : query.limit - items.length,
      ReturnConsumedCapacity: 'TOTAL',
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    };
    const page = await client.send(new QueryCommand(input));
    scanned += page.ScannedCount ?? 0;
    capacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    const found = page.Items ?? [];
    const room = query.limit - items.length;
    if (found.length >= room) {
      const kept = found.slice(0, room);
      items.push(...kept.map((item) => CaseRecordSchema.parse(item)));
      // The page is full: go on after the last item kept (not after what the query read past it).
      const more = found.length > room || page.LastEvaluatedKey !== undefined || phase + 1 < phases.length;
      const last = kept.at(-1)!;
      const resume =
        found.length > room || page.LastEvaluatedKey
          ? encodeCursor(fingerprint, phase, Object.fromEntries(keyNames(index).map((name) => [name, last[name]])))
          : undefined;
      if (resume) return { items, nextCursor: resume, scanned, capacityUnits };
      // This phase ended exactly here: the next one begins from its start.
      if (more) return { items, nextCursor: encodeCursor(fingerprint, phase + 1), scanned, capacityUnits };
      return { items, scanned, capacityUnits };
    }
    items.push(...found.map((item) => CaseRecordSchema.parse(item)));
    startKey = page.LastEvaluatedKey;
    if (!startKey) phase += 1;
  }
  return { items, scanned, capacityUnits };
}

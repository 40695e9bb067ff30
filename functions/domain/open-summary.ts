/**
 * Counts of open cases that stay exact as deadlines pass (docs/scale.md).
 *
 * Every open case adds one to a counter keyed by its bucket: the unit holding it, its district,
 * category, tier and its *recorded* light. The workflow writes the light at each warning and
 * breach point, but a count read between a deadline and that write (or while a workflow is
 * late) would be stale, so each open case also carries the instant its shown light next
 * changes with no write at all (`lightChangeAt`). A summary reads the counters, then the few
 * cases whose change instant has passed, and moves each from its recorded light to the light
 * it shows now. Pure: the store and the handler supply the items and the clock.
 */
import { activeWindow, currentLight, type CaseRecord } from './case';
import { LIGHTS, DEFAULT_YELLOW_SHARE, shareReachedAt, type Light } from './light';
import type { WorkingDayCalendar } from './calendar';

export const SUMMARY_TIERS = ['0', '1', '2', '3'] as const;

/** The dimensions a counter is kept for. */
export interface Bucket {
  readonly unit: string;
  readonly district: string;
  readonly category: string;
  readonly tier: number;
  readonly light: Light;
}

/** One counter as stored: its bucket and how many open cases are in it (never below zero when consistent). */
export interface BucketCount extends Bucket {
  readonly open: number;
}

/** The bucket an open case counts in, or undefined once it is closed. */
export function bucketOf(record: CaseRecord): Bucket | undefined {
  if (record.status === 'closed') return undefined;
  return { unit: record.assignedUnit, district: record.district, category: record.category, tier: record.tier, light: record.light };
}

/** A bucket's sort key: unit first, so a unit's counters are one range. `#` never appears in ids. */
export const bucketKey = (bucket: Bucket): string => `${bucket.unit}#${bucket.district}#${bucket.category}#${bucket.tier}#${bucket.light}`;

/** The bucket a sort key names (the inverse of bucketKey). */
export function bucketOfKey(key: string): Bucket {
  const [unit, district, category, tier, light] = key.split('#');
  return { unit, district, category, tier: Number(tier), light: light as Light };
}

/** The counter changes a write from `before` to `after` makes: -1 on the old bucket, +1 on the new, none when they are the same. */
export function bucketChanges(before: CaseRecord | undefined, after: CaseRecord): { bucket: Bucket; delta: 1 | -1 }[] {
  const was = before ? bucketOf(before) : undefined;
  const now = bucketOf(after);
  if (was && now && bucketKey(was) === bucketKey(now)) return [];
  return [...(was ? [{ bucket: was, delta: -1 as const }] : []), ...(now ? [{ bucket: now, delta: 1 as const }] : [])];
}

/**
 * When the light a case shows changes next if nothing is written to it, as instants: from
 * `yellowFromMs` on it shows at least yellow, from `redFromMs` on red. -Infinity: already so by
 * its recorded light; Infinity: never, with no clock running. Undefined for a closed case.
 */
export function lightClock(
  record: CaseRecord,
  calendar: WorkingDayCalendar,
  yellowShare: number = DEFAULT_YELLOW_SHARE,
): { yellowFromMs: number; redFromMs: number } | undefined {
  if (record.status === 'closed') return undefined;
  const window = activeWindow(record);
  const redFromMs = record.light === 'red' ? -Infinity : window ? window.dueMs : Infinity;
  const yellowFromMs = record.light !== 'green' ? -Infinity : window ? Math.min(shareReachedAt(window, yellowShare, calendar), window.dueMs) : Infinity;
  return { yellowFromMs, redFromMs };
}

/** The instant the shown light first differs from the recorded one, or undefined if it never will without a write. */
export function lightChangeAt(record: CaseRecord, calendar: WorkingDayCalendar, yellowShare?: number): number | undefined {
  const clock = lightClock(record, calendar, yellowShare);
  if (!clock) return undefined;
  const at = record.light === 'green' ? clock.yellowFromMs : clock.redFromMs;
  return Number.isFinite(at) ? at : undefined;
}

/** Which open cases a summary counts: by assigned unit, district and category, any of them. */
export interface SummaryFilter {
  readonly unit?: string;
  readonly district?: string;
  readonly category?: string;
}

export interface OpenSummary {
  readonly open: number;
  readonly byLight: Record<Light, number>;
  readonly byTier: Record<(typeof SUMMARY_TIERS)[number], number>;
  readonly byDistrict: Record<string, number>;
  readonly byCategory: Record<string, number>;
}

const fits = (bucket: Bucket, filter: SummaryFilter) =>
  (filter.unit === undefined || bucket.unit === filter.unit) &&
  (filter.district === undefined || bucket.district === filter.district) &&
  (filter.category === undefined || bucket.category === filter.category);

/**
 * The summary at `nowMs`: the counters, with each case whose light changed since it was
 * written (`changed`: the cases with lightChangeAt ≤ now) moved from its recorded light to the
 * one it shows now. Buckets with no case are left out of byDistrict and byCategory.
 */
export function summarize(
  counters: readonly BucketCount[],
  changed: readonly CaseRecord[],
  nowMs: number,
  calendar: WorkingDayCalendar,
  filter: SummaryFilter = {},
  yellowShare?: number,
): OpenSummary {
  const summary = {
    open: 0,
    byLight: Object.fromEntries(LIGHTS.map((light) => [light, 0])) as Record<Light, number>,
    byTier: Object.fromEntries(SUMMARY_TIERS.map((tier) => [tier, 0])) as OpenSummary['byTier'],
    byDistrict: {} as Record<string, number>,
    byCategory: {} as Record<string, number>,
  };
  for (const counter of counters) {
    if (counter.open === 0 || !fits(counter, filter)) continue;
    summary.open += counter.open;
    summary.byLight[counter.light] += counter.open;
    const tier = String(counter.tier) as keyof OpenSummary['byTier'];
    summary.byTier[tier] = (summary.byTier[tier] ?? 0) + counter.open;
    summary.byDistrict[counter.district] = (summary.byDistrict[counter.district] ?? 0) + counter.open;
    summary.byCategory[counter.category] = (summary.byCategory[counter.category] ?? 0) + counter.open;
  }
  for (const record of changed) {
    const bucket = bucketOf(record);
    if (!bucket || !fits(bucket, filter)) continue;
    const shown = currentLight(record, nowMs, calendar, yellowShare);
    if (shown === bucket.light) continue;
    summary.byLight[bucket.light] -= 1;
    summary.byLight[shown] += 1;
  }
  return summary;
}

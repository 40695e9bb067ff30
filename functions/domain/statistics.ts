/**
 * Comprehensive statistics (综合统计): cases received in a range of Shanghai months, broken down
 * by month, district, street, category, intake channel or unit, with the assessment's own
 * definitions of resolved, resolved in the community and satisfied (domain/assessment.ts), the
 * hours to sign-off and the days to the first result (p50, p90), and how many were resolved in
 * the month they arrived. Pure: the store reads the cases, the handler renders.
 */
import * as z from 'zod/mini';
import './zod-locale';
import { assessCase, percent, ASSESSED_FIELDS, type AssessedCase, type AssessOptions } from './assessment';
import type { CaseRecord } from './case';
import type { UnitDirectory } from './directory';

export const STATISTICS_BREAKDOWNS = ['month', 'district', 'street', 'category', 'channel', 'unit'] as const;
export type StatisticsBreakdown = (typeof STATISTICS_BREAKDOWNS)[number];
/** The longest range one request may cover. */
export const MAX_STATISTICS_MONTHS = 36;

/** What statistics read of a case: the assessment's fields and the intake channel; nothing personal, no free text. */
export const STATISTICS_FIELDS = [...ASSESSED_FIELDS, 'reportedVia'] as const satisfies readonly (keyof CaseRecord)[];
export type StatisticsCase = Pick<CaseRecord, (typeof STATISTICS_FIELDS)[number]>;

export const StatisticsRowSchema = z.object({
  key: z.string(),
  received: z.number(),
  resolved: z.number(),
  /** Resolved / received, in percent (two decimals); null when nothing was received. */
  resolutionRate: z.nullable(z.number()),
  resolvedInCommunity: z.number(),
  satisfied: z.number(),
  /** Satisfied / resolved, in percent. */
  satisfactionRate: z.nullable(z.number()),
  /** Hours from receiving to signing off (routed cases signed off), nearest rank. */
  signOffHoursP50: z.nullable(z.number()),
  signOffHoursP90: z.nullable(z.number()),
  /** Calendar days from intake to the first result (resolved cases), nearest rank. */
  resolveDaysP50: z.nullable(z.number()),
  resolveDaysP90: z.nullable(z.number()),
  /** Resolved in the Shanghai month the case arrived. */
  resolvedSameMonth: z.number(),
});
export type StatisticsRow = z.infer<typeof StatisticsRowSchema>;
export const StatisticsSchema = z.object({ rows: z.array(StatisticsRowSchema) }).register(z.globalRegistry, { id: 'Statistics' });

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The months from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
  const months: string[] = [];
  for (let i = index(from); i <= index(to); i++) months.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  return months;
}

/** Nearest-rank percentile of sorted values, to one decimal; null when there are none. */
export function nearestRank(sorted: readonly number[], percentile: number): number | null {
  if (sorted.length === 0) return null;
  const value = sorted[Math.max(0, Math.ceil((percentile / 100) * sorted.length) - 1)];
  return Math.round(value * 10) / 10;
}

/** The row a case counts in. Street: the street office the accepting community belongs to; unit: the first unit that received it (首办). */
export function keyOf(c: StatisticsCase, by: StatisticsBreakdown, directory: UnitDirectory): string {
  switch (by) {
    case 'month':
      return c.createdAt.slice(0, 7);
    case 'district':
      return c.district;
    case 'street':
      return directory.get(c.originUnit)?.parent ?? c.originUnit;
    case 'category':
      return c.category;
    case 'channel':
      return c.reportedVia;
    case 'unit':
      return c.firstHandlerUnit;
  }
}

/** When the first unit that had to sign the case off did so, if it had to and has. */
function firstSignOff(c: StatisticsCase): { fromMs: number; atMs: number } | undefined {
  const part = c.holdings?.find((h) => h.role === 'holder' && h.needsSignOff && h.signedOffAt);
  if (part) return { fromMs: Date.parse(part.from), atMs: Date.parse(part.signedOffAt!) };
  if (c.firstHandlerUnit !== c.originUnit && c.signedOffAt) return { fromMs: Date.parse(c.createdAt), atMs: Date.parse(c.signedOffAt) };
  return undefined;
}

interface Tally {
  received: number;
  resolved: number;
  resolvedInCommunity: number;
  satisfied: number;
  resolvedSameMonth: number;
  signOffHours: number[];
  resolveDays: number[];
}

/** The rows for these cases as they stand at `nowMs`, in key order. */
export function statisticsRows(
  cases: Iterable<StatisticsCase>,
  by: StatisticsBreakdown,
  nowMs: number,
  options: AssessOptions & { readonly directory: UnitDirectory },
): StatisticsRow[] {
  const tallies = new Map<string, Tally>();
  for (const c of cases) {
    const key = keyOf(c, by, options.directory);
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = { received: 0, resolved: 0, resolvedInCommunity: 0, satisfied: 0, resolvedSameMonth: 0, signOffHours: [], resolveDays: [] }));
    const { counts } = assessCase(c as AssessedCase, nowMs, options);
    tally.received += counts.received;
    tally.resolved += counts.resolved;
    tally.resolvedInCommunity += counts.resolvedInCommunity;
    tally.satisfied += counts.satisfied;
    if (counts.resolved && c.metrics.firstResolvedAt) {
      tally.resolveDays.push((Date.parse(c.metrics.firstResolvedAt) - Date.parse(c.createdAt)) / DAY_MS);
      if (c.metrics.firstResolvedAt.slice(0, 7) === c.createdAt.slice(0, 7)) tally.resolvedSameMonth += 1;
    }
    const signOff = firstSignOff(c);
    if (signOff && signOff.atMs < nowMs) tally.signOffHours.push((signOff.atMs - signOff.fromMs) / HOUR_MS);
  }
  return [...tallies.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, t]) => {
      const hours = t.signOffHours.sort((a, b) => a - b);
      const days = t.resolveDays.sort((a, b) => a - b);
      return {
        key,
        received: t.received,
        resolved: t.resolved,
        resolutionRate: percent(t.resolved, t.received),
        resolvedInCommunity: t.resolvedInCommunity,
        satisfied: t.satisfied,
        satisfactionRate: percent(t.satisfied, t.resolved),
        signOffHoursP50: nearestRank(hours, 50),
        signOffHoursP90: nearestRank(hours, 90),
        resolveDaysP50: nearestRank(days, 50),
        resolveDaysP90: nearestRank(days, 90),
        resolvedSameMonth: t.resolvedSameMonth,
      };
    });
}

export const STATISTICS_COLUMNS = [
  'key',
  'received',
  'resolved',
  'resolutionRate',
  'resolvedInCommunity',
  'satisfied',
  'satisfactionRate',
  'signOffHoursP50',
  'signOffHoursP90',
  'resolveDaysP50',
  'resolveDaysP90',
  'resolvedSameMonth',
] as const satisfies readonly (keyof StatisticsRow)[];

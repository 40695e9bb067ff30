/**
 * Comprehensive statistics (综合统计) as the console shows them: the range and breakdown read
 * from the URL (`/console/statistics?from=2011-01&to=2011-10&by=channel`), and the figures it
 * works out from the API's rows — totals, shares of intake and the share resolved in the month
 * of arrival. Rates the API sends are shown as it sends them; only sums and shares are made here.
 */
export const STAT_BREAKDOWNS = ['month', 'district', 'street', 'category', 'channel', 'unit'] as const;
export type StatBreakdown = (typeof STAT_BREAKDOWNS)[number];

/** The longest range the API serves. */
export const MAX_MONTHS = 36;
/** The range shown when the URL names none: the twelve months up to this one. */
export const DEFAULT_MONTHS = 12;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface StatRow {
  readonly key: string;
  readonly received: number;
  readonly resolved: number;
  readonly resolutionRate: number | null;
  readonly resolvedInCommunity: number;
  readonly satisfied: number;
  readonly satisfactionRate: number | null;
  readonly signOffHoursP50: number | null;
  readonly signOffHoursP90: number | null;
  readonly resolveDaysP50: number | null;
  readonly resolveDaysP90: number | null;
  readonly resolvedSameMonth: number;
}

export interface Statistics {
  readonly rows: readonly StatRow[];
}

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOfIndex = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** Months from `from` to `to`, both included (0 when `to` is before `from`). */
export const monthsIn = (from: string, to: string): number => Math.max(0, monthIndex(to) - monthIndex(from) + 1);

/** `month` moved by `delta` months. */
export const shiftMonth = (month: string, delta: number): string => monthOfIndex(monthIndex(month) + delta);

export type RangeProblem = 'from' | 'to' | 'order' | 'long';

export interface StatView {
  readonly from: string;
  readonly to: string;
  readonly by: StatBreakdown;
  /** Why the range cannot be asked for; nothing is sent while there is one. */
  readonly problem?: RangeProblem;
}

/** The view in the URL, with defaults (the last twelve months, by month) for what it leaves out. */
export function statViewOf(params: URLSearchParams, currentMonth: string): StatView {
  const byParam = params.get('by') ?? '';
  const by = (STAT_BREAKDOWNS as readonly string[]).includes(byParam) ? (byParam as StatBreakdown) : 'month';
  const to = params.get('to') ?? currentMonth;
  const from = params.get('from') ?? shiftMonth(MONTH.test(to) ? to : currentMonth, -(DEFAULT_MONTHS - 1));
  let problem: RangeProblem | undefined;
  if (!MONTH.test(from)) problem = 'from';
  else if (!MONTH.test(to)) problem = 'to';
  else if (monthsIn(from, to) === 0) problem = 'order';
  else if (monthsIn(from, to) > MAX_MONTHS) problem = 'long';
  return { from, to, by, ...(problem ? { problem } : {}) };
}

export function statisticsPath(view: Pick<StatView, 'from' | 'to'>, by: StatBreakdown, format?: 'csv' | 'xlsx'): string {
  const params = new URLSearchParams({ from: view.from, to: view.to, by });
  if (format) params.set('format', format);
  return `/v1/statistics?${params}`;
}

/** A share in percent with one decimal (12.3), or null when there is nothing to divide by. */
export const percent = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

export interface StatTotals {
  readonly received: number;
  readonly resolved: number;
  readonly resolvedInCommunity: number;
  readonly satisfied: number;
  readonly resolvedSameMonth: number;
  /** Resolved of received, %. */
  readonly resolutionShare: number | null;
  /** Resolved in the community of resolved, %. */
  readonly communityShare: number | null;
  /** Resolved in the month of arrival, of received, %. */
  readonly sameMonthShare: number | null;
}

/** Sums over the rows of one breakdown (each case is in exactly one row). */
export function totalsOf(rows: readonly StatRow[]): StatTotals {
  const sum = (pick: (row: StatRow) => number) => rows.reduce((total, row) => total + (pick(row) ?? 0), 0);
  const received = sum((row) => row.received);
  const resolved = sum((row) => row.resolved);
  const resolvedInCommunity = sum((row) => row.resolvedInCommunity);
  const resolvedSameMonth = sum((row) => row.resolvedSameMonth);
  return {
    received,
    resolved,
    resolvedInCommunity,
    satisfied: sum((row) => row.satisfied),
    resolvedSameMonth,
    resolutionShare: percent(resolved, received),
    communityShare: percent(resolvedInCommunity, resolved),
    sameMonthShare: percent(resolvedSameMonth, received),
  };
}

export interface Share {
  readonly key: string;
  readonly received: number;
  readonly share: number | null;
}

/** Each row's share of the intake, largest first. */
export function sharesOf(rows: readonly StatRow[]): Share[] {
  const whole = rows.reduce((total, row) => total + row.received, 0);
  return rows
    .map((row) => ({ key: row.key, received: row.received, share: percent(row.received, whole) }))
    .sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
}

/**
 * The seed's three ways a complaint comes in: found by grid patrols, brought in by phone,
 * SMS, the internet, the hotline or the press, and walk-ins.
 */
export const CHANNEL_GROUPS = {
  patrol: ['patrol'],
  remote: ['phone', 'sms', 'web', 'hotline', 'media'],
  visit: ['visit'],
} as const;
export type ChannelGroup = keyof typeof CHANNEL_GROUPS;

export function channelGroupsOf(rows: readonly StatRow[]): Array<{ group: ChannelGroup; received: number; share: number | null }> {
  const whole = rows.reduce((total, row) => total + row.received, 0);
  return (Object.keys(CHANNEL_GROUPS) as ChannelGroup[]).map((group) => {
    const members = CHANNEL_GROUPS[group] as readonly string[];
    const received = rows.filter((row) => members.includes(row.key)).reduce((total, row) => total + row.received, 0);
    return { group, received, share: percent(received, whole) };
  });
}

/** Rows in a readable order: months in time order, the rest by intake, largest first. */
export function orderedRows(rows: readonly StatRow[], by: StatBreakdown): StatRow[] {
  return [...rows].sort((a, b) => (by === 'month' ? a.key.localeCompare(b.key) : b.received - a.received || a.key.localeCompare(b.key)));
}

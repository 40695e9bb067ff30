/**
 * The side-by-side table: the source's figures (or, for a preset without any, what the plan
 * expects) beside the figures of the reports the system itself produced.
 */
import type { Counts } from '../../functions/domain/assessment';
import type { Preset } from './preset';

/** The bounds the replay is held to: counts within 1 %, rates within half a percentage point. */
export const COUNT_TOLERANCE = 0.01;
export const RATE_TOLERANCE_POINTS = 0.5;

export interface SimulatedFigures {
  /** The period report's city row (every month measured at the period's end). */
  readonly city: Counts;
  /** Each month's own report, summed: resolved by the end of the month of arrival. */
  readonly monthly: { readonly received: number; readonly resolved: number };
}

export interface Row {
  readonly figure: string;
  readonly reference: number | undefined;
  readonly simulated: number;
  readonly kind: 'count' | 'rate' | 'other';
  /** Within the bound, when the row has one. */
  readonly within?: boolean;
  /** How the bound reads, when it is not the table's usual ±1 % (counts) or ±0.5 pts (rates). */
  readonly bound?: string;
}

const rate = (n: number, d: number) => (d === 0 ? 0 : Math.round((10_000 * n) / d) / 100);

export interface Reference {
  received: number;
  resolved: number;
  resolvedInCommunity: number;
  satisfied: number;
  resolvedInMonthOfArrivalPercent?: number;
  urges?: number;
  investigated?: number;
}

export function tableRows(reference: Reference, simulated: SimulatedFigures): Row[] {
  const c = simulated.city;
  const count = (figure: string, ref: number, sim: number): Row => ({ figure, reference: ref, simulated: sim, kind: 'count', within: Math.abs(sim - ref) <= ref * COUNT_TOLERANCE });
  const pct = (figure: string, ref: number, sim: number): Row => ({ figure, reference: ref, simulated: sim, kind: 'rate', within: Math.abs(sim - ref) <= RATE_TOLERANCE_POINTS + 1e-9 });
  const breaches = c.lateSignOffs + c.handlingBreaches;
  return [
    count('received 受理', reference.received, c.received),
    count('resolved 办结', reference.resolved, c.resolved),
    count('resolved in the community 社区办结', reference.resolvedInCommunity, c.resolvedInCommunity),
    count('satisfied 满意', reference.satisfied, c.satisfied),
    pct('resolution rate 办结率 %', rate(reference.resolved, reference.received), rate(c.resolved, c.received)),
    pct('in the community, % of resolved', rate(reference.resolvedInCommunity, reference.resolved), rate(c.resolvedInCommunity, c.resolved)),
    pct('satisfaction 满意率, % of resolved', rate(reference.satisfied, reference.resolved), rate(c.satisfied, c.resolved)),
    { figure: 'resolved in the month of arrival %', reference: reference.resolvedInMonthOfArrivalPercent, simulated: rate(simulated.monthly.resolved, simulated.monthly.received), kind: 'other' },
    { figure: 'cases urged 督办', reference: reference.urges, simulated: c.urges, kind: 'other' },
    { figure: 'breaches, each a supervision record', reference: reference.investigated, simulated: breaches, kind: 'other' },
    { figure: 'warnings 预警', reference: undefined, simulated: c.warnings, kind: 'other' },
    { figure: 'escalations 上交', reference: undefined, simulated: c.escalations, kind: 'other' },
    { figure: 'returns 退回', reference: undefined, simulated: c.returns, kind: 'other' },
    { figure: 'extensions approved 延期', reference: undefined, simulated: c.extensionsApproved, kind: 'other' },
    { figure: 'reached the joint conference', reference: undefined, simulated: c.reachedJointConference, kind: 'other' },
    { figure: 'open at the end / red', reference: undefined, simulated: c.openAtEnd, kind: 'other' },
    { figure: 'not evaluated 未评价', reference: undefined, simulated: c.notEvaluated, kind: 'other' },
  ];
}

const fmt = (n: number | undefined, kind: Row['kind']) =>
  n === undefined ? '—' : kind === 'count' || Number.isInteger(n) ? n.toLocaleString('en') : n.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function difference(row: Row): string {
  if (row.reference === undefined) return '';
  const d = row.simulated - row.reference;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  if (row.kind === 'rate') return `${sign}${Math.abs(d).toFixed(2)} pts`;
  // Against a reference of zero there is no percentage to give.
  if (row.kind === 'count') return `${sign}${Math.abs(d).toLocaleString('en')}${row.reference === 0 ? '' : ` (${sign}${((Math.abs(d) / row.reference) * 100).toFixed(2)} %)`}`;
  return `${sign}${Number.isInteger(d) ? Math.abs(d).toLocaleString('en') : Math.abs(d).toFixed(2)}`;
}

/** The table as text lines; `label` names the reference column (the seed, or the plan). */
export function formatTable(rows: readonly Row[], label: string): string[] {
  const header = ['figure', label, 'simulated', 'difference', 'bound'];
  const body = rows.map((r) => [
    r.figure,
    fmt(r.reference, r.kind),
    fmt(r.simulated, r.kind),
    difference(r),
    r.within === undefined ? '' : `${r.bound ?? (r.kind === 'count' ? '±1 %' : '±0.5 pts')} ${r.within ? 'ok' : 'OUT'}`,
  ]);
  const width = (i: number) => Math.max(...[header, ...body].map((cells) => [...cells[i]!].length));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(width(i) + (cell.length - [...cell].length)) : cell.padStart(width(i)))).join('  ');
  return [line(header), ...body.map(line)];
}

export const referenceOf = (preset: Preset): Reference | undefined => preset.seedFigures;

/**
 * A mediation sector's figures (the seed's traffic-accident and medical-dispute committees) beside
 * the system's own mediation statistics: read back from GET /v1/statistics/mediation, nothing
 * else, and held to the same bounds as the seed's results table (counts ±1 %, rates ±0.5 points;
 * a figure the source gives as "and more", 余, is met at that figure or above).
 */
import { monthsBetween } from '../../functions/domain/assessment-period';
import type { MediationFigures } from './plan';
import type { Preset } from './preset';
import type { SimulationTarget } from './runner';
import { COUNT_TOLERANCE, RATE_TOLERANCE_POINTS, type Row } from './table';

/** The most months one statistics answer covers (functions/api/mediation-schemas.ts). */
const STATISTICS_MONTHS = 24;

const FIELDS = ['received', 'mediated', 'declined', 'agreements', 'failed', 'concludedInTime', 'fulfilled', 'unfulfilled', 'amountYuan'] as const;

/** One body's row of the mediation statistics over the replayed months (read 24 months at a time, summed). */
export async function readMediationFigures(target: SimulationTarget, months: readonly string[], body: string): Promise<MediationFigures> {
  const token = await target.tokenFor('supervision-centre', 'supervisor');
  const all = monthsBetween(months[0]!, months[months.length - 1]!);
  const sum: MediationFigures = { received: 0, mediated: 0, declined: 0, agreements: 0, failed: 0, concludedInTime: 0, fulfilled: 0, unfulfilled: 0, amountYuan: 0 };
  let fen = 0;
  for (let i = 0; i < all.length; i += STATISTICS_MONTHS) {
    const chunk = all.slice(i, i + STATISTICS_MONTHS);
    const path = `/v1/statistics/mediation?from=${chunk[0]}&to=${chunk[chunk.length - 1]}`;
    const response = await fetch(`${target.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const answer = (await response.json()) as any;
    if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${answer?.detail ?? ''}`);
    const row = (answer.byBody as Array<Record<string, number | string>>).find((r) => r.key === body);
    if (!row) continue;
    for (const field of FIELDS) if (field !== 'amountYuan') sum[field] += row[field] as number;
    fen += Math.round((row.amountYuan as number) * 100);
  }
  sum.amountYuan = fen / 100;
  return sum;
}

const percent = (n: number, d: number) => (d === 0 ? 0 : Math.round((10_000 * n) / d) / 100);

/** Mediations neither declined nor concluded by the end: still with the body (accepted, or not yet answered). */
export const stillOpen = (f: MediationFigures) => f.received - f.declined - f.agreements - f.failed;

/** The sector table's rows: the source's figures where it gives them, with their bounds, then the system's other figures for the body. */
export function sectorRows(sector: NonNullable<Preset['sectorFigures']>, f: MediationFigures): Row[] {
  const count = (figure: string, ref: { value: number; atLeast?: boolean | undefined } | undefined, sim: number): Row =>
    ref === undefined
      ? { figure, reference: undefined, simulated: sim, kind: 'other' }
      : ref.atLeast
        ? { figure, reference: ref.value, simulated: sim, kind: 'count', within: sim >= ref.value, bound: `≥ ${ref.value.toLocaleString('en')}` }
        : { figure, reference: ref.value, simulated: sim, kind: 'count', within: Math.abs(sim - ref.value) <= ref.value * COUNT_TOLERANCE };
  const concluded = f.agreements + f.failed;
  const success = percent(f.agreements, concluded);
  return [
    count('received 受理', sector.received, f.received),
    count('closed 结案 (concluded with an agreement)', sector.agreements, f.agreements),
    sector.successRatePercent === undefined
      ? { figure: 'success rate 调解成功率 %, agreements of concluded', reference: undefined, simulated: success, kind: 'other' }
      : { figure: 'success rate 调解成功率 %, agreements of concluded', reference: sector.successRatePercent, simulated: success, kind: 'rate', within: Math.abs(success - sector.successRatePercent) <= RATE_TOLERANCE_POINTS + 1e-9 },
    { figure: 'closed of received 结案率 %', reference: sector.closedRatePercent, simulated: percent(f.agreements, f.received), kind: 'other' },
    count('amounts agreed 涉案金额, yuan', sector.amountYuan, f.amountYuan),
    { figure: 'mediated (accepted) 调解', reference: undefined, simulated: f.mediated, kind: 'other' },
    { figure: 'declined 不予受理', reference: undefined, simulated: f.declined, kind: 'other' },
    { figure: 'failed 调解不成', reference: undefined, simulated: f.failed, kind: 'other' },
    { figure: 'still with the body at the end', reference: undefined, simulated: stillOpen(f), kind: 'other' },
    { figure: 'concluded in time', reference: undefined, simulated: f.concludedInTime, kind: 'other' },
    { figure: 'agreements carried out 履行', reference: undefined, simulated: f.fulfilled, kind: 'other' },
    { figure: 'agreements not carried out', reference: undefined, simulated: f.unfulfilled, kind: 'other' },
  ];
}

/**
 * Mediation statistics and targets: per channel and per body — received, mediated (accepted),
 * agreements, failures, success rate, concluded in time, amounts agreed — and the seed's targets
 * (config/mediation.json) with their current values: every dispute mediated, success ≥ 95 %,
 * administrative mediation ≥ 80 %, and where disputes were settled (group, community, street,
 * above). Pure: the route reads the cases and hands them here.
 */
import * as z from 'zod/mini';
import '../zod-locale';
import mediationJson from '../../../config/mediation.json';
import { CATEGORY_IDS } from '../categories';
import { MEDIATION_CHANNELS, MEDIATION_LEVELS, type UnitDirectory } from '../directory';
import type { CaseRecord } from '../case';
import type { Mediation } from './model';
import { totalYuan } from './rules';

const Target = z.strictObject({ goal: z.number().check(z.gte(0), z.lte(1)), rationale: z.string().check(z.minLength(1)) });
const Category = z.enum(CATEGORY_IDS);
export const MediationConfigSchema = z.strictObject({
  targets: z.strictObject({ mediationRate: Target, successRate: Target, administrativeMediationRate: Target, settledAtStreetOrBelow: Target }),
  disputeCategories: z.array(Category).check(z.minLength(1)),
  administrativeCategories: z.array(Category).check(z.minLength(1)),
});
export type MediationConfig = z.infer<typeof MediationConfigSchema>;
export const mediationConfig: MediationConfig = MediationConfigSchema.parse(mediationJson);

export interface MediationRow {
  readonly key: string;
  /** Referrals the bodies received. */
  readonly received: number;
  /** Referrals accepted (mediated). */
  readonly mediated: number;
  readonly declined: number;
  readonly agreements: number;
  readonly failed: number;
  /** Agreements over concluded mediations (agreements + failures); null when none concluded. */
  readonly successRate: number | null;
  /** Concluded (agreement or failure) inside the mediation window, with no breach. */
  readonly concludedInTime: number;
  readonly fulfilled: number;
  readonly unfulfilled: number;
  /** The agreed amounts, yuan. */
  readonly amountYuan: number;
}

export interface TargetValue {
  readonly key: keyof MediationConfig['targets'];
  readonly goal: number;
  readonly value: number | null;
  readonly met: boolean | null;
  /** What the value is counted over. */
  readonly of: number;
}

export interface MediationStatistics {
  readonly total: MediationRow;
  readonly byChannel: MediationRow[];
  readonly byBody: MediationRow[];
  readonly byLevel: Array<{ level: string; agreements: number; share: number | null }>;
  readonly targets: TargetValue[];
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10000) / 10000);

function row(key: string, referrals: readonly Mediation[]): MediationRow {
  const agreements = referrals.filter((m) => m.agreement !== undefined);
  const failed = referrals.filter((m) => m.failure !== undefined);
  const concluded = [...agreements, ...failed];
  return {
    key,
    received: referrals.length,
    mediated: referrals.filter((m) => m.acceptedAt !== undefined).length,
    declined: referrals.filter((m) => m.status === 'declined').length,
    agreements: agreements.length,
    failed: failed.length,
    successRate: ratio(agreements.length, concluded.length),
    concludedInTime: concluded.filter((m) => m.concludedOnTime === true).length,
    fulfilled: referrals.filter((m) => m.status === 'fulfilled').length,
    unfulfilled: referrals.filter((m) => m.status === 'unfulfilled').length,
    amountYuan: Math.round(agreements.reduce((sum, m) => sum + totalYuan(m.agreement) * 100, 0)) / 100,
  };
}

type CaseForStatistics = Pick<CaseRecord, 'category' | 'mediations'>;

/** The statistics over `cases` (those received in the range asked for), with the bodies' channels and levels from the directory. */
export function mediationStatistics(cases: readonly CaseForStatistics[], directory: Pick<UnitDirectory, 'get'>, config: MediationConfig = mediationConfig): MediationStatistics {
  const referrals = cases.flatMap((c) => c.mediations ?? []);
  const channelOf = (m: Mediation) => directory.get(m.body)?.channel ?? 'people';
  const levelOf = (m: Mediation) => directory.get(m.body)?.level ?? 'above';
  const byChannel = MEDIATION_CHANNELS.map((channel) => row(channel, referrals.filter((m) => channelOf(m) === channel)));
  const bodies = [...new Set(referrals.map((m) => m.body))].sort();
  const byBody = bodies.map((body) => row(body, referrals.filter((m) => m.body === body)));
  const total = row('total', referrals);

  const agreements = referrals.filter((m) => m.agreement);
  const byLevel = MEDIATION_LEVELS.map((level) => {
    const n = agreements.filter((m) => levelOf(m) === level).length;
    return { level, agreements: n, share: ratio(n, agreements.length) };
  });

  const mediated = (c: CaseForStatistics) => (c.mediations ?? []).some((m) => m.acceptedAt !== undefined);
  const disputes = cases.filter((c) => (config.disputeCategories as readonly string[]).includes(c.category));
  const administrative = cases.filter((c) => (config.administrativeCategories as readonly string[]).includes(c.category));
  const adminMediated = administrative.filter((c) => (c.mediations ?? []).some((m) => m.acceptedAt !== undefined && channelOf(m) === 'administrative'));
  const low = agreements.filter((m) => levelOf(m) !== 'above').length;
  const target = (key: TargetValue['key'], value: number | null, of: number): TargetValue => {
    const goal = config.targets[key].goal;
    return { key, goal, value, met: value === null ? null : value >= goal, of };
  };
  const targets = [
    target('mediationRate', ratio(disputes.filter(mediated).length, disputes.length), disputes.length),
    target('successRate', total.successRate, total.agreements + total.failed),
    target('administrativeMediationRate', ratio(adminMediated.length, administrative.length), administrative.length),
    target('settledAtStreetOrBelow', ratio(low, agreements.length), agreements.length),
  ];
  return { total, byChannel, byBody, byLevel, targets };
}

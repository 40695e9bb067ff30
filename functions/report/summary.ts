/**
 * The summary alert a published report sends (REPORT_PUBLISHED, an addition to the contract's
 * alert types). It has the alert's shape, with no case: `caseId` is null, the unit is the
 * supervision centre and the tier 0, so subscription filters on `type` and `tier` work as for
 * every other alert.
 */
import type { AssessmentReport } from '../domain/assessment';
import type { ReportHeadline } from './report-store';

export const REPORT_PUBLISHED = 'REPORT_PUBLISHED';

export function headlineOf(report: AssessmentReport): ReportHeadline {
  return {
    received: report.city.received,
    resolved: report.city.resolved,
    resolvedInCommunity: report.city.resolvedInCommunity,
    satisfied: report.city.satisfied,
    resolutionRate: report.city.rates.resolution,
    resolvedInCommunityRate: report.city.rates.resolvedInCommunity,
    satisfactionRate: report.city.rates.satisfaction,
  };
}

const pct = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)} %`);

export interface PublishedAlert {
  readonly type: typeof REPORT_PUBLISHED;
  readonly caseId: null;
  readonly unit: string;
  readonly tier: 0;
  readonly dueAt: null;
  readonly at: string;
  readonly detail: string;
  readonly report: {
    readonly month: string;
    readonly cutoff: string;
    readonly provisional: boolean;
    readonly headline: ReportHeadline;
    readonly topUnits: ReadonlyArray<{ readonly rank: number; readonly unit: string; readonly name: string; readonly score: number }>;
    readonly objects: { readonly json: string; readonly csv: string };
  };
}

export function publishedAlert(
  report: AssessmentReport,
  meta: { month: string; at: string; supervisionCentre: string; objects: { json: string; csv: string } },
): PublishedAlert {
  const headline = headlineOf(report);
  const top = report.units.slice(0, 3).map((u) => ({ rank: u.rank ?? 0, unit: u.unit, name: u.name, score: u.composite?.score ?? 0 }));
  const leader = top[0] ? `; first: ${top[0].name} (${top[0].score.toFixed(2)})` : '';
  return {
    type: REPORT_PUBLISHED,
    caseId: null,
    unit: meta.supervisionCentre,
    tier: 0,
    dueAt: null,
    at: meta.at,
    detail:
      `Assessment ${meta.month}${report.provisional ? ' (provisional)' : ''}: ${headline.received} received, ` +
      `${headline.resolved} resolved (${pct(headline.resolutionRate)}), ${headline.resolvedInCommunity} in communities ` +
      `(${pct(headline.resolvedInCommunityRate)}), ${headline.satisfied} satisfied (${pct(headline.satisfactionRate)})${leader}.`,
    report: { month: meta.month, cutoff: report.cutoff, provisional: report.provisional, headline, topUnits: top, objects: meta.objects },
  };
}

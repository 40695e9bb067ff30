import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/*
 * Business metrics (cases accepted, deadline breaches, escalations) in CloudWatch embedded
 * metric format: one JSON line on stdout per call, which CloudWatch Logs turns into metrics
 * with no API call and no permission. Written with Powertools Metrics rather than by hand: it
 * keeps to the EMF specification (limits of 100 metrics and 30 dimensions per line, units,
 * validation) that a hand-written line would have to keep by itself.
 *
 * Emitted only where infra sets the namespace (POWERTOOLS_METRICS_NAMESPACE, see
 * infra/constructs/api-function.ts): in AWS. The local stack and the tests run the same
 * handlers without it and print nothing.
 */

/** The metric names, as the dashboard and docs/operations.md name them. */
export const BUSINESS_METRICS = {
  casesAccepted: 'CasesAccepted',
  breaches: 'DeadlineBreaches',
  escalations: 'Escalations',
  calendarYearsMissing: 'CalendarYearsMissing',
} as const;
export type BusinessMetric = (typeof BUSINESS_METRICS)[keyof typeof BUSINESS_METRICS];

/** Alert types that are deadline breaches (sign-off, handling, re-routing overdue) and escalations. */
const BREACH_ALERTS: ReadonlySet<string> = new Set(['SIGN_OFF_OVERDUE', 'HANDLING_OVERDUE', 'REROUTE_OVERDUE']);
const ESCALATION_ALERTS: ReadonlySet<string> = new Set(['ESCALATED']);

let metrics: Metrics | undefined;

const emitting = (): boolean => Boolean(process.env.POWERTOOLS_METRICS_NAMESPACE);

/**
 * Counts, published at once as one EMF line. Zero counts are left out (nothing is written if all
 * are zero) unless `includeZero`: a gauge that an alarm reads every period is written as 0 too.
 */
export function countMetrics(counts: Partial<Record<BusinessMetric, number>>, options: { includeZero?: boolean } = {}): void {
  const nonZero = Object.entries(counts).filter(([, count]) => typeof count === 'number' && (count > 0 || (options.includeZero && count === 0)));
  if (nonZero.length === 0 || !emitting()) return;
  metrics ??= new Metrics();
  for (const [name, count] of nonZero) metrics.addMetric(name, MetricUnit.Count, count as number);
  metrics.publishStoredMetrics();
}

/** A case was accepted at intake. */
export const countCaseAccepted = (): void => countMetrics({ [BUSINESS_METRICS.casesAccepted]: 1 });

/** The alerts one workflow step raised: breaches and escalations among them are counted. */
export function countWorkflowAlerts(alerts: readonly { readonly type: string }[]): void {
  countMetrics({
    [BUSINESS_METRICS.breaches]: alerts.filter((alert) => BREACH_ALERTS.has(alert.type)).length,
    [BUSINESS_METRICS.escalations]: alerts.filter((alert) => ESCALATION_ALERTS.has(alert.type)).length,
  });
}

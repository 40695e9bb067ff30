import { apiHandler } from '../commons/http';
import { MEDIATION_STATISTICS_READERS } from '../domain/roles';
// Mediation's refusals render only in the routes that can answer them (domain/mediation/refusal-texts.ts).
import '../domain/mediation/refusal-texts';
import { caseStore, directory } from '../commons/app';
import { monthEndMs, monthStartMs, monthsBetween } from '../domain/assessment-period';
import { toShanghaiIso } from '../domain/calendar';
import { CaseRecordSchema, type CaseRecord } from '../domain/case';
import { mediationStatistics } from '../domain/mediation/statistics';
import * as z from 'zod/mini';
import { MediationStatisticsQuerySchema } from './mediation-schemas';


const Counted = z.object({ category: CaseRecordSchema.shape.category, mediations: CaseRecordSchema.shape.mediations });

/**
 * GET /v1/statistics/mediation?from=yyyy-mm&to=yyyy-mm: over the cases received in those months,
 * per channel, per body and per level, and the targets with their current values.
 */
export const handler = apiHandler({ auth: 'required', roles: MEDIATION_STATISTICS_READERS, query: MediationStatisticsQuerySchema }, async ({ query }) => {
  const cases: Pick<CaseRecord, 'category' | 'mediations'>[] = [];
  for (const month of monthsBetween(query.from, query.to)) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await caseStore().monthRangePage({
        month,
        fromIso: toShanghaiIso(monthStartMs(month)),
        toIso: toShanghaiIso(monthEndMs(month)),
        attributes: ['category', 'mediations'],
        ...(startKey ? { startKey } : {}),
      });
      for (const item of page.items) cases.push(Counted.parse(item));
      startKey = page.nextKey;
    } while (startKey);
  }
  return { statusCode: 200, body: { from: query.from, to: query.to, cases: cases.length, ...mediationStatistics(cases, directory) } };
});
